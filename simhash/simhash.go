package simhash

import (
	"math/bits"
	"strings"
	"unicode"
)

// shingle is the number of consecutive words hashed together.
const shingle = 3

// Of returns the 64-bit SimHash of text over 3-word shingles of its lowercased words.
// Texts of fewer than three words are fingerprinted as one shingle; an empty text gives 0.
func Of(text string) uint64 {
	lower := strings.ToLower(text)
	var spans [][2]int
	start := -1
	for i, r := range lower {
		word := unicode.IsLetter(r) || unicode.IsNumber(r)
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			spans = append(spans, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		spans = append(spans, [2]int{start, len(lower)})
	}
	if len(spans) == 0 {
		return 0
	}
	var v [64]int // shingles with each bit set
	n := 0        // shingles
	add := func(ws [][2]int) {
		x := uint64(offset64)
		for i, sp := range ws {
			if i > 0 {
				x ^= ' '
				x *= prime64
			}
			for j := sp[0]; j < sp[1]; j++ {
				x ^= uint64(lower[j])
				x *= prime64
			}
		}
		for i := range v {
			v[i] += int(x >> uint(i) & 1)
		}
		n++
	}
	if len(spans) < shingle {
		add(spans)
	} else {
		for i := 0; i+shingle <= len(spans); i++ {
			add(spans[i : i+shingle])
		}
	}
	var out uint64
	for i, set := range v {
		if 2*set > n {
			out |= 1 << uint(i)
		}
	}
	return out
}

// FNV-64a parameters (hash/fnv), inlined to hash word spans without copying.
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// Distance returns the Hamming distance between two fingerprints: the number of differing bits.
func Distance(a, b uint64) int {
	return bits.OnesCount64(a ^ b)
}
