package temporal

import (
	"time"

	"github.com/truce-monitor/truce"
)

// daysIn returns the number of days of month m in year y (29 for February of an unknown year).
func daysIn(y, m int) int {
	if y == 0 && m == 2 {
		return 29
	}
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// valid reports whether c names a real day (or month, when c.d is 0).
func valid(c cal) bool {
	if c.m < 1 || c.m > 12 || c.d < 0 {
		return false
	}
	return c.d <= daysIn(c.y, c.m)
}

// bounds returns the first and last day c covers; c.y must be set.
func bounds(c cal) (time.Time, time.Time) {
	if c.d == 0 {
		a := time.Date(c.y, time.Month(c.m), 1, 0, 0, 0, 0, time.UTC)
		return a, a.AddDate(0, 1, -1)
	}
	a := time.Date(c.y, time.Month(c.m), c.d, 0, 0, 0, 0, time.UTC)
	return a, a
}

// distance is how far [a, b] lies from ref, days after ref counting double.
func distance(ref, a, b time.Time) int {
	switch {
	case b.Before(ref):
		return int(ref.Sub(b).Hours() / 24)
	case a.After(ref):
		return 2 * int(a.Sub(ref).Hours()/24)
	}
	return 0
}

// nearestYear returns the year that puts month m (day d, or the whole month)
// nearest to ref.
func nearestYear(ref time.Time, m, d int) (int, bool) {
	best, bestDist := 0, -1
	for y := ref.Year() - 1; y <= ref.Year()+1; y++ {
		c := cal{y, m, d}
		if !valid(c) {
			continue
		}
		a, b := bounds(c)
		if dist := distance(ref, a, b); bestDist < 0 || dist < bestDist {
			best, bestDist = y, dist
		}
	}
	return best, bestDist >= 0
}

// periodOf returns the week (Monday to Sunday), month or year containing t,
// moved by off periods.
func periodOf(t time.Time, unit string, off int) (time.Time, time.Time) {
	switch unit {
	case "week":
		mon := t.AddDate(0, 0, -((int(t.Weekday())+6)%7)+7*off)
		return mon, mon.AddDate(0, 0, 6)
	case "month":
		a := time.Date(t.Year(), t.Month()+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
		return a, a.AddDate(0, 1, -1)
	}
	a := time.Date(t.Year()+off, 1, 1, 0, 0, 0, 0, time.UTC)
	return a, a.AddDate(1, 0, -1)
}

// calRange resolves lo..hi to days; rel reports that the reference was needed.
func (p *parser) calRange(lo, hi cal) (a, b time.Time, rel, ok bool) {
	if lo.y == 0 && hi.y != 0 {
		lo.y = hi.y
		if lo.m > hi.m || (lo.m == hi.m && lo.d > hi.d) {
			lo.y--
		}
	}
	if lo.y == 0 {
		if !p.hasRef {
			return a, b, true, false
		}
		y, found := nearestYear(p.ref, lo.m, lo.d)
		if !found {
			return a, b, true, false
		}
		lo.y, rel = y, true
	}
	if hi.y == 0 {
		hi.y = lo.y
		if hi.m < lo.m || (hi.m == lo.m && hi.d < lo.d) {
			hi.y++
		}
	}
	if !valid(lo) || !valid(hi) {
		return a, b, rel, false
	}
	a, _ = bounds(lo)
	_, b = bounds(hi)
	if b.Before(a) {
		return a, b, rel, false
	}
	return a, b, rel, true
}

// resolve turns a candidate into an expression; ok is false for an impossible date.
func (p *parser) resolve(c cand) (Expr, bool) {
	start, end := p.toks[c.i].Start, p.toks[c.j-1].End
	e := Expr{Start: start, End: end, Text: p.text[start:end]}
	e.When.Text = e.Text
	set := func(a, b time.Time, prec string) {
		e.When.Start, e.When.End, e.When.Precision = a.Format(truce.DateLayout), b.Format(truce.DateLayout), prec
	}
	unresolved := func(prec string) (Expr, bool) {
		e.When.Precision, e.When.Unresolved, e.Relative = prec, true, true
		return e, true
	}
	switch c.kind {
	case cCal:
		prec := truce.PrecisionDay
		if c.lo.d == 0 {
			prec = truce.PrecisionMonth
		}
		a, b, rel, ok := p.calRange(c.lo, c.hi)
		if !ok {
			if rel && !p.hasRef {
				return unresolved(prec)
			}
			return e, false
		}
		set(a, b, prec)
		e.Relative = rel
	case cAmbig:
		if !p.hasRef {
			return unresolved(truce.PrecisionDay)
		}
		a1, _ := bounds(c.lo)
		a2, _ := bounds(c.alt)
		a := a1
		if distance(p.ref, a2, a2) < distance(p.ref, a1, a1) {
			a = a2
		}
		set(a, a, truce.PrecisionDay)
		e.Relative = true
	case cSince:
		prec := truce.PrecisionDay
		if c.lo.d == 0 {
			prec = truce.PrecisionMonth
		}
		a, _, rel, ok := p.calRange(c.lo, c.lo)
		if !p.hasRef {
			if ok {
				e.When.Start = a.Format(truce.DateLayout)
			}
			return unresolved(prec)
		}
		if ok && rel && a.After(p.ref) {
			// "since" looks back: a day with no year is the last one before the reference.
			lo := c.lo
			lo.y = a.Year() - 1
			a, _, _, ok = p.calRange(lo, lo)
		}
		if !ok || a.After(p.ref) {
			return e, false
		}
		set(a, p.ref, prec)
		e.Relative = true
	case cYear:
		a := time.Date(c.lo.y, 1, 1, 0, 0, 0, 0, time.UTC)
		set(a, a.AddDate(1, 0, -1), truce.PrecisionYear)
	case cRel:
		if !p.hasRef {
			return unresolved(c.relPrec)
		}
		a, b, prec := c.rel(p.ref)
		set(a, b, prec)
		e.Relative = true
	}
	return e, true
}
