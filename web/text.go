package web

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
)

// mark is a span of a report's text to highlight.
type mark struct {
	Span  truce.Span
	ID    string // anchor id placed where the span starts
	Class string
	Title string
}

// segment is a run of text with one highlighting. Templates print Text as
// text (html/template escapes it), never as HTML.
type segment struct {
	Text    string
	Mark    bool
	Class   string
	Title   string
	Anchors []string
}

// locate returns the byte range of sp in text. Offsets are trusted when they
// are in range, on rune boundaries and cover the span's text; otherwise the
// span's text is looked up in the report, and ok is false when it is not there.
func locate(text string, sp truce.Span) (start, end int, ok bool) {
	s, e := sp.Start, sp.End
	if s >= 0 && s < e && e <= len(text) && utf8.RuneStart(text[s]) && (e == len(text) || utf8.RuneStart(text[e])) &&
		(sp.Text == "" || text[s:e] == sp.Text) {
		return s, e, true
	}
	if sp.Text != "" {
		if i := strings.Index(text, sp.Text); i >= 0 {
			return i, i + len(sp.Text), true
		}
	}
	return 0, 0, false
}

// segments splits text at the marks. Where marks overlap, the later mark in
// marks gives the class. found reports whether the mark with anchor id want
// could be placed ("" always reports true).
func segments(text string, marks []mark, want string) (segs []segment, found bool) {
	found = want == ""
	type placed struct {
		mark
		s, e, order int
	}
	var ps []placed
	cuts := map[int]bool{0: true, len(text): true}
	for i, m := range marks {
		s, e, ok := locate(text, m.Span)
		if !ok {
			continue
		}
		if m.ID == want {
			found = true
		}
		ps = append(ps, placed{m, s, e, i})
		cuts[s], cuts[e] = true, true
	}
	bounds := make([]int, 0, len(cuts))
	for c := range cuts {
		bounds = append(bounds, c)
	}
	sort.Ints(bounds)
	for i := 0; i+1 < len(bounds); i++ {
		a, b := bounds[i], bounds[i+1]
		seg := segment{Text: text[a:b]}
		best := -1
		for _, p := range ps {
			if p.s == a && p.ID != "" {
				seg.Anchors = append(seg.Anchors, p.ID)
			}
			if p.s <= a && b <= p.e && p.order > best {
				best = p.order
				seg.Mark, seg.Class, seg.Title = true, p.Class, p.Title
			}
		}
		segs = append(segs, seg)
	}
	return segs, found
}

// highlightWords marks the words of a search query in text, case-insensitively.
func highlightWords(text, query string) []segment {
	var alts []string
	for _, w := range strings.FieldsFunc(query, func(r rune) bool {
		return !(r == '-' || r == '\'' || r == '’' || isWordRune(r))
	}) {
		w = strings.Trim(w, `-'’`)
		if utf8.RuneCountInString(w) >= 2 {
			alts = append(alts, regexp.QuoteMeta(w))
		}
	}
	if len(alts) == 0 {
		return []segment{{Text: text}}
	}
	re, err := regexp.Compile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\w*`)
	if err != nil {
		return []segment{{Text: text}}
	}
	var out []segment
	last := 0
	for _, loc := range re.FindAllStringIndex(text, -1) {
		if loc[0] > last {
			out = append(out, segment{Text: text[last:loc[0]]})
		}
		out = append(out, segment{Text: text[loc[0]:loc[1]], Mark: true, Class: "hit"})
		last = loc[1]
	}
	if last < len(text) {
		out = append(out, segment{Text: text[last:]})
	}
	return out
}

func isWordRune(r rune) bool {
	return r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || r > 127
}
