package main

import (
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/source"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
)

func init() {
	commands = append(commands, newIngestCmd, newReextractCmd)
}

func newIngestCmd(g *globals) *cobra.Command {
	var published, src string
	cmd := &cobra.Command{
		Use:   "ingest [flags] PATH|URL|FEED …",
		Short: "Extract reports and store them in the database",
		Long: `ingest reads reports from files, folders (recursively), web pages and feeds, extracts their events,
claims and indicators, and stores each report with its extraction in one transaction. A report already
stored (same cleaned text) is skipped; a near-duplicate copy is stored and linked to its original.
The events of each new report are fused into incidents across reports (see "truce incidents"),
stored in the same transaction. Interrupted runs can simply be run again.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, closeFn, err := g.pipeline(cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			p.Options = source.Options{Published: published, Source: src}
			start := time.Now()
			bar := newBar(cmd.ErrOrStderr(), "ingest")
			if bar != nil {
				p.Progress = bar
			}
			sum, err := p.Run(cmd.Context(), args)
			verb := "ingested"
			if err != nil {
				verb = "ingest interrupted, of"
			}
			printSummary(cmd.OutOrStdout(), verb, sum, time.Since(start))
			if err != nil {
				return err
			}
			if len(sum.Errors) > 0 && sum.Reports+sum.Duplicates == 0 {
				return fmt.Errorf("nothing ingested: %d of %d inputs failed", len(sum.Errors), sum.Inputs)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&published, "published", "", "report date YYYY-MM-DD for inputs that lack one")
	cmd.Flags().StringVar(&src, "source", "", "source (outlet) for inputs that lack one")
	return cmd
}

func newReextractCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "reextract",
		Short: "Extract every stored report again, after a change of lexicon or gazetteer",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, closeFn, err := g.pipeline(cmd)
			if err != nil {
				return err
			}
			defer closeFn()
			if bar := newBar(cmd.ErrOrStderr(), "reextract"); bar != nil {
				p.Progress = bar
			}
			start := time.Now()
			sum, err := p.Reextract(cmd.Context())
			verb := "re-extracted"
			if err != nil {
				verb = "re-extraction interrupted, of"
			}
			printSummary(cmd.OutOrStdout(), verb, sum, time.Since(start))
			return err
		},
	}
}

// pipeline opens the store and the extractor named by the global flags.
func (g *globals) pipeline(cmd *cobra.Command) (*ingest.Pipeline, func(), error) {
	fsys, err := data.Open(g.lexicon)
	if err != nil {
		return nil, nil, fmt.Errorf("--lexicon: %w", err)
	}
	x, err := extract.New(fsys)
	if err != nil {
		return nil, nil, err
	}
	st, err := open.Open(cmd.Context(), g.db)
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", g.db, err)
	}
	return newPipeline(st, x, fsys, slog.Default()), func() { st.Close() }, nil
}

// newPipeline is the pipeline every command that stores reports uses (ingest,
// reextract, serve --examples): it extracts with x and fuses the events of
// each stored report into incidents, grading sources with the registry of
// fsys (data.Open) and placing them with x's gazetteer.
func newPipeline(st store.Store, x *extract.Extractor, fsys fs.FS, log *slog.Logger) *ingest.Pipeline {
	return &ingest.Pipeline{Store: st, Extractor: x, Log: log, NewFuser: func() (*fuse.Fuser, error) {
		reg, err := fuse.LoadSources(fsys)
		if err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		return fuse.New(reg, x.Gazetteer(), fuse.Options{}), nil
	}}
}

// newBar returns a progress callback drawing a bar on w when w is a
// terminal, or nil (plain log lines) otherwise.
func newBar(w io.Writer, what string) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription(what),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		bar.Set(done)
	}
}

// printSummary prints the one-line summary of a run, then one line per
// input that failed: "  error: INPUT: reason".
func printSummary(w io.Writer, verb string, s ingest.Summary, took time.Duration) {
	fmt.Fprintf(w, "%s %d inputs in %s: %d reports stored, %d already stored, %d events, %d claims, %d indicators, %d errors\n",
		verb, s.Inputs, took.Round(time.Millisecond), s.Reports, s.Duplicates, s.Events, s.Claims, s.Indicators, len(s.Errors))
	for _, e := range s.Errors {
		// The readers' errors start "source: INPUT: "; the line names the input once.
		msg := strings.TrimPrefix(e.Err, "source: "+e.Input+": ")
		fmt.Fprintf(w, "  error: %s: %s\n", e.Input, msg)
	}
}
