package fuse_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/simhash"
	"github.com/truce-monitor/truce/source"
)

// TestCopies measures copy detection on copies made of real reports (the
// examples and the corpus) and on pairs of unrelated reports, and checks the
// threshold separates them. The numbers are the ones quoted in docs/fusion.md.
func TestCopies(t *testing.T) {
	var texts, names []string
	for _, glob := range []string{"../data/examples/*.txt", corpusDir + "/*.txt"} {
		files, _ := filepath.Glob(glob)
		sort.Strings(files)
		for _, f := range files {
			reps, err := source.ReadFile(context.Background(), f, source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, reps[0].Text)
			names = append(names, filepath.Base(f))
		}
	}
	edits := []struct {
		name string
		edit func(string) string
	}{
		{"identical", func(s string) string { return s }},
		{"credit line added", func(s string) string { return s + "\n\nThis story first appeared on another site." }},
		{"first paragraph rewritten", func(s string) string {
			paras := strings.Split(s, "\n\n")
			paras[0] = "An outlet of its own wrote this opening paragraph in new words for its readers today."
			return strings.Join(paras, "\n\n")
		}},
		{"last paragraph cut", func(s string) string {
			paras := strings.Split(s, "\n\n")
			if len(paras) > 2 {
				paras = paras[:len(paras)-1]
			}
			return strings.Join(paras, "\n\n")
		}},
		{"one word in ten changed", func(s string) string {
			w := strings.Fields(s)
			for i := 9; i < len(w); i += 10 {
				w[i] = "changed"
			}
			return strings.Join(w, " ")
		}},
	}
	for _, e := range edits {
		minC, maxD := 1.0, 0
		for _, s := range texts {
			a, b := fuse.FingerprintOf(s), fuse.FingerprintOf(e.edit(s))
			minC = min(minC, a.Containment(b))
			maxD = max(maxD, simhash.Distance(a.SimHash, b.SimHash))
		}
		t.Logf("copy %-26s containment >= %.2f, simhash distance <= %d", e.name, minC, maxD)
		if minC < fuse.CopyThreshold {
			t.Errorf("copy %s: containment %.2f under the threshold %.2f", e.name, minC, fuse.CopyThreshold)
		}
	}
	maxC, minD := 0.0, 64
	for i := range texts {
		for j := i + 1; j < len(texts); j++ {
			a, b := fuse.FingerprintOf(texts[i]), fuse.FingerprintOf(texts[j])
			if names[i] == "01-newsline-incursion.txt" && names[j] == "02-caucasuswire-copy.txt" {
				t.Logf("corpus copy %s of %s: containment %.2f, simhash distance %d", names[j], names[i],
					a.Containment(b), simhash.Distance(a.SimHash, b.SimHash))
				if a.Containment(b) < fuse.CopyThreshold {
					t.Errorf("the corpus copy is not detected")
				}
				continue
			}
			if c := a.Containment(b); c > maxC {
				maxC = c
			}
			minD = min(minD, simhash.Distance(a.SimHash, b.SimHash))
		}
	}
	t.Logf("unrelated pairs (%d texts): containment <= %.2f, simhash distance >= %d", len(texts), maxC, minD)
	if maxC >= fuse.CopyThreshold {
		t.Errorf("unrelated reports reach containment %.2f, over the threshold", maxC)
	}
}

func f64(v float64) *float64 { return &v }

func ev(typ, actor, recipient, placeID string, lat, lon float64, prec, date, speaker, text string) truce.Event {
	e := truce.Event{Type: typ, Modality: "asserted", Evidence: truce.Span{Text: text}}
	if actor != "" {
		e.Actor = &truce.Actor{Name: actor, Country: actor}
	}
	if recipient != "" {
		e.Recipient = &truce.Actor{Name: recipient, Country: recipient}
	}
	if placeID != "" {
		e.Place = &truce.Place{ID: placeID, Lat: lat, Lon: lon, Precision: prec, Canonical: placeID}
	}
	if date != "" {
		e.Date = &truce.When{Start: date, End: date, Precision: truce.PrecisionDay}
	}
	if speaker != "" {
		e.Attribution = &truce.Attribution{Speaker: speaker, Verb: "said"}
	}
	return e
}

// TestPairs checks single decisions of fusion: one earlier report, one new event.
func TestPairs(t *testing.T) {
	base := ev("ASSAULT", "AZE", "ARM", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-12",
		"Armenian Ministry of Defence", "Azerbaijani units opened fire on Armenian positions near the Sotk gold mine")
	tests := []struct {
		name  string
		e     truce.Event
		fused bool
	}{
		{"same happening, other words", ev("ASSAULT", "AZE", "ARM", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-12",
			"", "Azerbaijani troops fired at Armenian positions at the Sotk mine"), true},
		{"a day later (yesterday)", ev("ASSAULT", "AZE", "", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-13",
			"", "Azerbaijani troops fired at the Sotk mine"), true},
		{"two days later", ev("ASSAULT", "AZE", "ARM", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-14",
			"", "Azerbaijani troops fired at the Sotk mine"), false},
		{"nearby place within 5 km", ev("ASSAULT", "AZE", "ARM", "near-mine", 40.24, 46.02, "site", "2021-05-12",
			"", "Azerbaijani units opened fire on Armenian positions"), true},
		{"80 km away", ev("ASSAULT", "AZE", "ARM", "ishkhanasar", 39.4, 46.2, "site", "2021-05-12",
			"", "Azerbaijani units opened fire on Armenian positions near Ishkhanasar"), false},
		{"inside the district (gazetteer)", ev("ASSAULT", "AZE", "ARM", "kalbajar-district", 40.05, 46.1, "district", "2021-05-12",
			"", "Azerbaijani units opened fire in Kalbajar"), true},
		{"other type", ev("AID", "AZE", "ARM", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-12",
			"", "Azerbaijani units opened fire on Armenian positions near the Sotk gold mine"), false},
		{"mutual accusation by the other party", ev("ASSAULT", "ARM", "AZE", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-12",
			"Azerbaijani Ministry of Defence", "Armenian units opened fire on Azerbaijani positions near the Zod gold mine"), true},
		{"other actor, no party claim", ev("ASSAULT", "RUS", "ARM", "sotk-gold-mine", 40.22, 46.0, "site", "2021-05-12",
			"", "Russian units opened fire on positions near the Sotk gold mine"), false},
		{"no place, actors and words agree", ev("ASSAULT", "AZE", "ARM", "", 0, 0, "", "2021-05-12",
			"", "Azerbaijani units opened fire on Armenian positions near the Sotk gold mine"), true},
		{"no place, no actors", ev("ASSAULT", "", "", "", 0, 0, "", "2021-05-12",
			"", "Shots were heard at night"), false},
		{"demanded, not asserted", func() truce.Event {
			e := base
			e.Modality = "demanded"
			return e
		}(), false},
	}
	reg := registry(t)
	gz := extractor(t).Gazetteer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fuse.New(reg, gz, fuse.Options{})
			f.Add(truce.Report{URL: "a", Source: "Outlet A", Published: "2021-05-12", Text: "first report"}, []truce.Event{base})
			as := f.Add(truce.Report{URL: "b", Source: "Outlet B", Published: "2021-05-13", Text: "another text entirely"}, []truce.Event{tt.e})
			if got := !as[0].New; got != tt.fused {
				t.Errorf("fused = %v (score %.2f), want %v", got, as[0].Score, tt.fused)
			}
		})
	}
}

// TestSameReportSameType keeps the extractor's split: two events of one type in one report stay apart.
func TestSameReportSameType(t *testing.T) {
	f := fuse.New(registry(t), nil, fuse.Options{})
	a := ev("CONSULT", "RUS", "ARM", "", 0, 0, "", "2020-11-26", "", "Putin spoke by phone with Pashinyan")
	b := ev("CONSULT", "RUS", "ARM", "", 0, 0, "", "2020-11-27", "", "Putin spoke by phone with Pashinyan again")
	as := f.Add(truce.Report{URL: "x", Published: "2020-11-27", Text: "x"}, []truce.Event{a, b})
	if as[0].Incident == as[1].Incident {
		t.Errorf("two calls of one report fused into incident %d", as[0].Incident)
	}
	if again := f.Add(truce.Report{URL: "x"}, nil); len(again) != 2 || again[1].Incident != as[1].Incident {
		t.Errorf("adding a report twice: %+v, want its first assignments", again)
	}
}

// TestCredibility checks the grades of the Admiralty scale given by corroboration.
func TestCredibility(t *testing.T) {
	reg := fuse.NewRegistry()
	for _, s := range []fuse.Source{
		{Name: "ARM MoD", Kind: "ministry", Affiliation: "ARM", Reliability: "C"},
		{Name: "ARM MFA", Kind: "ministry", Affiliation: "ARM", Reliability: "C"},
		{Name: "AZE MoD", Kind: "ministry", Affiliation: "AZE", Reliability: "C"},
		{Name: "Monitor", Kind: "mission", Affiliation: "IGO", Reliability: "B"},
		{Name: "Wire", Kind: "agency", Affiliation: "none", Reliability: "A"},
		{Name: "Blog", Kind: "outlet", Affiliation: "none"},
	} {
		if err := reg.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	sides, err := fuse.ParseSources([]byte("sides: {ARM: ARM, AZE: AZE}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Merge(sides); err != nil {
		t.Fatal(err)
	}
	text := "Azerbaijani units shelled Armenian positions near Sotk"
	claim := func(speaker string) truce.Event {
		return ev("ASSAULT", "AZE", "ARM", "sotk", 40.2, 45.9, "settlement", "2021-05-12", speaker, text)
	}
	denial := func(speaker string) truce.Event {
		e := claim(speaker)
		e.Negated = true
		return e
	}
	tests := []struct {
		name      string
		reports   [][2]any // outlet, event
		want      int
		wantParty bool
	}{
		{"one wire, reliability A", [][2]any{{"Wire", claim("")}}, fuse.ProbablyTrue, false},
		{"one unknown blog", [][2]any{{"Blog", claim("")}}, fuse.CannotBeJudged, false},
		{"one party claim", [][2]any{{"Wire", claim("ARM MoD")}}, fuse.PossiblyTrue, true},
		{"two outlets quoting one ministry", [][2]any{{"Wire", claim("ARM MoD")}, {"Blog", claim("ARM MoD")}}, fuse.PossiblyTrue, true},
		{"two ministries of one side", [][2]any{{"Wire", claim("ARM MoD")}, {"Blog", claim("ARM MFA")}}, fuse.ProbablyTrue, true},
		{"party claim and a monitor", [][2]any{{"Wire", claim("ARM MoD")}, {"Blog", claim("Monitor")}}, fuse.Confirmed, false},
		{"party claim denied by the other", [][2]any{{"Wire", claim("ARM MoD")}, {"Blog", denial("AZE MoD")}}, fuse.Doubtful, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fuse.New(reg, nil, fuse.Options{})
			var inc int
			for i, r := range tt.reports {
				rep := truce.Report{URL: fmt.Sprint(i), Source: r[0].(string), Published: "2021-05-12", Text: fmt.Sprintf("report %d", i)}
				inc = f.Add(rep, []truce.Event{r[1].(truce.Event)})[0].Incident
			}
			got := f.Incident(inc)
			if len(f.Incidents()) != 1 {
				t.Fatalf("%d incidents, want 1", len(f.Incidents()))
			}
			if got.Credibility != tt.want || got.PartyClaim != tt.wantParty {
				t.Errorf("credibility %d party %v (%s), want %d party %v", got.Credibility, got.PartyClaim, got.Grounds, tt.want, tt.wantParty)
			}
		})
	}
}

func TestRegistry(t *testing.T) {
	reg, err := fuse.LoadSources(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, want string }{
		{"Armenia's defence ministry", "Ministry of Defence of Armenia"},
		{"the Armenian Ministry of Defense", "Ministry of Defence of Armenia"},
		{"Azerbaijan's Ministry of Defence", "Ministry of Defence of Azerbaijan"},
		{"ICRC", "International Committee of the Red Cross"},
		{"Some Blog", ""},
	}
	for _, tt := range tests {
		got := ""
		if s := reg.Lookup(tt.name); s != nil {
			got = s.Name
			if s.Reliability != fuse.ReliabilityF {
				t.Errorf("%s: bundled reliability %s, want F (truce ships no grades)", s.Name, s.Reliability)
			}
		}
		if got != tt.want {
			t.Errorf("Lookup(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, bad := range []string{"sources: [{name: X, reliability: G}]", "sources: [{name: X, kind: blog}]",
		"sources: [{aliases: [x]}]", "sauces: []", "sources: ["} {
		if _, err := fuse.ParseSources([]byte(bad)); err == nil {
			t.Errorf("ParseSources(%q): no error", bad)
		}
	}
}

// benchFuser returns a Fuser holding about n incidents (n/3 reports of 3
// events): a record that grew with time at a steady 50 reports a day, across
// the region.
func benchFuser(b *testing.B, n int, rng *rand.Rand) *fuse.Fuser {
	f := fuse.New(registry(b), nil, fuse.Options{})
	for i := 0; i < n/3; i++ {
		f.Add(randomReport(rng, i))
	}
	return f
}

var benchTypes = []string{"ASSAULT", "MOBILIZE", "COERCE", "AID", "CONSULT", "RETREAT", "ACCUSE"}

// randomReport is the i-th report of a stream of 50 a day, each dated within a day of its place in the stream.
func randomReport(rng *rand.Rand, i int) (truce.Report, []truce.Event) {
	date := dayString(max(0, i/50+rng.IntN(3)-1))
	var evs []truce.Event
	for k := 0; k < 3; k++ {
		lat, lon := 38.5+rng.Float64()*3, 44+rng.Float64()*3.5
		evs = append(evs, ev(benchTypes[rng.IntN(len(benchTypes))], []string{"ARM", "AZE", "RUS"}[rng.IntN(3)], "",
			fmt.Sprintf("p%d", rng.IntN(5000)), lat, lon, "settlement", date, "",
			fmt.Sprintf("report %d event %d words %d %d", i, k, rng.IntN(1000), rng.IntN(1000))))
	}
	r := truce.Report{URL: fmt.Sprintf("r%d", i), Source: "Wire", Published: date,
		Text: fmt.Sprintf("Report number %d of the benchmark, about event %d and %d near place %d.", i, rng.IntN(1e6), rng.IntN(1e6), rng.IntN(1e6))}
	return r, evs
}

func dayString(d int) string {
	return truceDay.AddDate(0, 0, d).Format(truce.DateLayout)
}

// BenchmarkAdd measures one report (3 events) added to a Fuser that already
// holds about 1k, 10k and 100k incidents: the cost per report should stay flat
// as the record grows.
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			f := benchFuser(b, n, rng)
			b.ReportMetric(float64(len(f.Incidents())), "incidents")
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				f.Add(randomReport(rng, n/3+i))
			}
		})
	}
}

var truceDay = mustDay("2021-01-01")

func mustDay(s string) time.Time {
	t, err := time.Parse(truce.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}
