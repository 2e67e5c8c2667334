package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/source"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/web"
)

// xssPayload is article text that must be shown, never run.
const xssPayload = `<script>window.__pwned=1</script><b>bold</b>`

// fixtures are the reports the web tests store: the seed report as the real
// extractor codes it, a short made-up follow-up and an article carrying
// markup. Every expectation of the tests is derived from these extractions,
// never from counts the extractor happens to produce today.
func fixtures(t *testing.T) []*truce.Extraction {
	seed, later := seedExtraction(t), laterReport(t)
	// The follow-up's figures continue the seed's: same metric, same place,
	// wherever the extractor places the seed's figures.
	for i, in := range later.Indicators {
		for _, s := range seed.Indicators {
			if s.Metric == in.Metric {
				later.Indicators[i].Place = s.Place
				break
			}
		}
	}
	return []*truce.Extraction{seed, later, xssReport(t)}
}

// seedPath is the seed report, read by package source as truce ingest reads it.
var seedPath = filepath.Join("..", "testdata", "seed", "sotk-2020-11-27.txt")

// extractor is the extractor of the bundled data, built once for all tests.
var extractor = sync.OnceValues(func() (*extract.Extractor, error) { return extract.New(data.Bundled()) })

// seedExtraction is the real extraction of the seed report.
func seedExtraction(t *testing.T) *truce.Extraction {
	t.Helper()
	rs, err := source.ReadFile(context.Background(), seedPath, source.Options{})
	if err != nil {
		t.Fatalf("read the seed: %v", err)
	}
	if len(rs) != 1 {
		t.Fatalf("the seed reads as %d reports, want 1", len(rs))
	}
	x, err := extractor()
	if err != nil {
		t.Fatalf("extractor: %v", err)
	}
	return x.Extract(rs[0])
}

// span finds sentence in text as an evidence span.
func span(t *testing.T, text, sentence string) truce.Span {
	t.Helper()
	i := strings.Index(text, sentence)
	if i < 0 {
		t.Fatalf("fixture sentence not in the report: %q", sentence)
	}
	return truce.Span{Text: sentence, Start: i, End: i + len(sentence)}
}

func day(d string) *truce.When { return &truce.When{Start: d, End: d, Precision: truce.PrecisionDay} }

func fp(f float64) *float64 { return &f }

var (
	lachin  = &truce.Place{Name: "Lachin", Canonical: "Berdzor / Lachin", Country: "AZE", Lat: 39.6394, Lon: 46.5461, Precision: truce.PrecisionSettlement, ID: "lachin"}
	martuni = &truce.Place{Name: "Martuni", Canonical: "Martuni / Khojavend", Country: "AZE", Lat: 39.7953, Lon: 47.1108, Precision: truce.PrecisionSettlement, ID: "martuni"}
)

// laterReport is a short made-up follow-up report (a test fixture, not news)
// that gives the timeline a second week and the demining charts a second point.
func laterReport(t *testing.T) *truce.Extraction {
	text := "Engineering units of the Russian peacekeeping contingent have cleared 36 hectares of land and neutralized 1210 explosive objects in Nagorno-Karabakh, the Russian Defense Ministry said on December 3rd.\n\n" +
		"The Azerbaijani defence ministry accused Armenian units of firing near Lachin on December 2nd.\n"
	r := truce.Report{Title: "Fixture: demining update and an accusation near Lachin", Source: "Fixture Wire", URL: "https://example.org/fixture/demining-update",
		Published: "2020-12-03", Language: "en", Text: text}
	s1 := span(t, text, "Engineering units of the Russian peacekeeping contingent have cleared 36 hectares of land and neutralized 1210 explosive objects in Nagorno-Karabakh, the Russian Defense Ministry said on December 3rd.")
	s2 := span(t, text, "The Azerbaijani defence ministry accused Armenian units of firing near Lachin on December 2nd.")
	peace := &truce.Actor{Name: "Russian peacekeepers", Country: "RUS", Kind: "peacekeepers"}
	return &truce.Extraction{Report: r,
		Events: []truce.Event{
			{Type: "AID", Mode: "demining", Contexts: []string{"demining"}, Actor: peace, Date: day("2020-12-03"), Evidence: s1, Rule: "fixture.aid", Confidence: 0.7,
				Attribution: &truce.Attribution{Speaker: "Russian Defense Ministry", Verb: "said"}},
			{Type: "ACCUSE", Contexts: []string{"ceasefire"}, Actor: &truce.Actor{Name: "Azerbaijani defence ministry", Country: "AZE", Kind: "government"},
				Recipient: &truce.Actor{Name: "Armenian units", Country: "ARM", Kind: "armed_forces"}, Place: lachin, Date: day("2020-12-02"), Evidence: s2, Rule: "fixture.accuse", Confidence: 0.7},
		},
		Indicators: []truce.Indicator{
			{Metric: "demining.area_cleared", Value: fp(36), Unit: "ha", Scope: "cumulative", AsOf: "2020-12-03", Evidence: s1},
			{Metric: "demining.explosive_objects_neutralized", Value: fp(1210), Unit: "objects", Scope: "cumulative", AsOf: "2020-12-03", Evidence: s1},
		},
	}
}

// xssReport is an article whose title and text carry markup that must stay text.
func xssReport(t *testing.T) *truce.Extraction {
	text := "Residents of Martuni reported shelling overnight. A comment posted below the article read " + xssPayload + " and was quoted in full.\n"
	r := truce.Report{Title: "Quoted markup " + xssPayload, Source: "Fixture <i>Wire</i>", URL: "javascript:alert(1)", Published: "2020-11-29", Language: "en", Text: text}
	s := span(t, text, "A comment posted below the article read "+xssPayload+" and was quoted in full.")
	return &truce.Extraction{Report: r, Events: []truce.Event{{
		Type: "PROTEST", Mode: "demo", Actor: &truce.Actor{Name: "Residents <b>of</b> Martuni", Country: "ARM", Kind: "civilians"},
		Place: martuni, Date: day("2020-11-29"), Evidence: s, Rule: "fixture.protest", Confidence: 0.5,
	}}}
}

// openStore stores the fixtures in a fresh SQLite database.
func openStore(t *testing.T, xs []*truce.Extraction) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, x := range xs {
		if _, _, err := st.SaveExtraction(ctx, x); err != nil {
			t.Fatalf("save %q: %v", x.Report.Title, err)
		}
	}
	return st
}

// stack is the handler under test: the JSON API of package server (which
// serves /api/map.geojson for the map) with the web pages mounted at "/".
func stack(t *testing.T, st store.Store, h http.Handler) http.Handler {
	t.Helper()
	return server.New(st, server.Options{Web: h})
}

// newServer serves the fixtures through the whole stack.
func newServer(t *testing.T, xs []*truce.Extraction, opt web.Options) (*httptest.Server, store.Store) {
	t.Helper()
	st := openStore(t, xs)
	h, err := web.New(st, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(stack(t, st, h))
	t.Cleanup(srv.Close)
	return srv, st
}

// mapped lists the distinct places with coordinates of the events of xs
// (optionally only those of type typ), keyed by id, with their display names.
func mapped(xs []*truce.Extraction, typ string) map[string]string {
	out := map[string]string{}
	for _, x := range xs {
		for _, e := range x.Events {
			if e.Place == nil || (e.Place.Lat == 0 && e.Place.Lon == 0) || (typ != "" && e.Type != typ) {
				continue
			}
			key := e.Place.ID
			if key == "" {
				key = e.Place.Canonical
			}
			out[key] = e.Place.Canonical
		}
	}
	return out
}
