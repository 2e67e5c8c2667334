package agreement_test

import (
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/store"
)

// ev builds a stored event for the pure tests.
func ev(id int64, typ, mode, country, placeID, day string, ctx ...string) store.StoredEvent {
	e := store.StoredEvent{ID: id, ReportID: id, Source: "Test", ReportTitle: "report", Published: day,
		Event: truce.Event{Type: typ, Mode: mode, Contexts: ctx, Evidence: truce.Span{Text: "sentence " + typ}}}
	if country != "" {
		e.Actor = &truce.Actor{Name: country + " forces", Country: country, Kind: "armed_forces"}
	}
	if placeID != "" {
		e.Place = &truce.Place{ID: placeID, Canonical: placeID}
	}
	e.Date = &truce.When{Start: day, End: day, Precision: truce.PrecisionDay}
	return e
}

func TestEvaluateSynthetic(t *testing.T) {
	s, g := bundled(t)
	tests := []struct {
		name   string
		ref    string
		events []store.StoredEvent
		links  []store.ProvisionLink
		asOf   string
		want   agreement.Status
	}{
		{"blocked corridor", "nk-2020-11-10/6c",
			[]store.StoredEvent{ev(1, "COERCE", "restrict", "AZE", "lachin-corridor", "2020-12-15")}, nil, "2020-12-31", agreement.Violated},
		{"force entering a handed-over area", "nk-2020-11-10/2",
			[]store.StoredEvent{ev(1, "RETREAT", "withdraw", "ARM", "aghdam-district", "2020-11-19"),
				ev(2, "MOBILIZE", "troops", "ARM", "aghdam", "2020-11-28")}, nil, "2020-11-30", agreement.Violated},
		{"entering before the return is not a violation", "nk-2020-11-10/2",
			[]store.StoredEvent{ev(2, "MOBILIZE", "troops", "ARM", "aghdam", "2020-11-12")}, nil, "2020-11-19", agreement.NotStarted},
		{"Lachin corridor is carved out of the district", "nk-2020-11-10/6b",
			[]store.StoredEvent{ev(1, "MOBILIZE", "troops", "AZE", "lachin-corridor", "2020-11-20")}, nil, "2020-11-30", agreement.NotStarted},
		{"overdue after the deadline", "nk-2020-11-10/6b", nil, nil, "2020-12-02", agreement.Overdue},
		{"not overdue on the deadline", "nk-2020-11-10/6b", nil, nil, "2020-12-01", agreement.NotStarted},
		{"extended deadline", "nk-2020-11-10/6a", nil, nil, "2020-11-20", agreement.NotStarted},
		{"overdue after the extension", "nk-2020-11-10/6a", nil, nil, "2020-11-26", agreement.Overdue},
		{"ceasefire violation in the zone", "nk-2020-11-10/1",
			[]store.StoredEvent{ev(1, "ASSAULT", "heavy-weapons", "AZE", "martuni-nk", "2020-12-01")}, nil, "2020-12-02", agreement.Violated},
		{"attack before the ceasefire", "nk-2020-11-10/1",
			[]store.StoredEvent{ev(1, "ASSAULT", "heavy-weapons", "AZE", "martuni-nk", "2020-11-08")}, nil, "2020-11-09", agreement.NotStarted},
		{"attack at the Sotk mine is outside the zone", "nk-2020-11-10/1",
			[]store.StoredEvent{ev(1, "ASSAULT", "firearms", "AZE", "sotk-gold-mine", "2020-12-01")}, nil, "2020-12-02", agreement.Implemented},
		{"restored after a violation", "nk-2020-11-10/1",
			[]store.StoredEvent{ev(1, "ASSAULT", "", "AZE", "martuni-nk", "2020-12-01", "ceasefire"),
				ev(2, "RETREAT", "ceasefire", "ARM", "", "2020-12-03")}, nil, "2020-12-05", agreement.Implemented},
		{"a manual link overrides the signature", "nk-2020-11-10/8",
			[]store.StoredEvent{ev(7, "AGREE", "", "ARM", "", "2020-12-20")},
			[]store.ProvisionLink{{Provision: "nk-2020-11-10/8", EventID: 7, Role: store.LinkImplements, Note: "all for all"}}, "2020-12-31", agreement.Implemented},
		{"an analyst's violation", "nk-2020-11-10/8",
			[]store.StoredEvent{ev(7, "AGREE", "", "ARM", "", "2020-12-20")},
			[]store.ProvisionLink{{Provision: "nk-2020-11-10/8", EventID: 7, Role: store.LinkViolates}}, "2020-12-31", agreement.Violated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sts := agreement.Evaluate(agreement.Input{Set: s, Events: tc.events, Links: tc.links, Gazetteer: g, AsOf: tc.asOf})
			ps, ok := agreement.Find(sts, tc.ref)
			if !ok {
				t.Fatalf("no %s", tc.ref)
			}
			if ps.Status != tc.want {
				t.Errorf("status = %s, want %s; timeline %+v", ps.Status, tc.want, ps.Timeline)
			}
			for _, c := range ps.Timeline {
				if c.Reason == "" {
					t.Errorf("change without a reason: %+v", c)
				}
				if c.To != agreement.Overdue && c.To != agreement.NotStarted && len(c.Evidence) == 0 && c.Reason[:8] != "in force" {
					t.Errorf("change to %s cites nothing: %+v", c.To, c)
				}
			}
		})
	}
}

func TestBorders(t *testing.T) {
	s, g := bundled(t)
	if b := agreement.Borders(g, s, g.Get("sotk-gold-mine")); len(b) == 0 || b[0].Area != "kalbajar-district" {
		t.Errorf("Borders(sotk-gold-mine) = %+v, want Kalbajar", b)
	}
	if b := agreement.Borders(g, s, g.Get("kalbajar")); len(b) != 0 {
		t.Errorf("Borders(kalbajar) = %+v, want none: it is inside", b)
	}
	if agreement.Inside(g, g.Get("sotk-gold-mine"), g.Get("kalbajar-district")) {
		t.Error("the Sotk mine (Armenia) counts as inside Kalbajar district")
	}
}
