// Package ingest is the pipeline that reads reports, extracts them and
// stores each with its extraction: the wiring of source, extract and store
// shared by the command line and the server.
package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/source"
	"github.com/truce-monitor/truce/store"
)

// Extractor codes a report; *extract.Extractor is one.
type Extractor interface {
	Extract(r truce.Report) *truce.Extraction
}

// Pipeline ingests reports into a store.
type Pipeline struct {
	Store     store.Store
	Extractor Extractor
	Options   source.Options
	Client    *http.Client // for URLs and feeds; nil is http.DefaultClient with a timeout
	Log       *slog.Logger
	// Progress, when set, is told of each input done, with the number of inputs.
	Progress func(done, total int)
	// NewFuser, when set, returns a new, empty fuser (or why it cannot): each stored report's
	// events are then fused into incidents, which are stored in the same
	// transaction as the report. The pipeline rebuilds its fuser from the store
	// on its first save (replaying every stored report in id order), after a
	// failed save and after Reextract. nil skips fusion.
	NewFuser func() (*fuse.Fuser, error)

	fu *fusion // the fuser in step with the store; nil until first needed
}

// Summary counts what a run did.
type Summary struct {
	Inputs     int          `json:"inputs"`     // files, URLs and feeds read, and paths that could not be
	Reports    int          `json:"reports"`    // newly stored
	Duplicates int          `json:"duplicates"` // already stored, skipped
	Events     int          `json:"events"`
	Claims     int          `json:"claims"`
	Indicators int          `json:"indicators"`
	Errors     []InputError `json:"errors,omitempty"`
}

// InputError is an input that could not be ingested, and why.
type InputError struct {
	Input string `json:"input"`
	Err   string `json:"error"`
}

// Extensions are the file name endings ingest reads when it walks a folder.
var Extensions = []string{".txt", ".text", ".md", ".html", ".htm", ".xml", ".rss", ".atom", ".jsonl", ".ndjson"}

// Run ingests every input: files, folders (recursively), http(s) URLs of
// pages or feeds. An input that fails is recorded in the summary and the
// others go on; the error returned is for the run as a whole (a cancelled
// context, a store that cannot be written). Each report is stored with its
// extraction in one transaction, so a run that stops leaves every report
// either stored whole or not at all, and running it again completes it.
func (p *Pipeline) Run(ctx context.Context, inputs []string) (Summary, error) {
	var sum Summary
	files, err := p.expand(inputs, &sum)
	if err != nil {
		return sum, err
	}
	// The inputs are the files and URLs found, and the paths that could not
	// be walked (already in sum.Errors).
	sum.Inputs = len(files) + len(sum.Errors)
	err = p.each(ctx, files, &sum, slog.LevelInfo, func(in string) ([]truce.Report, error) {
		return p.read(ctx, in)
	})
	return sum, err
}

// RunFS ingests every report file of a file system, such as the bundled
// examples (data.Examples), in path order, as Run does a folder.
func (p *Pipeline) RunFS(ctx context.Context, fsys fs.FS) (Summary, error) {
	var sum Summary
	var files []string
	err := fs.WalkDir(fsys, ".", func(path string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !de.IsDir() && hasExtension(de.Name()) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("ingest: %w", err)
	}
	sum.Inputs = len(files)
	err = p.each(ctx, files, &sum, slog.LevelDebug, func(name string) ([]truce.Report, error) {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("source: %w", err)
		}
		defer f.Close()
		return source.Read(ctx, f, name, p.Options)
	})
	return sum, err
}

// each reads and saves the inputs in order. An input that cannot be read is
// recorded in sum.Errors; a cancelled context or a failed save stops the run.
// Without a Progress callback each input done is logged at level lvl.
func (p *Pipeline) each(ctx context.Context, inputs []string, sum *Summary, lvl slog.Level, read func(string) ([]truce.Report, error)) error {
	for i, in := range inputs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("ingest: stopped before %s: %w", in, err)
		}
		reports, err := read(in)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				// Not the input's fault: the run was stopped while it was read.
				return fmt.Errorf("ingest %s: %w", in, cerr)
			}
			p.logger().Warn("skipped", "input", in, "err", err)
			sum.Errors = append(sum.Errors, InputError{Input: in, Err: err.Error()})
		}
		for _, r := range reports {
			if err := p.save(ctx, r, sum); err != nil {
				return fmt.Errorf("ingest %s: %w", in, err)
			}
		}
		if p.Progress != nil {
			p.Progress(i+1, len(inputs))
		} else {
			p.logger().Log(ctx, lvl, "ingested", "input", in, "reports", len(reports), "done", i+1, "of", len(inputs))
		}
	}
	return nil
}

func (p *Pipeline) save(ctx context.Context, r truce.Report, sum *Summary) error {
	fu, err := p.fuser(ctx)
	if err != nil {
		return err
	}
	if fu == nil {
		x := p.Extractor.Extract(r)
		_, created, err := p.Store.SaveExtraction(ctx, x)
		if err != nil {
			return err
		}
		p.count(x, created, sum)
		return nil
	}
	hashOf(&r)
	x := p.Extractor.Extract(r)
	as := fu.f.Add(x.Report, x.Events)
	id, created, err := p.Store.SaveFusedExtraction(ctx, x, changes(fu.f, fuse.ReportID(x.Report), as))
	if err != nil {
		// The fuser holds a report the store does not: rebuild it next time.
		p.fu = nil
		return err
	}
	if created {
		fu.hashes[id] = x.Report.Hash
	}
	p.count(x, created, sum)
	return nil
}

// count adds a saved extraction to the summary.
func (p *Pipeline) count(x *truce.Extraction, created bool, sum *Summary) {
	if !created {
		sum.Duplicates++
		return
	}
	sum.Reports++
	sum.Events += len(x.Events)
	sum.Claims += len(x.Claims)
	sum.Indicators += len(x.Indicators)
}

// Reextract codes every stored report again and replaces its extraction,
// each report in its own transaction: the command to run after a lexicon
// or gazetteer change. Replacing a report's extraction removes the incidents
// its old events were in; with fusion on, every incident is then rebuilt from
// scratch (the fuser is add-only) and stored in one transaction. A run that
// stops before that leaves fewer incidents, none stale, and the next
// pipeline start rebuilds them.
func (p *Pipeline) Reextract(ctx context.Context) (Summary, error) {
	var sum Summary
	p.fu = nil // its incidents name the events about to be replaced
	ids, err := p.Store.ReportIDs(ctx)
	if err != nil {
		return sum, fmt.Errorf("reextract: %w", err)
	}
	sum.Inputs = len(ids)
	for i, id := range ids {
		r, err := p.Store.Report(ctx, id)
		if err != nil {
			return sum, fmt.Errorf("reextract report %d: %w", id, err)
		}
		rep := r.Report
		rep.Text, rep.Hash = r.Text, r.Hash
		x := p.Extractor.Extract(rep)
		if err := p.Store.ReplaceExtraction(ctx, id, x); err != nil {
			return sum, fmt.Errorf("reextract report %d: %w", id, err)
		}
		sum.Reports++
		sum.Events += len(x.Events)
		sum.Claims += len(x.Claims)
		sum.Indicators += len(x.Indicators)
		if p.Progress != nil {
			p.Progress(i+1, len(ids))
		}
	}
	if err := p.refuse(ctx); err != nil {
		return sum, fmt.Errorf("reextract: %w", err)
	}
	return sum, nil
}

// expand turns the inputs into a sorted list of files and URLs.
func (p *Pipeline) expand(inputs []string, sum *Summary) ([]string, error) {
	var out []string
	for _, in := range inputs {
		if isURL(in) {
			out = append(out, in)
			continue
		}
		st, err := os.Stat(in)
		if err != nil {
			sum.Errors = append(sum.Errors, InputError{Input: in, Err: err.Error()})
			continue
		}
		if !st.IsDir() {
			out = append(out, in)
			continue
		}
		var found []string
		err = filepath.WalkDir(in, func(path string, de fs.DirEntry, err error) error {
			if err != nil {
				sum.Errors = append(sum.Errors, InputError{Input: path, Err: err.Error()})
				return nil
			}
			if de.IsDir() {
				if path != in && strings.HasPrefix(de.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if de.Type().IsRegular() && hasExtension(de.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", in, err)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func (p *Pipeline) read(ctx context.Context, in string) ([]truce.Report, error) {
	if isURL(in) {
		return source.Fetch(ctx, p.Client, in, p.Options)
	}
	return source.ReadFile(ctx, in, p.Options)
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

func isURL(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") }

func hasExtension(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range Extensions {
		if ext == e {
			return true
		}
	}
	return false
}
