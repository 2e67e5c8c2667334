package storetest

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

func strp(s string) *string { return &s }

func testUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, tc := range []struct{ name, role string }{{"", "analyst"}, {"a b", "analyst"}, {"x", "root"}, {strings.Repeat("n", 65), "viewer"}} {
		if _, err := s.CreateUser(ctx, tc.name, tc.role, "h"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CreateUser(%q, %q) = %v, want ErrInvalid", tc.name, tc.role, err)
		}
	}
	ana, err := s.CreateUser(ctx, "ana", store.RoleAnalyst, "pbkdf2-sha256$1$c2FsdA$aGFzaA")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "ana", store.RoleViewer, ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("second ana: %v, want ErrInvalid", err)
	}
	if _, err := s.CreateUser(ctx, "vic", store.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByName(ctx, "ana")
	if err != nil || got.ID != ana.ID || got.Role != store.RoleAnalyst || got.PasswordHash != "pbkdf2-sha256$1$c2FsdA$aGFzaA" {
		t.Errorf("UserByName = %+v, %v", got, err)
	}
	if _, err := s.UserByName(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByName(nobody) = %v", err)
	}
	us, err := s.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "ana" || us[1].Name != "vic" {
		t.Errorf("Users = %+v, %v", us, err)
	}
	th := strings.Repeat("ab", 32)
	if err := s.AddToken(ctx, ana.ID, th); err != nil {
		t.Fatal(err)
	}
	if err := s.AddToken(ctx, ana.ID, "short"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AddToken(short) = %v", err)
	}
	if u, err := s.UserByToken(ctx, th); err != nil || u.Name != "ana" {
		t.Errorf("UserByToken = %+v, %v", u, err)
	}
	if _, err := s.UserByToken(ctx, strings.Repeat("cd", 32)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByToken(unknown) = %v", err)
	}
	sh, old := strings.Repeat("01", 32), strings.Repeat("02", 32)
	if err := s.CreateSession(ctx, store.Session{Hash: sh, UserID: ana.ID, CSRF: "c", Expires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, store.Session{Hash: old, UserID: ana.ID, CSRF: "c", Expires: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if ss, u, err := s.SessionByHash(ctx, sh); err != nil || u.Name != "ana" || ss.CSRF != "c" {
		t.Errorf("SessionByHash = %+v %+v %v", ss, u, err)
	}
	if _, _, err := s.SessionByHash(ctx, old); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, sh); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionByHash(ctx, sh); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted session: %v, want ErrNotFound", err)
	}
}

// testReview corrects, rejects and accepts events, and checks that the
// corrections come back after ReplaceExtraction gives the events new ids.
func testReview(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := save(t, s, ReportA())
	save(t, s, ReportB())
	evs := events(t, s, store.EventFilter{ReportID: a})
	byRule := map[string]store.StoredEvent{}
	for _, e := range evs {
		byRule[e.Rule] = e
	}
	fire, phone, withdrew := byRule["assault.open_fire"], byRule["consult.phone"], byRule["retreat.withdraw.from"]
	if fire.ID == 0 || phone.ID == 0 || withdrew.ID == 0 {
		t.Fatalf("events of report A: %+v", evs)
	}
	tests := []struct {
		name string
		r    store.Review
		err  error
	}{
		{"no action", store.Review{EventID: fire.ID, User: "ana", Reason: "x"}, store.ErrInvalid},
		{"empty correction", store.Review{EventID: fire.ID, Action: store.ReviewCorrect, User: "ana", Reason: "x"}, store.ErrInvalid},
		{"no reason", store.Review{EventID: fire.ID, Action: store.ReviewReject, User: "ana"}, store.ErrInvalid},
		{"no user", store.Review{EventID: fire.ID, Action: store.ReviewAccept}, store.ErrInvalid},
		{"unknown event", store.Review{EventID: 1 << 40, Action: store.ReviewAccept, User: "ana"}, store.ErrNotFound},
	}
	for _, tc := range tests {
		if _, err := s.ReviewEvent(ctx, tc.r); !errors.Is(err, tc.err) {
			t.Errorf("%s: ReviewEvent = %v, want %v", tc.name, err, tc.err)
		}
	}
	shusha := truce.Place{Name: "Shusha", Canonical: "Shusha / Shushi", Country: "AZE", Lat: 39.7583, Lon: 46.7487, Precision: "settlement", ID: "shusha"}
	got, err := s.ReviewEvent(ctx, store.Review{EventID: fire.ID, Action: store.ReviewCorrect, User: "ana", Reason: "shelling, not small arms",
		Patch: store.EventPatch{Type: strp("COERCE"), Place: &shusha}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "COERCE" || got.Place == nil || got.Place.ID != "shusha" || got.Review != store.StateCorrected || got.Mode != "firearms" {
		t.Errorf("corrected event: %+v", got)
	}
	// A second correction is merged over the first.
	if got, err = s.ReviewEvent(ctx, store.Review{EventID: fire.ID, Action: store.ReviewCorrect, User: "bob", Reason: "mode",
		Patch: store.EventPatch{Mode: strp("artillery")}}); err != nil || got.Type != "COERCE" || got.Mode != "artillery" {
		t.Errorf("second correction: %+v, %v", got, err)
	}
	if _, err := s.ReviewEvent(ctx, store.Review{EventID: phone.ID, Action: store.ReviewReject, User: "ana", Reason: "no call took place"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReviewEvent(ctx, store.Review{EventID: withdrew.ID, Action: store.ReviewAccept, User: "bob"}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		all := events(t, s, store.EventFilter{ReportID: a, IncludeRejected: true})
		vis := events(t, s, store.EventFilter{ReportID: a})
		if len(all) != 3 || len(vis) != 2 {
			t.Fatalf("%s: %d events with the rejected, %d without; want 3 and 2", when, len(all), len(vis))
		}
		for _, e := range vis {
			if e.Rule == "consult.phone" {
				t.Errorf("%s: the rejected event is listed", when)
			}
		}
		if n := len(events(t, s, store.EventFilter{Types: []string{"COERCE"}, Place: "shusha"})); n != 1 {
			t.Errorf("%s: filters see %d corrected events, want 1", when, n)
		}
		if n := len(events(t, s, store.EventFilter{Types: []string{"ASSAULT"}, ReportID: a})); n != 0 {
			t.Errorf("%s: %d events still ASSAULT", when, n)
		}
		states := map[string]string{}
		for _, e := range all {
			states[e.Rule] = e.Review + " " + e.Type + " " + e.Mode
		}
		want := map[string]string{"assault.open_fire": "corrected COERCE artillery", "consult.phone": "rejected CONSULT phone",
			"retreat.withdraw.from": "accepted RETREAT withdraw"}
		for k, v := range want {
			if states[k] != v {
				t.Errorf("%s: %s is %q, want %q", when, k, states[k], v)
			}
		}
		pts, err := s.EventPoints(ctx, store.EventFilter{Types: []string{"COERCE"}})
		if err != nil || len(pts) != 1 || pts[0].Lat != shusha.Lat {
			t.Errorf("%s: map points %+v, %v", when, pts, err)
		}
	}
	check("after review")
	if err := s.ReplaceExtraction(ctx, a, ReportA()); err != nil {
		t.Fatal(err)
	}
	check("after re-extraction")
	if evs := events(t, s, store.EventFilter{ReportID: a, IncludeRejected: true}); evs[0].ID == withdrew.ID && evs[1].ID == fire.ID {
		t.Errorf("re-extraction kept the event ids; the test proves nothing")
	}
	cs, err := s.Corrections(ctx, "")
	if err != nil || len(cs) != 3 {
		t.Fatalf("Corrections = %+v, %v", cs, err)
	}
	log, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil || len(log) != 4 {
		t.Fatalf("AuditLog = %+v, %v", log, err)
	}
	if log[0].User != "bob" || log[0].Action != store.ReviewAccept || log[3].Action != store.ReviewCorrect || log[3].Reason != "shelling, not small arms" {
		t.Errorf("audit log order or content: %+v", log)
	}
	var before, after store.ReviewedFields
	if err := json.Unmarshal(log[3].Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(log[3].After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Type != "ASSAULT" || before.Review != "" || after.Type != "COERCE" || after.Place == nil || after.Place.ID != "shusha" {
		t.Errorf("audit before %+v after %+v", before, after)
	}
	if l, err := s.AuditLog(ctx, store.AuditFilter{User: "bob"}); err != nil || len(l) != 2 {
		t.Errorf("AuditLog(bob) = %d entries, %v", len(l), err)
	}
	if l, err := s.AuditLog(ctx, store.AuditFilter{Report: "nope"}); err != nil || len(l) != 0 {
		t.Errorf("AuditLog(other report) = %d entries, %v", len(l), err)
	}
}
