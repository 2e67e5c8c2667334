package source

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce"
)

// jsonReport is one line of a JSON-lines input.
type jsonReport struct {
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
}

// readJSONL reads one report per non-blank line; a bad line is an error naming it.
func readJSONL(ctx context.Context, data []byte, name string) ([]truce.Report, error) {
	s, err := decodeUTF8(data, name)
	if err != nil {
		return nil, err
	}
	var reps []truce.Report
	for i, line := range strings.Split(s, "\n") {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n := i + 1
		var j jsonReport
		if err := json.Unmarshal([]byte(line), &j); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		rep := truce.Report{
			Title:    clean1(j.Title),
			Source:   clean1(j.Source),
			URL:      strings.TrimSpace(j.URL),
			Language: normalizeLang(j.Language),
			Origin:   name + "#line-" + strconv.Itoa(n),
		}
		if j.Published != "" {
			if rep.Published, err = ParseDate(j.Published); err != nil {
				return nil, fmt.Errorf("line %d: published %q: %w", n, j.Published, err)
			}
		}
		raw := j.Text
		if strings.TrimSpace(raw) == "" {
			raw = htmlFragmentText(j.HTML)
		}
		if rep.Text = cleanText(raw, rep.Title); rep.Text == "" {
			return nil, fmt.Errorf("line %d: %w", n, ErrEmpty)
		}
		reps = append(reps, rep)
	}
	if len(reps) == 0 {
		return nil, ErrEmpty
	}
	return reps, nil
}
