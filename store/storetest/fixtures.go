package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/truce-monitor/truce"
)

func f64(v float64) *float64 { return &v }

func hashOf(text string) string {
	s := sha256.Sum256([]byte(text))
	return hex.EncodeToString(s[:])
}

// Places used by the fixtures.
var (
	Sotk        = truce.Place{ID: "sotk", Name: "Sotk", Canonical: "Sotk / Zod", Country: "ARM", Lat: 40.2136, Lon: 45.8953, Precision: truce.PrecisionSettlement}
	Stepanakert = truce.Place{ID: "stepanakert", Name: "Khankendi", Canonical: "Stepanakert / Khankendi", Country: "AZE", Lat: 39.8153, Lon: 46.7519, Precision: truce.PrecisionSettlement}
	Lachin      = truce.Place{ID: "lachin", Name: "Lachin corridor", Canonical: "Berdzor / Lachin", Country: "AZE", Lat: 39.6406, Lon: 46.5472, Precision: truce.PrecisionDistrict}
	Martuni     = truce.Place{ID: "martuni", Name: "Martuni", Canonical: "Martuni / Khojavend", Country: "AZE", Lat: 39.7947, Lon: 47.1128, Precision: truce.PrecisionSettlement}
)

var (
	armForces   = &truce.Actor{Name: "Armenian armed forces", Country: "ARM", Kind: "armed_forces", ID: "arm.af"}
	azeForces   = &truce.Actor{Name: "Azerbaijani armed forces", Country: "AZE", Kind: "armed_forces", ID: "aze.af"}
	pashinyan   = &truce.Actor{Name: "Nikol Pashinyan", Country: "ARM", Kind: "official", Role: "Prime Minister"}
	putin       = &truce.Actor{Name: "Vladimir Putin", Country: "RUS", Kind: "official"}
	peacekeeper = &truce.Actor{Name: "Russian peacekeepers", Country: "RUS", Kind: "peacekeepers"}
	azeGov      = &truce.Actor{Name: "Government of Azerbaijan", Country: "AZE", Kind: "government"}
)

func place(p truce.Place) *truce.Place { return &p }

func day(d string) *truce.When {
	return &truce.When{Start: d, End: d, Precision: truce.PrecisionDay, Text: d}
}

func span(text string, start int) truce.Span {
	return truce.Span{Text: text, Start: start, End: start + len(text)}
}

// Evidence texts of the fixture events; tests identify events by them.
const (
	EvWithdrew  = "Armenian forces withdrew from the Sotk gold mine."
	EvFire      = "Azerbaijani soldiers opened fire near Khankendi."
	EvPhone     = "Pashinyan spoke by phone with Putin."
	EvDemining  = "Russian peacekeepers cleared mines in the Lachin corridor throughout December."
	EvPrisoners = "Azerbaijan released 44 prisoners of war."
)

// ReportA is an Armenian outlet's report with three events (one undated,
// without a place), a claim and an indicator.
func ReportA() *truce.Extraction {
	text := EvWithdrew + " " + EvFire + " " + EvPhone + " The ministry demanded an investigation."
	return &truce.Extraction{
		Report: truce.Report{Title: "Forces withdraw from Sotk", Source: "Armenpress", URL: "https://example.org/a",
			Published: "2020-11-27", Language: "en", Text: text, Hash: hashOf(text), Origin: "testdata/a.txt",
			SimHash: 0x0123_4567_89ab_cdef},
		Events: []truce.Event{
			{Type: "RETREAT", Mode: "withdraw", Contexts: []string{"military", "ceasefire"}, Actor: armForces,
				Place: place(Sotk), Date: day("2020-11-25"),
				Quantities:  []truce.Quantity{{Value: f64(80), Approx: true, Unit: "persons", Of: "soldiers", Text: "about 80", Start: 3, End: 11}},
				Attribution: &truce.Attribution{Speaker: "Ministry of Defence", Role: "ministry", Verb: "said", Country: "ARM"},
				Evidence:    span(EvWithdrew, 0), Modality: "asserted", Rule: "retreat.withdraw.from", Confidence: 0.9,
				Trigger: truce.Span{Text: "withdrew", Start: 16, End: 24}},
			{Type: "ASSAULT", Mode: "firearms", Contexts: []string{"military"}, Actor: azeForces, Recipient: armForces,
				Place: place(Stepanakert), Date: day("2020-11-26"), Evidence: span(EvFire, len(EvWithdrew)+1),
				Rule: "assault.open_fire", Confidence: 0.8},
			{Type: "CONSULT", Mode: "phone", Contexts: []string{"diplomatic"}, Actor: pashinyan, Recipient: putin,
				Evidence: span(EvPhone, len(EvWithdrew)+len(EvFire)+2), Rule: "consult.phone", Confidence: 0.7},
		},
		Claims: []truce.Claim{{Text: "The ministry demanded an investigation.", Kind: "demand",
			Attribution: &truce.Attribution{Speaker: "Ministry of Foreign Affairs", Verb: "demanded"},
			Evidence:    span("The ministry demanded an investigation.", len(text)-39), Rule: "claim.demand"}},
		Indicators: []truce.Indicator{{Metric: "demining.area_cleared", Value: f64(2), Unit: "ha", Scope: "increment",
			Place: place(Stepanakert), AsOf: "2020-11-26", Evidence: span(EvFire, 0)}},
	}
}

// ReportB is an Azerbaijani outlet's report with a month-long event and two indicators.
func ReportB() *truce.Extraction {
	text := EvDemining + " " + EvPrisoners
	return &truce.Extraction{
		Report: truce.Report{Title: "Demining continues", Source: "APA", URL: "https://example.org/b",
			Published: "2020-12-15", Language: "en", Text: text, Hash: hashOf(text), SimHash: 0x7777_0000_ffff_1111},
		Events: []truce.Event{
			{Type: "AID", Mode: "demining", Contexts: []string{"demining", "human_security"}, Actor: peacekeeper,
				Place: place(Lachin), Date: &truce.When{Start: "2020-12-01", End: "2020-12-31", Precision: truce.PrecisionMonth, Text: "throughout December"},
				Evidence: span(EvDemining, 0), Rule: "aid.demining", Confidence: 0.75},
			{Type: "RETREAT", Mode: "release", Contexts: []string{"prisoners"}, Actor: azeGov, Recipient: armForces,
				Date: day("2020-12-14"), Evidence: span(EvPrisoners, len(EvDemining)+1),
				Quantities: []truce.Quantity{{Value: f64(44), Unit: "persons", Of: "prisoners of war"}},
				Rule:       "retreat.release", Confidence: 0.85},
		},
		Indicators: []truce.Indicator{
			{Metric: "exchange.prisoners_returned", Value: f64(44), Unit: "persons", Scope: "increment", AsOf: "2020-12-14", Evidence: span(EvPrisoners, 0)},
			{Metric: "demining.area_cleared", Min: f64(4), Max: f64(6), Approx: true, Unit: "ha", Scope: "increment",
				Place: place(Lachin), AsOf: "2020-12-10", Evidence: span(EvDemining, 0)},
		},
	}
}

// ShellingCount is the number of events of ReportC.
const ShellingCount = 25

// ReportC is a long report of ShellingCount shelling events at Martuni over
// January 2021, several on the same day, for paging.
func ReportC() *truce.Extraction {
	x := &truce.Extraction{Report: truce.Report{Title: "Shelling log", Source: "Armenpress", URL: "https://example.org/c",
		Published: "2021-02-01", Language: "en", SimHash: 0x1234_1234_1234_1234}}
	for i := range ShellingCount {
		ev := fmt.Sprintf("Shelling number %d was reported near Martuni.", i)
		x.Report.Text += ev + " "
		x.Events = append(x.Events, truce.Event{Type: "ASSAULT", Mode: "heavy-weapons", Contexts: []string{"military"},
			Actor: azeForces, Place: place(Martuni), Date: day(fmt.Sprintf("2021-01-%02d", 1+(i*7)%10)),
			Evidence: span(ev, 0), Rule: "assault.shelling", Confidence: 0.6})
	}
	x.Report.Hash = hashOf(x.Report.Text)
	return x
}

// BigReport is a report with n events, to see a save interrupted half-way.
func BigReport(n int) *truce.Extraction {
	x := &truce.Extraction{Report: truce.Report{Title: "Big", Source: "Bulk", Published: "2021-03-01"}}
	for i := range n {
		ev := fmt.Sprintf("Bulk event %d near Martuni.", i)
		x.Report.Text += ev + " "
		x.Events = append(x.Events, truce.Event{Type: "PROTEST", Mode: "demo", Place: place(Martuni),
			Date: day("2021-03-01"), Evidence: span(ev, 0), Rule: "bulk"})
		x.Claims = append(x.Claims, truce.Claim{Text: ev, Evidence: span(ev, 0)})
	}
	x.Report.Hash = hashOf(x.Report.Text)
	return x
}
