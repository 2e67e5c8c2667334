package extract

import (
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/lexicon"
)

// indicatorsOf turns the quantities of sentence i into indicator values:
// a quantity becomes a metric when its unit is the metric's and its counted
// noun, or failing that the sentence, names what the metric counts.
func (d *doc) indicatorsOf(i int) {
	st := d.sents[i]
	if len(st.qty) == 0 {
		return
	}
	lower := " " + strings.Join(st.ws, " ") + " "
	for _, q := range st.qty {
		of := " " + strings.ToLower(q.Of) + " "
		if head := d.headBefore(st, q.Start); head != "" {
			of = " " + head + of // "the remains of 30 servicemen" counts remains
		}
		var strong, weak []*lexicon.Metric
		for k := range d.x.lx.Metrics {
			mt := &d.x.lx.Metrics[k]
			if !unitFits(mt.Unit, q.Unit) {
				continue
			}
			if len(mt.Verbs) > 0 && !anyIn(lower, mt.Verbs) {
				continue
			}
			switch {
			case anyIn(of, mt.Of):
				strong = append(strong, mt)
			case strings.TrimSpace(of) == "" || q.Unit == "%":
				if anyIn(lower, mt.Of) {
					weak = append(weak, mt)
				}
			}
		}
		chosen := strong
		if len(chosen) == 0 {
			chosen = weak
		}
		for _, mt := range chosen {
			d.indicators = append(d.indicators, d.indicator(i, st, q, mt))
		}
	}
}

func (d *doc) indicator(i int, st *sent, q truce.Quantity, mt *lexicon.Metric) truce.Indicator {
	ind := truce.Indicator{Metric: mt.Name, Value: q.Value, Min: q.Min, Max: q.Max, Approx: q.Approx, Unit: mt.Unit,
		Scope: mt.DefaultScope, Evidence: d.span(st), Rule: "metric." + mt.Name}
	if ind.Value == nil {
		switch {
		case q.Min != nil && q.Max != nil:
			v := (*q.Min + *q.Max) / 2
			ind.Value = &v
		case q.Min != nil:
			ind.Value = q.Min
		case q.Max != nil:
			ind.Value = q.Max
		}
	}
	for _, m := range d.x.scope.Find(st.ws) {
		sc := d.x.scopeNames[m.ID]
		if mt.DefaultScope == "level" && sc == "cumulative" {
			continue // "to date, restored by 95 percent" is a level, not a running total
		}
		ind.Scope = sc
		break
	}
	// where: the sentence's most precise place, else the place in play
	best := d.finestPlace(st)
	switch {
	case best != nil:
		p := best.Place
		ind.Place = &p
		d.lastPlace = &best.Place
	case d.lastPlace != nil:
		p := *d.lastPlace
		p.Name = ""
		ind.Place = &p
	}
	// when: the sentence's date, else the report's
	if len(st.dates) > 0 && !st.dates[len(st.dates)-1].When.Unresolved {
		ind.AsOf = st.dates[len(st.dates)-1].When.End
	} else {
		ind.AsOf = d.r.Published
	}
	return ind
}

// unitFits reports whether a quantity's unit can be a metric's.
func unitFits(metric, q string) bool {
	if metric == q {
		return true
	}
	switch metric {
	case "count", "objects", "vehicles", "incidents", "buildings", "houses":
		return q == "" || q == metric
	case "persons":
		return q == "persons" || q == "people"
	}
	return false
}

// anyIn reports whether one of phrases occurs as whole words in s (" a b c ").
func anyIn(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, " "+strings.ToLower(p)+" ") {
			return true
		}
	}
	return false
}

// headBefore returns the noun of "NOUN of" right before a quantity ("the
// remains of 30 …", "bodies of 12 …"), or "".
func (d *doc) headBefore(st *sent, start int) string {
	for k, t := range st.toks {
		if t.Start != start {
			continue
		}
		if k >= 2 && st.ws[k-1] == "of" && !st.toks[k-2].Punct {
			return st.ws[k-2]
		}
		return ""
	}
	return ""
}
