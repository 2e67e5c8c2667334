package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is a word or a punctuation mark of a sentence, with its byte offsets
// in the report text.
type token struct {
	Text       string // as written
	Lower      string // lowercased, possessive split off
	Start, End int
	Punct      bool
	Cap        bool // starts with an upper-case letter
}

// tokenize splits s (which starts at byte offset base of the report text)
// into words and punctuation. A possessive "'s" becomes its own token.
func tokenize(s string, base int) []token {
	toks := make([]token, 0, len(s)/5+1)
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case isWordRune(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					j += n2
					continue
				}
				// joiners inside a word: 1,000 / U.S. / Anti-Mine / don't
				if (r2 == ',' || r2 == '.' || r2 == '-' || r2 == '\'') && j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if isWordRune(r3) && (r2 != ',' || unicode.IsDigit(r3) && isDigitsBefore(s[i:j])) && (r2 != '.' || unicode.IsDigit(r3) || isAbbrev(s[i:j])) {
						j += n2
						continue
					}
				}
				break
			}
			w := s[i:j]
			if k := strings.LastIndex(w, "'"); k > 0 && (strings.EqualFold(w[k:], "'s") || w[k:] == "'") {
				toks = append(toks, newToken(w[:k], base+i))
				toks = append(toks, newToken(w[k:], base+i+k))
			} else {
				toks = append(toks, newToken(w, base+i))
			}
			i = j
		default:
			toks = append(toks, token{Text: s[i : i+n], Lower: s[i : i+n], Start: base + i, End: base + i + n, Punct: true})
			i += n
		}
	}
	return toks
}

func newToken(w string, start int) token {
	r, _ := utf8.DecodeRuneInString(w)
	return token{Text: w, Lower: strings.ToLower(w), Start: start, End: start + len(w), Cap: unicode.IsUpper(r)}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isDigitsBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsDigit(r)
}

// isAbbrev reports whether w looks like part of a dotted abbreviation (U.S).
func isAbbrev(w string) bool { return utf8.RuneCountInString(w) == 1 || strings.Contains(w, ".") }

// words returns the lowercased words of toks, punctuation included.
func words(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Lower
	}
	return out
}
