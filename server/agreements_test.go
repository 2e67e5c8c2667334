package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/storetest"
)

// withAgreements adds the bundled agreements and gazetteer to opt.
func withAgreements(t testing.TB, opt Options) Options {
	t.Helper()
	s, err := agreement.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	opt.Agreements, opt.Gazetteer = s, g
	return opt
}

// send sends one request with a body and a content type.
func send(t testing.TB, h http.Handler, method, target, contentType, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestAgreementGolden compares the agreement, provision and sitrep responses
// over the storetest record with the files under testdata.
func TestAgreementGolden(t *testing.T) {
	fx := newFixture(t, withAgreements(t, Options{}))
	tests := []struct {
		name, target string
	}{
		{"agreements.json", "/api/agreements?as_of=2020-12-31"},
		{"board_nk-2020-11-10.json", "/api/agreements/nk-2020-11-10?as_of=2020-12-31"},
		{"provision_nk-2020-11-10_1.json", "/api/provisions/nk-2020-11-10/1?as_of=2020-12-31"},
		{"provision_nk-2020-11-10_6a.json", "/api/provisions/nk-2020-11-10/6a?as_of=2020-11-30"},
		{"sitrep.json", "/api/sitrep?from=2020-11-25&to=2020-11-27"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, fx.h, "GET", tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, rec.Body)
			}
			golden(t, tc.name, buf.Bytes())
		})
	}
}

// TestAgreementBoard checks what the board says of the storetest record.
func TestAgreementBoard(t *testing.T) {
	fx := newFixture(t, withAgreements(t, Options{}))
	b := decode[boardResponse](t, do(t, fx.h, "GET", "/api/agreements/nk-2020-11-10?as_of=2020-12-31"))
	rows := map[string]boardRow{}
	for _, r := range b.Provisions {
		rows[r.ID] = r
	}
	if len(rows) != b.Agreement.Provisions || len(rows) == 0 {
		t.Fatalf("%d rows for %d provisions", len(rows), b.Agreement.Provisions)
	}
	// The fire near Khankendi on 26 November breaks the ceasefire.
	if r := rows["1"]; r.Status != agreement.Violated || r.LastEvidence == nil || r.LastEvidence.Type != "ASSAULT" {
		t.Errorf("ceasefire: %+v", r)
	}
	// Kalbajar's deadline keeps its history.
	d := rows["6a"].Deadline
	if d == nil || d.Original != "2020-11-15" || d.InForce != "2020-11-25" || len(d.Amendments) != 1 || d.Amendments[0].Agreed != "2020-11-15" {
		t.Errorf("6a deadline %+v", d)
	}
	if r := rows["6a"]; r.URL != "/api/provisions/nk-2020-11-10/6a" || r.Page != "/provisions/nk-2020-11-10/6a" {
		t.Errorf("6a links %q %q", r.URL, r.Page)
	}
	// The peacekeepers clear mines in the Lachin corridor: a step towards point 3.
	if r := rows["3"]; r.Status != agreement.InProgress || r.LastEvidence == nil || r.LastEvidence.Sentence != storetest.EvDemining {
		t.Errorf("peacekeepers: %+v", r)
	}
	// Before the deadline was moved, it was 15 November.
	b = decode[boardResponse](t, do(t, fx.h, "GET", "/api/agreements/nk-2020-11-10?as_of=2020-11-14"))
	for _, r := range b.Provisions {
		if r.ID == "6a" && (r.Deadline.InForce != "2020-11-15" || r.LastEvidence != nil) {
			t.Errorf("6a as of 2020-11-14: %+v", r)
		}
	}
	// The sitrep renders as Markdown and as printable HTML.
	md := do(t, fx.h, "GET", "/api/sitrep?from=2020-11-26&format=md")
	if md.Code != 200 || !strings.HasPrefix(md.Header().Get("Content-Type"), "text/markdown") || !strings.Contains(md.Body.String(), "# Situation report, 26 November 2020") {
		t.Errorf("md: %d %s\n%s", md.Code, md.Header().Get("Content-Type"), md.Body)
	}
	html := do(t, fx.h, "GET", "/api/sitrep?from=2020-11-26&to=2020-11-27&format=html")
	if html.Code != 200 || !strings.HasPrefix(html.Header().Get("Content-Type"), "text/html") || !strings.Contains(html.Body.String(), "@media print") ||
		!strings.Contains(html.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("html: %d %v", html.Code, html.Header())
	}
	// No agreements loaded: an empty list, and every agreement is unknown.
	empty := newFixture(t, Options{})
	if l := decode[agreementsResponse](t, do(t, empty.h, "GET", "/api/agreements")); len(l.Agreements) != 0 || l.AsOf == "" {
		t.Errorf("no agreements: %+v", l)
	}
	if rec := do(t, empty.h, "GET", "/api/agreements/nk-2020-11-10"); rec.Code != 404 || !strings.Contains(rec.Body.String(), "no agreements are loaded") {
		t.Errorf("no agreements: %d %s", rec.Code, rec.Body)
	}
}

// TestProvisionLinks links an event by hand, sees it on the provision, and removes it.
func TestProvisionLinks(t *testing.T) {
	fx := newFixture(t, withAgreements(t, Options{}))
	fx.h = withToken(fx.h, addUser(t, fx.st, "ana", store.RoleAnalyst))
	const links = "/api/provisions/nk-2020-11-10/8/links"
	const json = "application/json"
	// Event 5 is the release of 44 prisoners of war (ReportB).
	rec := send(t, fx.h, "POST", links, json, `{"event_id": 5, "relation": "implements", "note": "the first exchange"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("link: %d %s", rec.Code, rec.Body)
	}
	got := decode[linkResponse](t, rec)
	if got.Link.Provision != "nk-2020-11-10/8" || got.Link.EventID != 5 || got.Link.Role != store.LinkImplements || got.Replaced {
		t.Errorf("link %+v", got)
	}
	if loc := rec.Header().Get("Location"); loc != links+"/5" {
		t.Errorf("Location %q", loc)
	}
	p := decode[provisionResponse](t, do(t, fx.h, "GET", "/api/provisions/nk-2020-11-10/8?as_of=2020-12-31"))
	if p.Status != agreement.Implemented || len(p.Links) != 1 || p.Links[0].Note != "the first exchange" {
		t.Fatalf("after the link: %s, links %+v", p.Status, p.Links)
	}
	last := p.Timeline[len(p.Timeline)-1]
	if len(last.Evidence) != 1 || !last.Evidence[0].Manual || last.Evidence[0].Sentence != storetest.EvPrisoners {
		t.Errorf("the change to implemented cites %+v", last.Evidence)
	}
	// Linking again replaces the relation.
	rec = send(t, fx.h, "POST", links, json+"; charset=utf-8", `{"event_id": 5, "relation": "progress"}`)
	if rec.Code != http.StatusOK || !decode[linkResponse](t, rec).Replaced {
		t.Errorf("relink: %d %s", rec.Code, rec.Body)
	}
	if p := decode[provisionResponse](t, do(t, fx.h, "GET", "/api/provisions/nk-2020-11-10/8?as_of=2020-12-31")); p.Status != agreement.InProgress {
		t.Errorf("after the relink: %s", p.Status)
	}
	if rec := do(t, fx.h, "DELETE", links+"/5"); rec.Code != http.StatusNoContent {
		t.Errorf("unlink: %d %s", rec.Code, rec.Body)
	}
	if rec := do(t, fx.h, "DELETE", links+"/5"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "is not linked to nk-2020-11-10/8 by hand") {
		t.Errorf("unlink twice: %d %s", rec.Code, rec.Body)
	}
	if p := decode[provisionResponse](t, do(t, fx.h, "GET", "/api/provisions/nk-2020-11-10/8?as_of=2020-12-31")); len(p.Links) != 0 {
		t.Errorf("after the unlink: links %+v", p.Links)
	}
	// A page of another site may not write, even to a server that allows writes.
	rec = send(t, fx.h, "POST", links, json, `{"event_id": 5, "relation": "implements"}`, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "cross-origin") {
		t.Errorf("cross-site write: %d %s", rec.Code, rec.Body)
	}
}

// TestAgreementErrors checks the 400, 403, 404, 413 and 415 answers.
func TestAgreementErrors(t *testing.T) {
	ro := newFixture(t, withAgreements(t, Options{}))
	rw := newFixture(t, withAgreements(t, Options{}))
	viewer := withToken(rw.h, addUser(t, rw.st, "vic", store.RoleViewer))
	rw.h = withToken(rw.h, addUser(t, rw.st, "ana", store.RoleAnalyst))
	const links = "/api/provisions/nk-2020-11-10/6a/links"
	tests := []struct {
		name         string
		h            http.Handler
		method, path string
		ct, body     string
		status       int
		want         string
	}{
		{"as_of", ro.h, "GET", "/api/agreements?as_of=2020-13-01", "", "", 400, `parameter "as_of": want a date YYYY-MM-DD`},
		{"board as_of", ro.h, "GET", "/api/agreements/nk-2020-11-10?as_of=yesterday", "", "", 400, `parameter "as_of"`},
		{"board param", ro.h, "GET", "/api/agreements/nk-2020-11-10?asof=2020-01-01", "", "", 400, `parameter "asof": unknown parameter`},
		{"no agreement", ro.h, "GET", "/api/agreements/nk-1999", "", "", 404, `no agreement "nk-1999"; the agreements are nk-2020-11-10, nk-2021-01-11`},
		{"no provision", ro.h, "GET", "/api/provisions/nk-2020-11-10/42", "", "", 404, `agreement nk-2020-11-10 has no provision "42"; its provisions are 1, 1b, 2`},
		{"provision of no agreement", ro.h, "GET", "/api/provisions/nk-1999/1", "", "", 404, `no agreement "nk-1999"`},
		{"sitrep without from", ro.h, "GET", "/api/sitrep", "", "", 400, `parameter "from": required`},
		{"sitrep bad to", ro.h, "GET", "/api/sitrep?from=2020-11-26&to=2020-11-31", "", "", 400, `parameter "to": want a date`},
		{"sitrep reversed", ro.h, "GET", "/api/sitrep?from=2020-11-27&to=2020-11-26", "", "", 400, `parameter "from": 2020-11-27 is after to=2020-11-26`},
		{"sitrep too long", ro.h, "GET", "/api/sitrep?from=2020-01-01&to=2021-06-01", "", "", 400, `parameter "to": the report covers 518 days; at most 366`},
		{"sitrep area", ro.h, "GET", "/api/sitrep?from=2020-11-26&area=atlantis", "", "", 400, `parameter "area": "atlantis" is not a gazetteer place id`},
		{"sitrep format", ro.h, "GET", "/api/sitrep?from=2020-11-26&format=pdf", "", "", 400, `parameter "format": want one of json, md, html, got "pdf"`},
		{"anonymous link", ro.h, "POST", links, "application/json", `{"event_id": 1, "relation": "implements"}`, 401, "log in as analyst or admin"},
		{"anonymous unlink", ro.h, "DELETE", links + "/1", "", "", 401, "log in as analyst or admin"},
		{"viewer link", viewer, "POST", links, "application/json", `{"event_id": 1, "relation": "implements"}`, 403, `user "vic" has the role viewer; this needs analyst or above`},
		{"viewer unlink", viewer, "DELETE", links + "/1", "", "", 403, `user "vic" has the role viewer`},
		{"link no provision", rw.h, "POST", "/api/provisions/nk-2020-11-10/42/links", "application/json", `{"event_id": 1, "relation": "implements"}`, 404, `has no provision "42"`},
		{"link not JSON", rw.h, "POST", links, "application/x-www-form-urlencoded", `event_id=1`, 415, `send the link as application/json`},
		{"link no content type", rw.h, "POST", links, "", `{"event_id": 1, "relation": "implements"}`, 415, `Content-Type ""`},
		{"link empty", rw.h, "POST", links, "application/json", ``, 400, `request body: empty`},
		{"link bad JSON", rw.h, "POST", links, "application/json", `{"event_id": 1,`, 400, `request body: not a JSON object`},
		{"link two values", rw.h, "POST", links, "application/json", `{"event_id": 1, "relation": "implements"} {}`, 400, `more than one JSON value`},
		{"link unknown field", rw.h, "POST", links, "application/json", `{"event": 1, "relation": "implements"}`, 400, `unknown field "event"; the fields are event_id, relation and note`},
		{"link event string", rw.h, "POST", links, "application/json", `{"event_id": "1", "relation": "implements"}`, 400, `field "event_id": want int64, got string`},
		{"link no event", rw.h, "POST", links, "application/json", `{"relation": "implements"}`, 400, `field "event_id": want the positive id of a stored event`},
		{"link unknown event", rw.h, "POST", links, "application/json", `{"event_id": 999999, "relation": "implements"}`, 400, `field "event_id": there is no event 999999`},
		{"link no relation", rw.h, "POST", links, "application/json", `{"event_id": 1}`, 400, `field "relation": want one of implements, progress, violates, disputes, got ""`},
		{"link bad relation", rw.h, "POST", links, "application/json", `{"event_id": 1, "relation": "breaks"}`, 400, `got "breaks"`},
		{"link long note", rw.h, "POST", links, "application/json", `{"event_id": 1, "relation": "implements", "note": "` + strings.Repeat("x", 1001) + `"}`, 400, `field "note": longer than 1000 bytes`},
		{"link control note", rw.h, "POST", links, "application/json", `{"event_id": 1, "relation": "implements", "note": "a\u0000b"}`, 400, `field "note": contains control characters`},
		{"link huge body", rw.h, "POST", links, "application/json", `{"note": "` + strings.Repeat("x", 20000) + `"}`, 413, `larger than 16384 bytes`},
		{"link query", rw.h, "POST", links + "?event_id=1", "application/json", `{"event_id": 1, "relation": "implements"}`, 400, `parameter "event_id": unknown parameter`},
		{"unlink bad id", rw.h, "DELETE", links + "/abc", "", "", 400, `parameter "event_id": want a positive integer id`},
		{"unlink not linked", rw.h, "DELETE", links + "/1", "", "", 404, "event 1 is not linked to nk-2020-11-10/6a by hand"},
		{"GET links", rw.h, "GET", links, "", "", 405, "method GET is not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := send(t, tc.h, tc.method, tc.path, tc.ct, tc.body)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if msg := decode[map[string]string](t, rec)["error"]; !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
		})
	}
}
