package lexicon

import (
	"fmt"
	"sort"
	"strings"
)

// maxGap is how many words "..." may skip in a phrase.
const maxGap = 8

// Matcher finds phrases in sequences of lowercased words.
type Matcher struct {
	byFirst map[string][]*phrase
}

type phrase struct {
	id    int
	parts []part // parts[0] never a gap
	size  int    // number of non-gap, non-optional parts, for preferring longer matches
}

type part struct {
	words    map[string]bool
	optional bool
	gap      bool // "...": up to maxGap words
	lemma    bool // the word is a verb lemma with its forms
}

// Match is a phrase found in a word sequence: words [Start, End) matched
// the phrase of pattern ID.
type Match struct {
	ID         int
	Start, End int
	Size       int
	// Verbal reports whether the phrase starts with a verb lemma, whose
	// base and -s forms may also be nouns ("their demands").
	Verbal bool
	// Alt lists the other phrases that match at Start, best first, for a
	// caller whose constraints rule the best one out.
	Alt []Match
}

// NewMatcher returns an empty matcher.
func NewMatcher() *Matcher { return &Matcher{byFirst: map[string][]*phrase{}} }

// Add compiles a phrase (see patterns.yaml for the syntax) under id.
func (m *Matcher) Add(id int, words []string, irregular map[string][]string) error {
	ph := &phrase{id: id}
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		switch {
		case w == "":
			return fmt.Errorf("empty word in %q", words)
		case w == "...":
			if len(ph.parts) == 0 {
				return fmt.Errorf("phrase %q starts with ...", words)
			}
			ph.parts = append(ph.parts, part{gap: true})
			continue
		}
		p := part{words: map[string]bool{}}
		if strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") {
			p.optional = true
			w = w[1 : len(w)-1]
		}
		for _, alt := range strings.Split(w, "|") {
			if strings.HasSuffix(alt, "+") {
				p.lemma = true
				for _, f := range inflect(strings.TrimSuffix(alt, "+"), irregular) {
					p.words[f] = true
				}
			} else {
				p.words[alt] = true
			}
		}
		if len(ph.parts) == 0 && p.optional {
			return fmt.Errorf("phrase %q starts with an optional word", words)
		}
		if !p.optional {
			ph.size++
		}
		ph.parts = append(ph.parts, p)
	}
	if len(ph.parts) == 0 {
		return fmt.Errorf("empty phrase")
	}
	if ph.parts[len(ph.parts)-1].gap {
		return fmt.Errorf("phrase %q ends with ...", words)
	}
	for w := range ph.parts[0].words {
		m.byFirst[w] = append(m.byFirst[w], ph)
	}
	return nil
}

// Find returns the phrases found in words, left to right and
// non-overlapping: at each start the largest phrase (then the lowest id)
// wins, and a match that begins inside an earlier one is dropped.
func (m *Matcher) Find(words []string) []Match {
	var out []Match
	for i := 0; i < len(words); i++ {
		var cands []Match
		for _, ph := range m.byFirst[words[i]] {
			if end, ok := ph.match(words, i, 0); ok {
				cands = append(cands, Match{ID: ph.id, Start: i, End: end, Size: ph.size, Verbal: ph.parts[0].lemma})
			}
		}
		if len(cands) == 0 {
			continue
		}
		sort.Slice(cands, func(a, b int) bool {
			if cands[a].Size != cands[b].Size {
				return cands[a].Size > cands[b].Size
			}
			return cands[a].ID < cands[b].ID
		})
		best := cands[0]
		best.Alt = cands[1:]
		out = append(out, best)
		i = best.End - 1
	}
	return out
}

// match reports whether parts[k:] match words from position i, and where the match ends.
func (ph *phrase) match(words []string, i, k int) (int, bool) {
	if k == len(ph.parts) {
		return i, true
	}
	p := ph.parts[k]
	if p.gap {
		for skip := 0; skip <= maxGap && i+skip <= len(words); skip++ {
			if skip > 0 && isStop(words[i+skip-1]) {
				break
			}
			if end, ok := ph.match(words, i+skip, k+1); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i < len(words) && p.words[words[i]] {
		if end, ok := ph.match(words, i+1, k+1); ok {
			return end, true
		}
	}
	if p.optional {
		return ph.match(words, i, k+1)
	}
	return 0, false
}

// isStop reports whether a gap may not run across w.
func isStop(w string) bool {
	switch w {
	case ".", ";", ":", "?", "!", "(", ")":
		return true
	}
	return false
}
