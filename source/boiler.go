package source

import (
	_ "embed"
	"strings"
	"unicode"
)

//go:embed words/calls.txt
var callsFile string

//go:embed words/reader.txt
var readerFile string

var (
	// callWords are the lowercased first words of calls to action (words/calls.txt).
	callWords = loadWords(callsFile)
	// readerWords address the reader or the page itself (words/reader.txt).
	readerWords = loadWords(readerFile)
)

// maxBareCall is the most words of a line that is a call to action by its first word alone.
const maxBareCall = 3

func loadWords(file string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(file, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			m[strings.ToLower(l)] = true
		}
	}
	return m
}

// shortWords is the most words a paragraph may have to count as a short line.
const shortWords = 8

// key is the comparison form of a paragraph: lowercased words of letters and digits.
func key(p string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	}), " ")
}

// isShortLine reports whether p is a few words without sentence punctuation.
func isShortLine(p string) bool {
	return len(strings.Fields(p)) <= shortWords && !endsSentence(p)
}

// dropBoilerplate removes boilerplate paragraphs by general rules: paragraphs
// repeating the title, short lines that occur twice or more, and link-like or
// call-to-action lines at the start and end. At least one paragraph is kept.
func dropBoilerplate(paras []string, title string) []string {
	if len(paras) == 0 {
		return paras
	}
	tk := key(normalizeChars(title))
	keys := make([]string, len(paras))
	short := make([]bool, len(paras))
	counts := map[string]int{}
	for i, p := range paras {
		keys[i], short[i] = key(p), isShortLine(p)
		if short[i] {
			counts[keys[i]]++
		}
	}
	var out []string
	for i, p := range paras {
		k := keys[i]
		if (tk != "" && k == tk) || (short[i] && counts[k] >= 2) {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 0 && isEdgeJunk(out[0]) {
		out = out[1:]
	}
	for len(out) > 0 && isEdgeJunk(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return paras[:1]
	}
	return out
}

// isEdgeJunk reports whether a paragraph at the start or end of a report is a
// link or a call to action rather than text: a short line, not a date, that is
// a link, or begins with a call-to-action word and is either very short
// ("Read more") or addresses the reader or the page ("Follow us on ...").
func isEdgeJunk(p string) bool {
	if !isShortLine(p) {
		return false
	}
	if _, err := ParseDate(p); err == nil {
		return false
	}
	if isLinkLike(p) {
		return true
	}
	words := strings.Fields(key(p))
	if len(words) == 0 || !callWords[firstWord(p)] {
		return false
	}
	if len(words) <= maxBareCall {
		return true
	}
	for _, w := range words[1:] {
		if readerWords[w] {
			return true
		}
	}
	return false
}

// firstWord returns the lowercased first word of p.
func firstWord(p string) string {
	f := strings.FieldsFunc(strings.ToLower(p), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && r != '-'
	})
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// isLinkLike reports whether p is a URL, an address, a handle or a breadcrumb trail.
func isLinkLike(p string) bool {
	l := strings.ToLower(p)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.HasPrefix(l, "#") {
		return true
	}
	for _, sep := range []string{" | ", " › ", " » ", " > ", " / "} {
		if strings.Contains(l, sep) {
			return true
		}
	}
	for _, f := range strings.Fields(l) {
		if strings.HasPrefix(f, "@") && len(f) > 1 || strings.Contains(f, "@") && strings.Contains(f, ".") {
			return true
		}
	}
	return false
}

// dropRepeatedAcross removes from each of several documents (the items of one
// feed) the paragraphs that occur in many of them; each keeps one paragraph.
func dropRepeatedAcross(docs [][]string) [][]string {
	if len(docs) < 2 {
		return docs
	}
	seenIn := map[string]int{}
	for _, d := range docs {
		seen := map[string]bool{}
		for _, p := range d {
			k := key(p)
			if !seen[k] {
				seen[k] = true
				seenIn[k]++
			}
		}
	}
	need := max(2, (len(docs)+3)/4)
	out := make([][]string, len(docs))
	for i, d := range docs {
		var keep []string
		for _, p := range d {
			if seenIn[key(p)] < need {
				keep = append(keep, p)
			}
		}
		if len(keep) == 0 && len(d) > 0 {
			keep = d[:1]
		}
		out[i] = keep
	}
	return out
}

// cleanText turns raw text into the cleaned text of a report.
func cleanText(raw, title string) string {
	return strings.Join(dropBoilerplate(paragraphs(raw), title), "\n\n")
}
