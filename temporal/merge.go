package temporal

import (
	"strings"
	"time"

	"github.com/truce-monitor/truce"
)

// joinWords may stand between two expressions of one range: "late on
// November 26th, and early hours of November 27th".
var joinWords = map[string]bool{
	"and": true, "the": true, "of": true, "on": true, "in": true, "early": true, "late": true,
	"hours": true, "hour": true, "morning": true, "evening": true, "night": true, "afternoon": true,
}

// Merge joins neighbouring resolved expressions of text that form one range:
// two dates linked by "to" or a dash, or consecutive days linked by "and"
// ("the late hours of November 26th, and early hours of November 27th").
// Other expressions are returned unchanged.
func Merge(text string, exprs []Expr) []Expr {
	out := make([]Expr, 0, len(exprs))
	for _, e := range exprs {
		if n := len(out); n > 0 {
			if m, ok := merge(text, out[n-1], e); ok {
				out[n-1] = m
				continue
			}
		}
		out = append(out, e)
	}
	return out
}

// merge joins a and b when the words between them link them into a range.
func merge(text string, a, b Expr) (Expr, bool) {
	if a.When.Unresolved || b.When.Unresolved || a.End > b.Start || b.Start > len(text) || a.End < 0 {
		return Expr{}, false
	}
	as, err1 := time.Parse(truce.DateLayout, a.When.Start)
	ae, err2 := time.Parse(truce.DateLayout, a.When.End)
	bs, err3 := time.Parse(truce.DateLayout, b.When.Start)
	be, err4 := time.Parse(truce.DateLayout, b.When.End)
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || bs.Before(as) || be.Before(ae) {
		return Expr{}, false
	}
	gap := strings.ToLower(text[a.End:b.Start])
	fields := strings.FieldsFunc(gap, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' })
	if len(fields) > 5 {
		return Expr{}, false
	}
	strict, linked := false, false
	for _, f := range fields {
		switch {
		case rangeWords[f]:
			strict, linked = true, true
		case f == "and":
			linked = true
		case joinWords[f]:
		default:
			return Expr{}, false
		}
	}
	if !linked || strings.ContainsAny(gap, "\n.;") || (!strict && bs.After(ae.AddDate(0, 0, 1))) {
		return Expr{}, false
	}
	m := a
	m.End, m.Text = b.End, text[a.Start:b.End]
	m.When.End, m.When.Text = b.When.End, m.Text
	m.Relative = a.Relative || b.Relative
	if rank(b.When.Precision) > rank(a.When.Precision) {
		m.When.Precision = b.When.Precision
	}
	return m, true
}

// rank orders precisions from fine to coarse.
func rank(p string) int {
	switch p {
	case truce.PrecisionDay:
		return 0
	case truce.PrecisionWeek:
		return 1
	case truce.PrecisionMonth:
		return 2
	case truce.PrecisionYear:
		return 3
	}
	return 4
}
