package ingest_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/store/synth"
)

// TestRebuildCost measures the fuser's rebuild from the store on pipeline
// start (TRUCE_REBUILD_REPORTS reports of synth's 10 events; skipped unless set):
// go test ./ingest -run RebuildCost -v with TRUCE_REBUILD_REPORTS=5000.
func TestRebuildCost(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("TRUCE_REBUILD_REPORTS"))
	if n == 0 {
		t.Skip("set TRUCE_REBUILD_REPORTS to measure")
	}
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g := synth.New(1)
	for range n {
		if _, _, err := s.SaveExtraction(t.Context(), g.Next()); err != nil {
			t.Fatal(err)
		}
	}
	p := pipeline(t, s)
	// The first Run rebuilds (and, fusion being new here, writes every incident);
	// the second pipeline's rebuild finds them in step and writes nothing.
	for _, what := range []string{"rebuild and write all", "rebuild only"} {
		p.NewFuser = func() (*fuse.Fuser, error) { return fuse.New(nil, nil, fuse.Options{}), nil }
		q := *p
		start := time.Now()
		if _, err := q.Run(t.Context(), []string{filepath.Join(fuseCorpus, "08-balticwire-talks.txt")}); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d reports, %d events: %s", what, n, n*10, time.Since(start))
	}
}
