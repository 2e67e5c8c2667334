package eval

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"github.com/truce-monitor/truce"
)

// PredFile holds the extractions read from one prediction file: one for a
// single report, several for a feed (one JSON object per line).
type PredFile struct {
	Path        string
	Extractions []truce.Extraction
}

// ReadExtractions reads a sequence of extraction objects (one, pretty-printed
// or not, or several one after another as JSON lines) or a JSON array of them.
func ReadExtractions(r io.Reader) ([]truce.Extraction, error) {
	br := bufio.NewReader(r)
	first, err := peekNonSpace(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("read extractions: %w", err)
	}
	dec := json.NewDecoder(br)
	if first == '[' {
		var out []truce.Extraction
		if err := dec.Decode(&out); err != nil {
			return nil, fmt.Errorf("read extractions: %w", err)
		}
		return out, nil
	}
	var out []truce.Extraction
	for {
		var x truce.Extraction
		err := dec.Decode(&x)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read extraction %d: %w", len(out)+1, err)
		}
		out = append(out, x)
	}
}

// peekNonSpace skips white space and returns the next byte without consuming it.
func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			if _, err := br.ReadByte(); err != nil {
				return 0, err
			}
		default:
			return b[0], nil
		}
	}
}

// ReadPredFile reads one prediction file.
func ReadPredFile(path string) (PredFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return PredFile{}, fmt.Errorf("pred: %w", err)
	}
	defer f.Close()
	xs, err := ReadExtractions(f)
	if err != nil {
		return PredFile{}, fmt.Errorf("pred %s: %w", path, err)
	}
	return PredFile{Path: path, Extractions: xs}, nil
}

// LoadPreds reads a prediction file, or every *.json and *.jsonl file of a
// folder, keyed by base name.
func LoadPreds(path string) (map[string]PredFile, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("pred: %w", err)
	}
	paths := []string{path}
	if st.IsDir() {
		paths = nil
		for _, pat := range []string{"*.json", "*.jsonl"} {
			m, err := filepath.Glob(filepath.Join(path, pat))
			if err != nil {
				return nil, fmt.Errorf("pred: %w", err)
			}
			paths = append(paths, m...)
		}
	}
	out := make(map[string]PredFile, len(paths))
	for _, p := range paths {
		pf, err := ReadPredFile(p)
		if err != nil {
			return nil, err
		}
		name := baseName(p)
		if prev, ok := out[name]; ok {
			return nil, fmt.Errorf("pred: %s and %s have the same base name", prev.Path, p)
		}
		out[name] = pf
	}
	return out, nil
}

// Case is one gold coding paired with the extraction scored against it.
type Case struct {
	Name     string
	GoldPath string
	Gold     *Gold
	PredPath string            // "" when no prediction was found
	Pred     *truce.Extraction // nil when no prediction was found
	Note     string            // how the pairing was made, when it is not plain
}

// feedItem matches a gold name that refers to the n-th item of a feed file, …
var feedItem = regexp.MustCompile(`^(.+)-([0-9]+)$`)

// Pair matches gold files to predictions by base name: gold X ↔ pred X (its
// first extraction), or gold X-N ↔ the N-th extraction of pred X. It returns
// the cases in gold order and the names of prediction files no gold used.
func Pair(golds []GoldFile, preds map[string]PredFile) (cases []Case, unscored []string) {
	used := map[string]bool{}
	for _, g := range golds {
		c := Case{Name: g.Name, GoldPath: g.Path, Gold: g.Gold}
		if pf, ok := preds[g.Name]; ok && len(pf.Extractions) > 0 {
			used[g.Name] = true
			c.PredPath, c.Pred = pf.Path, &pf.Extractions[0]
			if n := len(pf.Extractions); n > 1 {
				c.Note = fmt.Sprintf("%s holds %d extractions; scored the first (name the gold %s-1.json, %s-2.json … to score each)", pf.Path, n, g.Name, g.Name)
			}
		} else if m := feedItem.FindStringSubmatch(g.Name); m != nil {
			if pf, ok := preds[m[1]]; ok {
				used[m[1]] = true
				n, err := strconv.Atoi(m[2])
				if err == nil && n >= 1 && n <= len(pf.Extractions) {
					c.PredPath, c.Pred = fmt.Sprintf("%s#%d", pf.Path, n), &pf.Extractions[n-1]
				} else {
					c.Note = fmt.Sprintf("%s holds %d extractions, none numbered %s", pf.Path, len(pf.Extractions), m[2])
				}
			}
		}
		cases = append(cases, c)
	}
	for name := range preds {
		if !used[name] {
			unscored = append(unscored, preds[name].Path)
		}
	}
	sort.Strings(unscored)
	return cases, unscored
}

// LoadCases reads gold and predictions from two folders or two files (or a
// gold folder and a feed file) and pairs them. Two single files are paired
// whatever their names.
func LoadCases(goldPath, predPath string) (cases []Case, unscored []string, err error) {
	golds, err := LoadGold(goldPath)
	if err != nil {
		return nil, nil, err
	}
	preds, err := LoadPreds(predPath)
	if err != nil {
		return nil, nil, err
	}
	gst, _ := os.Stat(goldPath)
	pst, _ := os.Stat(predPath)
	if gst != nil && pst != nil && !gst.IsDir() && !pst.IsDir() {
		pf := preds[baseName(predPath)]
		name := golds[0].Name
		if m := feedItem.FindStringSubmatch(name); m != nil && len(pf.Extractions) > 1 {
			name = m[1]
		}
		preds = map[string]PredFile{name: pf}
	}
	cases, unscored = Pair(golds, preds)
	return cases, unscored, nil
}
