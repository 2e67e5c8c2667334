// Package token splits English text into words, digit runs and punctuation marks with byte offsets.
package token

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is the class of a Token.
type Kind int

// Token kinds.
const (
	// Word is a run of letters.
	Word Kind = iota
	// Number is a run of ASCII digits, optionally with an ordinal suffix.
	Number
	// Punct is any other single non-space rune.
	Punct
)

// Token is one word, digit run or punctuation mark of the input.
type Token struct {
	Kind       Kind   // class of the token
	Text       string // as written
	Lower      string // lower-cased text (words), digits (numbers)
	Start, End int    // byte offsets
	Num        int    // value of a digit run (capped), -1 when too long
	Digits     int    // number of digits of a digit run
	Ordinal    bool   // digit run carries an ordinal suffix: 27th
}

// Split splits text into words, digit runs and single punctuation marks.
func Split(text string) []Token {
	toks := make([]Token, 0, len(text)/5+1)
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
			t := Token{Kind: Number, Text: text[i:j], Lower: text[i:j], Start: i, Num: n, Digits: j - i}
			if j+2 <= len(text) {
				suf := strings.ToLower(text[j : j+2])
				if (suf == "st" || suf == "nd" || suf == "rd" || suf == "th") && !letterAt(text, j+2) {
					t.Ordinal = true
					j += 2
					t.Text = text[i:j]
				}
			}
			t.End = j
			toks = append(toks, t)
			i = j
		case unicode.IsLetter(r):
			j := i + w
			for j < len(text) {
				if c := text[j]; c < utf8.RuneSelf { // ASCII: no decoding needed
					if c|0x20 < 'a' || c|0x20 > 'z' {
						break
					}
					j++
					continue
				}
				r2, w2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, Token{Kind: Word, Text: text[i:j], Lower: strings.ToLower(text[i:j]), Start: i, End: j})
			i = j
		default:
			toks = append(toks, Token{Kind: Punct, Text: text[i : i+w], Lower: text[i : i+w], Start: i, End: i + w})
			i += w
		}
	}
	if len(toks) == 0 {
		return nil
	}
	return toks
}

// Capitalised reports whether s starts with an upper-case letter.
func Capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// letterAt reports whether a letter starts at byte i of s.
func letterAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}
