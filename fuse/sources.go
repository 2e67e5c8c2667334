package fuse

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// SourcesFile is the path of the source registry in a data file system.
const SourcesFile = "sources.yaml"

// Reliability grades of the Admiralty scale, A (completely reliable) to F (cannot be judged).
const (
	ReliabilityA = "A"
	ReliabilityB = "B"
	ReliabilityC = "C"
	ReliabilityD = "D"
	ReliabilityE = "E"
	ReliabilityF = "F"
)

// Source is an outlet, ministry, mission or official that reports or is quoted.
type Source struct {
	Name        string   `yaml:"name"`
	Aliases     []string `yaml:"aliases"`
	Kind        string   `yaml:"kind"`
	Affiliation string   `yaml:"affiliation"`
	Reliability string   `yaml:"reliability"`
}

// Registry is a set of sources looked up by name or alias.
type Registry struct {
	sources []*Source
	byKey   map[string]*Source
	sides   map[string]string
}

type registryDoc struct {
	Sides   map[string]string `yaml:"sides"`
	Sources []Source          `yaml:"sources"`
}

var kinds = map[string]bool{"outlet": true, "agency": true, "ministry": true, "government": true,
	"official": true, "mission": true, "organisation": true, "military": true, "": true}

// LoadSources reads the registry from sources.yaml of fsys.
func LoadSources(fsys fs.FS) (*Registry, error) {
	b, err := fs.ReadFile(fsys, SourcesFile)
	if err != nil {
		return nil, fmt.Errorf("fuse: load sources: %w", err)
	}
	r, err := ParseSources(b)
	if err != nil {
		return nil, fmt.Errorf("fuse: %s: %w", SourcesFile, err)
	}
	return r, nil
}

// ParseSources parses a registry in the format of data/sources.yaml.
func ParseSources(b []byte) (*Registry, error) {
	var doc registryDoc
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse sources: %w", err)
	}
	r := NewRegistry()
	for k, v := range doc.Sides {
		r.sides[k] = v
	}
	for i := range doc.Sources {
		if err := r.Add(doc.Sources[i]); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byKey: map[string]*Source{}, sides: map[string]string{}}
}

// Add puts s in the registry, replacing a source of the same name.
func (r *Registry) Add(s Source) error {
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("source with no name")
	}
	if s.Reliability == "" {
		s.Reliability = ReliabilityF
	}
	if len(s.Reliability) != 1 || s.Reliability[0] < 'A' || s.Reliability[0] > 'F' {
		return fmt.Errorf("source %q: reliability %q is not one of A-F", s.Name, s.Reliability)
	}
	if !kinds[s.Kind] {
		return fmt.Errorf("source %q: unknown kind %q", s.Name, s.Kind)
	}
	if s.Affiliation == "" {
		s.Affiliation = "none"
	}
	if old := r.byKey[normName(s.Name)]; old != nil && normName(old.Name) == normName(s.Name) {
		for _, a := range append([]string{old.Name}, old.Aliases...) {
			if r.byKey[normName(a)] == old {
				delete(r.byKey, normName(a))
			}
		}
		for i, x := range r.sources {
			if x == old {
				r.sources = append(r.sources[:i], r.sources[i+1:]...)
				break
			}
		}
	}
	p := &s
	r.sources = append(r.sources, p)
	for _, a := range append([]string{s.Name}, s.Aliases...) {
		if k := normName(a); k != "" {
			r.byKey[k] = p
		}
	}
	return nil
}

// Merge lays the sources and sides of o over r: an entry of o replaces the one of r with the same name.
func (r *Registry) Merge(o *Registry) error {
	if o == nil {
		return nil
	}
	for k, v := range o.sides {
		r.sides[k] = v
	}
	for _, s := range o.sources {
		if err := r.Add(*s); err != nil {
			return err
		}
	}
	return nil
}

// Lookup returns the source with the given name or alias, or nil.
func (r *Registry) Lookup(name string) *Source {
	if r == nil {
		return nil
	}
	return r.byKey[normName(name)]
}

// Sources returns every source in the order they were added.
func (r *Registry) Sources() []Source {
	if r == nil {
		return nil
	}
	out := make([]Source, len(r.sources))
	for i, s := range r.sources {
		out[i] = *s
	}
	return out
}

// Side returns the party side an affiliation stands with, or "" when it is not a party.
func (r *Registry) Side(affiliation string) string {
	if r == nil {
		return ""
	}
	return r.sides[affiliation]
}

// normName folds a source name for lookup: lower case, letters and digits
// only, "defense" as "defence", a leading "the" dropped.
func normName(s string) string {
	var words []string
	var w strings.Builder
	flush := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, c := range strings.ToLower(s) {
		switch {
		case c == '\'' || c == '’':
			// "Armenia's" -> "armenias"
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			w.WriteRune(c)
		default:
			flush()
		}
	}
	flush()
	if len(words) > 0 && words[0] == "the" {
		words = words[1:]
	}
	for i, x := range words {
		if x == "defense" {
			words[i] = "defence"
		}
	}
	return strings.Join(words, " ")
}
