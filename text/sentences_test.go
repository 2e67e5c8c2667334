package text

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// texts returns the sentence texts of s.
func texts(ss []Sentence) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Text
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"blank", " \n\n\t\n", nil},
		{"abbreviations", `On Nov. 10 Gen. Ivanov and Lt. Col. Petrov met. The U.S. envoy Mr. Brown arrived.`,
			[]string{`On Nov. 10 Gen. Ivanov and Lt. Col. Petrov met.`, `The U.S. envoy Mr. Brown arrived.`}},
		{"number abbreviations", `Then No. 5 battalion left. Art. 8 of the statement applies. The area is approx. 5 ha.`,
			[]string{`Then No. 5 battalion left.`, `Art. 8 of the statement applies.`, `The area is approx. 5 ha.`}},
		{"ranks", `Col. Smith and Brig. Gen. Doe spoke. Maj. Gen. Ross left.`,
			[]string{`Col. Smith and Brig. Gen. Doe spoke.`, `Maj. Gen. Ross left.`}},
		{"initials and e.g.", `J. R. Smith spoke. Items, e.g. mines, were found.`,
			[]string{`J. R. Smith spoke.`, `Items, e.g. mines, were found.`}},
		{"decimals", `They moved 3.5 km back. Prices rose 2.5 percent.`,
			[]string{`They moved 3.5 km back.`, `Prices rose 2.5 percent.`}},
		{"year ends sentence", `The war ended in 2020. The talks began. It held until Sept. 3. He left.`,
			[]string{`The war ended in 2020.`, `The talks began.`, `It held until Sept. 3.`, `He left.`}},
		{"list number kept", `Points: 1. Withdraw.`, []string{`Points: 1. Withdraw.`}},
		{"quote keeps closing mark", `"The situation is calm," he said. "We wait." Then they left.`,
			[]string{`"The situation is calm," he said.`, `"We wait."`, `Then they left.`}},
		{"quote then quote", `He said that "the army left." "It is done," he added.`,
			[]string{`He said that "the army left."`, `"It is done," he added.`}},
		{"title inside quote", `"Mr. Aliyev said it." Was it true?`,
			[]string{`"Mr. Aliyev said it."`, `Was it true?`}},
		{"question in quote", `"Really?" she asked. Yes!`, []string{`"Really?" she asked.`, `Yes!`}},
		{"colon paragraph stays apart", "He said:\n\n\"We are leaving.\"",
			[]string{`He said:`, `"We are leaving."`}},
		{"paragraph breaks", "First para\nsecond line.\n\n\nThird.  \r\n \r\nFourth",
			[]string{"First para\nsecond line.", "Third.", "Fourth"}},
		{"multibyte", "Ağdam was handed over. Şuşa — calm.", []string{"Ağdam was handed over.", "Şuşa — calm."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			checkSentences(t, tt.in, got)
			if g := texts(got); strings.Join(g, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, g, tt.want)
			}
		})
	}
}

func TestSentenceParaAndQuote(t *testing.T) {
	in := "He said:\n\n\"We left. It is done.\n\nWe wait.\"\n\nThey left. She said it was 'over' now."
	got := Sentences(in)
	want := []struct {
		para   int
		quoted bool
	}{{0, false}, {1, true}, {1, true}, {2, true}, {3, false}, {3, false}}
	if len(got) != len(want) {
		t.Fatalf("got %d sentences %q, want %d", len(got), texts(got), len(want))
	}
	for i, w := range want {
		if got[i].Para != w.para || (got[i].Quote != nil) != w.quoted {
			t.Errorf("sentence %d %q: para %d quoted %v, want %d %v", i, got[i].Text, got[i].Para, got[i].Quote != nil, w.para, w.quoted)
		}
	}
}

func TestQuotes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // quoted words; a trailing "…" marks an unclosed quote
	}{
		{"none", "No quotes here, isn't it?", nil},
		{"simple", `He said "we left" today.`, []string{"we left"}},
		{"two", `"A," he said, "B."`, []string{"A,", "B."}},
		{"apostrophes", `Azerbaijan's forces didn't move; the soldiers' tents stay.`, nil},
		{"single", `They called it 'a fragile start' and left.`, []string{"a fragile start"}},
		{"single inside double", `"They called it 'a start'," he said.`, []string{"They called it 'a start',"}},
		{"across paragraphs", "\"One.\n\n\"Two.\n\nThree.\" he said.", []string{"One.\n\n\"Two.\n\nThree."}},
		{"continuation without reopening", "\"One.\n\nTwo.\"", []string{"One.\n\nTwo."}},
		{"mid-paragraph unclosed", "He said \"one.\n\nTwo.", []string{"one.…"}},
		{"unclosed then new quote", "\"One.\n\nHe called it \"war\" again.", []string{"One.…", "war"}},
		{"stray closer", `Tents." Then "we go".`, []string{"we go"}},
		{"rest of closing paragraph", "\"One.\n\nTwo,\" he said, \"three.\"", []string{"One.\n\nTwo,", "three."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs := Quotes(tt.in)
			checkQuotes(t, tt.in, qs)
			var got []string
			for _, q := range qs {
				s := tt.in[q.Start:q.End]
				if q.Close < 0 {
					s += "…"
				}
				got = append(got, s)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Quotes(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestGolden compares the sentences of a report written for the tests with a golden file.
func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range Sentences(string(in)) {
		q := ""
		if s.Quote != nil {
			q = fmt.Sprintf(" quote=%d:%d", s.Quote.Open, s.Quote.Close)
		}
		fmt.Fprintf(&b, "%d [%d:%d]%s %s\n", s.Para, s.Start, s.End, q, strings.ReplaceAll(s.Text, "\n", `\n`))
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("sentences differ from %s (run with -update to accept):\n%s", golden, b.String())
	}
}

func TestSentencesConcurrent(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "report.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(Sentences(string(in)))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got, _ := json.Marshal(Sentences(string(in))); string(got) != string(want) {
				t.Error("concurrent Sentences differ")
			}
		})
	}
	wg.Wait()
}

// checkSentences verifies the invariants every result of Sentences keeps.
func checkSentences(t *testing.T, in string, ss []Sentence) {
	t.Helper()
	last, lastPara := 0, 0
	for i, s := range ss {
		if s.Start < last || s.End <= s.Start || s.End > len(in) {
			t.Fatalf("sentence %d [%d:%d] out of order or range (last end %d, len %d)", i, s.Start, s.End, last, len(in))
		}
		if s.Text != in[s.Start:s.End] || strings.TrimSpace(s.Text) != s.Text && utf8.ValidString(s.Text) {
			t.Fatalf("sentence %d text %q does not match [%d:%d] trimmed", i, s.Text, s.Start, s.End)
		}
		if utf8.ValidString(in) && (!utf8.RuneStart(in[s.Start]) || s.End < len(in) && !utf8.RuneStart(in[s.End])) {
			t.Fatalf("sentence %d [%d:%d] not on rune boundaries", i, s.Start, s.End)
		}
		if s.Para < lastPara {
			t.Fatalf("sentence %d para %d before %d", i, s.Para, lastPara)
		}
		last, lastPara = s.End, s.Para
	}
}

// checkQuotes verifies the invariants every result of Quotes keeps.
func checkQuotes(t *testing.T, in string, qs []Quote) {
	t.Helper()
	for i, q := range qs {
		if q.Open < 0 || q.Open >= len(in) || q.Start != q.Open+1 || q.End < q.Start || q.End > len(in) {
			t.Fatalf("quote %d %+v out of range (len %d)", i, q, len(in))
		}
		if in[q.Open] != '"' && in[q.Open] != '\'' {
			t.Fatalf("quote %d opens at %q", i, in[q.Open])
		}
		if q.Close >= 0 && (q.Close != q.End || in[q.Close] != in[q.Open]) {
			t.Fatalf("quote %d %+v closes badly", i, q)
		}
		if i > 0 && q.Open < qs[i-1].cover().end {
			t.Fatalf("quote %d %+v overlaps %+v", i, q, qs[i-1])
		}
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"", "A. B.", `"He said." Then "we".`, "Nov. 10 Gen. X met.\n\n\"One.\n\nTwo.\"", "in 2020. The", "\xff\xfe. \x80A."} {
		f.Add(s)
	}
	if in, err := os.ReadFile(filepath.Join("testdata", "report.txt")); err == nil {
		f.Add(string(in))
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSentences(t, in, Sentences(in))
	})
}

func FuzzQuotes(f *testing.F) {
	for _, s := range []string{"", `"`, `""`, `'a' "b" 'c`, "\"a\n\n\"b\n\nc\"", "x\"y\"z", `("a")`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkQuotes(t, in, Quotes(in))
	})
}

func BenchmarkSentences(b *testing.B) {
	in, err := os.ReadFile(filepath.Join("testdata", "report.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(in)+"\n\n", 3) // about 6 KB
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Sentences(text)
	}
}
