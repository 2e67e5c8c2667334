package fuse

import (
	"strings"
	"unicode"

	"github.com/truce-monitor/truce/simhash"
)

// Copy detection: MinHash over 3-word shingles estimates the Jaccard
// similarity of two texts; an LSH index over bands of the signature finds the
// candidates in constant time. SimHash (package simhash) is kept as a report
// field and shown in the measurements, but it is too coarse on its own for
// short reports (docs/fusion.md).
const (
	shingleWords = 3
	minhashK     = 64
	lshRows      = 2
	lshBands     = minhashK / lshRows
	// bucketCap bounds an LSH bucket: the oldest entries of a crowded bucket
	// (shingles every report shares) are dropped, so a lookup stays flat.
	bucketCap = 64
)

// CopyThreshold is the default least containment (shared shingles over the
// shingles of the shorter text) that makes a report a copy of an earlier one.
const CopyThreshold = 0.5

// Fingerprint is what copy detection keeps of a report text.
type Fingerprint struct {
	Sig      [minhashK]uint64 // MinHash signature of the 3-word shingles
	Shingles int              // number of distinct shingles
	SimHash  uint64           // SimHash of the text (package simhash)
}

// FingerprintOf computes the fingerprint of a report text.
func FingerprintOf(text string) Fingerprint {
	fp := Fingerprint{SimHash: simhash.Of(text)}
	for i := range fp.Sig {
		fp.Sig[i] = ^uint64(0)
	}
	words := wordsOf(text)
	seen := map[uint64]bool{}
	add := func(ws []string) {
		h := uint64(offset64)
		for i, w := range ws {
			if i > 0 {
				h ^= ' '
				h *= prime64
			}
			for j := 0; j < len(w); j++ {
				h ^= uint64(w[j])
				h *= prime64
			}
		}
		if seen[h] {
			return
		}
		seen[h] = true
		for i := range fp.Sig {
			if v := mix(h ^ seeds[i]); v < fp.Sig[i] {
				fp.Sig[i] = v
			}
		}
	}
	switch {
	case len(words) == 0:
	case len(words) < shingleWords:
		add(words)
	default:
		for i := 0; i+shingleWords <= len(words); i++ {
			add(words[i : i+shingleWords])
		}
	}
	fp.Shingles = len(seen)
	return fp
}

// Jaccard estimates the Jaccard similarity of the shingle sets of two fingerprints.
func (fp Fingerprint) Jaccard(o Fingerprint) float64 {
	if fp.Shingles == 0 || o.Shingles == 0 {
		return 0
	}
	n := 0
	for i := range fp.Sig {
		if fp.Sig[i] == o.Sig[i] {
			n++
		}
	}
	return float64(n) / minhashK
}

// Containment estimates the share of the shorter text's shingles found in the other.
func (fp Fingerprint) Containment(o Fingerprint) float64 {
	j := fp.Jaccard(o)
	small := min(fp.Shingles, o.Shingles)
	if small == 0 {
		return 0
	}
	inter := j * float64(fp.Shingles+o.Shingles) / (1 + j)
	return min(1, inter/float64(small))
}

// copyIndex finds earlier reports a text is a near copy of.
type copyIndex struct {
	threshold float64
	fps       []Fingerprint
	ids       []string
	buckets   map[uint64][]int32
}

func newCopyIndex(threshold float64) *copyIndex {
	return &copyIndex{threshold: threshold, buckets: map[uint64][]int32{}}
}

func bandKey(fp *Fingerprint, b int) uint64 {
	h := uint64(b+1) * 0x9e3779b97f4a7c15
	for r := 0; r < lshRows; r++ {
		h = mix(h ^ fp.Sig[b*lshRows+r])
	}
	return h
}

// find returns the id of the earliest indexed report fp is a copy of, and the containment.
func (c *copyIndex) find(fp Fingerprint) (string, float64) {
	if fp.Shingles == 0 {
		return "", 0
	}
	best, bestC := int32(-1), 0.0
	seen := map[int32]bool{}
	for b := 0; b < lshBands; b++ {
		for _, i := range c.buckets[bandKey(&fp, b)] {
			if seen[i] {
				continue
			}
			seen[i] = true
			if cn := fp.Containment(c.fps[i]); cn >= c.threshold && (best < 0 || i < best) {
				best, bestC = i, cn
			}
		}
	}
	if best < 0 {
		return "", 0
	}
	return c.ids[best], bestC
}

func (c *copyIndex) add(id string, fp Fingerprint) {
	if fp.Shingles == 0 {
		return
	}
	i := int32(len(c.fps))
	c.fps = append(c.fps, fp)
	c.ids = append(c.ids, id)
	for b := 0; b < lshBands; b++ {
		k := bandKey(&fp, b)
		l := c.buckets[k]
		if len(l) >= bucketCap {
			l = append(l[:0:0], l[1:]...)
		}
		c.buckets[k] = append(l, i)
	}
}

// wordsOf returns the lowercased words (letters and digits) of text.
func wordsOf(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// FNV-64a parameters.
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// mix is the splitmix64 finaliser, a cheap well-spread permutation of uint64.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// seeds are the per-hash salts of the MinHash signature.
var seeds = func() (s [minhashK]uint64) {
	x := uint64(0x6a09e667f3bcc909)
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return s
}()
