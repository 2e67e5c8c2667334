package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/sitrep"
	"github.com/truce-monitor/truce/store/open"
)

func init() { commands = append(commands, newSitrepCmd) }

func newSitrepCmd(g *globals) *cobra.Command {
	var from, to, area, format string
	cmd := &cobra.Command{
		Use:   "sitrep --from YYYY-MM-DD --to YYYY-MM-DD [--area PLACE_ID] [--format md|html]",
		Short: "Write a situation report for a period from the stored record",
		Long: `sitrep writes a dated situation report in the manner of a monitoring mission's daily report: what
happened by area and event type, the agreement provisions whose status changed, the indicators that moved
(with the previous figure), the disputed claims side by side, and the status of every provision at the end
of the period. Every line cites the report, source and sentence behind it. --format html is printable.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if to == "" {
				to = from
			}
			if from == "" {
				from = time.Now().UTC().Format(truce.DateLayout)
				if to == "" {
					to = from
				}
			}
			s, gz, err := g.agreements()
			if err != nil {
				return err
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			r, err := sitrep.Build(cmd.Context(), st, sitrep.Options{From: from, To: to, Area: area, Agreements: s, Gazetteer: gz})
			if err != nil {
				return err
			}
			return r.Render(cmd.OutOrStdout(), format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "first day, YYYY-MM-DD (default today)")
	f.StringVar(&to, "to", "", "last day, YYYY-MM-DD (default --from)")
	f.StringVar(&area, "area", "", "gazetteer id of an area: only what happened within it")
	f.StringVar(&format, "format", "md", "md (Markdown) or html (printable)")
	return cmd
}
