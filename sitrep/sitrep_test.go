package sitrep_test

import (
	"bytes"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/sitrep"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// record ingests the seed report and the agreement test corpus into a real SQLite store.
func record(t *testing.T) (store.Store, sitrep.Options) {
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
	files, _ := filepath.Glob("../testdata/agreements/*.txt")
	p := &ingest.Pipeline{Store: st, Extractor: x, Log: slog.New(slog.DiscardHandler)}
	if sum, err := p.Run(t.Context(), append([]string{"../data/examples/sotk-2020-11-27.txt"}, files...)); err != nil || len(sum.Errors) > 0 {
		t.Fatalf("ingest: %v %+v", err, sum.Errors)
	}
	s, err := agreement.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	return st, sitrep.Options{Agreements: s, Gazetteer: g}
}

func TestGolden(t *testing.T) {
	st, opt := record(t)
	tests := []struct {
		name, from, to, area, format string
	}{
		{"day-2020-12-12.md", "2020-12-12", "2020-12-12", "", "md"},
		{"day-2020-12-12.html", "2020-12-12", "2020-12-12", "", "html"},
		{"seed-2020-11-26-27.md", "2020-11-26", "2020-11-27", "", "md"},
		{"week-kalbajar.md", "2020-11-20", "2020-11-30", "kalbajar-district", "md"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := opt
			o.From, o.To, o.Area = tc.from, tc.to, tc.area
			r, err := sitrep.Build(t.Context(), st, o)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.Render(&buf, tc.format); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tc.name)
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./sitrep -update)", err)
			}
			if got := buf.String(); got != string(want) {
				t.Errorf("%s differs from the golden file (go test ./sitrep -update rewrites it):\n%s", tc.name, got)
			}
		})
	}
}

// TestContent checks what a report must say, independently of the exact layout.
func TestContent(t *testing.T) {
	st, opt := record(t)
	tests := []struct {
		from, to, area string
		want           []string
		not            []string
	}{
		{"2020-12-12", "2020-12-12", "", []string{
			"implemented → **disputed**",
			"reported by Armenian defence ministry",
			"denied by Azerbaijani defence ministry",
			"(previously ", // an indicator with its previous figure
			`"The Azerbaijani defence ministry said that its forces did not violate the ceasefire near Hin Tagher." (Test Monitor Desk`,
		}, nil},
		{"2020-11-27", "2020-11-27", "", []string{
			"withdraw from Karvachar, which was done",
			"[implements nk-2020-11-10/6a]",
			"at the border: Sotk gold mine / Zod gold mine lies in Armenia, on the edge of Kalbajar / Karvachar (nk-2020-11-10/6a), not inside it",
		}, []string{"implements nk-2020-11-10/6a] [at the border"}},
		{"2021-01-31", "2021-01-31", "", []string{"nk-2021-01-11/2 First meeting of the working group by 30 January 2021: not started → **overdue**"}, nil},
		{"2020-12-12", "2020-12-12", "gegharkunik", []string{"Nothing in the record for the period."}, []string{"Hin Tagher"}},
	}
	for _, tc := range tests {
		t.Run(tc.from+tc.area, func(t *testing.T) {
			o := opt
			o.From, o.To, o.Area = tc.from, tc.to, tc.area
			r, err := sitrep.Build(t.Context(), st, o)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := r.Render(&buf, "md"); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, buf.String())
				}
			}
			for _, w := range tc.not {
				if strings.Contains(buf.String(), w) {
					t.Errorf("report has %q", w)
				}
			}
			// Every line of what happened has a source.
			for _, a := range r.Areas {
				for _, tg := range a.Types {
					for _, l := range tg.Lines {
						if l.Cite.Sentence == "" || l.Cite.Source == "" || l.Cite.Report == "" {
							t.Errorf("line without a citation: %+v", l)
						}
					}
				}
			}
		})
	}
}

func TestBadOptions(t *testing.T) {
	_, opt := record(t)
	for _, o := range []sitrep.Options{
		{From: "12/12/2020", To: "2020-12-12"},
		{From: "2020-12-12", To: "2020-12-11"},
		{From: "2020-12-12", To: "2020-12-12", Area: "atlantis"},
	} {
		o.Agreements, o.Gazetteer = opt.Agreements, opt.Gazetteer
		if _, err := sitrep.Compose(o, nil, nil, nil); err == nil {
			t.Errorf("Compose(%+v) = nil error", o)
		}
	}
	var buf bytes.Buffer
	if err := (&sitrep.Report{}).Render(&buf, "pdf"); err == nil {
		t.Error("Render(pdf) = nil error")
	}
}
