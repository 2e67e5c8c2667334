package source

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// render prints reports in a stable, reviewable form.
func render(reps []truce.Report) string {
	var b strings.Builder
	for i, r := range reps {
		if i > 0 {
			b.WriteString("\n=====\n")
		}
		fmt.Fprintf(&b, "title: %s\nsource: %s\nurl: %s\npublished: %s\nlanguage: %s\norigin: %s\nhash: %s\n---\n%s\n",
			r.Title, r.Source, r.URL, r.Published, r.Language, r.Origin, r.Hash, r.Text)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name, path string
		want       int // reports
	}{
		{"seed", seedPath, 1},
		{"news-html", filepath.Join("testdata", "news.html"), 1},
		{"rss", filepath.Join("testdata", "feed.rss"), 3},
		{"atom", filepath.Join("testdata", "feed.atom"), 3},
		{"jsonl", filepath.Join("testdata", "reports.jsonl"), 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reps, err := ReadFile(context.Background(), tt.path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(reps) != tt.want {
				t.Errorf("got %d reports, want %d", len(reps), tt.want)
			}
			if tt.name == "seed" {
				for i := range reps {
					reps[i].Origin = "seed" // the seed may move within the tree
				}
			}
			got := render(reps)
			golden := filepath.Join("testdata", "golden", tt.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update and review the diff):\n%s", golden, got)
			}
		})
	}
}
