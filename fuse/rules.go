package fuse

import (
	_ "embed"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed rules.yaml
var rulesYAML []byte

// Rules are the thresholds and tables of fusion, read from rules.yaml.
type Rules struct {
	Compatible    [][2]string         `yaml:"compatible"`
	RadiusKM      map[string]float64  `yaml:"radius_km"`
	DateSlackDays int                 `yaml:"date_slack_days"`
	MaxSpanDays   int                 `yaml:"max_span_days"`
	MinEvidence   float64             `yaml:"min_evidence"`
	QuantityRoles map[string][]string `yaml:"quantity_roles"`
	Stopwords     []string            `yaml:"stopwords"`

	compat map[[2]string]bool
	stop   map[string]bool
	role   map[string]string
}

// DefaultRules returns the bundled fusion rules.
func DefaultRules() Rules {
	r, err := ParseRules(rulesYAML)
	if err != nil {
		panic(fmt.Sprintf("fuse: bundled rules.yaml: %v", err))
	}
	return r
}

// ParseRules parses fusion rules in the format of rules.yaml.
func ParseRules(b []byte) (Rules, error) {
	var r Rules
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return Rules{}, fmt.Errorf("fuse: parse rules: %w", err)
	}
	r.prepare()
	return r, nil
}

func (r *Rules) prepare() {
	r.compat = map[[2]string]bool{}
	for _, p := range r.Compatible {
		r.compat[p] = true
		r.compat[[2]string{p[1], p[0]}] = true
	}
	r.stop = map[string]bool{}
	for _, w := range r.Stopwords {
		r.stop[w] = true
	}
	r.role = map[string]string{}
	for role, ws := range r.QuantityRoles {
		for _, w := range ws {
			r.role[w] = role
		}
	}
}

// typeScore says whether two event types can tell one happening: 1 same, 0.6 compatible, 0 not.
func (r *Rules) typeScore(a, b string) float64 {
	switch {
	case a == b:
		return 1
	case r.compat[[2]string{a, b}]:
		return 0.6
	}
	return 0
}
