package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce"
)

// WriteJSON writes the result as one indented JSON object.
func (r *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write eval json: %w", err)
	}
	return nil
}

// scoreRows names the rows of a score table in order.
var scoreRows = []struct {
	name string
	get  func(Scores) Score
}{
	{"events", func(s Scores) Score { return s.Events }},
	{"detection", func(s Scores) Score { return s.Detection }},
	{"types", func(s Scores) Score { return s.Types }},
	{"places", func(s Scores) Score { return s.Places }},
	{"dates", func(s Scores) Score { return s.Dates }},
	{"indicators", func(s Scores) Score { return s.Indicators }},
	{"ind. metrics", func(s Scores) Score { return s.Metrics }},
}

// WriteText writes a score table per report and a micro-averaged total; with
// verbose, each report also lists its missed, extra and wrong items.
func (r *Result) WriteText(w io.Writer, verbose bool) error {
	ew := &errWriter{w: w}
	for _, rr := range r.Reports {
		fmt.Fprintf(ew, "== %s\n", rr.Name)
		fmt.Fprintf(ew, "gold %s\n", rr.GoldPath)
		if rr.Missing {
			fmt.Fprintf(ew, "pred MISSING: every gold item counts as missed\n")
		} else {
			fmt.Fprintf(ew, "pred %s\n", rr.PredPath)
		}
		if rr.Note != "" {
			fmt.Fprintf(ew, "note %s\n", rr.Note)
		}
		writeTable(ew, rr.Scores)
		if verbose {
			rr.writeDetails(ew)
		}
		fmt.Fprintln(ew)
	}
	fmt.Fprintf(ew, "== total (micro-averaged over %d reports", len(r.Reports))
	if len(r.Missing) > 0 {
		fmt.Fprintf(ew, "; %d without prediction: %s", len(r.Missing), strings.Join(r.Missing, ", "))
	}
	fmt.Fprintln(ew, ")")
	writeTable(ew, r.Total)
	if len(r.Unscored) > 0 {
		fmt.Fprintf(ew, "\nunscored predictions (no gold file): %s\n", strings.Join(r.Unscored, ", "))
	}
	return ew.err
}

// writeTable writes one table of scores.
func writeTable(w io.Writer, s Scores) {
	fmt.Fprintf(w, "%-13s %5s %5s %5s %6s %6s %6s\n", "score", "TP", "FP", "FN", "P", "R", "F1")
	for _, row := range scoreRows {
		sc := row.get(s)
		fmt.Fprintf(w, "%-13s %5d %5d %5d %6s %6s %6s\n", row.name, sc.TP, sc.FP, sc.FN,
			pct(sc.Precision()), pct(sc.Recall()), pct(sc.F1()))
	}
}

// pct formats a ratio with two decimals, or "-" when undefined.
func pct(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// writeDetails lists what a report missed, added or got wrong.
func (rr *ReportResult) writeDetails(w io.Writer) {
	g, p := rr.gold, rr.pred
	if g == nil {
		return
	}
	if p == nil {
		p = &truce.Extraction{}
	}
	for _, i := range rr.MissedEvents {
		fmt.Fprintf(w, "  FN event     %s\n", goldEvent(g.Events[i]))
	}
	for _, j := range rr.ExtraEvents {
		fmt.Fprintf(w, "  FP event     %s\n", predEvent(p.Events[j]))
	}
	for _, pr := range rr.EventPairs {
		if pr.Correct() {
			continue
		}
		var wrong []string
		for _, f := range []struct {
			ok   bool
			name string
		}{{pr.Type, "type"}, {pr.Place, "place"}, {pr.Date, "date"}} {
			if !f.ok {
				wrong = append(wrong, f.name)
			}
		}
		fmt.Fprintf(w, "  WRONG %-6s gold %s\n", strings.Join(wrong, ","), goldEvent(g.Events[pr.Gold]))
		fmt.Fprintf(w, "               pred %s\n", predEvent(p.Events[pr.Pred]))
	}
	for _, i := range rr.MissedIndicators {
		fmt.Fprintf(w, "  FN indicator %s\n", goldIndicator(g.Indicators[i]))
	}
	for _, j := range rr.ExtraIndicators {
		fmt.Fprintf(w, "  FP indicator %s\n", predIndicator(p.Indicators[j]))
	}
	for _, pr := range rr.IndicatorPairs {
		if pr.Value && pr.Metric {
			continue
		}
		what := "value"
		if pr.Value {
			what = "metric"
		}
		fmt.Fprintf(w, "  WRONG %-6s gold %s\n", what, goldIndicator(g.Indicators[pr.Gold]))
		fmt.Fprintf(w, "               pred %s\n", predIndicator(p.Indicators[pr.Pred]))
	}
}

// evidenceWidth is how many characters of evidence a listing shows.
const evidenceWidth = 100

// goldEvent describes a gold event on one line.
func goldEvent(e GoldEvent) string {
	types := strings.Join(e.Type, "|")
	for _, a := range e.Alternatives {
		types += " alt:" + strings.Join(a.Type, "|")
	}
	return fmt.Sprintf("%s place=%q date=%q %q", types, e.Location, e.Date, describe(e.Evidence, evidenceWidth))
}

// predEvent describes a predicted event on one line.
func predEvent(e truce.Event) string {
	place, date := "", ""
	if e.Place != nil {
		place = e.Place.Name
		if e.Place.Canonical != "" && e.Place.Canonical != e.Place.Name {
			place += " (" + e.Place.Canonical + ")"
		}
	}
	if e.Date != nil && e.Date.Start != "" {
		date = e.Date.Start
		if e.Date.End != "" && e.Date.End != e.Date.Start {
			date += "/" + e.Date.End
		}
	}
	return fmt.Sprintf("%s place=%q date=%q %q", e.Type, place, date, describe(e.Evidence.Text, evidenceWidth))
}

// figure formats a value and bounds: "96 [95,97]".
func figure(v, lo, hi *float64) string {
	f := func(p *float64) string {
		if p == nil {
			return "_"
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	return fmt.Sprintf("%s [%s,%s]", f(v), f(lo), f(hi))
}

// goldIndicator describes a gold indicator on one line.
func goldIndicator(in GoldIndicator) string {
	return fmt.Sprintf("%s %s %s %q", in.Metric, figure(in.Value, in.Min, in.Max), in.Unit, describe(in.Evidence, evidenceWidth))
}

// predIndicator describes a predicted indicator on one line.
func predIndicator(in truce.Indicator) string {
	return fmt.Sprintf("%s %s %s %q", in.Metric, figure(in.Value, in.Min, in.Max), in.Unit, describe(in.Evidence.Text, evidenceWidth))
}

// errWriter remembers the first write error so that a listing is checked once.
type errWriter struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}
