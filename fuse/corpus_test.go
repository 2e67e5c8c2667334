package fuse_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/fuse/fusetest"
	"github.com/truce-monitor/truce/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const corpusDir = "../testdata/fuse"

var (
	extOnce sync.Once
	ext     *extract.Extractor
	extErr  error
)

func extractor(t testing.TB) *extract.Extractor {
	t.Helper()
	extOnce.Do(func() { ext, extErr = extract.New(data.Bundled()) })
	if extErr != nil {
		t.Fatal(extErr)
	}
	return ext
}

// registry is the bundled registry with the corpus overlay laid over it.
func registry(t testing.TB) *fuse.Registry {
	t.Helper()
	reg, err := fusetest.Registry(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// doc is one extracted report of the corpus.
type doc struct {
	file   string
	report truce.Report
	events []truce.Event
}

func readCorpus(t testing.TB) []doc {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	sort.Strings(files)
	x := extractor(t)
	var out []doc
	for _, f := range files {
		reps, err := source.ReadFile(context.Background(), f, source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range reps {
			out = append(out, doc{file: filepath.Base(f), report: r, events: x.Extract(r).Events})
		}
	}
	return out
}

// label is one hand-labelled event: a report file and the start of its evidence sentence.
type label struct {
	group, file, prefix string
	used                bool
}

func readGroups(t testing.TB) []*label {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "hand-grouping.golden"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []*label
	group := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			end := strings.Index(line, "]")
			if end < 0 {
				t.Fatalf("hand-grouping.golden:%d: unclosed [", n)
			}
			group = line[1:end]
		default:
			file, prefix, ok := strings.Cut(line, "|")
			if !ok || group == "" {
				t.Fatalf("hand-grouping.golden:%d: want \"file | sentence start\" inside a [group]", n)
			}
			out = append(out, &label{group: group, file: strings.TrimSpace(file), prefix: strings.TrimSpace(prefix)})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func labelOf(labels []*label, file string, e truce.Event) *label {
	ev := strings.TrimSpace(e.Evidence.Text)
	for _, l := range labels {
		if l.file == file && strings.HasPrefix(ev, l.prefix) {
			return l
		}
	}
	return nil
}

type fused struct {
	f      *fuse.Fuser
	docs   []doc
	byID   map[string]string // report id -> file
	assign map[[2]int]int    // (doc, event) -> incident
}

func fuseCorpus(t testing.TB) fused {
	t.Helper()
	docs := readCorpus(t)
	fz := fuse.New(registry(t), extractor(t).Gazetteer(), fuse.Options{})
	out := fused{f: fz, docs: docs, byID: map[string]string{}, assign: map[[2]int]int{}}
	for i, d := range docs {
		out.byID[fuse.ReportID(d.report)] = d.file
		for _, a := range fz.Add(d.report, d.events) {
			out.assign[[2]int{i, a.Event}] = a.Incident
		}
	}
	return out
}

// TestCorpusGrouping scores the incidents of the corpus against the hand
// grouping: pairwise precision and recall over the labelled extracted events.
func TestCorpusGrouping(t *testing.T) {
	fz := fuseCorpus(t)
	labels := readGroups(t)
	type item struct {
		gold string
		inc  int
		name string
	}
	var items []item
	unlabelled := 0
	for i, d := range fz.docs {
		for j, e := range d.events {
			l := labelOf(labels, d.file, e)
			if l == nil {
				unlabelled++
				t.Logf("unlabelled event: %s %s %q", d.file, e.Type, e.Evidence.Text)
				continue
			}
			l.used = true
			items = append(items, item{l.group, fz.assign[[2]int{i, j}], d.file + " " + e.Type})
		}
	}
	for _, l := range labels {
		if !l.used {
			t.Logf("hand-labelled sentence with no extracted event: %s | %s", l.file, l.prefix)
		}
	}
	var tp, fp, fn int
	for i := range items {
		for j := i + 1; j < len(items); j++ {
			same, gold := items[i].inc == items[j].inc, items[i].gold == items[j].gold
			switch {
			case same && gold:
				tp++
			case same:
				fp++
				t.Logf("wrongly fused: %s [%s] + %s [%s]", items[i].name, items[i].gold, items[j].name, items[j].gold)
			case gold:
				fn++
				t.Logf("wrongly split: %s + %s [%s]", items[i].name, items[j].name, items[i].gold)
			}
		}
	}
	p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
	t.Logf("pairwise precision %.2f (%d/%d), recall %.2f (%d/%d) over %d labelled events (%d unlabelled)",
		p, tp, tp+fp, r, tp, tp+fn, len(items), unlabelled)
	if p < 0.9 || r < 0.9 {
		t.Errorf("precision %.2f, recall %.2f: want both >= 0.9", p, r)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestCorpusGolden compares the incidents of the corpus, their conflicts and
// credibility with the golden file.
func TestCorpusGolden(t *testing.T) {
	fz := fuseCorpus(t)
	got := render(fz)
	golden := filepath.Join("testdata", "incidents.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./fuse -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("incidents differ from %s; run go test ./fuse -update and review the diff:\n%s", golden, got)
	}
}

func render(fz fused) string {
	var b strings.Builder
	for _, inc := range fz.f.Incidents() {
		when := inc.Start
		if inc.End != inc.Start {
			when += ".." + inc.End
		}
		fmt.Fprintf(&b, "incident %d %s %s credibility %d (%s)", inc.ID, inc.Type, when,
			inc.Credibility, fuse.CredibilityNames[inc.Credibility])
		if inc.PartyClaim {
			b.WriteString(" party-claim")
		}
		fmt.Fprintf(&b, "\n  grounds: %s\n", inc.Grounds)
		for i, m := range inc.Members {
			fmt.Fprintf(&b, "  [%d] %s %s by %q", i, fz.byID[m.Report.ID], m.Event.Type, m.Originator.Name)
			if m.PartyClaim {
				b.WriteString(" party-claim")
			}
			if m.Report.CopyOf != "" {
				fmt.Fprintf(&b, " copy-of=%s", fz.byID[m.Report.CopyOf])
			}
			fmt.Fprintf(&b, "\n      %q\n", m.Event.Evidence.Text)
		}
		for _, c := range inc.Conflicts {
			fmt.Fprintf(&b, "  CONFLICT %s", c.Field)
			if c.What != "" {
				fmt.Fprintf(&b, " (%s)", c.What)
			}
			b.WriteString(":")
			for k, v := range c.Values {
				if k > 0 {
					b.WriteString(" |")
				}
				fmt.Fprintf(&b, " %s %v %s", v.Value, v.Members, strings.Join(v.Sources, ", "))
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
