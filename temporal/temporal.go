package temporal

import (
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/token"
)

// Expr is one date expression found in a text, with byte offsets into it.
type Expr struct {
	Start, End int
	Text       string
	When       truce.When
	// Relative marks an expression that needed the reference date to resolve.
	Relative bool
}

// cal is a calendar date with possibly missing parts: y 0 is "the year nearest
// the reference", d 0 is "the whole month".
type cal struct{ y, m, d int }

// Candidate kinds.
const (
	cCal   = iota // lo..hi calendar dates
	cAmbig        // lo or alt: a numeric date readable both ways
	cSince        // lo..reference date
	cYear         // the year lo.y
	cRel          // computed from the reference by rel
)

// cand is a match of the grammar over tokens [i, j).
type cand struct {
	i, j    int
	kind    int
	lo, hi  cal
	alt     cal
	rel     func(ref time.Time) (time.Time, time.Time, string)
	relPrec string
}

// parser holds one text's tokens and reference date.
type parser struct {
	text   string
	toks   []token.Token
	ref    time.Time
	hasRef bool
}

// anchors are the words without which no date expression stands: with a
// number, a month or a weekday, they are what Find looks for.
var anchors = map[string]bool{
	"today": true, "tomorrow": true, "tonight": true, "yesterday": true, "ago": true, "weekend": true,
	"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "year": true, "years": true,
	"night": true, "morning": true, "evening": true, "afternoon": true,
}

// anchored reports whether toks hold a number or a word a date needs, so
// that text without one is skipped at once.
func anchored(toks []token.Token) bool {
	for _, t := range toks {
		if t.Kind == token.Number || anchors[t.Lower] {
			return true
		}
		if _, ok := monthNames[t.Lower]; ok {
			return true
		}
		if _, ok := weekdayNames[t.Lower]; ok {
			return true
		}
	}
	return false
}

// Find returns the date expressions of text, left to right and non-overlapping,
// resolved against ref when hasRef is true. Without a reference only
// expressions that carry a year resolve; the others have When.Unresolved set
// (with When.Start kept for "since <a full date>", whose end is the reference).
func Find(text string, ref time.Time, hasRef bool) []Expr {
	p := &parser{text: text, toks: token.Split(text), hasRef: hasRef}
	if !anchored(p.toks) {
		return nil
	}
	if hasRef {
		p.ref = time.Date(ref.Year(), ref.Month(), ref.Day(), 0, 0, 0, 0, time.UTC)
	}
	var cands []cand
	for i := 0; i < len(p.toks); {
		c, ok := p.best(i)
		if !ok {
			i++
			continue
		}
		cands = append(cands, c)
		i = c.j
	}
	cands = p.joinRanges(cands)
	out := make([]Expr, 0, len(cands))
	for _, c := range cands {
		if e, ok := p.resolve(c); ok {
			out = append(out, e)
		}
	}
	return out
}

// best returns the longest candidate starting at token i.
// rules are the grammar's ways a date expression can start.
var rules = []func(*parser, int) (cand, bool){
	(*parser).numeric, (*parser).dayFirst, (*parser).monthFirst, (*parser).weekday,
	(*parser).relative, (*parser).partOfDay, (*parser).since, (*parser).year,
}

func (p *parser) best(i int) (cand, bool) {
	var best cand
	found := false
	for _, m := range rules {
		if c, ok := m(p, i); ok && (!found || c.j > best.j) {
			best, found = c, true
		}
	}
	return best, found
}

// joinRanges merges "A to B" and "between A and B" pairs of calendar dates
// into one range, and takes a leading "from" or "between" into the span.
func (p *parser) joinRanges(cs []cand) []cand {
	var out []cand
	for k := 0; k < len(cs); k++ {
		c := cs[k]
		if k+1 < len(cs) && c.kind == cCal && cs[k+1].kind == cCal && c.lo == c.hi && cs[k+1].lo == cs[k+1].hi {
			n := cs[k+1]
			if n.i == c.j+1 {
				w := p.toks[c.j].Lower
				if rangeWords[w] || (w == "and" && p.wordAt(c.i-1) == "between") {
					lo, hi := c.lo, n.lo
					if lo.y == 0 && hi.y != 0 {
						lo.y = hi.y
						if lo.m > hi.m {
							lo.y--
						}
					}
					if (lo.d == 0) == (hi.d == 0) {
						c = cand{i: c.i, j: n.j, kind: cCal, lo: lo, hi: hi}
						k++
					}
				}
			}
		}
		if c.kind == cCal && c.lo != c.hi {
			if w := p.wordAt(c.i - 1); w == "from" || w == "between" {
				c.i--
			}
		}
		out = append(out, c)
	}
	return out
}

// wordAt returns the lower-cased word at token i, or "" when there is none.
func (p *parser) wordAt(i int) string {
	if i < 0 || i >= len(p.toks) || p.toks[i].Kind != token.Word {
		return ""
	}
	return p.toks[i].Lower
}

// punctAt reports whether token i is the punctuation mark s.
func (p *parser) punctAt(i int, s string) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].Kind == token.Punct && p.toks[i].Text == s
}

// glued reports whether token i follows token i-1 with no space between.
func (p *parser) glued(i int) bool {
	return i > 0 && i < len(p.toks) && p.toks[i-1].End == p.toks[i].Start
}

// isolated reports whether the number at token i stands alone: not part of
// "1,960", "00:00", "1.5", "24/7" or "10km".
func (p *parser) isolated(i int) bool {
	t := p.toks
	if i < 0 || i >= len(t) || t[i].Kind != token.Number {
		return false
	}
	if p.glued(i) && (t[i-1].Kind != token.Punct || (isSep(t[i-1].Text) && i >= 2 && t[i-2].Kind == token.Number && p.glued(i-1))) {
		return false
	}
	if p.glued(i+1) && (t[i+1].Kind == token.Word || t[i+1].Kind == token.Number) {
		return false
	}
	if p.glued(i+1) && isSep(t[i+1].Text) && p.glued(i+2) && t[i+2].Kind == token.Number {
		return false
	}
	return true
}

// isSep reports whether s separates the parts of a number, time or version.
func isSep(s string) bool { return s == "," || s == "." || s == ":" || s == "/" }

// dayAt returns the day number at token i.
func (p *parser) dayAt(i int) (int, bool) {
	if !p.isolated(i) {
		return 0, false
	}
	t := p.toks[i]
	if t.Digits > 2 || t.Num < 1 || t.Num > 31 {
		return 0, false
	}
	return t.Num, true
}

// yearAt returns the four-digit year at token i.
func (p *parser) yearAt(i int) (int, bool) {
	if !p.isolated(i) {
		return 0, false
	}
	t := p.toks[i]
	if t.Digits != 4 || t.Ordinal || t.Num < 1900 || t.Num > 2100 {
		return 0, false
	}
	return t.Num, true
}

// monthAt returns the month named at token i and the token after the name
// (and its abbreviation dot); full is false for an abbreviation.
func (p *parser) monthAt(i int) (m, next int, full bool) {
	if i < 0 || i >= len(p.toks) || p.toks[i].Kind != token.Word || !token.Capitalised(p.toks[i].Text) {
		return 0, 0, false
	}
	w := p.toks[i].Lower
	m = monthNames[w]
	if m == 0 {
		return 0, 0, false
	}
	full = len(w) > 4 || w == "may" || w == "june" || w == "july"
	next = i + 1
	if !full && p.punctAt(next, ".") && p.glued(next) {
		next++
	}
	return m, next, full
}

// yearAfter reads an optional ", 2020" or " 2020" at token k.
func (p *parser) yearAfter(k int) (y, next int) {
	if y, ok := p.yearAt(k); ok {
		return y, k + 1
	}
	if p.punctAt(k, ",") {
		if y, ok := p.yearAt(k + 1); ok {
			return y, k + 2
		}
	}
	return 0, k
}

// secondDay reads an optional "-12", "to 12" (or "and 12" after "between") at token k.
func (p *parser) secondDay(k, start int) (d, next int) {
	if k >= len(p.toks) {
		return 0, k
	}
	w := p.toks[k].Lower
	if rangeWords[w] || (w == "and" && p.wordAt(start-1) == "between") {
		if d, ok := p.dayAt(k + 1); ok {
			return d, k + 2
		}
	}
	return 0, k
}

// numeric matches 2020-11-27, 27.11.2020 and 12/15/2020.
func (p *parser) numeric(i int) (cand, bool) {
	t := p.toks
	if i+4 >= len(t) || t[i].Kind != token.Number || t[i+2].Kind != token.Number || t[i+4].Kind != token.Number || t[i].Ordinal || t[i+2].Ordinal {
		return cand{}, false
	}
	sep := t[i+1].Text
	if t[i+1].Kind != token.Punct || t[i+3].Text != sep || (sep != "-" && sep != "." && sep != "/") {
		return cand{}, false
	}
	for k := i + 1; k <= i+4; k++ {
		if !p.glued(k) {
			return cand{}, false
		}
	}
	// Not a longer chain such as a version number or an IP address.
	if p.glued(i) && t[i-1].Kind != token.Word && (t[i-1].Text == sep || isSep(t[i-1].Text) || t[i-1].Kind == token.Number) {
		return cand{}, false
	}
	if p.glued(i+5) && (t[i+5].Kind != token.Punct || (isSep(t[i+5].Text) || t[i+5].Text == "-") && p.glued(i+6) && t[i+6].Kind == token.Number) {
		return cand{}, false
	}
	a, b, c := t[i], t[i+2], t[i+4]
	switch {
	case a.Digits == 4 && b.Digits <= 2 && c.Digits <= 2 && !c.Ordinal:
		d := cal{a.Num, b.Num, c.Num}
		if valid(d) {
			return cand{i: i, j: i + 5, kind: cCal, lo: d, hi: d}, true
		}
	case c.Digits == 4 && a.Digits <= 2 && b.Digits <= 2 && !c.Ordinal:
		dm := cal{c.Num, b.Num, a.Num} // day first
		md := cal{c.Num, a.Num, b.Num} // month first (US)
		switch {
		case sep == ".":
			if valid(dm) {
				return cand{i: i, j: i + 5, kind: cCal, lo: dm, hi: dm}, true
			}
		case dm == md || !valid(md):
			if valid(dm) {
				return cand{i: i, j: i + 5, kind: cCal, lo: dm, hi: dm}, true
			}
		case !valid(dm):
			return cand{i: i, j: i + 5, kind: cCal, lo: md, hi: md}, true
		default:
			return cand{i: i, j: i + 5, kind: cAmbig, lo: md, alt: dm}, true
		}
	}
	return cand{}, false
}

// dayFirst matches "27 Nov", "26 November 2020", "27th of November",
// "10-12 November" and "10 to 12 November 2020".
func (p *parser) dayFirst(i int) (cand, bool) {
	d1, ok := p.dayAt(i)
	if !ok {
		return cand{}, false
	}
	d2, k := p.secondDay(i+1, i)
	if p.wordAt(k) == "of" {
		k++
	}
	m, k, _ := p.monthAt(k)
	if m == 0 {
		return cand{}, false
	}
	y, k := p.yearAfter(k)
	lo := cal{y, m, d1}
	hi := lo
	if d2 != 0 {
		if d2 <= d1 {
			return cand{}, false
		}
		hi.d = d2
	}
	if !valid(lo) || !valid(hi) {
		return cand{}, false
	}
	return cand{i: i, j: k, kind: cCal, lo: lo, hi: hi}, true
}

// monthFirst matches "November 26", "Nov. 27th", "December 24, 2020",
// "November 10 and 15" (after "between"), "November 2020" and "in November".
func (p *parser) monthFirst(i int) (cand, bool) {
	m, k, full := p.monthAt(i)
	if m == 0 {
		return cand{}, false
	}
	if d1, ok := p.dayAt(k); ok {
		d2, k2 := p.secondDay(k+1, i)
		y, k3 := p.yearAfter(k2)
		lo := cal{y, m, d1}
		hi := lo
		if d2 != 0 {
			if d2 <= d1 {
				return cand{}, false
			}
			hi.d = d2
		}
		if !valid(lo) || !valid(hi) {
			return cand{}, false
		}
		return cand{i: i, j: k3, kind: cCal, lo: lo, hi: hi}, true
	}
	if y, k2 := p.yearAfter(k); y != 0 {
		c := cal{y, m, 0}
		return cand{i: i, j: k2, kind: cCal, lo: c, hi: c}, true
	}
	if !full {
		return cand{}, false
	}
	prev := p.wordAt(i - 1)
	if p.punctAt(i-1, "-") && p.glued(i) {
		prev = p.wordAt(i - 2)
	}
	w := p.toks[i].Lower
	if (w == "may" || w == "march") && !monthPrepositions[prev] {
		return cand{}, false
	}
	c := cal{0, m, 0}
	return cand{i: i, j: k, kind: cCal, lo: c, hi: c}, true
}

// weekday matches "Tuesday", "on Tuesday night", "late Monday", "last Friday"
// and "Tuesday, November 24" (where the date wins).
func (p *parser) weekday(i int) (cand, bool) {
	k := i
	mod := p.wordAt(k)
	switch mod {
	case "late", "early", "last", "next", "this":
		k++
	default:
		mod = ""
	}
	if k >= len(p.toks) || p.toks[k].Kind != token.Word || !token.Capitalised(p.toks[k].Text) {
		return cand{}, false
	}
	wd, ok := weekdayNames[p.toks[k].Lower]
	if !ok {
		return cand{}, false
	}
	k++
	if partsOfDay[p.wordAt(k)] && p.wordAt(k) != "hours" && p.wordAt(k) != "hour" {
		k++
	}
	// "Tuesday, November 24": the explicit date is the better reading.
	at := k
	if p.punctAt(at, ",") {
		at++
	}
	for _, m := range []func(int) (cand, bool){p.monthFirst, p.dayFirst} {
		if c, ok := m(at); ok && c.lo.d != 0 {
			c.i = i
			return c, true
		}
	}
	return cand{i: i, j: k, kind: cRel, relPrec: truce.PrecisionDay, rel: func(ref time.Time) (time.Time, time.Time, string) {
		back := (int(ref.Weekday()) - int(wd) + 7) % 7
		switch mod {
		case "last":
			if back == 0 {
				back = 7
			}
		case "next":
			fwd := (int(wd) - int(ref.Weekday()) + 7) % 7
			if fwd == 0 {
				fwd = 7
			}
			back = -fwd
		}
		d := ref.AddDate(0, 0, -back)
		return d, d, truce.PrecisionDay
	}}, true
}

// relative matches words resolved from the reference date alone: "yesterday",
// "today", "last night", "this morning", "last week", "earlier this month",
// "three days ago".
func (p *parser) relative(i int) (cand, bool) {
	w := p.wordAt(i)
	day := func(j, off int) (cand, bool) {
		if partsOfDay[p.wordAt(j)] && p.wordAt(j) != "hours" && p.wordAt(j) != "hour" {
			j++
		}
		return p.relCand(i, j, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) {
			d := ref.AddDate(0, 0, off)
			return d, d
		}), true
	}
	switch w {
	case "yesterday":
		return day(i+1, -1)
	case "today", "tonight":
		return p.relCand(i, i+1, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) { return ref, ref }), true
	case "tomorrow":
		return day(i+1, 1)
	case "the":
		if p.wordAt(i+1) == "day" && p.wordAt(i+2) == "before" && p.wordAt(i+3) == "yesterday" {
			return day(i+4, -2)
		}
	case "last", "this", "next", "earlier", "later":
		return p.period(i)
	}
	return p.ago(i)
}

// period matches "last night", "this morning", "last week", "this month",
// "next year", "earlier this week", "earlier today".
func (p *parser) period(i int) (cand, bool) {
	w, k := p.wordAt(i), i+1
	early := w == "earlier" || w == "later"
	if early {
		if p.wordAt(k) == "today" {
			return p.relCand(i, k+1, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) { return ref, ref }), true
		}
		if p.wordAt(k) != "this" {
			return cand{}, false
		}
		k++
	}
	which := p.wordAt(i)
	if early {
		which = "this"
	}
	switch unit := p.wordAt(k); unit {
	case "night":
		if which == "last" {
			return p.relCand(i, k+1, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) { return ref.AddDate(0, 0, -1), ref }), true
		}
		if which == "this" {
			return p.relCand(i, k+1, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) { return ref, ref }), true
		}
	case "morning", "afternoon", "evening":
		if which == "this" {
			return p.relCand(i, k+1, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) { return ref, ref }), true
		}
	case "week", "month", "year":
		off := map[string]int{"last": -1, "this": 0, "next": 1}[which]
		prec := unit
		w0 := p.toks[i].Lower
		return p.relCand(i, k+1, prec, func(ref time.Time) (time.Time, time.Time) {
			a, b := periodOf(ref, unit, off)
			switch w0 {
			case "earlier":
				b = ref
			case "later":
				a = ref
			}
			return a, b
		}), true
	}
	return cand{}, false
}

// ago matches "three days ago", "two weeks ago", "a month ago".
func (p *parser) ago(i int) (cand, bool) {
	n := 0
	if t := p.toks[i]; t.Kind == token.Number && p.isolated(i) && t.Digits <= 3 && !t.Ordinal {
		n = t.Num
	} else if v, ok := smallNumbers[p.wordAt(i)]; ok && v > 0 {
		n = v
	}
	if n <= 0 {
		return cand{}, false
	}
	unit := p.wordAt(i + 1)
	if len(unit) > 1 && unit[len(unit)-1] == 's' {
		unit = unit[:len(unit)-1]
	}
	if p.wordAt(i+2) != "ago" {
		return cand{}, false
	}
	switch unit {
	case "day":
		return p.relCand(i, i+3, truce.PrecisionDay, func(ref time.Time) (time.Time, time.Time) {
			d := ref.AddDate(0, 0, -n)
			return d, d
		}), true
	case "week", "month", "year":
		return p.relCand(i, i+3, unit, func(ref time.Time) (time.Time, time.Time) {
			var d time.Time
			switch unit {
			case "week":
				d = ref.AddDate(0, 0, -7*n)
			case "month":
				d = ref.AddDate(0, -n, 0)
			default:
				d = ref.AddDate(-n, 0, 0)
			}
			return periodOf(d, unit, 0)
		}), true
	}
	return cand{}, false
}

// relCand builds a reference-relative candidate over tokens [i, j).
func (p *parser) relCand(i, j int, prec string, f func(time.Time) (time.Time, time.Time)) cand {
	return cand{i: i, j: j, kind: cRel, relPrec: prec, rel: func(ref time.Time) (time.Time, time.Time, string) {
		a, b := f(ref)
		return a, b, prec
	}}
}

// partOfDay matches "the late hours of November 26th", "the night of 26-27
// November", "early hours of Tuesday": the prefix joins the date after it.
func (p *parser) partOfDay(i int) (cand, bool) {
	k := i
	if p.wordAt(k) == "the" {
		k++
	}
	if w := p.wordAt(k); w == "late" || w == "early" {
		k++
	}
	if !partsOfDay[p.wordAt(k)] || p.wordAt(k+1) != "of" {
		return cand{}, false
	}
	k += 2
	for _, m := range []func(int) (cand, bool){p.numeric, p.dayFirst, p.monthFirst, p.weekday} {
		if c, ok := m(k); ok && (c.kind != cCal || c.lo.d != 0) {
			c.i = i
			return c, true
		}
	}
	return cand{}, false
}

// since matches "since November 10", "since Tuesday", "since 2020": from
// that date to the reference date.
func (p *parser) since(i int) (cand, bool) {
	if p.wordAt(i) != "since" {
		return cand{}, false
	}
	var best cand
	found := false
	for _, m := range []func(int) (cand, bool){p.numeric, p.dayFirst, p.monthFirst, p.weekday, p.year} {
		if c, ok := m(i + 1); ok && (!found || c.j > best.j) {
			best, found = c, true
		}
	}
	if !found {
		return cand{}, false
	}
	switch best.kind {
	case cCal:
		return cand{i: i, j: best.j, kind: cSince, lo: best.lo}, true
	case cYear:
		return cand{i: i, j: best.j, kind: cSince, lo: cal{best.lo.y, 1, 1}}, true
	case cRel:
		f := best.rel
		return cand{i: i, j: best.j, kind: cRel, relPrec: truce.PrecisionDay, rel: func(ref time.Time) (time.Time, time.Time, string) {
			a, _, _ := f(ref)
			return a, ref, truce.PrecisionDay
		}}, true
	}
	return cand{}, false
}

// year matches a bare year after a preposition: "in 2020", "since 2021".
func (p *parser) year(i int) (cand, bool) {
	y, ok := p.yearAt(i)
	if !ok || !yearPrepositions[p.wordAt(i-1)] {
		return cand{}, false
	}
	return cand{i: i, j: i + 1, kind: cYear, lo: cal{y: y}}, true
}
