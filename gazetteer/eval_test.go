package gazetteer

import (
	"os"
	"strings"
	"testing"
)

// TestPlaceTestSet scores testdata/places/mentions.txt: at least 150 mentions, 95% right.
func TestPlaceTestSet(t *testing.T) {
	f, err := os.Open("../testdata/places/mentions.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := ReadCases(f, "mentions.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 150 {
		t.Fatalf("%d cases, want at least 150", len(cases))
	}
	g := bundled(t)
	for _, c := range cases {
		if c.Want != "?" && c.Want != "-" && g.Get(c.Want) == nil {
			t.Errorf("line %d: no place %q", c.Line, c.Want)
		}
	}
	rep := g.Eval(cases)
	for _, o := range rep.Outcomes {
		if !o.OK {
			t.Logf("line %d: %q in %q: got %s %v, want %s %v (found %v)", o.Line, o.Mention, o.Sentence, o.Got, o.Cands, o.Want, o.WantCands, o.Found)
		}
	}
	t.Logf("accuracy %.1f%% (%d/%d)", 100*rep.Accuracy(), rep.Correct, len(rep.Outcomes))
	if rep.Accuracy() < 0.95 {
		t.Errorf("accuracy %.3f, want at least 0.95", rep.Accuracy())
	}
}

func TestReadCasesErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a | b | c", "x:1: want EXPECTED"},
		{"# c\n\nbaku | Baku | | Somewhere else.", "x:3: mention \"Baku\" is not in the sentence"},
		{" | Baku | | Baku.", "x:1: empty field"},
	}
	for _, tt := range tests {
		_, err := ReadCases(strings.NewReader(tt.in), "x")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadCases(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	cs, err := ReadCases(strings.NewReader("?a,b | Gaza | PSE, ISR | In Gaza."), "x")
	if err != nil || len(cs) != 1 || cs[0].Want != "?" || strings.Join(cs[0].WantCands, "+") != "a+b" || strings.Join(cs[0].Countries, "+") != "PSE+ISR" {
		t.Fatalf("got %+v, %v", cs, err)
	}
}
