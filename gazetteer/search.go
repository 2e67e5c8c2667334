package gazetteer

import "sort"

// Search looks a name up: exact (case and diacritic folded) matches first,
// then transliteration variants (kh/x, gh/ğ, dzh/j, ay/ai, ...), then, for
// names of six letters or more, names one edit away.
func (g *Gazetteer) Search(name string) []*Place {
	if g == nil || g.exact == nil {
		return nil
	}
	toks := tokens(name)
	if len(toks) == 0 {
		return nil
	}
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	key := joinSpace(parts)
	if ps := g.exact[key]; len(ps) > 0 {
		return ranked(ps)
	}
	sk := skeleton(key)
	if ps := g.skel[sk]; len(ps) > 0 {
		return ranked(ps)
	}
	r := []rune(sk)
	if len([]rune(key)) < 6 {
		return nil
	}
	var out []*Place
	for k, ps := range g.skel {
		if editDistanceAtMost1(r, []rune(k)) {
			for _, p := range ps {
				out = addPlace(out, p)
			}
		}
	}
	return ranked(out)
}

func joinSpace(parts []string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, p...)
	}
	return string(b)
}

// ranked orders places coarsest first, then by id, in a new slice.
func ranked(ps []*Place) []*Place {
	if len(ps) == 0 {
		return nil
	}
	out := append([]*Place(nil), ps...)
	rank := map[string]int{}
	for i, p := range Precisions {
		rank[p] = i
	}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].Precision] != rank[out[j].Precision] {
			return rank[out[i].Precision] > rank[out[j].Precision]
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Exact returns the places with a name equal to name, case and diacritics
// folded (no transliteration variants, no edits), coarsest first.
func (g *Gazetteer) Exact(name string) []*Place {
	if g == nil || g.exact == nil {
		return nil
	}
	toks := tokens(name)
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = t.fold
	}
	return ranked(g.exact[joinSpace(parts)])
}
