package storetest

import (
	"errors"
	"testing"

	"github.com/truce-monitor/truce/store"
)

// member names event seq of report x in an incident record.
func member(hash string, seq int) store.MemberRecord {
	return store.MemberRecord{Report: hash, Seq: seq, Originator: store.IncidentSource{Name: "Ministry of Defence", Affiliation: "ARM", Reliability: "F"}}
}

func testIncidents(t *testing.T, s store.Store) {
	ctx := t.Context()
	a, b := ReportA(), ReportB()
	ha, hb := a.Report.Hash, b.Report.Hash
	fire := store.IncidentRecord{Type: "ASSAULT", Start: "2020-11-26", End: "2020-11-26", Place: place(Stepanakert),
		Credibility: 6, Grounds: "one source", Members: []store.MemberRecord{member(ha, 1)},
		Originators: []store.IncidentSource{{Name: "Ministry of Defence", Affiliation: "ARM", Reliability: "F"}}}
	withdrew := store.IncidentRecord{Type: "RETREAT", Start: "2020-11-25", End: "2020-11-25", Credibility: 6, Members: []store.MemberRecord{member(ha, 0)}}
	idA, created, err := s.SaveFusedExtraction(ctx, a, &store.Fusion{Incidents: []store.IncidentRecord{fire, withdrew}})
	if err != nil || !created {
		t.Fatalf("SaveFusedExtraction(A) = %v, %v", created, err)
	}
	first, err := s.Incidents(ctx, store.IncidentFilter{})
	if err != nil || len(first) != 2 {
		t.Fatalf("Incidents after A = %d, %v; want 2", len(first), err)
	}
	fireID := first[1].ID // ordered by start date: withdrew (25th) first

	// B fuses into the shooting as a copy and starts an incident of its own.
	fire2 := fire
	fire2.Credibility, fire2.PartyClaim = 2, true
	m := member(hb, 1)
	m.Copy, m.Swapped, m.Score = true, true, 2.5
	fire2.Members = []store.MemberRecord{member(ha, 1), m}
	fire2.Conflicts = []store.IncidentConflict{{Field: "count", What: "persons killed",
		Values: []store.ConflictVersion{{Value: "1", Members: []int{0}, Sources: []string{"x"}}, {Value: "2", Members: []int{1}, Sources: []string{"y"}}}}}
	demining := store.IncidentRecord{Type: "AID", Start: "2020-12-01", End: "2020-12-31", Credibility: 6, Members: []store.MemberRecord{member(hb, 0)}}
	idB, created, err := s.SaveFusedExtraction(ctx, b, &store.Fusion{
		Copies:    []store.CopyLink{{Report: hb, CopyOf: ha, Containment: 0.7}},
		Incidents: []store.IncidentRecord{fire2, demining}})
	if err != nil || !created {
		t.Fatalf("SaveFusedExtraction(B) = %v, %v", created, err)
	}
	// A duplicate is not stored again, and its fusion is not written.
	if _, created, err := s.SaveFusedExtraction(ctx, ReportA(), &store.Fusion{Incidents: []store.IncidentRecord{demining}}); err != nil || created {
		t.Fatalf("SaveFusedExtraction(A again) = %v, %v; want not created", created, err)
	}

	got, err := s.Incident(ctx, fireID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Credibility != 2 || !got.PartyClaim || len(got.Members) != 2 || len(got.Conflicts) != 1 ||
		got.Place == nil || got.Place.ID != "stepanakert" || len(got.Originators) != 1 || got.UpdatedAt.IsZero() {
		t.Fatalf("updated incident = %+v", got)
	}
	m0, m1 := got.Members[0], got.Members[1]
	if m0.ReportID != idA || m0.Seq != 1 || m0.Evidence != EvFire || m0.Copy ||
		m1.ReportID != idB || m1.Seq != 1 || !m1.Copy || m1.CopyOf != idA || !m1.Swapped || m1.Score != 2.5 || m1.Originator.Affiliation != "ARM" {
		t.Fatalf("members = %+v", got.Members)
	}
	if c := got.Conflicts[0]; c.Field != "count" || c.What != "persons killed" || len(c.Values) != 2 || c.Values[1].Members[0] != 1 {
		t.Fatalf("conflict = %+v", c)
	}
	byEvent, err := s.IncidentOfEvent(ctx, m1.EventID)
	if err != nil || byEvent.ID != fireID {
		t.Fatalf("IncidentOfEvent(%d) = %d, %v; want %d", m1.EventID, byEvent.ID, err, fireID)
	}

	for _, tc := range []struct {
		name  string
		f     store.IncidentFilter
		types []string
	}{
		{"all", store.IncidentFilter{}, []string{"RETREAT", "ASSAULT", "AID"}},
		{"from", store.IncidentFilter{From: "2020-11-26"}, []string{"ASSAULT", "AID"}},
		{"to", store.IncidentFilter{To: "2020-11-25"}, []string{"RETREAT"}},
		{"overlap", store.IncidentFilter{From: "2020-12-10", To: "2020-12-12"}, []string{"AID"}},
		{"type", store.IncidentFilter{Type: "AID"}, []string{"AID"}},
		{"limit", store.IncidentFilter{Limit: 1, Offset: 1}, []string{"ASSAULT"}},
		{"offset without limit", store.IncidentFilter{NoLimit: true, Offset: 2}, []string{"AID"}},
		{"none", store.IncidentFilter{From: "2030-01-01"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := s.Incidents(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var types []string
			for _, in := range l {
				types = append(types, in.Type)
			}
			if len(types) != len(tc.types) || len(types) > 0 && types[0] != tc.types[0] || len(types) > 1 && types[len(types)-1] != tc.types[len(tc.types)-1] {
				t.Fatalf("types = %v, want %v", types, tc.types)
			}
		})
	}

	for _, tc := range []struct {
		name string
		err  func() error
		want error
	}{
		{"bad date", func() error { _, err := s.Incidents(ctx, store.IncidentFilter{From: "12 May"}); return err }, store.ErrInvalid},
		{"unknown incident", func() error { _, err := s.Incident(ctx, 1<<40); return err }, store.ErrNotFound},
		{"event in no incident", func() error {
			page, err := s.Events(ctx, store.EventFilter{ReportID: idA, Query: "Putin"})
			if err != nil || len(page.Events) != 1 {
				t.Fatalf("phone event: %v", err)
			}
			_, err = s.IncidentOfEvent(ctx, page.Events[0].ID)
			return err
		}, store.ErrNotFound},
		{"member of a report not stored", func() error {
			bad := withdrew
			bad.Members = []store.MemberRecord{member("no-such-hash", 0)}
			_, _, err := s.SaveFusedExtraction(ctx, ReportC(), &store.Fusion{Incidents: []store.IncidentRecord{bad}})
			return err
		}, store.ErrInvalid},
		{"credibility out of range", func() error {
			bad := withdrew
			bad.Credibility = 7
			return s.ReplaceIncidents(ctx, &store.Fusion{Incidents: []store.IncidentRecord{bad}})
		}, store.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.err(); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	// The failed saves stored nothing: not the report, not the incidents.
	if st, _ := s.Stats(ctx); st.Reports != 2 {
		t.Fatalf("reports = %d after failed fused saves, want 2", st.Reports)
	}
	count := func(want int) {
		t.Helper()
		l, err := s.Incidents(ctx, store.IncidentFilter{NoLimit: true})
		if err != nil || len(l) != want {
			t.Fatalf("incidents = %d, %v; want %d", len(l), err, want)
		}
	}
	count(3)

	// Re-extracting B removes every incident with a member in it, stale or not.
	if err := s.ReplaceExtraction(ctx, idB, ReportB()); err != nil {
		t.Fatal(err)
	}
	count(1)
	if _, err := s.Incident(ctx, fireID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("incident of a re-extracted report: %v, want ErrNotFound", err)
	}
	// ReplaceIncidents rebuilds them all.
	all := &store.Fusion{Copies: []store.CopyLink{{Report: hb, CopyOf: ha, Containment: 0.7}}, Incidents: []store.IncidentRecord{fire2, withdrew, demining}}
	if err := s.ReplaceIncidents(ctx, all); err != nil {
		t.Fatal(err)
	}
	count(3)
	if err := s.ReplaceIncidents(ctx, &store.Fusion{}); err != nil {
		t.Fatal(err)
	}
	count(0)
}
