package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/store/storetest"
)

// eventByEvidence finds the id of the stored event with the given evidence.
func eventByEvidence(t *testing.T, st store.Store, ev string) int64 {
	t.Helper()
	p, err := st.Events(t.Context(), store.EventFilter{NoLimit: true, IncludeRejected: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range p.Events {
		if e.Evidence.Text == ev {
			return e.ID
		}
	}
	t.Fatalf("no event %q", ev)
	return 0
}

// TestReviewAuth checks who may review events and read the audit log: no
// token, a bad token, a viewer, a cross-site page and a browser session
// without its CSRF token are refused; an analyst's token and a session with
// its token are let through.
func TestReviewAuth(t *testing.T) {
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	fx, dbPath := fileFixture(t, Options{Gazetteer: g, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	analyst := addUser(t, fx.st, "ana", store.RoleAnalyst)
	viewer := addUser(t, fx.st, "vic", store.RoleViewer)
	admin := addUser(t, fx.st, "adm", store.RoleAdmin)
	// A browser session of an analyst with a password.
	const password = "correct horse battery staple"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.st.CreateUser(t.Context(), "sam", store.RoleAnalyst, hash); err != nil {
		t.Fatal(err)
	}
	cookie, sess, err := auth.Login(t.Context(), fx.st, "sam", password)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := auth.Login(t.Context(), fx.st, "sam", "wrong password!"); err != auth.ErrBadCredentials {
		t.Errorf("wrong password: %v", err)
	}
	fire := eventByEvidence(t, fx.st, storetest.EvFire)
	phone := eventByEvidence(t, fx.st, storetest.EvPhone)
	review := "/api/events/" + id64(fire) + "/review"
	const js = "application/json"
	correct := `{"action": "correct", "reason": "it was shelling", "type": "COERCE", "place_id": "shusha"}`
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	sessionHdr := []string{"Cookie", auth.CookieName + "=" + cookie}
	tests := []struct {
		name         string
		method, path string
		body         string
		hdr          []string
		status       int
		want         string
	}{
		{"no token", "POST", review, correct, nil, 401, "log in as analyst or admin"},
		{"bad token", "POST", review, correct, bearer("truce_not-a-token"), 401, "the API token is not valid"},
		{"not bearer", "POST", review, correct, []string{"Authorization", "Basic YTpi"}, 401, "the API token is not valid"},
		{"viewer", "POST", review, correct, bearer(viewer), 403, `user "vic" has the role viewer`},
		{"cross-site analyst", "POST", review, correct, append(bearer(analyst), "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"), 403, "cross-origin write refused"},
		{"session without CSRF token", "POST", review, correct, sessionHdr, 403, "CSRF token"},
		{"session with a wrong CSRF token", "POST", review, correct, append(sessionHdr, auth.CSRFHeader, "x"+sess.CSRF), 403, "CSRF token"},
		{"stale cookie", "POST", review, correct, []string{"Cookie", auth.CookieName + "=stale"}, 401, "log in"},
		{"bad action", "POST", review, `{"action": "delete", "reason": "x"}`, bearer(analyst), 400, `field "action"`},
		{"no reason", "POST", review, `{"action": "reject"}`, bearer(analyst), 400, `field "reason"`},
		{"bad type", "POST", review, `{"action": "correct", "reason": "r", "type": "BOMB"}`, bearer(analyst), 400, `field "type": "BOMB" is not a PLOVER event type`},
		{"bad place", "POST", review, `{"action": "correct", "reason": "r", "place_id": "atlantis"}`, bearer(analyst), 400, `field "place_id"`},
		{"bad date", "POST", review, `{"action": "correct", "reason": "r", "date": {"start": "2020-11-30", "end": "2020-11-01"}}`, bearer(analyst), 400, `field "date"`},
		{"nothing corrected", "POST", review, `{"action": "correct", "reason": "r"}`, bearer(analyst), 400, "at least one"},
		{"fields on accept", "POST", review, `{"action": "accept", "type": "AID"}`, bearer(analyst), 400, "only a correction"},
		{"unknown field", "POST", review, `{"action": "accept", "colour": "red"}`, bearer(analyst), 400, `unknown field "colour"`},
		{"unknown event", "POST", "/api/events/999999/review", `{"action": "accept"}`, bearer(analyst), 404, "no event 999999"},
		{"analyst corrects", "POST", review, correct, bearer(analyst), 200, `"review":"corrected"`},
		{"session corrects", "POST", review, `{"action": "correct", "reason": "artillery", "mode": "artillery"}`, append(sessionHdr, auth.CSRFHeader, sess.CSRF), 200, `"mode":"artillery"`},
		{"admin rejects", "POST", "/api/events/" + id64(phone) + "/review", `{"action": "reject", "reason": "no such call"}`, bearer(admin), 200, `"review":"rejected"`},
		{"rejected hidden", "GET", "/api/events?report=" + id64(fx.reports[0]), "", nil, 200, ""},
		{"include_rejected anonymous", "GET", "/api/events?include_rejected=true", "", nil, 401, "log in"},
		{"include_rejected viewer", "GET", "/api/events?include_rejected=true", "", bearer(viewer), 403, "role viewer"},
		{"include_rejected bad", "GET", "/api/events?include_rejected=maybe", "", bearer(analyst), 400, "want true or false"},
		{"include_rejected analyst", "GET", "/api/events?include_rejected=true&report=" + id64(fx.reports[0]), "", bearer(analyst), 200, storetest.EvPhone},
		{"audit anonymous", "GET", "/api/audit", "", nil, 401, "log in"},
		{"audit viewer", "GET", "/api/audit?user=ana", "", bearer(viewer), 200, `"reason":"it was shelling"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(t, fx.h, tc.method, tc.path, js, tc.body, tc.hdr...)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			got := rec.Body.String()
			if rec.Code >= 400 {
				got = decode[map[string]string](t, rec)["error"]
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("body does not contain %q: %s", tc.want, rec.Body)
			}
			if tc.name == "rejected hidden" && strings.Contains(rec.Body.String(), storetest.EvPhone) {
				t.Errorf("the rejected event is listed: %s", rec.Body)
			}
		})
	}
	// The audit log has the three changes with before and after.
	var audit auditResponse
	if err := json.Unmarshal(send(t, fx.h, "GET", "/api/audit", "", "", bearer(viewer)...).Body.Bytes(), &audit); err != nil {
		t.Fatal(err)
	}
	if len(audit.Entries) != 3 {
		t.Fatalf("audit entries: %+v", audit.Entries)
	}
	first := audit.Entries[2]
	if first.User != "ana" || !strings.Contains(string(first.Before), `"type":"ASSAULT"`) || !strings.Contains(string(first.After), `"id":"shusha"`) {
		t.Errorf("first audit entry: %+v (before %s, after %s)", first, first.Before, first.After)
	}
	if audit.Entries[1].User != "sam" || audit.Entries[0].User != "adm" {
		t.Errorf("audit users: %s, %s", audit.Entries[1].User, audit.Entries[0].User)
	}
	// No secret reaches the log or the database in clear.
	dbFiles := []string{dbPath, dbPath + "-wal"}
	var db []byte
	for _, f := range dbFiles {
		b, err := os.ReadFile(f)
		if err == nil {
			db = append(db, b...)
		}
	}
	if len(db) == 0 {
		t.Fatal("database file not read")
	}
	u, err := fx.st.UserByName(t.Context(), "sam")
	if err != nil || !strings.HasPrefix(u.PasswordHash, "pbkdf2-sha256$600000$") || strings.Contains(u.PasswordHash, password) {
		t.Errorf("password_hash column %q, %v", u.PasswordHash, err)
	}
	for name, secret := range map[string]string{"password": password, "analyst token": analyst, "viewer token": viewer, "session cookie": cookie} {
		if bytes.Contains(db, []byte(secret)) {
			t.Errorf("the %s is stored in clear in the database", name)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the %s is in the log", name)
		}
	}
	if !strings.Contains(logs.String(), "event reviewed") {
		t.Errorf("the log does not record the reviews:\n%s", logs.String())
	}
}

// TestRequireLogin checks a server that refuses reading without a login.
func TestRequireLogin(t *testing.T) {
	fx := newFixture(t, Options{RequireLogin: true, Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") })})
	viewer := addUser(t, fx.st, "vic", store.RoleViewer)
	tests := []struct {
		name, path string
		hdr        []string
		status     int
		location   string
	}{
		{"API anonymous", "/api/events", nil, 401, ""},
		{"API viewer", "/api/events", []string{"Authorization", "Bearer " + viewer}, 200, ""},
		{"OpenAPI anonymous", "/api/openapi.json", nil, 200, ""},
		{"page anonymous", "/events/1?x=1", nil, 303, "/login?next=%2Fevents%2F1%3Fx%3D1"},
		{"login page", "/login", nil, 200, ""},
		{"assets", "/assets/style.css", nil, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, fx.h, "GET", tc.path, tc.hdr...)
			if rec.Code != tc.status || rec.Header().Get("Location") != tc.location {
				t.Errorf("status %d location %q, want %d %q", rec.Code, rec.Header().Get("Location"), tc.status, tc.location)
			}
		})
	}
}

// fileFixture is newFixture over a database file whose path is returned.
func fileFixture(t *testing.T, opt Options) (*fixture, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "truce.db")
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	fx := &fixture{st: st}
	for _, x := range []*truce.Extraction{storetest.ReportA(), storetest.ReportB(), storetest.ReportC()} {
		id, _, err := st.SaveExtraction(t.Context(), x)
		if err != nil {
			t.Fatal(err)
		}
		fx.reports = append(fx.reports, id)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	fx.h = New(st, opt)
	return fx, path
}

// id64 formats an id.
func id64(id int64) string { return strconv.FormatInt(id, 10) }
