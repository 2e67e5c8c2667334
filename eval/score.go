package eval

import (
	"encoding/json"
	"strings"

	"github.com/truce-monitor/truce"
)

// Score counts true positives, false positives and false negatives.
type Score struct {
	TP, FP, FN int
}

// Add returns the sum of two scores.
func (s Score) Add(o Score) Score { return Score{s.TP + o.TP, s.FP + o.FP, s.FN + o.FN} }

// Precision returns TP/(TP+FP), and false when nothing was predicted.
func (s Score) Precision() (float64, bool) { return ratio(s.TP, s.TP+s.FP) }

// Recall returns TP/(TP+FN), and false when there was nothing to find.
func (s Score) Recall() (float64, bool) { return ratio(s.TP, s.TP+s.FN) }

// F1 returns 2TP/(2TP+FP+FN), the harmonic mean of precision and recall, and
// false when there was nothing to find and nothing was predicted.
func (s Score) F1() (float64, bool) { return ratio(2*s.TP, 2*s.TP+s.FP+s.FN) }

// ratio returns a/b, and false when b is 0.
func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}

// MarshalJSON writes the counts and the ratios, null where undefined.
func (s Score) MarshalJSON() ([]byte, error) {
	opt := func(v float64, ok bool) *float64 {
		if !ok {
			return nil
		}
		return &v
	}
	return json.Marshal(struct {
		TP        int      `json:"tp"`
		FP        int      `json:"fp"`
		FN        int      `json:"fn"`
		Precision *float64 `json:"precision"`
		Recall    *float64 `json:"recall"`
		F1        *float64 `json:"f1"`
	}{s.TP, s.FP, s.FN, opt(s.Precision()), opt(s.Recall()), opt(s.F1())})
}

// Scores are the scores of one report or of all of them.
type Scores struct {
	// Detection counts aligned events, whatever their type, place and date.
	Detection Score `json:"detection"`
	// Events counts aligned events with type, place and date all correct.
	Events Score `json:"events"`
	// Types, Places and Dates count aligned events correct on that field.
	Types  Score `json:"types"`
	Places Score `json:"places"`
	Dates  Score `json:"dates"`
	// Indicators counts aligned indicators with compatible units and agreeing figures.
	Indicators Score `json:"indicators"`
	// Metrics counts aligned indicators whose metric names agree.
	Metrics Score `json:"metrics"`
}

// Add returns the sum of two sets of scores.
func (s Scores) Add(o Scores) Scores {
	return Scores{
		s.Detection.Add(o.Detection), s.Events.Add(o.Events), s.Types.Add(o.Types),
		s.Places.Add(o.Places), s.Dates.Add(o.Dates), s.Indicators.Add(o.Indicators), s.Metrics.Add(o.Metrics),
	}
}

// EventPair is a gold event aligned with a predicted one and the verdict on each field.
type EventPair struct {
	Gold    int     `json:"gold"` // index into the gold events
	Pred    int     `json:"pred"` // index into the predicted events
	Overlap float64 `json:"overlap"`
	Type    bool    `json:"type"`
	Place   bool    `json:"place"`
	Date    bool    `json:"date"`
}

// Correct reports whether the pair is right on every field.
func (p EventPair) Correct() bool { return p.Type && p.Place && p.Date }

// IndicatorPair is a gold indicator aligned with a predicted one.
type IndicatorPair struct {
	Gold    int     `json:"gold"`
	Pred    int     `json:"pred"`
	Overlap float64 `json:"overlap"`
	Value   bool    `json:"value"` // units compatible and figures agree
	Metric  bool    `json:"metric"`
}

// ReportResult is the scoring of one gold file.
type ReportResult struct {
	Name     string `json:"name"`
	GoldPath string `json:"gold"`
	PredPath string `json:"pred"`
	Missing  bool   `json:"missing"` // no prediction: every gold item is missed
	Note     string `json:"note,omitempty"`
	Scores   Scores `json:"scores"`

	EventPairs       []EventPair     `json:"event_pairs"`
	MissedEvents     []int           `json:"missed_events"` // gold events aligned with nothing
	ExtraEvents      []int           `json:"extra_events"`  // predicted events aligned with nothing
	IndicatorPairs   []IndicatorPair `json:"indicator_pairs"`
	MissedIndicators []int           `json:"missed_indicators"`
	ExtraIndicators  []int           `json:"extra_indicators"`

	gold *Gold
	pred *truce.Extraction
}

// Result is the scoring of a set of gold files.
type Result struct {
	Reports  []ReportResult `json:"reports"`
	Total    Scores         `json:"total"`    // micro-averaged: counts summed over reports
	Missing  []string       `json:"missing"`  // gold files with no prediction
	Unscored []string       `json:"unscored"` // prediction files no gold file used
}

// Options tune scoring.
type Options struct {
	// MetricAliases maps truce metric names to gold metric names that mean
	// the same; nil uses DefaultMetricAliases.
	MetricAliases map[string][]string
}

// Evaluate scores every case and sums the counts.
func Evaluate(cases []Case, unscored []string, opt Options) *Result {
	r := &Result{Unscored: unscored}
	for _, c := range cases {
		rr := ScoreReport(c.Gold, c.Pred, opt)
		rr.Name, rr.GoldPath, rr.PredPath, rr.Note = c.Name, c.GoldPath, c.PredPath, c.Note
		if rr.Missing {
			r.Missing = append(r.Missing, c.Name)
		}
		r.Total = r.Total.Add(rr.Scores)
		r.Reports = append(r.Reports, rr)
	}
	return r
}

// asserted returns the extraction without its negated events: a negated
// event says a thing did not happen, and gold codes only what happened.
func asserted(p *truce.Extraction) *truce.Extraction {
	q := *p
	q.Events = nil
	for _, e := range p.Events {
		if !e.Negated {
			q.Events = append(q.Events, e)
		}
	}
	return &q
}

// ScoreReport aligns and scores one prediction (nil when missing) against its gold coding.
func ScoreReport(g *Gold, p *truce.Extraction, opt Options) ReportResult {
	if g == nil {
		g = &Gold{}
	}
	rr := ReportResult{Missing: p == nil, gold: g, pred: p}
	if p == nil {
		p = &truce.Extraction{}
	}
	p = asserted(p)
	rr.pred = p
	aliases := opt.MetricAliases
	if aliases == nil {
		aliases = DefaultMetricAliases
	}
	rr.EventPairs, rr.MissedEvents, rr.ExtraEvents = alignEvents(g.Events, p.Events)
	rr.IndicatorPairs, rr.MissedIndicators, rr.ExtraIndicators = alignIndicators(g.Indicators, p.Indicators, aliases)

	count := func(ok func(EventPair) bool) Score {
		tp := 0
		for _, pr := range rr.EventPairs {
			if ok(pr) {
				tp++
			}
		}
		return Score{TP: tp, FP: len(p.Events) - tp, FN: len(g.Events) - tp}
	}
	s := &rr.Scores
	s.Detection = count(func(EventPair) bool { return true })
	s.Events = count(EventPair.Correct)
	s.Types = count(func(pr EventPair) bool { return pr.Type })
	s.Places = count(func(pr EventPair) bool { return pr.Place })
	s.Dates = count(func(pr EventPair) bool { return pr.Date })
	countInd := func(ok func(IndicatorPair) bool) Score {
		tp := 0
		for _, pr := range rr.IndicatorPairs {
			if ok(pr) {
				tp++
			}
		}
		return Score{TP: tp, FP: len(p.Indicators) - tp, FN: len(g.Indicators) - tp}
	}
	s.Indicators = countInd(func(pr IndicatorPair) bool { return pr.Value })
	s.Metrics = countInd(func(pr IndicatorPair) bool { return pr.Metric })
	return rr
}

// alignEvents aligns gold and predicted events one-to-one. A pair is a
// candidate when its evidence overlaps; its weight is
// 1 + overlap + 2·type + place + date (each verdict 0 or 1), and the
// alignment maximises the total weight.
func alignEvents(gold []GoldEvent, pred []truce.Event) (pairs []EventPair, missed, extra []int) {
	predWords := make([][]string, len(pred))
	for j, e := range pred {
		predWords[j] = words(e.Evidence.Text)
	}
	cand := make([][]EventPair, len(gold))
	w := make([][]float64, len(gold))
	for i, g := range gold {
		gw := words(g.Evidence)
		cand[i], w[i] = make([]EventPair, len(pred)), make([]float64, len(pred))
		for j, e := range pred {
			ov := overlap(gw, predWords[j])
			if ov == 0 {
				continue
			}
			pr := EventPair{Gold: i, Pred: j, Overlap: ov, Type: typeCorrect(g, e.Type), Place: placeCorrect(g, e.Place), Date: dateCorrect(g.Date, e.Date)}
			cand[i][j] = pr
			w[i][j] = 1 + ov + 2*b2f(pr.Type) + b2f(pr.Place) + b2f(pr.Date)
		}
	}
	return assigned(assign(w), cand, len(pred))
}

// alignIndicators aligns gold and predicted indicators one-to-one by evidence
// overlap with weight 1 + overlap + 2·value + metric.
func alignIndicators(gold []GoldIndicator, pred []truce.Indicator, aliases map[string][]string) (pairs []IndicatorPair, missed, extra []int) {
	predWords := make([][]string, len(pred))
	for j, in := range pred {
		predWords[j] = words(in.Evidence.Text)
	}
	cand := make([][]IndicatorPair, len(gold))
	w := make([][]float64, len(gold))
	for i, g := range gold {
		gw := words(g.Evidence)
		cand[i], w[i] = make([]IndicatorPair, len(pred)), make([]float64, len(pred))
		for j, in := range pred {
			ov := overlap(gw, predWords[j])
			if ov == 0 {
				continue
			}
			pr := IndicatorPair{Gold: i, Pred: j, Overlap: ov, Value: indicatorCorrect(g, in), Metric: metricAgree(g.Metric, in.Metric, aliases)}
			cand[i][j] = pr
			w[i][j] = 1 + ov + 2*b2f(pr.Value) + b2f(pr.Metric)
		}
	}
	return assigned(assign(w), cand, len(pred))
}

// assigned turns an assignment (a[i] is the prediction given to gold i, or
// -1) into the chosen pairs, the missed gold items and the extra predictions.
func assigned[P any](a []int, cand [][]P, npred int) (pairs []P, missed, extra []int) {
	used := make([]bool, npred)
	for i, j := range a {
		if j < 0 {
			missed = append(missed, i)
			continue
		}
		used[j] = true
		pairs = append(pairs, cand[i][j])
	}
	for j, u := range used {
		if !u {
			extra = append(extra, j)
		}
	}
	return pairs, missed, extra
}

// b2f returns 1 for true and 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// describe returns a short one-line description of a string for listings.
func describe(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
