package text

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// Quote is a quoted span of a text: Start and End bound the words inside the
// quote marks; Open and Close are the byte positions of the marks themselves.
// Close is -1 for a quotation left unclosed, which then ends at End (the end
// of the paragraph that opened it).
type Quote struct {
	Start, End  int
	Open, Close int
}

// maxQuoteParas caps how many paragraphs a quotation may run over.
const maxQuoteParas = 50

// Quotes returns the quoted spans of text in text order: double-quoted spans,
// including quotations that continue over several paragraphs, and
// single-quoted spans that lie outside any double-quoted one.
func Quotes(text string) []Quote {
	paras := paragraphs(text)
	out := doubleQuotes(text, paras)
	out = append(out, singleQuotes(text, paras, out)...)
	sort.Slice(out, func(i, j int) bool { return out[i].Open < out[j].Open })
	return out
}

// span is a byte range [start, end) of a text.
type span struct{ start, end int }

// cover returns the byte range a quote covers, marks included.
func (q Quote) cover() span {
	if q.Close >= 0 {
		return span{q.Open, q.Close + 1}
	}
	return span{q.Open, q.End}
}

// markShape tells whether a quote mark at i looks like an opening mark, a
// closing mark, or both, judging by its neighbours inside paragraph p.
func markShape(text string, i int, p span) (opener, closer bool) {
	var prev, next rune
	hasPrev, hasNext := i > p.start, i+1 < p.end
	if hasPrev {
		prev, _ = utf8.DecodeLastRuneInString(text[p.start:i])
	}
	if hasNext {
		next, _ = utf8.DecodeRuneInString(text[i+1 : p.end])
	}
	opener = (!hasPrev || unicode.IsSpace(prev) || isOpenContext(prev)) && hasNext && !unicode.IsSpace(next)
	closer = hasPrev && !unicode.IsSpace(prev) && (!hasNext || unicode.IsSpace(next) || isCloseContext(next))
	return opener, closer
}

// isOpenContext reports whether r may stand right before an opening quote mark.
func isOpenContext(r rune) bool {
	switch r {
	case '(', '[', '{', '-', '/', ':', '\u2013', '\u2014':
		return true
	}
	return false
}

// isCloseContext reports whether r may stand right after a closing quote mark.
func isCloseContext(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', ')', ']', '}', '-', '/', '\u2013', '\u2014', '"', '\'':
		return true
	}
	return false
}

// marksIn returns the positions of the byte c inside p.
func marksIn(text string, p span, c byte) []int {
	var out []int
	for i := p.start; i < p.end; i++ {
		if text[i] == c {
			out = append(out, i)
		}
	}
	return out
}

// doubleQuotes finds the spans in ASCII double quotes.
func doubleQuotes(text string, paras []span) []Quote {
	var out []Quote
	from := 0 // scan paragraph pi from this offset on
	for pi := 0; pi < len(paras); pi++ {
		p := paras[pi]
		open := -1
		for _, m := range marksIn(text, span{max(p.start, from), p.end}, '"') {
			op, cl := markShape(text, m, p)
			if open < 0 {
				if cl && !op {
					continue // a stray closing mark
				}
				open = m
				continue
			}
			out = append(out, Quote{Start: open + 1, End: m, Open: open, Close: m})
			open = -1
		}
		if open < 0 {
			continue
		}
		if open == p.start {
			if q, last, ok := continueQuote(text, paras, pi, open); ok {
				out = append(out, q)
				pi, from = last-1, q.Close+1 // rescan the rest of the closing paragraph
				continue
			}
		}
		out = append(out, Quote{Start: open + 1, End: p.end, Open: open, Close: -1})
	}
	return out
}

// continueQuote follows a quotation opened at the start of paragraph pi and
// left unclosed into the next paragraphs. It returns the quote and the index
// of the paragraph holding the closing mark; ok is false when no plausible
// closing mark follows.
func continueQuote(text string, paras []span, pi, open int) (q Quote, last int, ok bool) {
	for pj := pi + 1; pj < len(paras) && pj <= pi+maxQuoteParas; pj++ {
		p := paras[pj]
		marks := marksIn(text, p, '"')
		if len(marks) > 0 && marks[0] == p.start {
			marks = marks[1:] // the re-opening mark of a continued quotation
		} else if len(marks) > 0 {
			if op, cl := markShape(text, marks[0], p); op && !cl {
				return Quote{}, 0, false // a new quotation starts: the old one was never closed
			}
		}
		if len(marks) > 0 {
			return Quote{Start: open + 1, End: marks[0], Open: open, Close: marks[0]}, pj, true
		}
	}
	return Quote{}, 0, false
}

// singleQuotes finds spans in ASCII single quotes that lie outside the double
// quotes dq, each within one paragraph; apostrophes are told apart by shape.
func singleQuotes(text string, paras []span, dq []Quote) []Quote {
	var out []Quote
	inside := func(i int) bool { return crosses(dq, i, i+1) }
	for _, p := range paras {
		open := -1
		for _, m := range marksIn(text, p, '\'') {
			if inside(m) {
				continue
			}
			op, cl := markShape(text, m, p)
			if apostrophe(text, m, p) {
				continue
			}
			switch {
			case open < 0 && op && !cl:
				open = m
			case open >= 0 && cl && m > open+1:
				if !crosses(dq, open, m+1) { // a single-quoted span never holds a double-quoted one
					out = append(out, Quote{Start: open + 1, End: m, Open: open, Close: m})
				}
				open = -1
			}
		}
	}
	return out
}

// apostrophe reports whether the mark at i sits between two letters or digits (don't, Azerbaijan's).
func apostrophe(text string, i int, p span) bool {
	if i <= p.start || i+1 >= p.end {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(text[p.start:i])
	next, _ := utf8.DecodeRuneInString(text[i+1 : p.end])
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return isWord(prev) && isWord(next)
}

// crosses reports whether any quote of qs covers a byte of [s, e).
func crosses(qs []Quote, s, e int) bool {
	for _, q := range qs {
		if c := q.cover(); c.start < e && s < c.end {
			return true
		}
	}
	return false
}
