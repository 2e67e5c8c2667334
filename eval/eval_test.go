package eval

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// loadTestdata scores the gold and pred folders of testdata.
func loadTestdata(t *testing.T) *Result {
	t.Helper()
	cases, unscored, err := LoadCases(filepath.Join("testdata", "gold"), filepath.Join("testdata", "pred"))
	if err != nil {
		t.Fatal(err)
	}
	return Evaluate(cases, unscored, Options{})
}

func TestScoreReports(t *testing.T) {
	res := loadTestdata(t)
	byName := map[string]ReportResult{}
	for _, rr := range res.Reports {
		byName[rr.Name] = rr
	}
	tests := []struct {
		name                string
		events, detect, typ Score
		places, dates, inds Score
		metrics             Score
		missing             bool
	}{
		{name: "perfect", events: Score{2, 0, 0}, detect: Score{2, 0, 0}, typ: Score{2, 0, 0}, places: Score{2, 0, 0}, dates: Score{2, 0, 0}},
		// RETREAT is an alternative's type; ATTACK is no gold type; a predicted day inside the gold range is right.
		{name: "wrongtype", events: Score{1, 1, 1}, detect: Score{2, 0, 0}, typ: Score{1, 1, 1}, places: Score{2, 0, 0}, dates: Score{2, 0, 0}},
		// a missing date where gold has one and a date where gold has none are both wrong; diacritics fold.
		{name: "nodate", events: Score{0, 2, 2}, detect: Score{2, 0, 0}, typ: Score{2, 0, 0}, places: Score{2, 0, 0}, dates: Score{0, 2, 2}},
		// a duplicate and an unrelated prediction are false positives.
		{name: "extra", events: Score{1, 2, 0}, detect: Score{1, 2, 0}, typ: Score{1, 2, 0}, places: Score{1, 2, 0}, dates: Score{1, 2, 0}},
		{name: "feed-1", events: Score{1, 0, 0}, detect: Score{1, 0, 0}, typ: Score{1, 0, 0}, places: Score{1, 0, 0}, dates: Score{1, 0, 0}},
		{name: "feed-2", events: Score{1, 0, 0}, detect: Score{1, 0, 0}, typ: Score{1, 0, 0}, places: Score{1, 0, 0}, dates: Score{1, 0, 0}},
		// ranges, open bounds, unit synonyms and m ↔ km; metric names by alias and namespace.
		{name: "indicators", inds: Score{5, 1, 0}, metrics: Score{5, 1, 0}},
		{name: "missing", missing: true, events: Score{0, 0, 1}, detect: Score{0, 0, 1}, typ: Score{0, 0, 1}, places: Score{0, 0, 1}, dates: Score{0, 0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rr, ok := byName[tt.name]
			if !ok {
				t.Fatalf("no result for %s", tt.name)
			}
			s := rr.Scores
			got := []Score{s.Events, s.Detection, s.Types, s.Places, s.Dates, s.Indicators, s.Metrics}
			want := []Score{tt.events, tt.detect, tt.typ, tt.places, tt.dates, tt.inds, tt.metrics}
			names := []string{"events", "detection", "types", "places", "dates", "indicators", "metrics"}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: got %+v, want %+v", names[i], got[i], want[i])
				}
			}
			if rr.Missing != tt.missing {
				t.Errorf("missing = %v, want %v", rr.Missing, tt.missing)
			}
		})
	}
	if len(res.Unscored) != 1 || !strings.HasSuffix(res.Unscored[0], "orphan.json") {
		t.Errorf("unscored = %v, want orphan.json", res.Unscored)
	}
	if strings.Join(res.Missing, ",") != "missing" {
		t.Errorf("missing = %v", res.Missing)
	}
}

func TestPerfectScoresOne(t *testing.T) {
	cases, _, err := LoadCases(filepath.Join("testdata", "gold", "perfect.json"), filepath.Join("testdata", "pred", "perfect.json"))
	if err != nil {
		t.Fatal(err)
	}
	res := Evaluate(cases, nil, Options{})
	for name, s := range map[string]Score{"events": res.Total.Events, "types": res.Total.Types, "places": res.Total.Places, "dates": res.Total.Dates} {
		if f, ok := s.F1(); !ok || f != 1 {
			t.Errorf("%s F1 = %v, %v; want 1", name, f, ok)
		}
	}
}

func TestSingleFeedFile(t *testing.T) {
	cases, _, err := LoadCases(filepath.Join("testdata", "gold", "feed-2.json"), filepath.Join("testdata", "pred", "feed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 1 || cases[0].Pred == nil || cases[0].Pred.Report.Title != "two" {
		t.Fatalf("feed-2.json was not paired with the second extraction of feed.json: %+v", cases)
	}
}

func TestGoldenText(t *testing.T) {
	res := loadTestdata(t)
	var b bytes.Buffer
	if err := res.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "eval.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("text output differs from %s (run with -update to accept):\n%s", golden, got)
	}
	var j bytes.Buffer
	if err := res.WriteJSON(&j); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatalf("json output does not parse: %v", err)
	}
}

func fp(v float64) *float64 { return &v }

func TestPlaceCorrect(t *testing.T) {
	tests := []struct {
		name     string
		loc, can string
		pred     *truce.Place
		want     bool
	}{
		{"both absent", "", "", nil, true},
		{"gold only", "Oakford", "", nil, false},
		{"pred only", "", "", &truce.Place{Name: "Oakford"}, false},
		{"same", "Oakford", "", &truce.Place{Name: "oakford"}, true},
		{"generic words dropped", "near Oakford", "", &truce.Place{Name: "Oakford"}, true},
		{"other convention in canonical", "Eikenfurt", "Oakford (Eikenfurt), North Valley, Ruritania", &truce.Place{Name: "X", Canonical: "Oakford / Eikenfurt"}, true},
		{"containing area is not enough", "Oakford", "Oakford, North Valley, Ruritania", &truce.Place{Name: "Ruritania"}, false},
		{"pred contains gold", "Mill Cross", "", &truce.Place{Name: "Mill Cross bridge"}, true},
		{"diacritics", "Şuşa", "", &truce.Place{Name: "Susa"}, true},
		{"schwa", "Ağdərə", "", &truce.Place{Name: "Agdere"}, true},
		{"different", "Oakford", "Oakford, Ruritania", &truce.Place{Name: "Bridgeton"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := placeCorrect(GoldEvent{Location: tt.loc, LocationCanonical: tt.can}, tt.pred); got != tt.want {
				t.Errorf("placeCorrect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDateCorrect(t *testing.T) {
	tests := []struct {
		gold       string
		start, end string
		nilDate    bool
		want       bool
	}{
		{"", "", "", true, true},
		{"", "2024-03-01", "", false, false},
		{"2024-03-01", "", "", true, false},
		{"2024-03-01", "", "", false, false},
		{"2024-03-01", "2024-03-01", "", false, true},
		{"2024-03-01", "2024-03-01", "2024-03-01", false, true},
		{"2024-03-01", "2024-03-02", "2024-03-02", false, false},
		{"2024-02-28/2024-03-01", "2024-02-29", "2024-02-29", false, true},
		{"2024-02-28/2024-03-01", "2024-02-28", "2024-03-01", false, true},
		{"2024-03-01", "2024-03-01", "2024-03-31", false, false}, // too vague
		{"2024-03-01", "bad", "", false, false},
	}
	for _, tt := range tests {
		var w *truce.When
		if !tt.nilDate {
			w = &truce.When{Start: tt.start, End: tt.end}
		}
		if got := dateCorrect(tt.gold, w); got != tt.want {
			t.Errorf("dateCorrect(%q, %+v) = %v, want %v", tt.gold, w, got, tt.want)
		}
	}
}

func TestIndicatorCorrect(t *testing.T) {
	tests := []struct {
		name string
		g    GoldIndicator
		p    truce.Indicator
		want bool
	}{
		{"value within 1%", GoldIndicator{Value: fp(1000), Unit: "count"}, truce.Indicator{Value: fp(1009), Unit: "objects"}, true},
		{"value off", GoldIndicator{Value: fp(1000), Unit: "count"}, truce.Indicator{Value: fp(1020), Unit: "objects"}, false},
		{"units incompatible", GoldIndicator{Value: fp(3), Unit: "km"}, truce.Indicator{Value: fp(3), Unit: "ha"}, false},
		{"open bound", GoldIndicator{Value: fp(2), Min: fp(2), Unit: "hectares"}, truce.Indicator{Min: fp(2), Unit: "ha"}, true},
		{"bound on the wrong side", GoldIndicator{Min: fp(2), Unit: "ha"}, truce.Indicator{Max: fp(2), Unit: "ha"}, false},
		{"range", GoldIndicator{Value: fp(96), Min: fp(95), Max: fp(97), Unit: "percent"}, truce.Indicator{Min: fp(95), Max: fp(97), Unit: "%"}, true},
		{"range by midpoint", GoldIndicator{Value: fp(96), Min: fp(95), Max: fp(97), Unit: "percent"}, truce.Indicator{Value: fp(96), Unit: "%"}, true},
		{"exact as equal bounds", GoldIndicator{Min: fp(44), Max: fp(44), Unit: "persons"}, truce.Indicator{Value: fp(44), Unit: "persons"}, true},
		{"metres to km", GoldIndicator{Value: fp(1500), Unit: "m"}, truce.Indicator{Value: fp(1.5), Unit: "km"}, true},
		{"zero", GoldIndicator{Value: fp(0), Unit: "persons"}, truce.Indicator{Value: fp(0), Unit: ""}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := indicatorCorrect(tt.g, tt.p); got != tt.want {
				t.Errorf("indicatorCorrect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOverlap(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"The army left.", "the army left", 1},
		{"He said: “The army left – today.”", `He said: "The army left - today."`, 1},
		{"The army left Oakford on Friday.", "Officials said the army left Oakford on Friday, and more.", 1},
		{"The army left.", "The navy came back to port.", 0},
		{"One two three four five six seven eight.", "One two three nine ten eleven twelve thirteen.", 0},
	}
	for _, tt := range tests {
		if got := overlap(words(tt.a), words(tt.b)); got != tt.want {
			t.Errorf("overlap(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMetricAgree(t *testing.T) {
	tests := []struct {
		gold, pred string
		want       bool
	}{
		{"land_demined", "demining.area_cleared", true},
		{"explosive_objects_neutralized", "demining.explosive_objects_neutralized", true},
		{"Prisoners returned", "exchange.prisoners_returned", true},
		{"killed", "demining.area_cleared", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := metricAgree(tt.gold, tt.pred, DefaultMetricAliases); got != tt.want {
			t.Errorf("metricAgree(%q, %q) = %v, want %v", tt.gold, tt.pred, got, tt.want)
		}
	}
}

// bruteAssign returns the best total weight over every one-to-one alignment.
func bruteAssign(w [][]float64, i int, used []bool) float64 {
	if i == len(w) {
		return 0
	}
	best := bruteAssign(w, i+1, used) // row i unaligned
	for j := range w[i] {
		if !used[j] && w[i][j] > 0 {
			used[j] = true
			best = max(best, w[i][j]+bruteAssign(w, i+1, used))
			used[j] = false
		}
	}
	return best
}

func TestAssignIsOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n, m := 1+r.IntN(5), 1+r.IntN(5)
		w := make([][]float64, n)
		for i := range w {
			w[i] = make([]float64, m)
			for j := range w[i] {
				if r.IntN(3) > 0 {
					w[i][j] = float64(r.IntN(6))
				}
			}
		}
		a := assign(w)
		got, seen := 0.0, map[int]bool{}
		for i, j := range a {
			if j < 0 {
				continue
			}
			if seen[j] || w[i][j] <= 0 {
				t.Fatalf("trial %d: bad alignment %v of %v", trial, a, w)
			}
			seen[j] = true
			got += w[i][j]
		}
		if want := bruteAssign(w, 0, make([]bool, m)); got != want {
			t.Fatalf("trial %d: weight %v, want %v (%v)", trial, got, want, w)
		}
	}
}

func TestGoldCheck(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"list type", `{"events":[{"type":["AID"],"evidence":"x"}]}`, true},
		{"string type", `{"events":[{"type":"AID","evidence":"x"}]}`, true},
		{"no type", `{"events":[{"evidence":"x"}]}`, false},
		{"no evidence", `{"events":[{"type":"AID"}]}`, false},
		{"bad date", `{"events":[{"type":"AID","evidence":"x","date":"March 1"}]}`, false},
		{"backwards range", `{"events":[{"type":"AID","evidence":"x","date":"2024-03-02/2024-03-01"}]}`, false},
		{"indicator without figure", `{"indicators":[{"metric":"m","evidence":"x"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var g Gold
			err := json.Unmarshal([]byte(tt.in), &g)
			if err == nil {
				err = g.Check()
			}
			if (err == nil) != tt.ok {
				t.Errorf("err = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestReadExtractions(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
	}{
		{"empty", "  \n", 0},
		{"one pretty", "{\n \"events\": []\n}\n", 1},
		{"lines", "{\"events\":[]}\n{\"events\":[]}\n", 2},
		{"array", `[{"events":[]},{"events":[]},{}]`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			xs, err := ReadExtractions(strings.NewReader(tt.in))
			if err != nil || len(xs) != tt.n {
				t.Errorf("got %d, %v; want %d", len(xs), err, tt.n)
			}
		})
	}
	if _, err := ReadExtractions(strings.NewReader(`{"events": 3}`)); err == nil {
		t.Error("want an error for a malformed extraction")
	}
}

func FuzzReadExtractions(f *testing.F) {
	for _, s := range []string{"", "{}", "[{}]", "{}\n{}", `{"events":[{"type":"AID","date":{"start":"x"}}]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		xs, err := ReadExtractions(strings.NewReader(in))
		if err != nil {
			return
		}
		g := &Gold{Events: []GoldEvent{{Type: Types{"AID"}, Evidence: in, Date: "2024-01-01"}}}
		for i := range xs {
			ScoreReport(g, &xs[i], Options{}) // must not panic
		}
	})
}

func FuzzGold(f *testing.F) {
	for _, s := range []string{`{}`, `{"events":[{"type":"AID","evidence":"a b c","date":"2024-01-01/2024-01-02","location":"Şuşa"}]}`, `{"indicators":[{"value":1,"unit":"km","evidence":"x"}]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var g Gold
		if json.Unmarshal([]byte(in), &g) != nil || g.Check() != nil {
			return
		}
		p := &truce.Extraction{}
		for _, e := range g.Events {
			p.Events = append(p.Events, truce.Event{Type: e.Type[0], Evidence: truce.Span{Text: e.Evidence}, Place: &truce.Place{Name: e.Location}})
		}
		rr := ScoreReport(&g, p, Options{})
		if rr.Scores.Detection.TP != len(g.Events) {
			t.Errorf("a copy of the gold aligned %d of %d events", rr.Scores.Detection.TP, len(g.Events))
		}
	})
}

func BenchmarkScoreReport(b *testing.B) {
	g := &Gold{}
	p := &truce.Extraction{}
	for i := range 40 {
		ev := strings.Repeat("word ", 20) + strings.Repeat("x", i+1) + " the army left the village today"
		g.Events = append(g.Events, GoldEvent{Type: Types{"RETREAT"}, Evidence: ev, Location: "Oakford", Date: "2024-03-01"})
		p.Events = append(p.Events, truce.Event{Type: "RETREAT", Evidence: truce.Span{Text: ev}, Place: &truce.Place{Name: "Oakford"}, Date: &truce.When{Start: "2024-03-01"}})
	}
	for b.Loop() {
		ScoreReport(g, p, Options{})
	}
}
