package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDevset reads the shared development reports when they exist (../../shared/devset,
// never copied here) and checks that each reads and that every line of the body that
// ends a sentence survives cleaning.
func TestDevset(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "devset", "reports", "*.txt"))
	if len(files) == 0 {
		t.Skip("no devset")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			reps, err := ReadFile(context.Background(), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(f)
			_, body := splitHeader(string(raw))
			text := reps[0].Text
			kept, total := 0, 0
			for _, p := range paragraphs(body) {
				if !endsSentence(p) {
					continue
				}
				total++
				if strings.Contains(text, p) {
					kept++
				} else {
					t.Errorf("sentence lost: %q", p)
				}
			}
			t.Logf("%d/%d sentence paragraphs kept, %d bytes", kept, total, len(text))
		})
	}
}
