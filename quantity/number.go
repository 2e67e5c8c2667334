package quantity

import (
	"math"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce/token"
)

// English cardinal number words: grammar, not data.
var (
	onesWords = map[string]float64{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
		"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
		"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	}
	tensWords = map[string]float64{
		"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	}
	scaleWords = map[string]float64{
		"thousand": 1e3, "million": 1e6, "billion": 1e9, "mln": 1e6, "bn": 1e9,
	}
)

// number is a parsed number over tokens [i, j).
type number struct {
	i, j  int
	val   float64
	words bool // written in words
	digit bool // a plain digit run with no separators or decimals
}

// word returns the lower-cased word at token k, or "".
func (s *scan) word(k int) string {
	if k < 0 || k >= len(s.toks) || s.toks[k].Kind != token.Word {
		return ""
	}
	return s.toks[k].Lower
}

// punct reports whether token k is the mark m.
func (s *scan) punct(k int, m string) bool {
	return k >= 0 && k < len(s.toks) && s.toks[k].Kind == token.Punct && s.toks[k].Text == m
}

// glued reports whether token k follows token k-1 with no space.
func (s *scan) glued(k int) bool {
	return k > 0 && k < len(s.toks) && s.toks[k-1].End == s.toks[k].Start
}

// numTok reports whether token k is a plain digit run (no ordinal suffix).
func (s *scan) numTok(k int) bool {
	return k >= 0 && k < len(s.toks) && s.toks[k].Kind == token.Number && !s.toks[k].Ordinal
}

// number parses the number at token i: digits with separators and decimals,
// number words, and a trailing scale word ("1.5 million").
func (s *scan) number(i int) (number, bool) {
	if s.numTok(i) {
		return s.digits(i)
	}
	return s.numberWords(i)
}

// digits parses "1,960", "1 960", "1.5", "144" and an optional scale word.
func (s *scan) digits(i int) (number, bool) {
	t := s.toks
	if t[i].Digits > 15 {
		return number{}, false
	}
	var b strings.Builder
	b.WriteString(t[i].Text)
	j := i + 1
	plain := true
	grouped := false
	for s.punct(j, ",") && s.glued(j) && s.glued(j+1) && s.numTok(j+1) && t[j+1].Digits == 3 && t[i].Digits <= 3 {
		b.WriteString(t[j+1].Text)
		j += 2
		plain, grouped = false, true
	}
	if !grouped && t[i].Digits <= 3 {
		// "1 960": a thin, no-break or plain space before groups of three.
		for j < len(t) && s.numTok(j) && t[j].Digits == 3 && isGroupSpace(s.text[t[j-1].End:t[j].Start]) &&
			!(s.glued(j+1) && (s.punct(j+1, ",") || s.punct(j+1, ".")) && s.numTok(j+2)) {
			b.WriteString(t[j].Text)
			j++
			plain = false
		}
	}
	if s.punct(j, ".") && s.glued(j) && s.glued(j+1) && s.numTok(j+1) {
		b.WriteString(".")
		b.WriteString(t[j+1].Text)
		j += 2
		plain = false
	}
	v, err := strconv.ParseFloat(b.String(), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return number{}, false
	}
	n := number{i: i, j: j, val: v, digit: plain}
	if sc, ok := scaleWords[s.word(j)]; ok {
		n.val *= sc
		n.j++
		n.digit = false
	} else if s.word(j) == "hundred" {
		n.val *= 100
		n.j++
		n.digit = false
	}
	return n, true
}

// isGroupSpace reports whether gap is the single space of a digit grouping.
func isGroupSpace(gap string) bool {
	return gap == " " || gap == "\u00a0" || gap == "\u202f" || gap == "\u2009"
}

// numberWords parses "two", "eighty", "one hundred and forty-four", "a dozen",
// "two dozen", "a hundred", "three million".
func (s *scan) numberWords(i int) (number, bool) {
	k := i
	var total, cur float64
	any := false
	if w := s.word(k); w == "a" || w == "an" {
		nw := s.word(k + 1)
		if nw != "hundred" && nw != "dozen" && scaleWords[nw] == 0 || nw == "mln" || nw == "bn" {
			return number{}, false
		}
		cur, any = 1, true
		k++
	}
	last := ""
	for k < len(s.toks) {
		w := s.word(k)
		if v, ok := onesWords[w]; ok && (last == "" || last == "hundred" || last == "and" || isScale(last)) {
			cur += v
			last = "ones"
		} else if v, ok := tensWords[w]; ok && (last == "" || last == "hundred" || last == "and" || isScale(last)) {
			cur += v
			last = "tens"
			if s.punct(k+1, "-") && s.glued(k+1) && s.glued(k+2) {
				if u, ok := onesWords[s.word(k+2)]; ok && u > 0 && u < 10 {
					cur += u
					k += 2
					last = "ones"
				}
			}
		} else if w == "hundred" && any && last != "hundred" && !isScale(last) {
			if cur == 0 {
				cur = 1
			}
			cur *= 100
			last = "hundred"
		} else if w == "dozen" && any && last != "dozen" {
			if cur == 0 {
				cur = 1
			}
			cur *= 12
			last = "dozen"
		} else if sc, ok := scaleWords[w]; ok && any && w != "mln" && w != "bn" && !isScale(last) {
			if cur == 0 {
				cur = 1
			}
			total += cur * sc
			cur = 0
			last = w
		} else if w == "and" && any && (last == "hundred" || isScale(last)) {
			if _, ok := onesWords[s.word(k+1)]; !ok {
				if _, ok := tensWords[s.word(k+1)]; !ok {
					break
				}
			}
			last = "and"
		} else {
			break
		}
		any = true
		k++
	}
	if !any || k == i || last == "and" {
		return number{}, false
	}
	return number{i: i, j: k, val: total + cur, words: true}, true
}

// isScale reports whether w is thousand, million or billion.
func isScale(w string) bool { _, ok := scaleWords[w]; return ok }
