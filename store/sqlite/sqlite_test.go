package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/storetest"
	"github.com/truce-monitor/truce/store/synth"
)

func openTest(t *testing.T) store.Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, openTest)
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "truce.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	id, _, err := s.SaveExtraction(t.Context(), storetest.ReportA())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(t.Context(), path) // migrations already applied: a no-op
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, created, err := s.SaveExtraction(t.Context(), storetest.ReportA()); err != nil || created {
		t.Errorf("save after reopen: created %v, %v", created, err)
	}
	if r, err := s.Report(t.Context(), id); err != nil || r.Events != 3 {
		t.Errorf("Report after reopen = %+v, %v", r, err)
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, p := range []string{"", ":memory:", "x.db?mode=memory", filepath.Join(t.TempDir(), "missing", "dir", "x.db")} {
		if s, err := Open(t.Context(), p); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// BenchmarkSaveExtraction saves synthetic reports of 10 events, a claim and
// sometimes an indicator each, into a growing database.
func BenchmarkSaveExtraction(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	g := synth.New(1)
	for b.Loop() {
		if _, _, err := s.SaveExtraction(b.Context(), g.Next()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}
