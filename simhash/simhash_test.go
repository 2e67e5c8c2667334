package simhash

import (
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"
)

func readText(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Measured on these ~300-word texts: a new headline alone flips 4 bits, a new
// headline plus one rewritten sentence flips 11, an unrelated report 34 (random
// fingerprints differ by 32 on average). With 3-word shingles every changed word
// touches three features, so a ~10% edit of a short report moves ~8-12 bits: a
// near-duplicate threshold of 12 fits reports of this length; 3 only fits long ones.
const (
	nearMax      = 12
	unrelatedMin = 22
)

func TestDistanceOfCopies(t *testing.T) {
	orig := Of(readText(t, "original.txt"))
	tests := []struct {
		name     string
		other    string
		min, max int
	}{
		{"identical", "original.txt", 0, 0},
		{"new headline", "headline.txt", 0, nearMax},
		{"new headline and one sentence changed", "edited.txt", 0, nearMax},
		{"unrelated report", "unrelated.txt", unrelatedMin, 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Distance(orig, Of(readText(t, tt.other)))
			t.Logf("distance %d", d)
			if d < tt.min || d > tt.max {
				t.Errorf("distance = %d, want in [%d, %d]", d, tt.min, tt.max)
			}
		})
	}
}

func TestOf(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"empty", "", "", true},
		{"case and punctuation ignored", "The Mission said: quiet night.", "the mission said quiet night", true},
		{"short text", "ceasefire holds", "Ceasefire, holds!", true},
		{"different short texts", "ceasefire holds", "shelling resumed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Of(tt.a) == Of(tt.b); got != tt.same {
				t.Errorf("Of(%q)==Of(%q) is %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
	if Of("") != 0 {
		t.Errorf("Of(\"\") = %x, want 0", Of(""))
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0},
		{0, ^uint64(0), 64},
		{0b1011, 0b0001, 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%b, %b) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func BenchmarkOf(b *testing.B) {
	text := readText(b, "original.txt")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Of(text)
	}
}

func TestMatchesFNV(t *testing.T) {
	// The inlined hash must equal hash/fnv's FNV-64a over "w1 w2 w3".
	h := fnv.New64a()
	h.Write([]byte("alpha beta gamma"))
	if got, want := Of("Alpha, BETA gamma"), h.Sum64(); got != want {
		t.Errorf("Of = %x, want FNV-64a %x", got, want)
	}
}
