package web_test

import (
	"context"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/web"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// eventID returns the id of the stored event whose evidence contains s.
func eventID(t *testing.T, st store.Store, s string) int64 {
	t.Helper()
	pg, err := st.Events(context.Background(), store.EventFilter{NoLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pg.Events {
		if strings.Contains(e.Evidence.Text, s) {
			return e.ID
		}
	}
	t.Fatalf("no event with evidence %q", s)
	return 0
}

func TestPages(t *testing.T) {
	xs := fixtures(t)
	srv, st := newServer(t, xs, web.Options{})
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"<title>Map · truce</title>", `id="map"`, `id="timeline"`, "Stepanakert / Khankendi", "/api/map.geojson?"}},
		{"/?type=RETREAT", 200, []string{`<option value="RETREAT" selected>`, "type=RETREAT"}},
		{"/?from=2020-13-45", 400, []string{"not a YYYY-MM-DD date"}},
		{"/indicators", 200, []string{"demining.area_cleared", "<svg", "/reports/"}},
		{"/search?q=Sotk", 200, []string{`<mark class="hit">Sotk</mark>`}},
		{"/search", 200, []string{"Search the evidence"}},
		{"/events/999999", 404, []string{"does not exist"}},
		{"/events/abc", 404, nil},
		{"/reports/999999", 404, nil},
		{"/nowhere", 404, nil},
		{"/assets/vendor/leaflet/leaflet.js", 200, nil},
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
	}

	// The event page marks the evidence, escaped, inside the report text.
	ev := seedEvent(t, xs, func(e truce.Event) bool { return e.Place != nil && strings.Contains(e.Place.ID, "sotk") })
	code, body := get(t, srv.URL+"/events/"+itoa(eventID(t, st, ev.Evidence.Text)))
	if code != 200 {
		t.Fatalf("event page: %d", code)
	}
	want := `<mark class="current" title="evidence of this event">` + template.HTMLEscapeString(ev.Evidence.Text) + `</mark>`
	if !strings.Contains(body, want) {
		t.Errorf("event page lacks the marked evidence %q", want)
	}
}

func TestEscaping(t *testing.T) {
	xs := fixtures(t)
	srv, st := newServer(t, xs, web.Options{})
	id := eventID(t, st, "window.__pwned")
	for _, p := range []string{"/", "/events/" + itoa(id), "/search?q=comment", "/reports/" + reportOf(t, st, id)} {
		_, body := get(t, srv.URL+p)
		if strings.Contains(body, xssPayload) || strings.Contains(body, "<b>bold</b>") || strings.Contains(body, "<b>of</b>") || strings.Contains(body, "<i>Wire</i>") {
			t.Errorf("%s: markup from a report reached the page unescaped", p)
		}
		if regexp.MustCompile(`href="javascript:`).MatchString(body) {
			t.Errorf("%s: javascript: URL became a link", p)
		}
		if p != "/" && !strings.Contains(html.UnescapeString(body), xssPayload) {
			t.Errorf("%s: the payload is not shown as text", p)
		}
	}
}

func TestPlaceNameHook(t *testing.T) {
	xs := fixtures(t)
	names := map[string]string{"stepanakert": "Khankendi", "sotk": "Zod"}
	srv, st := newServer(t, xs, web.Options{Convention: "azerbaijani", PlaceName: func(id, fb string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return fb
	}})
	_, body := get(t, srv.URL+"/")
	if !strings.Contains(body, `<span class="place">· Khankendi</span>`) || strings.Contains(body, `<span class="place">· Stepanakert / Khankendi</span>`) {
		t.Error("the map page does not use the PlaceName hook")
	}
	if !strings.Contains(body, "Place names: azerbaijani") {
		t.Error("the convention is not shown")
	}
	// The event page names the place in the convention, and quotes the
	// source's own words for it.
	ev := seedEvent(t, xs, func(e truce.Event) bool { return e.Place != nil && e.Place.ID == "stepanakert" && e.Place.Name != "" })
	_, body = get(t, srv.URL+"/events/"+itoa(eventID(t, st, ev.Evidence.Text)))
	if !strings.Contains(body, "Khankendi") || !strings.Contains(body, "“"+ev.Place.Name+"” in the source") {
		t.Errorf("the event page does not show the convention's name next to the source's words (%q)", ev.Place.Name)
	}
}

// seedEvent is the first event of the seed's extraction (xs[0]) that ok accepts.
func seedEvent(t *testing.T, xs []*truce.Extraction, ok func(truce.Event) bool) truce.Event {
	t.Helper()
	for _, e := range xs[0].Events {
		if ok(e) {
			return e
		}
	}
	t.Fatal("the seed has no event the test needs")
	return truce.Event{}
}

func TestFilterFromQuery(t *testing.T) {
	q, _ := url.ParseQuery("type=retreat,aid&type=&mode=withdraw&country=aze&from=2020-11-01&q=mine+clearance&place=sotk")
	f := web.FilterFromQuery(q)
	if strings.Join(f.Types, ",") != "RETREAT,AID" || strings.Join(f.Modes, ",") != "withdraw" || f.Country != "AZE" ||
		f.From != "2020-11-01" || f.Query != "mine clearance" || f.Place != "sotk" {
		t.Errorf("FilterFromQuery = %+v", f)
	}
}

func reportOf(t *testing.T, st store.Store, id int64) string {
	e, err := st.Event(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return itoa(e.ReportID)
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// TestPlaceListFollowsTheStore checks that the map page's place and source
// lists, which are cached, show a report stored after the page was served.
func TestPlaceListFollowsTheStore(t *testing.T) {
	xs := fixtures(t)
	srv, st := newServer(t, xs[:1], web.Options{})
	if _, body := get(t, srv.URL+"/"); strings.Contains(body, "Cached Town") || strings.Contains(body, "Late Wire") {
		t.Fatal("the page names the place and source before they are stored")
	}
	x := &truce.Extraction{Report: truce.Report{Hash: "late", Title: "Late", Source: "Late Wire", Text: "Shots at Cached Town."},
		Events: []truce.Event{{Type: "ASSAULT", Evidence: truce.Span{Text: "Shots at Cached Town."},
			Place: &truce.Place{ID: "cached-town", Name: "Cached Town", Canonical: "Cached Town", Lat: 40.1, Lon: 46.1}}}}
	if _, _, err := st.SaveExtraction(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, srv.URL+"/"); !strings.Contains(body, "Cached Town") || !strings.Contains(body, "Late Wire") {
		t.Error("the page does not list the place and source of a report stored after it was served")
	}
}
