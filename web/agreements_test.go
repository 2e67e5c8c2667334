package web_test

import (
	"context"
	"html"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/web"
)

// monitor serves xs through the whole stack with the bundled agreements and
// gazetteer, as truce serve does.
func monitor(t *testing.T, xs []*truce.Extraction) (*httptest.Server, store.Store) {
	t.Helper()
	s, err := agreement.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, xs)
	names := func(id, fb string) string {
		if n := g.Get(id).Name(gazetteer.Both); n != "" {
			return n
		}
		return fb
	}
	h, err := web.New(st, web.Options{Agreements: s, Gazetteer: g, PlaceName: names})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, server.Options{Web: h, Agreements: s, Gazetteer: g}))
	t.Cleanup(srv.Close)
	return srv, st
}

func TestAgreementPages(t *testing.T) {
	xs := fixtures(t)
	srv, st := monitor(t, xs)
	kalbajar := eventID(t, st, "withdraw from Karvachar")
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/agreements", 200, []string{"<title>Agreements · truce</title>", `href="/agreements/nk-2020-11-10`, "Trilateral statement of 10 November 2020", `aria-current="page">Agreements`}},
		{"/agreements?as_of=2020-11-27", 200, []string{`value="2020-11-27"`}},
		{"/agreements?as_of=someday", 400, []string{"is not a YYYY-MM-DD date"}},
		{"/agreements/nk-2020-11-10?as_of=2020-11-27", 200, []string{`data-ref="nk-2020-11-10/6a" data-status="implemented"`,
			`<del>15 Nov</del> <span aria-label="moved to">→</span> <strong>25 Nov 2020</strong>`, "/events/" + itoa(kalbajar) + "#evidence",
			`href="/provisions/nk-2020-11-10/6a?as_of=2020-11-27"`}},
		{"/agreements/nk-2020-11-10?as_of=2020-11-14", 200, []string{`<strong>15 Nov</strong> <span aria-label="moved to">→</span> <span class="later">25 Nov 2020</span>`}},
		{"/agreements/nk-1999", 404, []string{"There is no agreement"}},
		{"/provisions/nk-2020-11-10/6a?as_of=2020-11-27", 200, []string{"Return of Kalbajar district", "Kalbajar / Karvachar", "ten more days for the evacuation of civilians",
			`class="status st-implemented"`, "/events/" + itoa(kalbajar) + "#evidence", "overdue"}},
		{"/provisions/nk-2020-11-10/99", 404, []string{"has no provision"}},
		{"/provisions/nk-1999/1", 404, []string{"There is no agreement"}},
		{"/sitrep", 200, []string{"Choose a period", `aria-current="page">Sitrep`}},
		{"/sitrep?from=2020-11-26&to=2020-11-27", 200, []string{"Situation report, 26 November 2020 to 27 November 2020", "note-border", "at the border",
			`format=md`, `<a href="/provisions/nk-2020-11-10/6a">nk-2020-11-10/6a</a>`}},
		{"/sitrep?from=2020-11-27&to=2020-11-26", 400, []string{"To is before From."}},
		{"/sitrep?from=27.11.2020", 400, []string{"is not a YYYY-MM-DD date"}},
		{"/sitrep?from=2020-11-26&area=atlantis", 400, []string{"is not a known place"}},
		{"/sitrep?from=2020-11-26&area=kalbajar-district", 200, []string{"Kalbajar / Karvachar", `value="kalbajar-district" selected`}},
	} {
		code, body := get(t, srv.URL+tc.path)
		if code != tc.status {
			t.Errorf("GET %s: status %d, want %d", tc.path, code, tc.status)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", tc.path, w)
			}
		}
		if strings.Contains(body, "<script>") && !strings.Contains(body, `<script src="/assets/`) {
			t.Errorf("GET %s: an inline script", tc.path)
		}
	}
}

// TestAgreementEscaping links the article carrying markup to a provision and
// checks that the board, the provision page and the sitrep show it as text.
func TestAgreementEscaping(t *testing.T) {
	xs := fixtures(t)
	srv, st := monitor(t, xs)
	id := eventID(t, st, "window.__pwned")
	if _, err := st.LinkEvent(context.Background(), store.ProvisionLink{Provision: "nk-2020-11-10/7", EventID: id, Role: store.LinkProgress, Note: "<img src=x onerror=alert(1)>"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/agreements/nk-2020-11-10?as_of=2020-12-31", "/provisions/nk-2020-11-10/7?as_of=2020-12-31", "/sitrep?from=2020-11-29"} {
		_, body := get(t, srv.URL+p)
		if strings.Contains(body, xssPayload) || strings.Contains(body, "<b>bold</b>") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<i>Wire</i>") {
			t.Errorf("%s: markup from a report reached the page unescaped", p)
		}
		if !strings.Contains(html.UnescapeString(body), "<script>window.__pwned=1</script>") {
			t.Errorf("%s: the payload is not shown as text", p)
		}
	}
}
