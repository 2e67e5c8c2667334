package agreement_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/lexicon"
)

func bundled(t *testing.T) (*agreement.Set, *gazetteer.Gazetteer) {
	t.Helper()
	s, err := agreement.Load(data.Bundled())
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatalf("gazetteer: %v", err)
	}
	return s, g
}

func TestBundledValid(t *testing.T) {
	s, g := bundled(t)
	lx, err := lexicon.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(g, lx.Vocab); err != nil {
		t.Fatalf("Validate:\n%v", err)
	}
	a := s.Get("nk-2020-11-10")
	if a == nil {
		t.Fatal("no nk-2020-11-10")
	}
	if a.Dates["ARM"] != "2020-11-09" || a.Dates["AZE"] != "2020-11-10" || a.FirstDate() != "2020-11-09" {
		t.Errorf("dates = %v, first %s", a.Dates, a.FirstDate())
	}
	tests := []struct {
		ref      string
		category string
		deadline string // in force on day
		day      string
	}{
		{"nk-2020-11-10/2", "withdrawal", "2020-11-20", "2020-11-30"},
		{"nk-2020-11-10/6a", "withdrawal", "2020-11-15", "2020-11-14"},
		{"nk-2020-11-10/6a", "withdrawal", "2020-11-25", "2020-11-15"},
		{"nk-2020-11-10/6b", "withdrawal", "2020-12-01", "2020-11-15"},
		{"nk-2020-11-10/3", "third_party_force", "", "2020-11-15"},
		{"nk-2020-11-10/8", "exchange", "", "2020-11-15"},
		{"nk-2021-01-11/2", "transport_links", "2021-01-30", "2021-01-15"},
	}
	for _, tc := range tests {
		t.Run(tc.ref+"@"+tc.day, func(t *testing.T) {
			p, err := s.Provision(tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			if p.Category != tc.category {
				t.Errorf("category = %q, want %q", p.Category, tc.category)
			}
			if got := p.Deadline.At(tc.day); got != tc.deadline {
				t.Errorf("deadline on %s = %q, want %q", tc.day, got, tc.deadline)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	good := "id: x\ntitle: X\ndate: 2020-01-01\nparties: [ARM]\nprovisions:\n  - {id: \"1\", text: t, category: ceasefire, binds: [ARM]}\n"
	tests := []struct {
		name, file, want string
	}{
		{"unknown field", good + "colour: red\n", "colour"},
		{"bad date", strings.Replace(good, "2020-01-01", "1 Jan", 1), "date \"1 Jan\""},
		{"bad category", strings.Replace(good, "ceasefire", "peace", 1), "category \"peace\""},
		{"duplicate provision", good + "  - {id: \"1\", text: t, category: ceasefire, binds: [ARM]}\n", "duplicate id"},
		{"deadline bound without deadline", strings.Replace(good, "binds: [ARM]}", "binds: [ARM], signature: {violated_by: [{types: [ASSAULT], from: deadline}]}}", 1), "has none"},
		{"slash in id", strings.Replace(good, "id: x", "id: x/y", 1), "slug"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := agreement.Load(fstest.MapFS{"agreements/x.yaml": {Data: []byte(tc.file)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, want an error with %q", err, tc.want)
			}
		})
	}
	if _, err := agreement.Load(fstest.MapFS{"agreements/x.yaml": {Data: []byte(good)}}); err != nil {
		t.Errorf("Load(good) = %v", err)
	}
}

func TestValidateReferences(t *testing.T) {
	_, g := bundled(t)
	lx, err := lexicon.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	file := `id: x
title: X
date: 2020-01-01
parties: [ARM, XYZ]
provisions:
  - id: "1"
    text: t
    category: ceasefire
    binds: [ARM]
    places: [atlantis]
    signature:
      violated_by:
        - {types: [SHOUT], contexts: [weather], places: [area]}
        - {types: [ASSAULT], modes: [withdraw]}
`
	s, err := agreement.Load(fstest.MapFS{"agreements/x.yaml": {Data: []byte(file)}})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Validate(g, lx.Vocab)
	for _, want := range []string{`party "XYZ"`, `unknown place "atlantis"`, `unknown event type "SHOUT"`, `unknown context "weather"`, "has none", `mode "withdraw"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want %q", err, want)
		}
	}
}

func TestOverride(t *testing.T) {
	dir := t.TempDir()
	if err := writeFile(dir+"/agreements/nk-2020-11-10.yaml", "id: nk-2020-11-10\ntitle: Mine\ndate: 2020-11-10\nparties: [ARM]\nprovisions:\n  - {id: \"1\", text: t, category: ceasefire, binds: [ARM]}\n"); err != nil {
		t.Fatal(err)
	}
	fsys, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, err := agreement.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Get("nk-2020-11-10"); a == nil || a.Title != "Mine" || len(a.Provisions) != 1 {
		t.Errorf("user file did not replace the bundled one: %+v", a)
	}
	if s.Get("nk-2021-01-11") == nil {
		t.Error("bundled nk-2021-01-11 missing from the overlay")
	}
}

func writeFile(name, content string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(content), 0o644)
}
