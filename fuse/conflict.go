package fuse

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce"
)

// Conflict fields.
const (
	ConflictCount  = "count"  // different numbers of the same thing
	ConflictDate   = "date"   // different days
	ConflictPlace  = "place"  // places neither of which contains the other
	ConflictActor  = "actor"  // who acted: opposite sides named (mutual accusations)
	ConflictDenied = "denied" // some sources assert it, others deny it
)

// Conflict is a detail the members of an incident disagree on, every version kept.
type Conflict struct {
	Field string `json:"field"`
	// What names what is counted, for a count ("persons killed").
	What   string    `json:"what,omitempty"`
	Values []Version `json:"values"`
}

// Version is one value of a disputed detail and the members that give it.
type Version struct {
	Value   string   `json:"value"`
	Members []int    `json:"members"` // indexes into Incident.Members
	Sources []string `json:"sources"` // the originators that give it
}

// refresh recomputes an incident's span, conflicts and credibility after a member joined.
func (f *Fuser) refresh(inc *Incident) {
	inc.Start, inc.End = "", ""
	for _, m := range inc.Members {
		if d := m.Event.Date; d != nil && !d.Unresolved && d.Start != "" {
			end := d.End
			if end == "" {
				end = d.Start
			}
			if inc.Start == "" || d.Start < inc.Start {
				inc.Start = d.Start
			}
			if end > inc.End {
				inc.End = end
			}
		}
	}
	inc.Conflicts = f.conflicts(inc)
	f.grade(inc)
}

type versions struct {
	order []string
	by    map[string]*Version
}

func (v *versions) add(value string, member int, source string) {
	if v.by == nil {
		v.by = map[string]*Version{}
	}
	x := v.by[value]
	if x == nil {
		x = &Version{Value: value}
		v.by[value] = x
		v.order = append(v.order, value)
	}
	x.Members = append(x.Members, member)
	for _, s := range x.Sources {
		if s == source {
			return
		}
	}
	x.Sources = append(x.Sources, source)
}

func (v *versions) conflict(field, what string) (Conflict, bool) {
	if len(v.order) < 2 {
		return Conflict{}, false
	}
	c := Conflict{Field: field, What: what}
	for _, k := range v.order {
		c.Values = append(c.Values, *v.by[k])
	}
	return c, true
}

func (f *Fuser) conflicts(inc *Incident) []Conflict {
	var out []Conflict
	counts := map[string]*versions{}
	var countKeys []string
	var dates, places, actors, denied versions
	for i, m := range inc.Members {
		src := m.Originator.Name
		for _, q := range m.Event.Quantities {
			if q.Unit == "" || q.Unit == "km" || q.Unit == "days" || q.Unit == "hours" {
				continue // distances and durations describe, they do not count the happening
			}
			key := q.Unit + " " + f.quantityRole(q)
			if counts[key] == nil {
				counts[key] = &versions{}
				countKeys = append(countKeys, key)
			}
			counts[key].add(quantityValue(q), i, src)
		}
		if d := m.Event.Date; d != nil && !d.Unresolved && d.Precision == truce.PrecisionDay {
			v := d.Start
			if d.End != "" && d.End != d.Start {
				v += ".." + d.End
			}
			dates.add(v, i, src)
		}
		if inc.info[i].actor != "" {
			actors.add(inc.info[i].actor, i, src)
		}
		if m.Event.Negated {
			denied.add("denied", i, src)
		} else {
			denied.add("asserted", i, src)
		}
	}
	for _, k := range countKeys {
		if c, ok := counts[k].conflict(ConflictCount, k); ok {
			out = append(out, c)
		}
	}
	if c, ok := dates.conflict(ConflictDate, ""); ok {
		out = append(out, c)
	}
	// places: only those not inside another member's place disagree
	for i, m := range inc.Members {
		if m.Event.Place == nil || m.Event.Place.ID == "" {
			continue
		}
		places.add(m.Event.Place.Canonical, i, m.Originator.Name)
	}
	if len(places.order) > 1 && f.placesDisagree(inc, &places) {
		if c, ok := places.conflict(ConflictPlace, ""); ok {
			out = append(out, c)
		}
	}
	if c, ok := actors.conflict(ConflictActor, "acting side"); ok {
		out = append(out, c)
	}
	if c, ok := denied.conflict(ConflictDenied, ""); ok {
		out = append(out, c)
	}
	return out
}

// placesDisagree reports whether two of the places named are apart: neither the same nor one inside the other.
func (f *Fuser) placesDisagree(inc *Incident, v *versions) bool {
	ids := make([]*truce.Place, 0, len(v.order))
	for _, k := range v.order {
		ids = append(ids, inc.Members[v.by[k].Members[0]].Event.Place)
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			a, b := ids[i], ids[j]
			if a.ID == b.ID {
				continue
			}
			if f.gz != nil {
				pa, pb := f.gz.Get(a.ID), f.gz.Get(b.ID)
				if pa != nil && pb != nil && (f.gz.Within(pa, pb) || f.gz.Within(pb, pa)) {
					continue
				}
			}
			return true
		}
	}
	return false
}

// quantityRole names what a quantity counts from its words: killed, wounded, … or the counted noun.
func (f *Fuser) quantityRole(q truce.Quantity) string {
	for _, w := range wordsOf(q.Text + " " + q.Of) {
		if r := f.rules.role[w]; r != "" {
			return r
		}
	}
	return "counted"
}

func quantityValue(q truce.Quantity) string {
	num := func(p *float64) string { return strconv.FormatFloat(*p, 'f', -1, 64) }
	var s string
	switch {
	case q.Value != nil:
		s = num(q.Value)
	case q.Min != nil && q.Max != nil:
		s = num(q.Min) + "-" + num(q.Max)
	case q.Min != nil:
		s = ">" + num(q.Min)
	case q.Max != nil:
		s = "<" + num(q.Max)
	default:
		s = "?"
	}
	if q.Approx {
		s = "~" + s
	}
	return s
}

// Admiralty information credibility grades.
const (
	Confirmed      = 1
	ProbablyTrue   = 2
	PossiblyTrue   = 3
	Doubtful       = 4
	Improbable     = 5
	CannotBeJudged = 6
)

// CredibilityNames are the Admiralty names of the credibility grades, by grade.
var CredibilityNames = map[int]string{Confirmed: "confirmed", ProbablyTrue: "probably true",
	PossiblyTrue: "possibly true", Doubtful: "doubtful", Improbable: "improbable", CannotBeJudged: "cannot be judged"}

// grade sets the independent originators and the credibility of inc (docs/fusion.md, "Credibility").
func (f *Fuser) grade(inc *Incident) {
	inc.Originators, inc.Deniers = nil, nil
	seen := map[string]bool{}
	party := true
	for _, m := range inc.Members {
		if m.Report.CopyOf != "" {
			continue // a copy is not a confirmation
		}
		key := normName(m.Originator.Name)
		if m.Event.Negated {
			key = "-" + key
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if m.Event.Negated {
			inc.Deniers = append(inc.Deniers, m.Originator)
			continue
		}
		inc.Originators = append(inc.Originators, m.Originator)
		party = party && m.PartyClaim
	}
	n, d := len(inc.Originators), len(inc.Deniers)
	inc.PartyClaim = n > 0 && party
	sides := map[string]bool{}
	var names []string
	for _, o := range inc.Originators {
		s := f.reg.Side(o.Affiliation)
		if s == "" {
			s = "neutral:" + o.Name // a non-party is its own side
		}
		sides[s] = true
		names = append(names, o.Name+" ["+o.Affiliation+"/"+o.Reliability+"]")
	}
	disputed := false
	for _, c := range inc.Conflicts {
		if c.Field == ConflictActor || c.Field == ConflictDenied {
			disputed = true
		}
	}
	g, why := CannotBeJudged, ""
	switch {
	case n == 0:
		g, why = CannotBeJudged, "only denials"
	case n >= 2 && len(sides) >= 2 && !disputed:
		g, why = Confirmed, fmt.Sprintf("%d independent sources on more than one side", n)
	case n >= 2 && d > n:
		g, why = Improbable, fmt.Sprintf("%d sources assert, %d deny", n, d)
	case n >= 2:
		g = ProbablyTrue
		if disputed {
			why = fmt.Sprintf("%d independent sources, but who acted or whether it happened is disputed", n)
		} else {
			why = fmt.Sprintf("%d independent sources, all on one side", n)
		}
	default:
		o := inc.Originators[0]
		g = map[string]int{"A": ProbablyTrue, "B": ProbablyTrue, "C": PossiblyTrue, "D": Doubtful,
			"E": Improbable, "F": CannotBeJudged}[o.Reliability]
		why = "one source, reliability " + o.Reliability
		if inc.PartyClaim && g < PossiblyTrue {
			g, why = PossiblyTrue, why+", a party's claim about the other side"
		}
		if d > 0 && g < Doubtful {
			g, why = Doubtful, why+", denied"
		}
	}
	if d > 0 && g != Improbable && n > 0 && n >= 2 {
		why += fmt.Sprintf("; %d denial(s)", d)
	}
	inc.Credibility = g
	sort.Strings(names)
	inc.Grounds = why + ": " + strings.Join(names, "; ")
}
