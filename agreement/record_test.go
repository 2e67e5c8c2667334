package agreement_test

import (
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
)

// ingestFiles stores the given reports in a fresh SQLite store.
func ingestFiles(t *testing.T, paths ...string) store.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	x, err := extract.New(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	p := &ingest.Pipeline{Store: st, Extractor: x, Log: slog.New(slog.DiscardHandler)}
	sum, err := p.Run(t.Context(), paths)
	if err != nil || len(sum.Errors) > 0 {
		t.Fatalf("ingest: %v %+v", err, sum.Errors)
	}
	return st
}

func corpus(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/agreements/*.txt")
	if err != nil || len(files) < 6 {
		t.Fatalf("corpus: %v, %d files", err, len(files))
	}
	return append([]string{seed}, files...)
}

const seed = "../data/examples/sotk-2020-11-27.txt"

func evaluate(t *testing.T, st store.Store, asOf string) []agreement.ProvisionStatus {
	t.Helper()
	s, g := bundled(t)
	out, err := agreement.EvaluateStore(t.Context(), st, s, g, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func find(t *testing.T, sts []agreement.ProvisionStatus, ref string) agreement.ProvisionStatus {
	t.Helper()
	ps, ok := agreement.Find(sts, ref)
	if !ok {
		t.Fatalf("no provision %s", ref)
	}
	return ps
}

// cites reports whether some evidence of the last change quotes sentence.
func lastChangeCites(ps agreement.ProvisionStatus, sentence string) bool {
	if len(ps.Timeline) == 0 {
		return false
	}
	return slices.ContainsFunc(ps.Timeline[len(ps.Timeline)-1].Evidence, func(e agreement.Evidence) bool {
		return strings.Contains(e.Sentence, sentence) && e.Report != "" && e.Source != "" && e.EventID > 0
	})
}

// TestSeed checks the seed report alone: the MUST SHOW of issue 4.
func TestSeed(t *testing.T) {
	st := ingestFiles(t, seed)
	sts := evaluate(t, st, "2020-11-27")
	tests := []struct {
		ref    string
		status agreement.Status
		cites  []string // sentences the current status's change cites
	}{
		{"nk-2020-11-10/6a", agreement.Implemented, []string{"withdraw from Karvachar, which was done"}},
		{"nk-2020-11-10/8", agreement.InProgress, []string{"spoke over the phone with Russian President Vladimir Putin"}},
		{"nk-2020-11-10/3", agreement.InProgress, []string{"spoke over the phone with Russian President Vladimir Putin", "Russian Peacekeeping Forces in Nagorno-Karabakh"}},
		{"nk-2020-11-10/1", agreement.Implemented, nil},
		{"nk-2020-11-10/2", agreement.Overdue, nil},
		{"nk-2020-11-10/6b", agreement.NotStarted, nil},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			ps := find(t, sts, tc.ref)
			if ps.Status != tc.status {
				t.Fatalf("status = %s, want %s; timeline %+v", ps.Status, tc.status, ps.Timeline)
			}
			for _, c := range tc.cites {
				if !slices.ContainsFunc(ps.Evidence, func(e agreement.Evidence) bool { return strings.Contains(e.Sentence, c) }) {
					t.Errorf("evidence does not cite %q: %+v", c, ps.Evidence)
				}
			}
			if len(tc.cites) > 0 && !lastChangeCites(ps, tc.cites[0]) {
				t.Errorf("the change to %s does not cite %q with report and source: %+v", tc.status, tc.cites[0], ps.Timeline)
			}
		})
	}
	// Kalbajar: the withdrawal has no date of its own; it counts as of the report.
	kal := find(t, sts, "nk-2020-11-10/6a")
	last := kal.Timeline[len(kal.Timeline)-1]
	if last.Date != "2020-11-27" || !last.Evidence[0].Undated || last.Evidence[0].Country != "ARM" || last.Evidence[0].Type != "RETREAT" {
		t.Errorf("Kalbajar implemented by %+v", last)
	}
	// The peacekeepers' activity (AID by Russian peacekeepers) is cited too.
	pk := find(t, sts, "nk-2020-11-10/3")
	if !slices.ContainsFunc(pk.Evidence, func(e agreement.Evidence) bool { return e.Type == "AID" && e.Country == "RUS" }) {
		t.Errorf("peacekeepers' activity not cited: %+v", pk.Evidence)
	}
	// The Azerbaijani entry into the Sotk mine implements nothing: the mine is in Armenia.
	for _, ps := range sts {
		for _, e := range ps.Evidence {
			if strings.Contains(e.Place, "Sotk") && e.Country == "AZE" {
				t.Errorf("%s links the Sotk incident %q as %s", ps.Ref, e.Sentence, e.Role)
			}
		}
	}
}

// TestCorpus replays the test corpus over several weeks.
func TestCorpus(t *testing.T) {
	st := ingestFiles(t, corpus(t)...)
	tests := []struct {
		asOf   string
		ref    string
		status agreement.Status
		since  string
		cites  string
	}{
		{"2020-11-19", "nk-2020-11-10/2", agreement.NotStarted, "", ""},
		{"2020-11-20", "nk-2020-11-10/2", agreement.Implemented, "2020-11-20", "entered the Aghdam district"},
		{"2020-11-16", "nk-2020-11-10/6a", agreement.NotStarted, "", ""}, // the deadline was extended on the 15th
		{"2020-11-25", "nk-2020-11-10/6a", agreement.Implemented, "2020-11-25", "entered the Kalbajar district"},
		{"2020-12-01", "nk-2020-11-10/6b", agreement.Implemented, "2020-12-01", "entered the Lachin district"},
		{"2020-12-11", "nk-2020-11-10/1", agreement.Implemented, "2020-11-10", ""},
		{"2020-12-12", "nk-2020-11-10/1", agreement.Disputed, "2020-12-12", "did not violate the ceasefire"},
		{"2020-12-14", "nk-2020-11-10/8", agreement.InProgress, "2020-11-26", ""},
		{"2020-12-20", "nk-2020-11-10/7", agreement.InProgress, "2020-12-20", "escorted refugees"},
		{"2021-01-29", "nk-2021-01-11/2", agreement.NotStarted, "", ""},
		{"2021-01-31", "nk-2021-01-11/2", agreement.Overdue, "2021-01-31", ""},
		{"2021-01-31", "nk-2021-01-11/1", agreement.Implemented, "2021-01-11", ""},
	}
	for _, tc := range tests {
		t.Run(tc.ref+"@"+tc.asOf, func(t *testing.T) {
			ps := find(t, evaluate(t, st, tc.asOf), tc.ref)
			if ps.Status != tc.status || ps.Since != tc.since {
				t.Fatalf("status = %s since %s, want %s since %s; timeline %+v", ps.Status, ps.Since, tc.status, tc.since, ps.Timeline)
			}
			if tc.cites != "" && !lastChangeCites(ps, tc.cites) {
				t.Errorf("last change does not cite %q: %+v", tc.cites, ps.Timeline[len(ps.Timeline)-1])
			}
			if tc.status == agreement.Overdue && !strings.Contains(ps.Timeline[len(ps.Timeline)-1].Reason, "2021-01-30") {
				t.Errorf("overdue reason = %q", ps.Timeline[len(ps.Timeline)-1].Reason)
			}
		})
	}
}
