package ingest_test

import (
	"fmt"
	"testing"

	"github.com/truce-monitor/truce/store"
)

// TestReviewSurvivesRefusion rejects and corrects events of the fusion corpus,
// then re-extracts and rebuilds the incidents with a new pipeline: the
// decisions are applied to the new events, every stored event (the rejected
// one too) is a member of exactly one incident, and incident members name the
// right events.
func TestReviewSurvivesRefusion(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		ctx := t.Context()
		if _, err := fusingPipeline(t, s).Run(ctx, []string{fuseCorpus}); err != nil {
			t.Fatal(err)
		}
		pg, err := s.Events(ctx, store.EventFilter{NoLimit: true})
		if err != nil || len(pg.Events) < 3 {
			t.Fatalf("events: %d, %v", len(pg.Events), err)
		}
		// Two events told by a sentence and a rule no other event shares, so that
		// the test can find them again (the store's key also counts duplicates).
		count := map[string]int{}
		key := func(e store.StoredEvent) string {
			return fmt.Sprint(e.ReportID, e.Evidence.Start, e.Evidence.End, e.Rule)
		}
		for _, e := range pg.Events {
			count[key(e)]++
		}
		var unique []store.StoredEvent
		for _, e := range pg.Events {
			if count[key(e)] == 1 {
				unique = append(unique, e)
			}
		}
		if len(unique) < 2 {
			t.Fatalf("fewer than 2 events with a unique key")
		}
		rejected, fixed := unique[0], unique[1]
		if _, err := s.ReviewEvent(ctx, store.Review{EventID: rejected.ID, Action: store.ReviewReject, Reason: "test", User: "ana"}); err != nil {
			t.Fatal(err)
		}
		typ := "AID"
		if fixed.Type == typ {
			typ = "AGREE"
		}
		if _, err := s.ReviewEvent(ctx, store.Review{EventID: fixed.ID, Action: store.ReviewCorrect, Reason: "test", User: "ana",
			Patch: store.EventPatch{Type: &typ}}); err != nil {
			t.Fatal(err)
		}
		if _, err := fusingPipeline(t, s).Reextract(ctx); err != nil {
			t.Fatal(err)
		}
		// A new pipeline replays the record (a rebuild on start) and stores nothing new.
		if _, err := fusingPipeline(t, s).Run(ctx, []string{fuseCorpus}); err != nil {
			t.Fatal(err)
		}
		all, err := s.Events(ctx, store.EventFilter{NoLimit: true, IncludeRejected: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Events) != len(pg.Events) {
			t.Fatalf("%d events after re-extraction, want %d", len(all.Events), len(pg.Events))
		}
		states := map[string]int{}
		for _, e := range all.Events {
			states[e.Review]++
			in, err := s.IncidentOfEvent(ctx, e.ID)
			if err != nil {
				t.Errorf("event %d (%s) is in no incident: %v", e.ID, e.Review, err)
				continue
			}
			found := false
			for _, m := range in.Members {
				if m.EventID == e.ID {
					found = m.Type == e.Type && m.Evidence == e.Evidence.Text
				}
			}
			if !found {
				t.Errorf("incident %d names event %d wrongly", in.ID, e.ID)
			}
			if key(e) == key(fixed) && (e.Type != typ || e.Review != store.StateCorrected) {
				t.Errorf("the corrected event is %s (%q) after re-extraction", e.Type, e.Review)
			}
			if key(e) == key(rejected) && e.Review != store.StateRejected {
				t.Errorf("the rejected event is %q after re-extraction", e.Review)
			}
		}
		if states[store.StateRejected] != 1 || states[store.StateCorrected] != 1 {
			t.Errorf("review states after re-extraction: %v", states)
		}
		vis, err := s.Events(ctx, store.EventFilter{NoLimit: true})
		if err != nil || len(vis.Events) != len(pg.Events)-1 {
			t.Errorf("%d events listed, want %d (the rejected one hidden): %v", len(vis.Events), len(pg.Events)-1, err)
		}
	})
}
