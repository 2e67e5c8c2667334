package quantity

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/truce-monitor/truce/token"
	"go.yaml.in/yaml/v3"
)

// UnitsPath is the path of the units lexicon inside the data file system.
const UnitsPath = "lexicon/units.yaml"

// unitsFile is the shape of lexicon/units.yaml.
type unitsFile struct {
	Units           map[string][]string `yaml:"units"`
	TimeUnits       []string            `yaml:"time_units"`
	PrefixUnits     map[string][]string `yaml:"prefix_units"`
	Counted         map[string][]string `yaml:"counted"`
	DemonymSuffixes []string            `yaml:"demonym_suffixes"`
	Qualifiers      map[string][]string `yaml:"qualifiers"`
	QualifiersAfter map[string][]string `yaml:"qualifiers_after"`
	NotQualifiers   []string            `yaml:"not_qualifiers"`
	Vague           map[string]float64  `yaml:"vague"`
	Stop            []string            `yaml:"stop"`
	ReferenceWords  []string            `yaml:"reference_words"`
	SkipHeads       []string            `yaml:"skip_heads"`
}

// phrase is a word sequence of the lexicon with what it stands for.
type phrase struct {
	words []string
	val   string
	num   float64
}

// phrases indexes word sequences by their first word, longest first.
type phrases map[string][]phrase

// add indexes the surface form s, split into words as text is split.
func (ps phrases) add(s, val string, num float64) {
	var words []string
	for _, t := range token.Split(s) {
		words = append(words, t.Lower)
	}
	if len(words) == 0 {
		return
	}
	ps[words[0]] = append(ps[words[0]], phrase{words: words, val: val, num: num})
}

// sortLongest orders every bucket longest phrase first, so matching is greedy.
func (ps phrases) sortLongest() {
	for _, b := range ps {
		sort.SliceStable(b, func(i, j int) bool { return len(b[i].words) > len(b[j].words) })
	}
}

// Parser finds quantities with the units and words of one lexicon.
type Parser struct {
	units, prefix, counted, qual, qualAfter, notQual, vague phrases
	timeUnits                                               map[string]bool
	demonyms                                                []string
	stop, refWords, skipHeads                               map[string]bool
}

// Load reads lexicon/units.yaml from fsys and returns a Parser using it.
func Load(fsys fs.FS) (*Parser, error) {
	b, err := fs.ReadFile(fsys, UnitsPath)
	if err != nil {
		return nil, fmt.Errorf("quantity: read units lexicon: %w", err)
	}
	var f unitsFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("quantity: parse %s: %w", UnitsPath, err)
	}
	if len(f.Units) == 0 {
		return nil, fmt.Errorf("quantity: %s: no units", UnitsPath)
	}
	p := &Parser{
		units: phrases{}, prefix: phrases{}, counted: phrases{}, qual: phrases{}, qualAfter: phrases{},
		notQual: phrases{}, vague: phrases{}, timeUnits: set(f.TimeUnits), stop: set(f.Stop), refWords: set(f.ReferenceWords), skipHeads: set(f.SkipHeads),
	}
	for unit, forms := range f.Units {
		for _, s := range forms {
			p.units.add(s, unit, 0)
		}
	}
	for unit, forms := range f.PrefixUnits {
		for _, s := range forms {
			p.prefix.add(s, unit, 0)
		}
	}
	for class, nouns := range f.Counted {
		for _, s := range nouns {
			for _, v := range plurals(s) {
				p.counted.add(v, class, 0)
			}
		}
	}
	for kind, forms := range f.Qualifiers {
		if kind != kApprox && kind != kMin && kind != kMax {
			return nil, fmt.Errorf("quantity: %s: unknown qualifier kind %q", UnitsPath, kind)
		}
		for _, s := range forms {
			p.qual.add(s, kind, 0)
		}
	}
	for kind, forms := range f.QualifiersAfter {
		if kind != kApprox && kind != kMin && kind != kMax {
			return nil, fmt.Errorf("quantity: %s: unknown qualifier kind %q", UnitsPath, kind)
		}
		for _, s := range forms {
			p.qualAfter.add(s, kind, 0)
		}
	}
	for _, s := range f.NotQualifiers {
		p.notQual.add(s, "", 0)
	}
	for s, v := range f.Vague {
		p.vague.add(s, "", v)
	}
	for _, s := range f.DemonymSuffixes {
		p.demonyms = append(p.demonyms, strings.ToLower(s))
	}
	for _, ps := range []phrases{p.units, p.prefix, p.counted, p.qual, p.qualAfter, p.notQual, p.vague} {
		ps.sortLongest()
	}
	return p, nil
}

// set returns the lower-cased words of list as a set.
func set(list []string) map[string]bool {
	m := make(map[string]bool, len(list))
	for _, s := range list {
		m[strings.ToLower(s)] = true
	}
	return m
}

// plurals returns s and its regular plurals (of the last word).
func plurals(s string) []string {
	out := []string{s, s + "s", s + "es"}
	if strings.HasSuffix(s, "y") && len(s) > 1 && !strings.ContainsAny(s[len(s)-2:len(s)-1], "aeiou") {
		out = append(out, s[:len(s)-1]+"ies")
	}
	return out
}
