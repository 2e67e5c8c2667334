package token

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	w := func(text, lower string, s, e int) Token {
		return Token{Kind: Word, Text: text, Lower: lower, Start: s, End: e}
	}
	p := func(text string, s int) Token {
		return Token{Kind: Punct, Text: text, Lower: text, Start: s, End: s + len(text)}
	}
	n := func(text, digits string, s, num int, ord bool) Token {
		return Token{Kind: Number, Text: text, Lower: digits, Start: s, End: s + len(text), Num: num, Digits: len(digits), Ordinal: ord}
	}
	for _, tc := range []struct {
		in   string
		want []Token
	}{
		{"", nil},
		{"  \t\n", nil},
		{"Hello, World", []Token{w("Hello", "hello", 0, 5), p(",", 5), w("World", "world", 7, 12)}},
		{"1,960 troops", []Token{n("1", "1", 0, 1, false), p(",", 1), n("960", "960", 2, 960, false), w("troops", "troops", 6, 12)}},
		{"November 27th.", []Token{w("November", "november", 0, 8), n("27th", "27", 9, 27, true), p(".", 13)}},
		{"1ST 2nd 3Rd", []Token{n("1ST", "1", 0, 1, true), n("2nd", "2", 4, 2, true), n("3Rd", "3", 8, 3, true)}},
		{"4thx", []Token{n("4", "4", 0, 4, false), w("thx", "thx", 1, 4)}},
		{"5s", []Token{n("5", "5", 0, 5, false), w("s", "s", 1, 2)}},
		{"123456789", []Token{n("123456789", "123456789", 0, 123456789, false)}},
		{"1234567890", []Token{n("1234567890", "1234567890", 0, -1, false)}},
		{"Ağdam—Şuşa", []Token{w("Ağdam", "ağdam", 0, 6), p("—", 6), w("Şuşa", "şuşa", 9, 15)}},
		{"10:00", []Token{n("10", "10", 0, 10, false), p(":", 2), n("00", "00", 3, 0, false)}},
		{"\xff1", []Token{p("\xff", 0), n("1", "1", 1, 1, false)}},
	} {
		if got := Split(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) =\n %+v\nwant\n %+v", tc.in, got, tc.want)
		}
	}
}

func TestCapitalised(t *testing.T) {
	for in, want := range map[string]bool{"May": true, "may": false, "": false, "Ağdam": true, "Şuşa": true, "1st": false} {
		if got := Capitalised(in); got != want {
			t.Errorf("Capitalised(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "Hello, World", "1,960 troops on November 27th.", "Ağdam—Şuşa 3RD", "\xff\xfe Nov. 3", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Rune boundaries as DecodeRuneInString walks s (invalid bytes count as one-byte runes).
		boundary := make([]bool, len(s)+1)
		for i := 0; i < len(s); {
			boundary[i] = true
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
		boundary[len(s)] = true
		prev := 0
		for k, tok := range Split(s) {
			if tok.Start < prev || tok.Start >= tok.End || tok.End > len(s) {
				t.Fatalf("token %d %+v: bad offsets (prev end %d, len %d)", k, tok, prev, len(s))
			}
			if !boundary[tok.Start] || !boundary[tok.End] {
				t.Fatalf("token %d %+v: offsets not on rune boundaries", k, tok)
			}
			if tok.Text != s[tok.Start:tok.End] {
				t.Fatalf("token %d %+v: Text != s[Start:End]", k, tok)
			}
			prev = tok.End
		}
	})
}
