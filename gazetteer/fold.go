package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// special maps letters that Unicode decomposition does not fold to ASCII.
var special = map[rune]string{
	'ə': "e", 'Ə': "e", 'ı': "i", 'İ': "i", 'ß': "ss", 'ø': "o", 'Ø': "o",
	'æ': "ae", 'Æ': "ae", 'đ': "d", 'Đ': "d", 'ł': "l", 'Ł': "l", 'ħ': "h", 'Ħ': "h",
}

// fold lower-cases s, removes diacritics and maps ə, ı and similar letters to ASCII.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if rep, ok := special[r]; ok {
			b.WriteString(rep)
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// token is one word of a text: a run of letters, digits and marks.
type token struct {
	start, end int    // byte offsets in the text
	fold       string // folded form
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokens splits s into words.
func tokens(s string) []token {
	var out []token
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, token{start: start, end: i, fold: fold(s[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start: start, end: len(s), fold: fold(s[start:])})
	}
	return out
}

// joinGap reports whether the text between two words may lie inside one name:
// spaces, hyphens, dashes or apostrophes, at most a few of them.
func joinGap(gap string) bool {
	if gap == "" || len([]rune(gap)) > 3 {
		return false
	}
	newlines := 0
	for _, r := range gap {
		switch r {
		case ' ', '\t', '\u00a0', '-', '‐', '‑', '–', '\'', '’', 'ʼ':
		case '\n', '\r':
			newlines++
		default:
			return false
		}
	}
	return newlines <= 1
}

// skeleton reduces a folded name to a transliteration-neutral key.
func skeleton(folded string) string {
	var b strings.Builder
	for _, r := range folded {
		if isWordRune(r) {
			b.WriteRune(r)
		}
	}
	s := b.String()
	for _, rep := range [][2]string{{"dzh", "j"}, {"zh", "j"}, {"kh", "x"}, {"gh", "g"}, {"sh", "s"},
		{"ch", "c"}, {"ay", "ai"}, {"ey", "ei"}, {"q", "g"}, {"ou", "u"}} {
		s = strings.ReplaceAll(s, rep[0], rep[1])
	}
	// collapse doubled letters: "Farrukh" and "Farukh" share a key
	var out []rune
	for _, r := range s {
		if n := len(out); n > 0 && out[n-1] == r {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// editDistanceAtMost1 reports whether a and b differ by at most one insertion, deletion or substitution.
func editDistanceAtMost1(a, b []rune) bool {
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > 1 {
		return false
	}
	i := 0
	for i < la && a[i] == b[i] {
		i++
	}
	if la == lb {
		return i == la || string(a[i+1:]) == string(b[i+1:])
	}
	return string(a[i:]) == string(b[i+1:])
}
