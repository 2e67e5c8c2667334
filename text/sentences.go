package text

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/neurosnap/sentences"
	"github.com/neurosnap/sentences/data"
	"github.com/neurosnap/sentences/english"
)

// Sentence is one sentence of a text: the byte range [Start, End) of its
// trimmed words, the paragraph it belongs to (counted from 0) and the
// quotation it lies in, if any.
type Sentence struct {
	Start, End int
	Text       string
	Para       int
	Quote      *Quote
}

// extraAbbrevs are abbreviations the English training data lacks or that
// reports on ceasefires use often (military ranks, titles, months).
var extraAbbrevs = []string{
	"approx", "brig", "art", "para", "pres", "lt", "col", "gen", "maj", "capt", "cpl", "pvt",
	"adm", "cmdr", "sen", "rep", "rev", "hon", "amb", "dep", "gov", "no", "nos", "vol", "fig",
	"est", "dept", "jr", "sr", "st", "mt", "ft", "vs", "mr", "mrs", "ms", "dr", "prof",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}

// titles are abbreviations that never end a sentence: a break after them is false.
var titles = set("mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "brig", "sgt",
	"capt", "cpl", "pvt", "adm", "cmdr", "sen", "rep", "rev", "hon", "amb", "pres", "gov", "dep")

// numberAbbrevs are abbreviations that never end a sentence when a number follows.
var numberAbbrevs = set("no", "nos", "art", "para", "fig", "vol", "approx", "p", "pp", "sec", "ch",
	"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

var (
	tokOnce sync.Once
	tok     *sentences.DefaultSentenceTokenizer // read-only once built, safe for concurrent use
)

// tokenizer returns the shared sentence tokenizer, built on first use; nil
// if its training data cannot be loaded.
func tokenizer() *sentences.DefaultSentenceTokenizer {
	tokOnce.Do(func() {
		b, err := data.Asset("data/english.json")
		if err != nil {
			return
		}
		training, err := sentences.LoadTraining(b)
		if err != nil {
			return
		}
		for _, a := range extraAbbrevs {
			training.AbbrevTypes.Add(a)
		}
		tok, _ = english.NewSentenceTokenizer(training)
	})
	return tok
}

// Sentences splits text into paragraphs (at blank lines) and each paragraph
// into sentences, and marks the sentences that lie inside a quotation.
func Sentences(text string) []Sentence {
	quotes := Quotes(text)
	var out []Sentence
	for pi, p := range paragraphs(text) {
		for _, c := range plainBreaks(text, p) {
			for _, s := range splitParagraph(text, c) {
				out = append(out, Sentence{Start: s.start, End: s.end, Text: text[s.start:s.end], Para: pi})
			}
		}
	}
	assignQuotes(out, quotes)
	return out
}

// assignQuotes points each sentence to the quotation covering at least half of it.
func assignQuotes(ss []Sentence, quotes []Quote) {
	first := 0 // the quotes before first end before the current sentence starts
	for i := range ss {
		for first < len(quotes) && quotes[first].cover().end <= ss[i].Start {
			first++
		}
		best, bestLen := -1, 0
		for qi := first; qi < len(quotes); qi++ {
			c := quotes[qi].cover()
			if c.start >= ss[i].End {
				break
			}
			if n := min(c.end, ss[i].End) - max(c.start, ss[i].Start); n > bestLen {
				best, bestLen = qi, n
			}
		}
		if best >= 0 && 2*bestLen >= ss[i].End-ss[i].Start {
			ss[i].Quote = &quotes[best]
		}
	}
}

// paragraphs returns the non-blank paragraphs of text, separated by blank lines, trimmed.
func paragraphs(text string) []span {
	var out []span
	start, end := -1, -1 // the current paragraph's first and last non-blank line
	for i := 0; i <= len(text); {
		j := strings.IndexByte(text[i:], '\n')
		lineEnd := len(text)
		if j >= 0 {
			lineEnd = i + j
		}
		if s, e := trim(text, i, lineEnd); s < e {
			if start < 0 {
				start = s
			}
			end = e
		} else if start >= 0 {
			out = append(out, span{start, end})
			start = -1
		}
		if j < 0 {
			break
		}
		i = lineEnd + 1
	}
	if start >= 0 {
		out = append(out, span{start, end})
	}
	return out
}

// trim returns the range [s, e) of text without its surrounding white space.
func trim(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// splitParagraph splits paragraph p of text into trimmed sentence ranges.
func splitParagraph(text string, p span) (out []span) {
	if oneSentence(text[p.start:p.end]) {
		if a, b := trim(text, p.start, p.end); a < b {
			return []span{{a, b}}
		}
		return []span{p}
	}
	t := tokenizer()
	if t == nil {
		return []span{p}
	}
	defer func() {
		if recover() != nil { // the tokenizer must never take truce down: fall back to the paragraph
			out = []span{p}
		}
	}()
	para := text[p.start:p.end]
	var raw []span
	for _, s := range t.Tokenize(para) {
		if s.Start < 0 || s.End > len(para) || s.Start >= s.End {
			continue
		}
		if a, b := trim(text, p.start+s.Start, p.start+s.End); a < b {
			raw = append(raw, span{a, b})
		}
	}
	if len(raw) == 0 {
		return []span{p}
	}
	raw = snapToRunes(text, raw, p)
	return splitAfter(text, merge(text, raw))
}

// plainBreaks cuts a paragraph at the sentence ends no tokenizer could
// doubt: ".", "?" or "!" right after a lower-case word of three letters or
// more that is no abbreviation, then closing quotes or brackets, a space and
// a capital (or an opening quote). The tokenizer then only sees the pieces,
// which is most of the speed of sentence splitting.
func plainBreaks(text string, p span) []span {
	var out []span
	start := p.start
	for i := p.start + 1; i < p.end-1; i++ {
		if c := text[i]; c != '.' && c != '?' && c != '!' {
			continue
		}
		w := i
		for w > start && text[w-1] >= 'a' && text[w-1] <= 'z' {
			w--
		}
		if i-w < 3 || (w > start && !isSpaceByte(text[w-1])) || abbreviations[text[w:i]] {
			continue
		}
		j := i + 1
		for j < p.end && (text[j] == '"' || text[j] == '\'' || text[j] == ')') {
			j++
		}
		if j >= p.end || !isSpaceByte(text[j]) {
			continue
		}
		k := j
		for k < p.end && isSpaceByte(text[k]) {
			k++
		}
		if k < p.end && text[k] == '"' {
			k++
		}
		if k < p.end && text[k] >= 'A' && text[k] <= 'Z' {
			out = append(out, span{start, j})
			start = j
			i = k
		}
	}
	return append(out, span{start, p.end})
}

// abbreviations are the lower-case abbreviations of three letters or more
// after which a period does not surely end a sentence.
var abbreviations = func() map[string]bool {
	m := set("etc", "approx", "incl", "esp", "viz", "resp", "cf", "ibid", "est", "dept", "vol", "sept", "nos", "para")
	for _, a := range extraAbbrevs {
		m[a] = true
	}
	return m
}()

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' }

// oneSentence reports whether a paragraph has no place a sentence could end
// before its last character: no ".", "?" or "!" (with closing quotes or
// brackets) followed by a space. The tokenizer is not needed for it.
func oneSentence(para string) bool {
	for i := 0; i < len(para); i++ {
		if c := para[i]; c != '.' && c != '?' && c != '!' {
			continue
		}
		j := i + 1
		for j < len(para) && (para[j] == '"' || para[j] == '\'' || para[j] == ')') {
			j++
		}
		if j < len(para) && (para[j] == ' ' || para[j] == '\n' || para[j] == '\t') {
			return false
		}
	}
	return true
}

// snapToRunes moves every boundary onto a rune start, keeps the ranges
// ordered and non-overlapping, and drops empty ones.
func snapToRunes(text string, ss []span, p span) []span {
	out := ss[:0]
	last := p.start
	for _, s := range ss {
		for s.start > last && !utf8.RuneStart(text[s.start]) {
			s.start--
		}
		for s.end < p.end && !utf8.RuneStart(text[s.end]) {
			s.end++
		}
		s.start = max(s.start, last)
		if s.start, s.end = trim(text, s.start, s.end); s.start < s.end {
			out = append(out, s)
			last = s.end
		}
	}
	return out
}

// merge joins sentences the tokenizer split falsely.
func merge(text string, ss []span) []span {
	out := []span{ss[0]}
	for _, s := range ss[1:] {
		prev := &out[len(out)-1]
		if falseBreak(text[prev.start:prev.end], text[s.start:s.end]) {
			prev.end = s.end
			continue
		}
		out = append(out, s)
	}
	return out
}

// falseBreak reports whether a sentence break between prev and next is false.
func falseBreak(prev, next string) bool {
	first := strings.TrimLeft(next, "\"'([")
	r, _ := utf8.DecodeRuneInString(first)
	switch {
	case !strings.ContainsFunc(next, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		return true // only closing marks
	case unicode.IsLower(r):
		return true
	}
	w := lastWord(prev)
	if !strings.HasSuffix(w, ".") {
		return false
	}
	w = strings.ToLower(strings.TrimSuffix(w, "."))
	return titles[w] || (numberAbbrevs[w] && unicode.IsDigit(r))
}

// lastWord returns the last space-separated word of s without leading quote marks or brackets.
func lastWord(s string) string {
	if i := strings.LastIndexFunc(s, unicode.IsSpace); i >= 0 {
		s = s[i+1:]
	}
	return strings.TrimLeft(s, "\"'([")
}

// missedBreak finds breaks the tokenizer misses: after a number ending a
// sentence ("in 2020. The") and after a closing quote mark ("left." "It").
// The empty group marks the cut.
var missedBreak = regexp.MustCompile(`(?:[^:;\s]\s+[0-9][0-9,]*\.|[.?!]["'])()\s+["'(]?[A-Z]`)

// splitAfter splits sentences at the breaks the tokenizer missed.
func splitAfter(text string, ss []span) []span {
	var out []span
	for _, s := range ss {
		for {
			loc := missedBreak.FindStringSubmatchIndex(text[s.start:s.end])
			if loc == nil {
				break
			}
			cut := s.start + loc[2]
			a, b := trim(text, s.start, cut)
			c, d := trim(text, cut, s.end)
			if a >= b || c >= d {
				break
			}
			out = append(out, span{a, b})
			s = span{c, d}
		}
		out = append(out, s)
	}
	return out
}
