package quantity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds.
const (
	kWord = iota
	kNum
	kPunct
)

// token is one word, digit run or punctuation mark of the input.
type token struct {
	kind       int
	text       string // as written
	lower      string // lower-cased text (words), digits (numbers)
	start, end int    // byte offsets
	num        int    // value of a digit run (capped), -1 when too long
	ndig       int    // number of digits of a digit run
	ord        bool   // digit run carries an ordinal suffix: 27th
}

// tokenize splits text into words, digit runs and single punctuation marks.
func tokenize(text string) []token {
	var toks []token
	i := 0
	for i < len(text) {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case r >= '0' && r <= '9':
			j := i
			n := 0
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				if n >= 0 && j-i < 9 {
					n = n*10 + int(text[j]-'0')
				} else {
					n = -1
				}
				j++
			}
			t := token{kind: kNum, text: text[i:j], lower: text[i:j], start: i, num: n, ndig: j - i}
			if j+2 <= len(text) {
				suf := strings.ToLower(text[j : j+2])
				if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") && !letterAt(text, j+2) {
					t.ord = true
					j += 2
					t.text = text[i:j]
				}
			}
			t.end = j
			toks = append(toks, t)
			i = j
		case unicode.IsLetter(r):
			j := i + w
			for j < len(text) {
				r2, w2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, token{kind: kWord, text: text[i:j], lower: strings.ToLower(text[i:j]), start: i, end: j})
			i = j
		default:
			toks = append(toks, token{kind: kPunct, text: text[i : i+w], lower: text[i : i+w], start: i, end: i + w})
			i += w
		}
	}
	return toks
}

// letterAt reports whether a letter starts at byte i of s.
func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// capitalised reports whether a word starts with an upper-case letter.
func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
