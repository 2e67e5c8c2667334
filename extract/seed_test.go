package extract_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/source"
)

// seedExtraction extracts the seed report of testdata/seed.
func seedExtraction(t *testing.T) *truce.Extraction {
	t.Helper()
	rs, err := source.ReadFile(context.Background(), "../testdata/seed/sotk-2020-11-27.txt", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("seed: %d reports, want 1", len(rs))
	}
	return newExtractor(t).Extract(rs[0])
}

// eventWant describes an event the seed must yield.
type eventWant struct {
	name     string
	types    []string
	country  string // actor country
	place    string // substring of the place id
	date     string // start date, "" = any
	speaker  string // substring of the attribution's speaker, "" = any
	mode     string
	contexts []string
	evidence string // substring of the evidence
}

func (w eventWant) matches(e truce.Event) bool {
	if !slices.Contains(w.types, e.Type) || e.Negated {
		return false
	}
	if w.country != "" && (e.Actor == nil || e.Actor.Country != w.country) {
		return false
	}
	if w.place != "" && (e.Place == nil || !strings.Contains(e.Place.ID, w.place)) {
		return false
	}
	if w.date != "" && (e.Date == nil || e.Date.Start != w.date) {
		return false
	}
	if w.speaker != "" && (e.Attribution == nil || !strings.Contains(e.Attribution.Speaker, w.speaker)) {
		return false
	}
	if w.mode != "" && e.Mode != w.mode {
		return false
	}
	for _, c := range w.contexts {
		if !slices.Contains(e.Contexts, c) {
			return false
		}
	}
	if w.evidence != "" && !strings.Contains(e.Evidence.Text, w.evidence) && !restatedIn(e, w.evidence) {
		return false
	}
	return true
}

func restatedIn(e truce.Event, s string) bool {
	for _, r := range e.Restated {
		if strings.Contains(r.Text, s) {
			return true
		}
	}
	return false
}

func TestSeedEvents(t *testing.T) {
	x := seedExtraction(t)
	wants := []eventWant{
		{name: "soldiers enter the mine area", types: []string{"MOBILIZE", "COERCE"}, country: "AZE", place: "sotk", date: "2020-11-26", speaker: "Babayan", evidence: "about 80 military"},
		{name: "an hour to leave", types: []string{"THREATEN", "COERCE"}, place: "sotk", date: "2020-11-26", evidence: "an hour to leave"},
		{name: "forces leave the mine", types: []string{"RETREAT"}, country: "AZE", place: "sotk", date: "2020-11-27"},
		{name: "demand Sotk be handed to Baku", types: []string{"REQUEST"}, place: "sotk", evidence: "should be handed over"},
		{name: "withdrawal from Karvachar", types: []string{"RETREAT"}, country: "ARM", place: "kalbajar", speaker: "Khachatryan"},
		{name: "first call", types: []string{"CONSULT"}, country: "ARM", date: "2020-11-26", mode: "phone", contexts: []string{"transport", "missing_persons", "prisoners", "peacekeeping"}},
		{name: "second call", types: []string{"CONSULT"}, country: "ARM", date: "2020-11-27", mode: "phone", contexts: []string{"transport", "missing_persons", "prisoners", "peacekeeping"}},
		{name: "meeting with relatives", types: []string{"CONSULT"}, country: "ARM", date: "2020-11-26", speaker: "Gevorgyan", evidence: "met with the relatives"},
		{name: "agreement to meet regularly", types: []string{"AGREE"}, date: "2020-11-26", evidence: "agreed to maintain"},
		{name: "demining", types: []string{"AID"}, country: "RUS", mode: "demining", place: "karabakh"},
		{name: "schools surveyed", types: []string{"AID"}, evidence: "two schools"},
		{name: "power substation", types: []string{"AID"}, place: "stepanakert", evidence: "substation"},
	}
	for _, w := range wants {
		found := false
		for _, e := range x.Events {
			if w.matches(e) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("seed: no event for %q", w.name)
		}
	}
	for _, e := range x.Events {
		if e.Type == "RETREAT" && strings.Contains(e.Evidence.Text, "should be handed over") {
			t.Errorf("seed: the demand to hand over Sotk was coded as a transfer: %+v", e)
		}
		for _, bg := range []string{"130 tons", "operated by a Russian company", "Support SouthFront", "Click to see"} {
			if strings.Contains(e.Evidence.Text, bg) {
				t.Errorf("seed: background or boilerplate coded as an event: %q", e.Evidence.Text)
			}
		}
	}
	requests := 0
	for _, c := range x.Claims {
		if c.Kind == "demand" && strings.Contains(c.Text, "should be handed over") {
			requests++
		}
	}
	if requests == 0 {
		t.Errorf("seed: the soldiers' demand is not a claim")
	}
}

func TestSeedIndicators(t *testing.T) {
	x := seedExtraction(t)
	tests := []struct {
		metric        string
		value, lo, hi float64 // 0 = unchecked
		approx        bool
	}{
		{metric: "demining.area_cleared", lo: 2},
		{metric: "demining.road_cleared", value: 3, approx: true},
		{metric: "demining.explosive_objects_neutralized", value: 144},
		{metric: "utilities.electricity_restored", lo: 95, hi: 97},
		{metric: "utilities.gas_restored", lo: 95, hi: 97},
	}
	for _, tt := range tests {
		found := false
		for _, in := range x.Indicators {
			if in.Metric != tt.metric {
				continue
			}
			if tt.value != 0 && (in.Value == nil || *in.Value != tt.value) {
				continue
			}
			if tt.lo != 0 && (in.Min == nil || *in.Min != tt.lo) {
				continue
			}
			if tt.hi != 0 && (in.Max == nil || *in.Max != tt.hi) {
				continue
			}
			if tt.approx && !in.Approx {
				continue
			}
			if in.AsOf != "2020-11-27" {
				t.Errorf("%s: as_of %q, want 2020-11-27", tt.metric, in.AsOf)
			}
			found = true
		}
		if !found {
			t.Errorf("seed: no indicator %s %+v in %+v", tt.metric, tt, indicatorNames(x.Indicators))
		}
	}
	for _, in := range x.Indicators {
		if in.Metric == "demining.area_cleared" && in.Scope != "cumulative" {
			t.Errorf("demining totals: scope %q, want cumulative", in.Scope)
		}
	}
}

func indicatorNames(xs []truce.Indicator) []string {
	var out []string
	for _, x := range xs {
		out = append(out, x.Metric)
	}
	return out
}
