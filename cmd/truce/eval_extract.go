// This file wires `truce eval --extract` to the extractor and the report
// readers.

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/eval"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/source"
)

func init() { extractPreds = extractReports }

// extractReports reads every report file of a folder (or one file), extracts
// each report and keys the extractions by the file's base name; a file of
// several reports (a feed) gives several extractions under one name.
func extractReports(ctx context.Context, g *globals, reports string) (map[string]eval.PredFile, error) {
	fsys, err := data.Open(g.lexicon)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	x, err := extract.New(fsys)
	if err != nil {
		return nil, fmt.Errorf("extractor: %w", err)
	}
	paths := []string{reports}
	if st, err := os.Stat(reports); err != nil {
		return nil, err
	} else if st.IsDir() {
		ents, err := os.ReadDir(reports)
		if err != nil {
			return nil, err
		}
		paths = paths[:0]
		for _, e := range ents {
			if !e.IsDir() {
				paths = append(paths, filepath.Join(reports, e.Name()))
			}
		}
		sort.Strings(paths)
	}
	out := map[string]eval.PredFile{}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rs, err := source.ReadFile(ctx, p, source.Options{})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		pf := eval.PredFile{Path: p}
		for _, r := range rs {
			pf.Extractions = append(pf.Extractions, *x.Extract(r))
		}
		b := filepath.Base(p)
		out[b[:len(b)-len(filepath.Ext(b))]] = pf
	}
	return out, nil
}
