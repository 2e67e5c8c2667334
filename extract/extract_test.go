package extract_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	extOnce sync.Once
	ext     *extract.Extractor
	extErr  error
)

func newExtractor(t testing.TB) *extract.Extractor {
	t.Helper()
	extOnce.Do(func() { ext, extErr = extract.New(data.Bundled()) })
	if extErr != nil {
		t.Fatal(extErr)
	}
	return ext
}

// TestGolden compares the whole extraction of the seed with its golden file,
// so that any change in the coder's output is seen and reviewed.
func TestGolden(t *testing.T) {
	x := seedExtraction(t)
	got, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "sotk-2020-11-27.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("extraction differs from %s; run go test ./extract -update and review the diff", golden)
	}
}
