package ingest_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce/fuse/fusetest"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/store"
)

const fuseCorpus = "../testdata/fuse"

// fusingPipeline is a pipeline that fuses, grading sources with the bundled
// registry and the corpus overlay, as fuse's corpus test does.
func fusingPipeline(t *testing.T, s store.Store) *ingest.Pipeline {
	t.Helper()
	p := pipeline(t, s)
	x := extractor(t)
	p.NewFuser = fusetest.NewFuser(fuseCorpus, x.Gazetteer())
	return p
}

// goldenIncidents reads fuse/testdata/incidents.golden as one line per
// incident: type, credibility and its members "FILE: evidence", sorted.
func goldenIncidents(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../fuse/testdata/incidents.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	var head string
	var members []string
	flush := func() {
		if head != "" {
			slices.Sort(members)
			out = append(out, head+" "+strings.Join(members, " + "))
		}
		head, members = "", nil
	}
	file := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "incident "):
			flush()
			w := strings.Fields(line)
			cred := w[slices.Index(w, "credibility")+1]
			head = w[2] + " " + cred
		case strings.HasPrefix(line, "  ["):
			file = strings.Fields(line)[1]
		case strings.HasPrefix(line, `      "`):
			ev, err := strconv.Unquote(strings.TrimSpace(line))
			if err != nil {
				t.Fatalf("golden evidence %s: %v", line, err)
			}
			members = append(members, file+": "+ev)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// storedIncidents renders the stored incidents as goldenIncidents does, and
// checks every stored event is in exactly one incident.
func storedIncidents(t *testing.T, s store.Store) ([]string, []store.StoredIncident) {
	t.Helper()
	ctx := t.Context()
	l, err := s.Incidents(ctx, store.IncidentFilter{NoLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	files := map[int64]string{}
	members := 0
	var out []string
	for _, in := range l {
		var ms []string
		for _, m := range in.Members {
			if _, ok := files[m.ReportID]; !ok {
				r, err := s.Report(ctx, m.ReportID)
				if err != nil {
					t.Fatal(err)
				}
				files[m.ReportID] = filepath.Base(r.Origin)
			}
			ms = append(ms, files[m.ReportID]+": "+m.Evidence)
		}
		members += len(in.Members)
		slices.Sort(ms)
		out = append(out, fmt.Sprintf("%s %d %s", in.Type, in.Credibility, strings.Join(ms, " + ")))
	}
	slices.Sort(out)
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if members != st.Events {
		t.Errorf("incidents hold %d members, store %d events: every event must be in one incident", members, st.Events)
	}
	return out, l
}

func sameIncidents(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("incidents differ from fuse/testdata/incidents.golden:\ngot:\n  %s\nwant:\n  %s",
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestFusionCorpus ingests the fuse corpus through the pipeline and checks
// the stored incidents group the events as fuse's golden file does; a second
// run, by a pipeline rebuilt from the store, changes nothing.
func TestFusionCorpus(t *testing.T) {
	want := goldenIncidents(t)
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		sum, err := fusingPipeline(t, s).Run(t.Context(), []string{fuseCorpus})
		if err != nil || sum.Reports != 8 {
			t.Fatalf("Run = %+v, %v", sum, err)
		}
		got, first := storedIncidents(t, s)
		sameIncidents(t, got, want)
		// The copy is linked to its original.
		copies := 0
		for _, in := range first {
			for _, m := range in.Members {
				if m.Copy {
					copies++
					if m.CopyOf == 0 {
						t.Errorf("copy member %+v has no original", m)
					}
				}
			}
		}
		if copies != 2 {
			t.Errorf("%d copy members, want 2 (report 02's two events)", copies)
		}
		// Idempotent: a new pipeline rebuilds its fuser and stores nothing new.
		sum, err = fusingPipeline(t, s).Run(t.Context(), []string{fuseCorpus})
		if err != nil || sum.Duplicates != 8 || sum.Reports != 0 {
			t.Fatalf("second Run = %+v, %v", sum, err)
		}
		_, again := storedIncidents(t, s)
		if len(again) != len(first) {
			t.Fatalf("re-ingest: %d incidents, want %d", len(again), len(first))
		}
		for i := range again {
			if again[i].ID != first[i].ID || !again[i].UpdatedAt.Equal(first[i].UpdatedAt) {
				t.Errorf("re-ingest rewrote incident %d (%s → %s)", first[i].ID, first[i].UpdatedAt, again[i].UpdatedAt)
			}
		}
		// Re-extraction rebuilds the incidents from scratch, none stale.
		p := fusingPipeline(t, s)
		if _, err := p.Reextract(t.Context()); err != nil {
			t.Fatalf("Reextract: %v", err)
		}
		got, _ = storedIncidents(t, s)
		sameIncidents(t, got, want)
		checkSQLite(t, path)
	})
}

// TestFusionCancel stops fused runs part-way: the incidents stored always
// cover exactly the stored events (they are written in the report's
// transaction), and a rerun completes them.
func TestFusionCancel(t *testing.T) {
	want := goldenIncidents(t)
	cases := []struct {
		name  string
		setup func(p *ingest.Pipeline, cancel context.CancelFunc)
	}{
		{"between inputs", func(p *ingest.Pipeline, cancel context.CancelFunc) {
			p.Progress = func(done, total int) {
				if done == 3 {
					cancel()
				}
			}
		}},
		// The third report (one of the incursion's) is fused in memory, then its save fails.
		{"while a report is saved", func(p *ingest.Pipeline, cancel context.CancelFunc) {
			p.Extractor = &cancelAt{x: p.Extractor, n: 3, cancel: cancel}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, s store.Store, path string) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p := fusingPipeline(t, s)
				tc.setup(p, cancel)
				if _, err := p.Run(ctx, []string{fuseCorpus}); !errors.Is(err, context.Canceled) {
					t.Fatalf("Run = %v, want context.Canceled", err)
				}
				storedIncidents(t, s) // members = events
				// The same pipeline runs again, first without report 03: its fuser
				// must not keep the unsaved report (05 joins its incident).
				p.Extractor, p.Progress = extractor(t), nil
				all, _ := filepath.Glob(filepath.Join(fuseCorpus, "*.txt"))
				var but03 []string
				for _, f := range all {
					if !strings.HasPrefix(filepath.Base(f), "03-") {
						but03 = append(but03, f)
					}
				}
				if _, err := p.Run(t.Context(), but03); err != nil {
					t.Fatalf("rerun without 03: %v", err)
				}
				storedIncidents(t, s)
				if _, err := p.Run(t.Context(), []string{fuseCorpus}); err != nil {
					t.Fatalf("rerun: %v", err)
				}
				got, _ := storedIncidents(t, s)
				sameIncidents(t, got, want)
				checkSQLite(t, path)
			})
		})
	}
}

// TestFusionSwitchedOn ingests part of the corpus without fusion, then all
// of it with: the first fused run rebuilds the incidents of the reports
// stored before.
func TestFusionSwitchedOn(t *testing.T) {
	want := goldenIncidents(t)
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		files, _ := filepath.Glob(filepath.Join(fuseCorpus, "0[1-4]*.txt"))
		if _, err := pipeline(t, s).Run(t.Context(), files); err != nil {
			t.Fatal(err)
		}
		if l, _ := s.Incidents(t.Context(), store.IncidentFilter{}); len(l) != 0 {
			t.Fatalf("%d incidents without fusion", len(l))
		}
		start := time.Now()
		if _, err := fusingPipeline(t, s).Run(t.Context(), []string{fuseCorpus}); err != nil {
			t.Fatal(err)
		}
		t.Logf("fused run with rebuild: %s", time.Since(start))
		got, _ := storedIncidents(t, s)
		sameIncidents(t, got, want)
	})
}
