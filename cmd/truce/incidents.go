package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
)

func init() {
	commands = append(commands, newIncidentsCmd)
}

func newIncidentsCmd(g *globals) *cobra.Command {
	var f store.IncidentFilter
	var format string
	cmd := &cobra.Command{
		Use:   "incidents [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format text|json]",
		Short: "List the incidents fused from the stored reports, with members, sources, conflicts and credibility",
		Long: `incidents lists the stored incidents: one happening told by one or more events of one or more
reports (docs/fusion.md), oldest first, each with its credibility (Admiralty 1 confirmed … 6 cannot be
judged) and why, its independent sources, every member event with its report and evidence, and the
details its members disagree on. --from and --to keep the incidents whose dates overlap the range.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			f.NoLimit = true
			l, err := st.Incidents(cmd.Context(), f)
			if err != nil {
				return fmt.Errorf("incidents: %w", err)
			}
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(l); err != nil {
					return fmt.Errorf("incidents: %w", err)
				}
				return nil
			}
			return printIncidents(cmd.OutOrStdout(), l)
		},
	}
	cmd.Flags().StringVar(&f.From, "from", "", "first day YYYY-MM-DD")
	cmd.Flags().StringVar(&f.To, "to", "", "last day YYYY-MM-DD")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// printIncidents writes incidents as readable text, one block per incident.
func printIncidents(w io.Writer, l []store.StoredIncident) error {
	var b strings.Builder
	for _, in := range l {
		dates := in.Start
		if in.End != "" && in.End != in.Start {
			dates += ".." + in.End
		}
		if dates == "" {
			dates = "undated"
		}
		fmt.Fprintf(&b, "incident %d %s %s", in.ID, in.Type, dates)
		if in.Place != nil {
			name := in.Place.Canonical
			if name == "" {
				name = in.Place.Name
			}
			fmt.Fprintf(&b, " at %s", name)
		}
		fmt.Fprintf(&b, " credibility %d (%s)", in.Credibility, fuse.CredibilityNames[in.Credibility])
		if in.PartyClaim {
			b.WriteString(" party-claim")
		}
		fmt.Fprintf(&b, "\n  grounds: %s\n", in.Grounds)
		var srcs []string
		for _, o := range in.Originators {
			srcs = append(srcs, fmt.Sprintf("%s [%s/%s]", o.Name, o.Affiliation, o.Reliability))
		}
		fmt.Fprintf(&b, "  sources: %s\n", strings.Join(srcs, "; "))
		for i, m := range in.Members {
			fmt.Fprintf(&b, "  [%d] event %d, report %d %q (%s, %s) %s by %q", i, m.EventID, m.ReportID, m.ReportTitle, m.Source, m.Published, m.Type, m.Originator.Name)
			if m.PartyClaim {
				b.WriteString(" party-claim")
			}
			if m.Copy {
				fmt.Fprintf(&b, " copy-of=report %d", m.CopyOf)
			}
			if m.Swapped {
				b.WriteString(" other-side's-account")
			}
			fmt.Fprintf(&b, "\n      %q\n", m.Evidence)
		}
		for _, c := range in.Conflicts {
			fmt.Fprintf(&b, "  CONFLICT %s", c.Field)
			if c.What != "" {
				fmt.Fprintf(&b, " (%s)", c.What)
			}
			b.WriteString(":")
			for i, v := range c.Values {
				if i > 0 {
					b.WriteString(" |")
				}
				fmt.Fprintf(&b, " %s %v %s", v.Value, v.Members, strings.Join(v.Sources, ", "))
			}
			b.WriteString("\n")
		}
	}
	if len(l) == 0 {
		b.WriteString("no incidents\n")
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("incidents: %w", err)
	}
	return nil
}
