package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/web"
)

// xssPayload is article text that must be shown, never run.
const xssPayload = `<script>window.__pwned=1</script><b>bold</b>`

// fixtures are the reports the web tests store. The first is the seed report;
// when the extractor exists, replace handSeedExtraction(t) by seedExtraction(t):
// every expectation of the tests is derived from these extractions.
func fixtures(t *testing.T) []*truce.Extraction {
	return []*truce.Extraction{handSeedExtraction(t), laterReport(t), xssReport(t)}
}

// readReport reads a text report with its `key: value` header ended by "---".
func readReport(t *testing.T, path string) truce.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, text, ok := strings.Cut(string(b), "\n---\n")
	if !ok {
		t.Fatalf("%s: no header", path)
	}
	r := truce.Report{Text: text, Origin: path}
	for _, l := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(l, ":")
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "title":
			r.Title = v
		case "source":
			r.Source = v
		case "url":
			r.URL = v
		case "published":
			r.Published = v
		case "language":
			r.Language = v
		}
	}
	return r
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
	sotk        = &truce.Place{Name: "Sotk", Canonical: "Sotk / Zod", Country: "ARM", Lat: 40.2131, Lon: 45.987, Precision: truce.PrecisionSettlement, ID: "sotk"}
	karvachar   = &truce.Place{Name: "Karvachar", Canonical: "Karvachar / Kalbajar", Country: "AZE", Lat: 40.1053, Lon: 46.0386, Precision: truce.PrecisionSettlement, ID: "kalbajar"}
	stepanakert = &truce.Place{Name: "Stepanakert", Canonical: "Stepanakert / Khankendi", Country: "AZE", Lat: 39.8153, Lon: 46.7519, Precision: truce.PrecisionSettlement, ID: "stepanakert"}
	lachin      = &truce.Place{Name: "Lachin", Canonical: "Berdzor / Lachin", Country: "AZE", Lat: 39.6394, Lon: 46.5461, Precision: truce.PrecisionSettlement, ID: "lachin"}
	martuni     = &truce.Place{Name: "Martuni", Canonical: "Martuni / Khojavend", Country: "AZE", Lat: 39.7953, Lon: 47.1108, Precision: truce.PrecisionSettlement, ID: "martuni"}
)

// handSeedExtraction is a hand-coded extraction of testdata/seed/sotk-2020-11-27.txt.
func handSeedExtraction(t *testing.T) *truce.Extraction {
	r := readReport(t, filepath.Join("..", "testdata", "seed", "sotk-2020-11-27.txt"))
	azForces := &truce.Actor{Name: "Azerbaijani Armed Forces", Country: "AZE", Kind: "armed_forces"}
	amForces := &truce.Actor{Name: "Armenian armed forces", Country: "ARM", Kind: "armed_forces"}
	pashinyan := &truce.Actor{Name: "Nikol Pashinyan", Country: "ARM", Kind: "official", Role: "Prime Minister"}
	ev := func(typ, mode string, a, rcp *truce.Actor, p *truce.Place, w *truce.When, sentence string, ctx ...string) truce.Event {
		return truce.Event{Type: typ, Mode: mode, Contexts: ctx, Actor: a, Recipient: rcp, Place: p, Date: w,
			Evidence: span(t, r.Text, sentence), Modality: "asserted", Rule: "fixture." + strings.ToLower(typ), Confidence: 0.8}
	}
	x := &truce.Extraction{Report: r}
	x.Events = []truce.Event{
		ev("RETREAT", "withdraw", azForces, nil, sotk, day("2020-11-27"),
			"On November 27th, the Azerbaijani Armed Forces left the area of the Armenian Sotk gold mine in Nagorno-Karabakh.", "military", "border"),
		ev("RETREAT", "withdraw", &truce.Actor{Name: "Azerbaijani military", Country: "AZE", Kind: "armed_forces"}, nil, sotk, day("2020-11-27"),
			"Head of Sotk Hakob Avetyan said that the Azerbaijani military left the territory of the mine, which resumed work.", "military"),
		ev("MOBILIZE", "troops", &truce.Actor{Name: "military of Azerbaijan", Country: "AZE", Kind: "armed_forces"}, nil, sotk, day("2020-11-26"),
			"The Deputy of Parliament of Armenia, Babayan said that about 80 military of Azerbaijan entered the territory of the field.", "military", "border"),
		ev("RETREAT", "withdraw", amForces, nil, karvachar, nil,
			"“by agreement, the Armenian armed forces had to withdraw from Karvachar, which was done”", "territory"),
		ev("CONSULT", "phone", pashinyan, &truce.Actor{Name: "Vladimir Putin", Country: "RUS", Kind: "official", Role: "President"}, nil,
			&truce.When{Start: "2020-11-26", End: "2020-11-27", Precision: truce.PrecisionDay},
			"Armenian Prime Minister Nikol Pashinyan spoke over the phone with Russian President Vladimir Putin twice in the late hours of November 26th, and early hours of November 27th.", "diplomatic"),
		ev("CONSULT", "meet", pashinyan, &truce.Actor{Name: "relatives of captured servicemen", Country: "ARM", Kind: "civilians"}, nil, day("2020-11-26"),
			"On November 26th, Prime Minister Nikol Pashinyan met with the relatives of captured, missing servicemen and civilians, press secretary of the Prime Minister Mane Gevorgyan said.", "prisoners", "missing_persons"),
		ev("AID", "demining", &truce.Actor{Name: "Russian peacekeepers", Country: "RUS", Kind: "peacekeepers"}, nil, nil, day("2020-11-27"),
			"Military personnel of the International Anti- Mine Center of the Russian Defense Ministry continue to work on engineering reconnaissance and mine clearance in the area of responsibility of the Russian Peacekeeping Forces in Nagorno-Karabakh.", "demining"),
		ev("AID", "reconstruction", &truce.Actor{Name: "Russian peacekeepers", Country: "RUS", Kind: "peacekeepers"}, nil, stepanakert, day("2020-11-27"),
			"Peaceful life is being restored in the capital of Nagorno-Karabakh, Stepanakert, with the assistance of Russian peacekeepers.", "infrastructure"),
	}
	x.Events[1].Attribution = &truce.Attribution{Speaker: "Hakob Avetyan", Role: "Head of Sotk", Verb: "said"}
	x.Events[2].Attribution = &truce.Attribution{Speaker: "Babayan", Role: "Deputy of Parliament of Armenia", Verb: "said"}
	x.Events[2].Quantities = []truce.Quantity{{Value: fp(80), Approx: true, Unit: "persons", Of: "soldiers", Text: "about 80"}}
	total := "In total, during the peacekeeping operation in Nagorno-Karabakh, engineering units cleared more than two hectares of land and about three kilometers of roads, and found and neutralized 144 explosive objects."
	ind := func(metric string, v *float64, lo *float64, unit string, p *truce.Place, sentence string) truce.Indicator {
		return truce.Indicator{Metric: metric, Value: v, Min: lo, Unit: unit, Scope: "cumulative", Place: p, AsOf: "2020-11-27", Evidence: span(t, r.Text, sentence)}
	}
	x.Indicators = []truce.Indicator{
		ind("demining.area_cleared", nil, fp(2), "ha", nil, total),
		ind("demining.road_cleared", fp(3), nil, "km", nil, total),
		ind("demining.explosive_objects_neutralized", fp(144), nil, "objects", nil, total),
		{Metric: "utilities.electricity_restored", Min: fp(95), Max: fp(97), Unit: "%", Scope: "level", Place: stepanakert, AsOf: "2020-11-27",
			Evidence: span(t, r.Text, "To date, electricity and gas supply to the city has been restored by 95-97 percent.")},
	}
	x.Claims = []truce.Claim{{Text: "there is no final solution to the problem", Kind: "assessment",
		Attribution: &truce.Attribution{Speaker: "Hakob Avetyan", Role: "Head of Sotk", Verb: "according to"},
		Evidence:    span(t, r.Text, "According to him, at the moment there is no final solution to the problem.")}}
	return x
}

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
// serves /api/events.geojson for the map) with the web pages mounted at "/".
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
			out[e.Place.ID] = e.Place.Canonical
		}
	}
	return out
}
