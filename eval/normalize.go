package eval

import (
	"math"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/truce-monitor/truce"
)

// letterFolds maps letters that keep no base letter under Unicode decomposition.
var letterFolds = map[rune]string{
	'ə': "e", 'Ə': "e", 'ı': "i", 'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'đ': "d", 'Đ': "d",
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ħ': "h",
}

// fold lower-cases s and removes diacritics ("Ağdam" → "agdam", "Şuşa" → "susa").
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if f, ok := letterFolds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// words returns the folded words (runs of letters and digits) of s: quote
// marks, dashes, punctuation and white space only separate words.
func words(s string) []string {
	return strings.FieldsFunc(fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// minOverlap is the share of the shorter evidence that must be a common run of words.
const minOverlap = 0.5

// overlap returns how much two evidence texts overlap: the longest run of
// words they share, as a share of the shorter one's words (1 when one is
// inside the other). It returns 0 below minOverlap, or when the run is
// shorter than three words and shorter than the shorter text.
func overlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	run := 0
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				run = max(run, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	short := min(len(a), len(b))
	v := float64(run) / float64(short)
	if v < minOverlap || (run < 3 && run < short) {
		return 0
	}
	return v
}

// typeCorrect reports whether the predicted type is one of the gold types or an alternative's.
func typeCorrect(g GoldEvent, pred string) bool {
	pred = strings.TrimSpace(pred)
	if pred == "" {
		return false
	}
	for _, t := range g.Type {
		if strings.EqualFold(strings.TrimSpace(t), pred) {
			return true
		}
	}
	for _, a := range g.Alternatives {
		for _, t := range a.Type {
			if strings.EqualFold(strings.TrimSpace(t), pred) {
				return true
			}
		}
	}
	return false
}

// genericPlaceWords carry no name: they are dropped before comparing place names.
var genericPlaceWords = map[string]bool{
	"the": true, "of": true, "and": true, "near": true, "in": true, "at": true, "on": true,
	"district": true, "districts": true, "region": true, "regions": true, "province": true,
	"city": true, "town": true, "village": true, "villages": true, "area": true, "rayon": true,
	"marz": true, "oblast": true, "republic": true, "zone": true, "outskirts": true, "vicinity": true,
}

// nameWords returns the words of a place name less the generic ones.
func nameWords(s string) []string {
	var out []string
	for _, w := range words(s) {
		if !genericPlaceWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// headOf returns the first comma-separated part of a canonical gold place
// ("Shusha (Shushi), Nagorno-Karabakh, Azerbaijan" → "Shusha (Shushi)"),
// ignoring commas inside parentheses: the place itself, without the areas that contain it.
func headOf(canonical string) string {
	depth := 0
	for i, r := range canonical {
		switch r {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ',':
			if depth == 0 {
				return canonical[:i]
			}
		}
	}
	return canonical
}

// subset reports whether every word of a is in b.
func subset(a, b []string) bool {
	for _, w := range a {
		found := false
		for _, v := range b {
			if v == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// placeCorrect judges a predicted place against a gold event's location (the
// rule is stated in docs/gold-format.md).
func placeCorrect(g GoldEvent, p *truce.Place) bool {
	goldNames := nonEmpty(g.Location, headOf(g.LocationCanonical))
	var predNames []string
	if p != nil {
		predNames = nonEmpty(p.Name, p.Canonical)
	}
	if len(goldNames) == 0 || len(predNames) == 0 {
		return len(goldNames) == 0 && len(predNames) == 0
	}
	var goldWords []string
	for _, n := range goldNames {
		goldWords = append(goldWords, nameWords(n)...)
	}
	for _, pn := range predNames {
		pw := nameWords(pn)
		for _, gn := range append(goldNames, g.LocationCanonical) {
			if strings.Join(words(pn), " ") == strings.Join(words(gn), " ") {
				return true
			}
		}
		if len(pw) > 0 && subset(pw, goldWords) {
			return true // the predicted name appears in the gold place
		}
		for _, gn := range goldNames {
			if gw := nameWords(gn); len(gw) > 0 && subset(gw, pw) {
				return true // the predicted name contains the gold place
			}
		}
	}
	return false
}

// nonEmpty returns the strings that are not blank.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// dateCorrect judges a predicted date against a gold date: both absent, or
// the predicted day or range lying inside the gold day or range.
func dateCorrect(gold string, p *truce.When) bool {
	predAbsent := p == nil || strings.TrimSpace(p.Start) == ""
	if strings.TrimSpace(gold) == "" || predAbsent {
		return strings.TrimSpace(gold) == "" && predAbsent
	}
	gs, ge, err := parseRange(gold)
	if err != nil {
		return false
	}
	ps, err := time.Parse(truce.DateLayout, strings.TrimSpace(p.Start))
	if err != nil {
		return false
	}
	pe := ps
	if strings.TrimSpace(p.End) != "" {
		if pe, err = time.Parse(truce.DateLayout, strings.TrimSpace(p.End)); err != nil || pe.Before(ps) {
			return false
		}
	}
	return !ps.Before(gs) && !pe.After(ge)
}

// unit is a normalised unit: a dimension and the factor to its base unit.
type unit struct {
	dim    string
	factor float64
}

// units maps folded unit words to their dimension and factor; "" is a count.
var units = map[string]unit{
	"": {"count", 1}, "count": {"count", 1}, "counts": {"count", 1}, "number": {"count", 1},
	"object": {"count", 1}, "objects": {"count", 1}, "item": {"count", 1}, "items": {"count", 1},
	"unit": {"count", 1}, "units": {"count", 1}, "piece": {"count", 1}, "pieces": {"count", 1},
	"person": {"count", 1}, "persons": {"count", 1}, "people": {"count", 1}, "individuals": {"count", 1},
	"incidents": {"count", 1}, "buildings": {"count", 1}, "houses": {"count", 1}, "vehicles": {"count", 1},
	"settlements": {"count", 1}, "convoys": {"count", 1}, "times": {"count", 1},
	"ha": {"area", 1}, "hectare": {"area", 1}, "hectares": {"area", 1},
	"km2": {"area", 100}, "sq km": {"area", 100}, "square kilometers": {"area", 100}, "square kilometres": {"area", 100},
	"m2": {"area", 1e-4}, "sq m": {"area", 1e-4}, "square meters": {"area", 1e-4}, "square metres": {"area", 1e-4},
	"km": {"length", 1}, "kilometer": {"length", 1}, "kilometers": {"length", 1}, "kilometre": {"length", 1}, "kilometres": {"length", 1},
	"m": {"length", 1e-3}, "meter": {"length", 1e-3}, "meters": {"length", 1e-3}, "metre": {"length", 1e-3}, "metres": {"length", 1e-3},
	"%": {"percent", 1}, "percent": {"percent", 1}, "per cent": {"percent", 1}, "pct": {"percent", 1}, "percentage": {"percent", 1},
	"t": {"mass", 1}, "ton": {"mass", 1}, "tons": {"mass", 1}, "tonne": {"mass", 1}, "tonnes": {"mass", 1},
	"kg": {"mass", 1e-3}, "kilogram": {"mass", 1e-3}, "kilograms": {"mass", 1e-3},
	"day": {"days", 1}, "days": {"days", 1}, "week": {"days", 7}, "weeks": {"days", 7},
	"month": {"months", 1}, "months": {"months", 1}, "year": {"months", 12}, "years": {"months", 12},
}

// unitOf normalises a unit word; an unknown word is its own dimension.
func unitOf(s string) unit {
	k := strings.Join(strings.Fields(fold(s)), " ")
	if u, ok := units[k]; ok {
		return u
	}
	return unit{dim: k, factor: 1}
}

// bounds is a figure as a value and bounds, nil where absent.
type bounds struct{ value, min, max *float64 }

// normalise fills the value of a closed range with equal ends and scales to the base unit.
func (b bounds) normalise(factor float64) bounds {
	if b.value == nil && b.min != nil && b.max != nil && *b.min == *b.max {
		b.value = b.min
	}
	scale := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		v := *p * factor
		return &v
	}
	return bounds{scale(b.value), scale(b.min), scale(b.max)}
}

// close1 reports whether a and b agree within 1% of the larger.
func close1(a, b float64) bool {
	return math.Abs(a-b) <= 0.01*math.Max(math.Abs(a), math.Abs(b))
}

// figuresAgree reports whether the values agree, or every bound agrees and the
// same bounds are given on both sides.
func figuresAgree(g, p bounds) bool {
	if g.value != nil && p.value != nil && close1(*g.value, *p.value) {
		return true
	}
	if g.min == nil && g.max == nil {
		return false
	}
	same := func(a, b *float64) bool {
		if a == nil || b == nil {
			return a == nil && b == nil
		}
		return close1(*a, *b)
	}
	return same(g.min, p.min) && same(g.max, p.max)
}

// indicatorCorrect reports whether units are compatible and the figures agree.
func indicatorCorrect(g GoldIndicator, p truce.Indicator) bool {
	gu, pu := unitOf(g.Unit), unitOf(p.Unit)
	if gu.dim != pu.dim {
		return false
	}
	return figuresAgree(bounds{g.Value, g.Min, g.Max}.normalise(gu.factor), bounds{p.Value, p.Min, p.Max}.normalise(pu.factor))
}

// DefaultMetricAliases maps truce metric names to gold metric names that mean the same.
var DefaultMetricAliases = map[string][]string{
	"demining.area_cleared":                  {"land_demined", "area_demined", "land_cleared", "area_cleared"},
	"demining.road_cleared":                  {"roads_demined", "road_demined", "roads_cleared"},
	"demining.explosive_objects_neutralized": {"explosives_neutralized", "explosive_objects_found"},
	"utilities.electricity_restored":         {"electricity_supply_restored", "power_restored"},
	"exchange.prisoners_returned":            {"prisoners_released", "detainees_returned", "prisoners_exchanged"},
	"exchange.bodies_returned":               {"bodies_handed_over", "remains_returned", "bodies_exchanged"},
}

// metricKey normalises a metric name.
func metricKey(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return '_'
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// metricAgree reports whether a gold and a predicted metric name mean the same:
// equal, equal without the namespace ("demining."), or listed in aliases.
func metricAgree(gold, pred string, aliases map[string][]string) bool {
	g, p := metricKey(gold), metricKey(pred)
	if g == "" || p == "" {
		return false
	}
	local := func(s string) string { return s[strings.LastIndexByte(s, '.')+1:] }
	if g == p || local(g) == local(p) {
		return true
	}
	for k, names := range aliases {
		if metricKey(k) != p {
			continue
		}
		for _, n := range names {
			if metricKey(n) == g {
				return true
			}
		}
	}
	return false
}
