package data_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/truce-monitor/truce/data"
)

func TestOpenOverlay(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lexicon"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lexicon/actors.yaml", "countries: []\n")
	write("lexicon/extra.yaml", "x: 1\n")
	fsys, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, want string // want "" = the bundled file, whatever it holds
	}{
		{"lexicon/actors.yaml", "countries: []\n"}, // replaced
		{"lexicon/extra.yaml", "x: 1\n"},           // added
		{"lexicon/patterns.yaml", ""},              // bundled
	}
	for _, tt := range tests {
		b, err := fs.ReadFile(fsys, tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if tt.want != "" && string(b) != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, b, tt.want)
		}
		if tt.want == "" {
			bundled, _ := fs.ReadFile(data.Bundled(), tt.name)
			if string(b) != string(bundled) || len(b) == 0 {
				t.Errorf("%s: not the bundled file", tt.name)
			}
		}
	}
	ents, err := fs.ReadDir(fsys, "lexicon")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, e := range ents {
		names[e.Name()] = true
	}
	for _, want := range []string{"actors.yaml", "extra.yaml", "patterns.yaml", "units.yaml"} {
		if !names[want] {
			t.Errorf("ReadDir(lexicon) lacks %s: %v", want, names)
		}
	}
	if _, err := data.Open(filepath.Join(dir, "missing")); err == nil {
		t.Error("Open of a missing folder: no error")
	}
	if _, err := data.Open(filepath.Join(dir, "lexicon", "extra.yaml")); err == nil {
		t.Error("Open of a file: no error")
	}
}

func TestExamples(t *testing.T) {
	ents, err := fs.ReadDir(data.Examples(), "examples")
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) < 13 {
		t.Errorf("%d example reports, want the seed and at least 12 more", len(ents))
	}
}
