package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/source"
)

func init() { commands = append(commands, newExtractCmd) }

func newExtractCmd(g *globals) *cobra.Command {
	var format, published, src, convention string
	cmd := &cobra.Command{
		Use:   "extract [flags] FILE|URL …",
		Short: "Print the events, claims and indicators of reports",
		Long: `extract reads reports (text with an optional header, HTML, RSS/Atom, JSON lines, or a URL)
and prints what truce extracts from each: with --format json one JSON object per report per line
(the contract in docs/schema.md), with --format pretty the same indented, with --format text a
summary for reading. Nothing is stored.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, err := data.Open(g.lexicon)
			if err != nil {
				return fmt.Errorf("--lexicon: %w", err)
			}
			x, err := extract.New(fsys)
			if err != nil {
				return err
			}
			if convention != "" {
				c, err := gazetteer.ParseConvention(convention)
				if err != nil {
					return fmt.Errorf("--convention: %w", err)
				}
				x.SetConvention(c)
			}
			opt := source.Options{Published: published, Source: src}
			w := cmd.OutOrStdout()
			for _, arg := range args {
				reports, err := readReports(cmd, arg, opt)
				if err != nil {
					return err
				}
				for _, r := range reports {
					if err := printExtraction(w, format, x.Extract(r)); err != nil {
						return err
					}
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "json", "output: json (one object per line), pretty, or text")
	f.StringVar(&published, "published", "", "report date YYYY-MM-DD, overriding the header")
	f.StringVar(&src, "source", "", "source (outlet) of the reports, overriding the header")
	f.StringVar(&convention, "convention", "", "place names: both (default), arm, aze or default")
	return cmd
}

// readReports reads the reports of a file or URL.
func readReports(cmd *cobra.Command, arg string, opt source.Options) ([]truce.Report, error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		return source.Fetch(cmd.Context(), nil, arg, opt)
	}
	if arg == "-" {
		return source.Read(cmd.Context(), os.Stdin, "stdin", opt)
	}
	return source.ReadFile(cmd.Context(), arg, opt)
}

func printExtraction(w io.Writer, format string, x *truce.Extraction) error {
	switch format {
	case "json":
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "pretty":
		b, err := json.MarshalIndent(x, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "text":
		return printText(w, x)
	}
	return fmt.Errorf("--format: unknown format %q (json, pretty, text)", format)
}

func printText(w io.Writer, x *truce.Extraction) error {
	fmt.Fprintf(w, "# %s (%s, %s)\n", x.Report.Title, x.Report.Source, x.Report.Published)
	for _, e := range x.Events {
		fmt.Fprintf(w, "EVENT %s", e.Type)
		if e.Mode != "" {
			fmt.Fprintf(w, "/%s", e.Mode)
		}
		if e.Negated {
			fmt.Fprint(w, " (negated)")
		}
		if e.Actor != nil {
			fmt.Fprintf(w, " actor=%q[%s]", e.Actor.Name, e.Actor.Country)
		}
		if e.Recipient != nil {
			fmt.Fprintf(w, " recipient=%q[%s]", e.Recipient.Name, e.Recipient.Country)
		}
		if e.Place != nil {
			fmt.Fprintf(w, " place=%q", e.Place.Canonical)
		}
		if e.Date != nil {
			fmt.Fprintf(w, " date=%s", e.Date.Start)
			if e.Date.End != e.Date.Start {
				fmt.Fprintf(w, "/%s", e.Date.End)
			}
		}
		if e.Attribution != nil {
			fmt.Fprintf(w, " by=%q", e.Attribution.Speaker)
		}
		fmt.Fprintf(w, " ctx=%v rule=%s\n    %q\n", e.Contexts, e.Rule, e.Evidence.Text)
	}
	for _, c := range x.Claims {
		sp := ""
		if c.Attribution != nil {
			sp = c.Attribution.Speaker
		}
		fmt.Fprintf(w, "CLAIM %s by=%q\n    %q\n", c.Kind, sp, c.Text)
	}
	for _, in := range x.Indicators {
		fmt.Fprintf(w, "INDICATOR %s %s %s scope=%s as_of=%s\n", in.Metric, fmtRange(in.Value, in.Min, in.Max), in.Unit, in.Scope, in.AsOf)
	}
	return nil
}

func fmtRange(v, lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%g-%g", *lo, *hi)
	case lo != nil:
		return fmt.Sprintf(">%g", *lo)
	case hi != nil:
		return fmt.Sprintf("<%g", *hi)
	case v != nil:
		return fmt.Sprintf("%g", *v)
	}
	return "?"
}
