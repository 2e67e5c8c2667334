package gazetteer

import "slices"

// Hints is what else is known about the report a mention comes from.
type Hints struct {
	Countries []string // ISO alpha-3 codes of the report and its actors (NKR allowed)
	Places    []string // ids of places already resolved in the same report
}

// Resolve picks the place a mention stands for, or returns nil and the
// candidates left when the cue and hints cannot decide. See the package doc.
func (g *Gazetteer) Resolve(m Mention, hints Hints) (p *Place, ambiguous []*Place) {
	if g == nil {
		return nil, nil
	}
	var cands []*Place
	for _, c := range m.Candidates {
		if c != nil {
			cands = addPlace(cands, c)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	class := cueClass(m.Cue)
	if kinds := cueKinds[class]; kinds != nil {
		cands = keep(cands, func(c *Place) bool { return slices.Contains(kinds, c.Kind) })
	}
	hinted := false
	// places already resolved in the report
	var hintPlaces []*Place
	for _, id := range hints.Places {
		if hp := g.byID[id]; hp != nil {
			hintPlaces = append(hintPlaces, hp)
		}
	}
	if len(hintPlaces) > 0 {
		same := keep(cands, func(c *Place) bool {
			for _, hp := range hintPlaces {
				if hp == c {
					return true
				}
			}
			return false
		})
		if len(same) == 1 {
			return same[0], nil
		}
		near := filter(cands, func(c *Place) bool {
			for _, hp := range hintPlaces {
				if g.related(c, hp) {
					return true
				}
			}
			return false
		})
		if len(near) > 0 {
			hinted = hinted || len(near) < len(cands) || len(cands) == 1
			cands = near
		}
	}
	if len(hints.Countries) > 0 {
		in := filter(cands, func(c *Place) bool {
			return slices.Contains(hints.Countries, c.Country) || (c.DeFacto != "" && slices.Contains(hints.Countries, c.DeFacto))
		})
		if len(in) > 0 {
			hinted = hinted || len(in) < len(cands) || len(cands) == 1
			cands = in
		}
	}
	if m.Weak && class == "" && !hinted {
		sortPlaces(cands)
		return nil, cands
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	// a national capital outranks the areas and places of the same name (Yerevan city and province)
	if caps := filter(cands, func(c *Place) bool { return c.Feature == "P.PPLC" }); len(caps) == 1 {
		return caps[0], nil
	}
	// a candidate that contains all the others: less precise, never wrong
	for _, c := range cands {
		all := true
		for _, o := range cands {
			if o != c && !g.Within(o, c) {
				all = false
				break
			}
		}
		if all {
			return c, nil
		}
	}
	if top := byPopulation(cands); top != nil {
		return top, nil
	}
	sortPlaces(cands)
	return nil, cands
}

// related reports whether c and h are the same place, one holds the other, or they share a parent.
func (g *Gazetteer) related(c, h *Place) bool {
	if g.Within(c, h) || g.Within(h, c) {
		return true
	}
	return c.Parent != "" && c.Parent == h.Parent && c.Kind != "country"
}

// byPopulation returns the candidate ten times larger than every other, when all have a population.
func byPopulation(cands []*Place) *Place {
	var top *Place
	second := 0
	for _, c := range cands {
		if c.Population <= 0 {
			return nil
		}
		if top == nil || c.Population > top.Population {
			if top != nil {
				second = top.Population
			}
			top = c
		} else if c.Population > second {
			second = c.Population
		}
	}
	if top != nil && top.Population >= 10*second {
		return top
	}
	return nil
}

// keep returns the places that pass f, or all of them when none does.
func keep(ps []*Place, f func(*Place) bool) []*Place {
	out := filter(ps, f)
	if len(out) == 0 {
		return ps
	}
	return out
}

func filter(ps []*Place, f func(*Place) bool) []*Place {
	var out []*Place
	for _, p := range ps {
		if f(p) {
			out = append(out, p)
		}
	}
	return out
}

// Resolved is a mention with the place it stands for, or the candidates
// left when it is ambiguous (Place nil).
type Resolved struct {
	Mention
	Place     *Place
	Ambiguous []*Place
}

// ResolveText finds the place names of text and resolves them in two
// rounds: first each with h alone; then every mention again with the places
// the first round resolved for the other mentions added to h.Places, so that
// the other places of a sentence or report disambiguate a name ("the town of
// Martuni in Nagorno-Karabakh", "Martuni, in Gegharkunik province"). A
// second-round answer replaces the first only when it is a place.
func (g *Gazetteer) ResolveText(text string, h Hints) []Resolved {
	ms := g.Find(text)
	if len(ms) == 0 {
		return nil
	}
	out := make([]Resolved, len(ms))
	for i, m := range ms {
		out[i].Mention = m
		out[i].Place, out[i].Ambiguous = g.Resolve(m, h)
	}
	if len(ms) == 1 {
		return out
	}
	for i := range out {
		more := h
		more.Places = append([]string(nil), h.Places...)
		for j, o := range out {
			if j != i && o.Place != nil && !slices.Contains(more.Places, o.Place.ID) {
				more.Places = append(more.Places, o.Place.ID)
			}
		}
		if len(more.Places) == len(h.Places) {
			continue
		}
		if p, amb := g.Resolve(out[i].Mention, more); p != nil {
			out[i].Place, out[i].Ambiguous = p, amb
		}
	}
	return out
}
