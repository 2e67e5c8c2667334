// Package lexicon loads truce's lexicon — actors, event patterns, reporting
// verbs, modality cues, indicator metrics and the event vocabulary — from
// data files, and matches its phrases against tokenised sentences.
package lexicon

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lexicon is everything truce knows about words, loaded from data files.
type Lexicon struct {
	Countries []Country
	Kinds     map[string][]string // kind → nouns
	Actors    []Actor
	Titles    []string
	Patterns  []Pattern
	Speech    Speech
	Metrics   []Metric
	Scope     map[string][]string // scope → cue phrases
	Vocab     Vocabulary

	irregular map[string][]string
	patterns  *Matcher // phrases of Patterns; Match.ID indexes Patterns
}

// Country is a country or agreed body code with the words that name it.
type Country struct {
	Code     string   `yaml:"code"`
	Names    []string `yaml:"names"`
	Demonyms []string `yaml:"demonyms"`
}

// Role is an office an actor holds over a period.
type Role struct {
	Title string `yaml:"title"`
	From  string `yaml:"from"`
	To    string `yaml:"to"`
}

// Actor is a named person or body.
type Actor struct {
	ID      string   `yaml:"id"`
	Name    string   `yaml:"name"`
	Kind    string   `yaml:"kind"`
	Country string   `yaml:"country"`
	Aliases []string `yaml:"aliases"`
	Roles   []Role   `yaml:"roles"`
}

// RoleOn returns the title the actor held on day (YYYY-MM-DD), or "".
func (a *Actor) RoleOn(day string) string {
	for _, r := range a.Roles {
		if (r.From == "" || day == "" || r.From <= day) && (r.To == "" || day == "" || day <= r.To) {
			return r.Title
		}
	}
	return ""
}

// Pattern maps phrases to a PLOVER event type, mode and contexts.
type Pattern struct {
	ID         string     `yaml:"id"`
	Type       string     `yaml:"type"`
	Mode       string     `yaml:"mode"`
	Contexts   []string   `yaml:"contexts"`
	Phrases    [][]string `yaml:"phrases"`
	ActorKinds []string   `yaml:"actor_kinds"`
	Needs      string     `yaml:"needs"`
	Confidence float64    `yaml:"confidence"`
}

// Speech holds the cues of attribution, modality and negation.
type Speech struct {
	Verbs       map[string]string `yaml:"verbs"`
	AccordingTo []string          `yaml:"according_to"`
	Pronouns    []string          `yaml:"pronouns"`
	Modality    map[string]string `yaml:"modality"`
	Realised    []string          `yaml:"realised"`
	Disowned    []string          `yaml:"disowned"`
	Negation    []string          `yaml:"negation"`
}

// Metric is an indicator metric with its unit and cues.
type Metric struct {
	Name         string   `yaml:"name"`
	Unit         string   `yaml:"unit"`
	Of           []string `yaml:"of"`
	Verbs        []string `yaml:"verbs"`
	DefaultScope string   `yaml:"default_scope"`
}

// TypeInfo lists the modes of an event type.
type TypeInfo struct {
	Modes      []string `yaml:"modes"`
	TruceModes []string `yaml:"truce_modes"`
}

// Vocabulary is the set of event types, modes and contexts in use.
type Vocabulary struct {
	Types     map[string]TypeInfo `yaml:"types"`
	Contexts  map[string][]string `yaml:"contexts"`
	TopicCues []string            `yaml:"topic_cues"`
	Topics    map[string][]string `yaml:"topics"`
}

// HasType reports whether t is a known event type.
func (v Vocabulary) HasType(t string) bool { _, ok := v.Types[t]; return ok }

// Load reads the lexicon files under lexicon/ in fsys.
func Load(fsys fs.FS) (*Lexicon, error) {
	lx := &Lexicon{}
	var actors struct {
		Countries []Country           `yaml:"countries"`
		Kinds     map[string][]string `yaml:"kinds"`
		Actors    []Actor             `yaml:"actors"`
		Titles    []string            `yaml:"titles"`
	}
	var patterns struct {
		Irregular map[string][]string `yaml:"irregular"`
		Patterns  []Pattern           `yaml:"patterns"`
	}
	var indicators struct {
		Scope   map[string][]string `yaml:"scope"`
		Metrics []Metric            `yaml:"metrics"`
	}
	for _, f := range []struct {
		name string
		v    any
	}{
		{"lexicon/actors.yaml", &actors},
		{"lexicon/patterns.yaml", &patterns},
		{"lexicon/speech.yaml", &lx.Speech},
		{"lexicon/indicators.yaml", &indicators},
		{"lexicon/vocabulary.yaml", &lx.Vocab},
	} {
		if err := readYAML(fsys, f.name, f.v); err != nil {
			return nil, err
		}
	}
	lx.Countries, lx.Kinds, lx.Actors, lx.Titles = actors.Countries, actors.Kinds, actors.Actors, actors.Titles
	lx.irregular, lx.Patterns = patterns.Irregular, patterns.Patterns
	lx.Scope, lx.Metrics = indicators.Scope, indicators.Metrics
	if err := lx.validate(); err != nil {
		return nil, err
	}
	lx.patterns = NewMatcher()
	for i, p := range lx.Patterns {
		for _, ph := range p.Phrases {
			if err := lx.patterns.Add(i, ph, lx.irregular); err != nil {
				return nil, fmt.Errorf("lexicon/patterns.yaml: pattern %s: %w", p.ID, err)
			}
		}
	}
	return lx, nil
}

func readYAML(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("lexicon: %w", err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("lexicon: %s: %w", name, err)
	}
	return nil
}

func (lx *Lexicon) validate() error {
	if len(lx.Vocab.Types) == 0 {
		return fmt.Errorf("lexicon/vocabulary.yaml: no event types")
	}
	contexts := map[string]bool{}
	for _, cs := range lx.Vocab.Contexts {
		for _, c := range cs {
			contexts[c] = true
		}
	}
	for i := range lx.Patterns {
		p := &lx.Patterns[i]
		ti, ok := lx.Vocab.Types[p.Type]
		if !ok {
			return fmt.Errorf("lexicon/patterns.yaml: pattern %s: unknown type %q", p.ID, p.Type)
		}
		if p.Mode != "" && !slices.Contains(ti.Modes, p.Mode) {
			return fmt.Errorf("lexicon/patterns.yaml: pattern %s: type %s has no mode %q", p.ID, p.Type, p.Mode)
		}
		for _, c := range p.Contexts {
			if !contexts[c] {
				return fmt.Errorf("lexicon/patterns.yaml: pattern %s: unknown context %q", p.ID, c)
			}
		}
		for _, k := range p.ActorKinds {
			if _, ok := lx.Kinds[k]; !ok && k != "official" && k != "international_organisation" {
				return fmt.Errorf("lexicon/patterns.yaml: pattern %s: unknown actor kind %q", p.ID, k)
			}
		}
		if p.Confidence == 0 {
			p.Confidence = 0.7
		}
		if len(p.Phrases) == 0 {
			return fmt.Errorf("lexicon/patterns.yaml: pattern %s: no phrases", p.ID)
		}
	}
	seen := map[string]bool{}
	for _, a := range lx.Actors {
		if a.ID == "" || a.Name == "" {
			return fmt.Errorf("lexicon/actors.yaml: actor %q needs an id and a name", a.Name)
		}
		if seen[a.ID] {
			return fmt.Errorf("lexicon/actors.yaml: duplicate actor id %q", a.ID)
		}
		seen[a.ID] = true
	}
	return nil
}

// MatchPatterns returns the event patterns found in a sentence's lowercased words.
func (lx *Lexicon) MatchPatterns(words []string) []Match { return lx.patterns.Find(words) }

// Inflect returns the forms of a verb lemma: the lemma, its regular forms
// and the irregular forms listed in the lexicon.
func (lx *Lexicon) Inflect(lemma string) []string { return inflect(lemma, lx.irregular) }

// inflect generates the forms of an English verb lemma.
func inflect(lemma string, irregular map[string][]string) []string {
	forms := []string{lemma}
	if irr, ok := irregular[lemma]; ok {
		forms = append(forms, irr...)
	}
	stem := lemma
	switch {
	case strings.HasSuffix(lemma, "e"):
		stem = lemma[:len(lemma)-1]
		forms = append(forms, lemma+"s", lemma+"d", stem+"ing")
	case strings.HasSuffix(lemma, "y") && len(lemma) > 2 && !strings.ContainsRune("aeiou", rune(lemma[len(lemma)-2])):
		stem = lemma[:len(lemma)-1]
		forms = append(forms, stem+"ies", stem+"ied", lemma+"ing")
	case strings.HasSuffix(lemma, "s") || strings.HasSuffix(lemma, "sh") || strings.HasSuffix(lemma, "ch") || strings.HasSuffix(lemma, "x"):
		forms = append(forms, lemma+"es", lemma+"ed", lemma+"ing")
	default:
		forms = append(forms, lemma+"s", lemma+"ed", lemma+"ing")
	}
	sort.Strings(forms)
	out := forms[:0]
	for i, f := range forms {
		if i == 0 || f != forms[i-1] {
			out = append(out, f)
		}
	}
	return out
}
