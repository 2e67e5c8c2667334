package quantity

import (
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/temporal"
	"github.com/truce-monitor/truce/token"
)

// Qualifier kinds, as written in units.yaml.
const (
	kApprox = "approx"
	kMin    = "min"
	kMax    = "max"
)

// scan holds one text being searched.
type scan struct {
	p     *Parser
	text  string
	toks  []token.Token
	dates []temporal.Expr
	floor int // first token not yet part of a quantity: qualifiers may not reach back past it
}

// Find returns the quantities of text, left to right, with byte offsets into it.
func (p *Parser) Find(text string) []truce.Quantity {
	return p.FindWith(text, temporal.Find(text, time.Time{}, false))
}

// FindWith is Find for a caller that has already found the date expressions
// of text (temporal.Find): numbers inside them are not quantities.
func (p *Parser) FindWith(text string, dates []temporal.Expr) []truce.Quantity {
	s := &scan{p: p, text: text, toks: token.Split(text), dates: dates}
	var out []truce.Quantity
	for i := 0; i < len(s.toks); {
		q, next, ok := s.at(i)
		if !ok {
			i++
			continue
		}
		out = append(out, q)
		i, s.floor = next, next
	}
	return out
}

// match returns the longest phrase of ps starting at token k, and the token after it.
func (s *scan) match(ps phrases, k int) (phrase, int, bool) {
	if k < 0 || k >= len(s.toks) {
		return phrase{}, 0, false
	}
	for _, ph := range ps[s.toks[k].Lower] {
		if k+len(ph.words) > len(s.toks) {
			continue
		}
		ok := true
		for n, w := range ph.words {
			if s.toks[k+n].Lower != w || (n > 0 && s.toks[k+n].Kind == token.Punct && !s.glued(k+n) && w != "%") {
				ok = false
				break
			}
		}
		if ok {
			end := k + len(ph.words)
			// A phrase ends at a word boundary: "m" is not the start of "m-long".
			return ph, end, true
		}
	}
	return phrase{}, 0, false
}

// matchEnding returns the longest phrase of ps that ends just before token end.
func (s *scan) matchEnding(ps phrases, end int) (phrase, int, bool) {
	for k := max(0, end-5); k < end; k++ {
		if ph, e, ok := s.match(ps, k); ok && e == end {
			return ph, k, true
		}
	}
	return phrase{}, 0, false
}

// inDate reports whether byte offset off lies inside a date expression.
func (s *scan) inDate(off int) bool {
	for _, d := range s.dates {
		if off >= d.Start && off < d.End {
			return true
		}
		if d.Start > off {
			break
		}
	}
	return false
}

// amount is a number or range before its unit is known.
type amount struct {
	i, j   int // tokens of the number or range
	lo, hi float64
	rng    bool
	vague  bool
	kind   string // "", approx, min or max
	words  bool
	digit  bool
	one    bool // the word "one", which is often a pronoun
}

// at reads a quantity starting at token i.
func (s *scan) at(i int) (truce.Quantity, int, bool) {
	a, ok := s.amount(i)
	if !ok {
		return truce.Quantity{}, 0, false
	}
	start := a.i
	unit := ""
	// A currency symbol before the number: "$5 million".
	if start > 0 && s.glued(start) {
		if ph, k, ok := s.matchEnding(s.p.prefix, start); ok && k >= s.floor {
			unit, start = ph.val, k
		}
	}
	// Qualifiers before: "about", "more than", "between", "from".
	if w := s.word(start - 1); a.rng && (w == "between" || w == "from") && start-1 >= s.floor {
		start--
	}
	if ph, k, ok := s.matchEnding(s.p.qual, start); ok && !a.vague && k >= s.floor {
		if _, _, not := s.matchEnding(s.p.notQual, start); !not {
			a.kind, start = ph.val, k
		}
	}
	j := a.j
	if ph, e, ok := s.match(s.p.qualAfter, j); ok && !a.vague {
		a.kind, j = ph.val, e
	}
	h := s.head(j, a.vague, unit != "")
	if unit == "" {
		unit = h.unit
	}
	if h.end > j {
		j = h.end
	}
	known := unit != ""
	// Bare years, the pronoun "one" and vague words need a known thing counted.
	if (a.one || (a.digit && a.lo >= 1800 && a.lo <= 2100 && s.toks[a.i].Digits == 4)) && !known {
		return truce.Quantity{}, 0, false
	}
	if ((a.vague || a.words) && h.of == "" && unit == "") || s.p.skipHeads[firstWord(h.of)] {
		return truce.Quantity{}, 0, false
	}
	q := truce.Quantity{Unit: unit, Of: h.of, Start: s.toks[start].Start, End: s.toks[j-1].End}
	q.Text = s.text[q.Start:q.End]
	fill(&q, a)
	return q, j, true
}

// fill fills the value fields of q from a, per the coding conventions: an exact
// count has value = min = max; "more than X" has min X; "about X" is approx;
// a range has its midpoint as value; a vague count its lower bound.
func fill(q *truce.Quantity, a amount) {
	f := func(v float64) *float64 { return &v }
	switch {
	case a.vague:
		q.Value, q.Min, q.Approx = f(a.lo), f(a.lo), true
	case a.rng:
		q.Value, q.Min, q.Max = f((a.lo+a.hi)/2), f(a.lo), f(a.hi)
		q.Approx = a.kind == kApprox
	case a.kind == kApprox:
		q.Value, q.Approx = f(a.lo), true
	case a.kind == kMin:
		q.Value, q.Min = f(a.lo), f(a.lo)
	case a.kind == kMax:
		q.Value, q.Max = f(a.lo), f(a.lo)
	default:
		q.Value, q.Min, q.Max = f(a.lo), f(a.lo), f(a.lo)
	}
}

// amount reads a vague count, a number or a range at token i.
func (s *scan) amount(i int) (amount, bool) {
	t := s.toks[i]
	if s.inDate(t.Start) {
		return amount{}, false
	}
	if t.Kind == token.Word {
		if ph, e, ok := s.match(s.p.vague, i); ok {
			if s.word(e) == "of" {
				e++
			}
			return amount{i: i, j: e, lo: ph.num, vague: true}, true
		}
		if (t.Lower == "a" || t.Lower == "an") && s.articleUnit(i) {
			return amount{i: i, j: i + 1, lo: 1}, true
		}
	}
	n, ok := s.number(i)
	if !ok || !s.standalone(n, false) {
		return amount{}, false
	}
	a := amount{i: i, j: n.j, lo: n.val, words: n.words, digit: n.digit, one: n.words && n.j == i+1 && t.Lower == "one"}
	if a.one && (s.word(n.j) == "of" || s.word(n.j) == "another") {
		return amount{}, false
	}
	// Ranges: "95-97", "15 to 20", "between 10 and 15", "two or three".
	k := n.j
	w := s.toks[min(k, len(s.toks)-1)].Lower
	if k < len(s.toks) && (w == "-" || w == "–" || w == "—" || w == "to" || w == "or" || (w == "and" && s.word(i-1) == "between")) {
		if m, ok := s.number(k + 1); ok && m.val > n.val && s.standalone(m, true) && !s.inDate(s.toks[k+1].Start) && m.words == n.words {
			a.j, a.hi, a.rng, a.one = m.j, m.val, true, false
			if w == "or" {
				a.kind = kApprox
			}
		}
	}
	return a, true
}

// articleUnit reports whether "a"/"an" at token i counts one time unit: "an hour".
func (s *scan) articleUnit(i int) bool {
	ph, _, ok := s.match(s.p.units, i+1)
	if !ok || !s.p.timeUnits[ph.val] {
		return false
	}
	switch s.word(i - 1) {
	case "times", "once", "twice", "thrice", "per", "every", "each", "than", "half", "quarter":
		return false
	}
	return true
}

// standalone reports whether a number is an amount rather than part of a time,
// a version, a phone number, a name ("Su-25", "Article 9") or a decade;
// second marks the upper end of a range, which may follow a dash.
func (s *scan) standalone(n number, second bool) bool {
	t := s.toks
	i, j := n.i, n.j
	if n.words {
		return true
	}
	if s.glued(i) && !second {
		prev := t[i-1]
		switch {
		case prev.Kind == token.Word, prev.Kind == token.Number:
			return false
		case prev.Text == "+" || prev.Text == ":" || prev.Text == "/" || prev.Text == "#" || prev.Text == "№":
			return false
		case (prev.Text == "-" || prev.Text == ".") && i >= 2 && s.glued(i-1) && (t[i-2].Kind == token.Word || t[i-2].Kind == token.Number):
			return false
		}
	}
	if s.p.refWords[s.word(i-1)] || (s.punct(i-1, ".") && s.p.refWords[s.word(i-2)]) {
		return false
	}
	if j < len(t) && s.glued(j) {
		next := t[j]
		switch {
		case next.Kind == token.Word && (next.Lower == "s" || next.Lower == "x"):
			return false
		case (next.Text == ":" || next.Text == "/" || next.Text == "." || next.Text == ",") && s.glued(j+1) && j+1 < len(t) && t[j+1].Kind == token.Number:
			return false
		}
	}
	// Clock times: "10 a.m.", "5 pm", "10 o'clock".
	switch s.word(j) {
	case "am", "pm", "gmt", "utc", "msk":
		return false
	case "a", "p":
		if s.punct(j+1, ".") && s.word(j+2) == "m" {
			return false
		}
	case "o":
		if s.punct(j+1, "'") || s.punct(j+1, "’") {
			return false
		}
	}
	// Phone numbers: digit groups that add up to eight digits or more, or follow a "+".
	first := i
	for first > 0 && (t[first-1].Kind == token.Number || t[first-1].Kind == token.Punct && strings.Contains("+-()", t[first-1].Text)) {
		first--
	}
	if t[first].Text == "+" && s.glued(first+1) {
		return false
	}
	digits := 0
	for k := first; k < len(t); k++ {
		if t[k].Kind == token.Number {
			digits += t[k].Digits
			continue
		}
		if t[k].Kind == token.Punct && (t[k].Text == "-" || t[k].Text == "(" || t[k].Text == ")") {
			continue
		}
		break
	}
	if digits >= 8 && n.digit {
		return false
	}
	return true
}

// headInfo is the unit and the counted noun phrase after a number.
type headInfo struct {
	unit, of string
	end      int
}

// head reads what a number counts, from token j: a unit ("hectares of land"),
// a counted noun ("explosive objects"), or an unknown noun phrase.
func (s *scan) head(j int, vague, hasUnit bool) headInfo {
	k := j
	if s.punct(k, "-") && s.glued(k) && s.glued(k+1) {
		k++ // "8-month"
	}
	if !vague && !hasUnit {
		if s.punct(k, "%") {
			return headInfo{unit: "%", end: k + 1}
		}
		if ph, e, ok := s.match(s.p.units, k); ok && !(e < len(s.toks) && s.glued(e) && s.toks[e].Kind == token.Word) {
			h := headInfo{unit: ph.val, end: e}
			if s.word(e) == "of" {
				if of, oe := s.phrase(e + 1); of != "" {
					h.of, h.end = of, oe
				}
			}
			return h
		}
	}
	if hasUnit {
		return headInfo{end: j}
	}
	// The counted noun: the rightmost lexicon noun in the phrase after the number.
	end := s.npEnd(j)
	best := headInfo{end: j}
	for m := j; m < end; m++ {
		if ph, e, ok := s.match(s.p.counted, m); ok && e <= end && s.toks[m].Kind == token.Word {
			best = headInfo{unit: ph.val, of: s.text[s.toks[j].Start:s.toks[e-1].End], end: e}
		}
	}
	if best.unit != "" {
		return best
	}
	if end > j {
		w := s.toks[j]
		if w.Kind == token.Word && token.Capitalised(w.Text) {
			for _, suf := range s.p.demonyms {
				if strings.HasSuffix(w.Lower, suf) && len(w.Lower) > len(suf)+2 {
					return headInfo{unit: "persons", of: w.Text, end: j + 1}
				}
			}
		}
		return headInfo{of: s.text[s.toks[j].Start:s.toks[end-1].End], end: end}
	}
	return best
}

// npEnd returns the end of the noun phrase of up to four words from token j.
func (s *scan) npEnd(j int) int {
	k, words := j, 0
	for k < len(s.toks) && words < 4 {
		t := s.toks[k]
		if t.Kind == token.Punct && t.Text == "-" && s.glued(k) && s.glued(k+1) && k > j {
			k++
			if s.numTok(k) { // "Su-25"
				k++
			}
			continue
		}
		if t.Kind != token.Word || s.p.stop[t.Lower] {
			break
		}
		if k > j {
			_, _, counted := s.match(s.p.counted, k)
			// A name after common words ("three districts Armenia") or a
			// participle ("two countries agreed") ends the phrase.
			if !counted && (token.Capitalised(t.Text) && !token.Capitalised(s.lastWord(j, k)) || strings.HasSuffix(t.Lower, "ed")) {
				break
			}
		}
		if _, _, ok := s.match(s.p.units, k); ok && k > j && !s.p.stop[t.Lower] {
			if _, _, c := s.match(s.p.counted, k); !c {
				break
			}
		}
		k++
		words++
	}
	for k > j && s.toks[k-1].Kind == token.Punct {
		k--
	}
	return k
}

// lastWord returns the text of the last word token in [j, k).
func (s *scan) lastWord(j, k int) string {
	for m := k - 1; m >= j; m-- {
		if s.toks[m].Kind == token.Word {
			return s.toks[m].Text
		}
	}
	return ""
}

// phrase returns the noun phrase after "of": "land", "agricultural land".
func (s *scan) phrase(j int) (string, int) {
	if w := s.word(j); w == "a" || w == "an" || w == "the" {
		j++
	}
	end := s.npEnd(j)
	if end == j {
		return "", j
	}
	return s.text[s.toks[j].Start:s.toks[end-1].End], end
}

// firstWord returns the lower-cased first word of s.
func firstWord(s string) string {
	w, _, _ := strings.Cut(strings.ToLower(s), " ")
	return w
}
