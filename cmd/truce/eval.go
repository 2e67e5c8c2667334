package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/eval"
)

func init() { commands = append(commands, newEvalCmd) }

// extractPreds runs the extractor on the report files of a folder or file and
// returns the extractions keyed by base name; nil when this build lacks it
// (see eval_extract.go).
var extractPreds func(ctx context.Context, g *globals, reports string) (map[string]eval.PredFile, error)

// evalFlags are the flags of truce eval.
type evalFlags struct {
	format  string
	verbose bool
	extract string
}

func newEvalCmd(g *globals) *cobra.Command {
	f := &evalFlags{}
	cmd := &cobra.Command{
		Use:   "eval GOLD PRED | eval --extract REPORTS GOLD",
		Short: "score extractions against hand-coded gold files",
		Long: `eval scores predicted extractions (the JSON of "truce extract --format json")
against hand-coded gold files, per report and in total (micro-averaged).

GOLD and PRED are two folders, matched by base name (gold/X.json with pred/X.json;
a feed file pred/X.json with one extraction per line is matched to gold X-1.json,
X-2.json …), or two single files. A gold file with no prediction counts as all missed.
With --extract REPORTS, eval runs the extractor on the report files in REPORTS and
scores them directly. docs/gold-format.md states the gold format and every rule.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEval(cmd, g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text or json")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "list missed (FN), extra (FP) and wrong items with their evidence")
	fl.StringVar(&f.extract, "extract", "", "run the extractor on the report files of this folder or file instead of reading PRED")
	return cmd
}

func runEval(cmd *cobra.Command, g *globals, f *evalFlags, args []string) error {
	if f.format != "text" && f.format != "json" {
		return fmt.Errorf("--format %q: want text or json", f.format)
	}
	var (
		cases    []eval.Case
		unscored []string
		err      error
	)
	if f.extract != "" {
		if len(args) != 1 {
			return errors.New("with --extract, give only GOLD")
		}
		if extractPreds == nil {
			return errors.New("--extract: this build of truce has no extractor (see cmd/truce/eval_extract.go)")
		}
		golds, err := eval.LoadGold(args[0])
		if err != nil {
			return err
		}
		preds, err := extractPreds(cmd.Context(), g, f.extract)
		if err != nil {
			return fmt.Errorf("--extract: %w", err)
		}
		cases, unscored = eval.Pair(golds, preds)
	} else {
		if len(args) != 2 {
			return errors.New("want GOLD and PRED (or --extract REPORTS GOLD)")
		}
		if cases, unscored, err = eval.LoadCases(args[0], args[1]); err != nil {
			return err
		}
	}
	res := eval.Evaluate(cases, unscored, eval.Options{})
	if f.format == "json" {
		return res.WriteJSON(cmd.OutOrStdout())
	}
	return res.WriteText(cmd.OutOrStdout(), f.verbose)
}
