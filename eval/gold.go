package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
)

// Gold is the hand coding of one report.
type Gold struct {
	ID         string          `json:"id"`
	Published  string          `json:"published"`
	Events     []GoldEvent     `json:"events"`
	Indicators []GoldIndicator `json:"indicators"`
}

// Types is a list of acceptable PLOVER types, the first preferred; in JSON a
// single string is accepted too.
type Types []string

// UnmarshalJSON reads a list of types or a single type.
func (t *Types) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("type: %w", err)
		}
		*t = Types{s}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return fmt.Errorf("type: want a string or a list of strings: %w", err)
	}
	*t = l
	return nil
}

// GoldEvent is one hand-coded event.
type GoldEvent struct {
	Type              Types         `json:"type"`
	Actor             string        `json:"actor,omitempty"`
	ActorCountry      string        `json:"actor_country,omitempty"`
	Recipient         string        `json:"recipient,omitempty"`
	RecipientCountry  string        `json:"recipient_country,omitempty"`
	Location          string        `json:"location,omitempty"`
	LocationCanonical string        `json:"location_canonical,omitempty"`
	Date              string        `json:"date,omitempty"`
	Evidence          string        `json:"evidence"`
	Alternatives      []Alternative `json:"alternatives,omitempty"`
	Note              string        `json:"note,omitempty"`
}

// Alternative is another acceptable framing of a gold event.
type Alternative struct {
	Type             Types  `json:"type"`
	Actor            string `json:"actor,omitempty"`
	ActorCountry     string `json:"actor_country,omitempty"`
	Recipient        string `json:"recipient,omitempty"`
	RecipientCountry string `json:"recipient_country,omitempty"`
}

// GoldIndicator is one hand-coded indicator; a nil bound is unbounded.
type GoldIndicator struct {
	Metric   string   `json:"metric"`
	Value    *float64 `json:"value"`
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
	Approx   bool     `json:"approx,omitempty"`
	Unit     string   `json:"unit"`
	Scope    string   `json:"scope,omitempty"`
	Place    string   `json:"place,omitempty"`
	AsOf     string   `json:"as_of,omitempty"`
	Evidence string   `json:"evidence"`
}

// GoldFile is a gold coding with the path and base name it was read from.
type GoldFile struct {
	Name string // the file's base name without .json
	Path string
	Gold *Gold
}

// ReadGold reads and checks one gold file.
func ReadGold(path string) (*Gold, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gold: %w", err)
	}
	var g Gold
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("gold %s: %w", path, err)
	}
	if err := g.Check(); err != nil {
		return nil, fmt.Errorf("gold %s: %w", path, err)
	}
	return &g, nil
}

// Check reports the first mistake in a gold coding that would make scoring meaningless.
func (g *Gold) Check() error {
	var errs []error
	for i, e := range g.Events {
		if len(e.Type) == 0 || strings.TrimSpace(e.Type[0]) == "" {
			errs = append(errs, fmt.Errorf("event %d: no type", i+1))
		}
		if len(words(e.Evidence)) == 0 {
			errs = append(errs, fmt.Errorf("event %d: no evidence (no words)", i+1))
		}
		if e.Date != "" {
			if _, _, err := parseRange(e.Date); err != nil {
				errs = append(errs, fmt.Errorf("event %d: %w", i+1, err))
			}
		}
	}
	for i, in := range g.Indicators {
		if len(words(in.Evidence)) == 0 {
			errs = append(errs, fmt.Errorf("indicator %d: no evidence (no words)", i+1))
		}
		if in.Value == nil && in.Min == nil && in.Max == nil {
			errs = append(errs, fmt.Errorf("indicator %d: no value, min or max", i+1))
		}
	}
	return errors.Join(errs...)
}

// parseRange reads a gold date: "YYYY-MM-DD" or a range "A/B".
func parseRange(s string) (start, end time.Time, err error) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "/")
	if start, err = time.Parse(truce.DateLayout, strings.TrimSpace(a)); err != nil {
		return start, end, fmt.Errorf("date %q: want YYYY-MM-DD or YYYY-MM-DD/YYYY-MM-DD", s)
	}
	end = start
	if isRange {
		if end, err = time.Parse(truce.DateLayout, strings.TrimSpace(b)); err != nil || end.Before(start) {
			return start, end, fmt.Errorf("date %q: want YYYY-MM-DD/YYYY-MM-DD with the start first", s)
		}
	}
	return start, end, nil
}

// LoadGold reads a gold file, or every *.json file of a folder, sorted by name.
func LoadGold(path string) ([]GoldFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("gold: %w", err)
	}
	paths := []string{path}
	if st.IsDir() {
		if paths, err = filepath.Glob(filepath.Join(path, "*.json")); err != nil {
			return nil, fmt.Errorf("gold: %w", err)
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("gold: no *.json files in %s", path)
		}
	}
	out := make([]GoldFile, 0, len(paths))
	for _, p := range paths {
		g, err := ReadGold(p)
		if err != nil {
			return nil, err
		}
		out = append(out, GoldFile{Name: baseName(p), Path: p, Gold: g})
	}
	return out, nil
}

// baseName returns the file name of path without its extension.
func baseName(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}
