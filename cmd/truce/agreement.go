package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/lexicon"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
)

func init() { commands = append(commands, newAgreementCmd) }

// agreements loads the agreements and the gazetteer of the data overlay.
func (g *globals) agreements() (*agreement.Set, *gazetteer.Gazetteer, error) {
	fsys, err := data.Open(g.lexicon)
	if err != nil {
		return nil, nil, fmt.Errorf("--lexicon: %w", err)
	}
	s, err := agreement.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	gz, err := gazetteer.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	return s, gz, nil
}

func newAgreementCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agreement",
		Short: "Agreements and the status of their provisions",
		Long: `agreement works with the agreements under agreements/ in truce's data (bundled, or a file of the same
name in the --lexicon folder replacing it; format in docs/agreements.md) and with the status of each provision,
derived from the events stored in --db.`,
	}
	cmd.AddCommand(newAgreementValidateCmd(g), newAgreementListCmd(g), newAgreementShowCmd(g),
		newAgreementLinkCmd(g), newAgreementUnlinkCmd(g))
	return cmd
}

func newAgreementValidateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "validate",
		Short: "Check every agreement file against the gazetteer and the event vocabulary",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, gz, err := g.agreements()
			if err != nil {
				return err
			}
			fsys, err := data.Open(g.lexicon)
			if err != nil {
				return fmt.Errorf("--lexicon: %w", err)
			}
			lx, err := lexicon.Load(fsys)
			if err != nil {
				return err
			}
			if err := s.Validate(gz, lx.Vocab); err != nil {
				return err
			}
			n := 0
			for _, a := range s.Agreements {
				n += len(a.Provisions)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%d agreements, %d provisions: valid\n", len(s.Agreements), n)
			return nil
		},
	}
}

func newAgreementListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the agreements",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := g.agreements()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, a := range s.Agreements {
				fmt.Fprintf(w, "%-16s %s  %2d provisions  %s\n", a.ID, dateSides(a), len(a.Provisions), a.Title)
			}
			return nil
		},
	}
}

// dateSides writes an agreement's date with each side's date when they differ.
func dateSides(a *agreement.Agreement) string {
	var diff []string
	for _, c := range a.Parties {
		if d, ok := a.Dates[c]; ok && d != a.Date {
			diff = append(diff, c+" "+d)
		}
	}
	if len(diff) == 0 {
		return a.Date
	}
	return a.Date + " (" + strings.Join(diff, ", ") + ")"
}

func newAgreementShowCmd(g *globals) *cobra.Command {
	var asOf, format string
	cmd := &cobra.Command{
		Use:   "show AGREEMENT|AGREEMENT/PROVISION",
		Short: "Show an agreement's provisions with their status, timeline and evidence",
		Long: `show prints an agreement (or one provision) with the status of each provision as of --as-of (default
today), derived from the events in --db: the timeline of status changes and the report, source and sentence
behind each. --format json prints the data the JSON API serves.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, gz, err := g.agreements()
			if err != nil {
				return err
			}
			aid, pid, _ := strings.Cut(args[0], "/")
			a := s.Get(aid)
			if a == nil {
				return fmt.Errorf("no agreement %q (see truce agreement list)", aid)
			}
			if pid != "" && a.Provision(pid) == nil {
				return fmt.Errorf("agreement %s has no provision %q", aid, pid)
			}
			if asOf == "" {
				asOf = time.Now().UTC().Format(truce.DateLayout)
			} else if _, err := time.Parse(truce.DateLayout, asOf); err != nil {
				return fmt.Errorf("--as-of %q: want YYYY-MM-DD", asOf)
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			sts, err := agreement.EvaluateStore(cmd.Context(), st, s, gz, asOf)
			if err != nil {
				return err
			}
			var board agreement.AgreementBoard
			for _, b := range agreement.Board(s, sts, asOf) {
				if b.Agreement == a {
					board = b
				}
			}
			if pid != "" {
				ps, _ := agreement.Find(board.Provisions, args[0])
				board.Provisions = []agreement.ProvisionStatus{ps}
			}
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(board)
			case "text":
				printBoard(w, board)
				return nil
			}
			return fmt.Errorf("--format %q: want text or json", format)
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "status as of this day, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	return cmd
}

func printBoard(w io.Writer, b agreement.AgreementBoard) {
	a := b.Agreement
	fmt.Fprintf(w, "%s: %s\n  date %s; parties %s\n", a.ID, a.Title, dateSides(a), strings.Join(a.Parties, ", "))
	for _, s := range a.Signatories {
		fmt.Fprintf(w, "  signed by %s, %s\n", s.Name, s.Role)
	}
	fmt.Fprintf(w, "  status as of %s\n", b.AsOf)
	for _, ps := range b.Provisions {
		p := ps.Provision
		fmt.Fprintf(w, "\n%s  %s [%s]\n  %s\n", ps.Ref, p.Title, p.Category, strings.TrimSpace(p.Text))
		if d := p.Deadline; d != nil {
			fmt.Fprintf(w, "  deadline %s", d.Date)
			for _, am := range d.Amendments {
				fmt.Fprintf(w, ", moved to %s (agreed %s by %s)", am.Date, am.Agreed, am.By)
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "  STATUS %s", strings.ToUpper(ps.Status.Label()))
		if ps.Since != "" {
			fmt.Fprintf(w, " since %s", ps.Since)
		}
		fmt.Fprintln(w)
		for _, c := range ps.Timeline {
			fmt.Fprintf(w, "    %s  %s -> %s: %s\n", c.Date, c.From.Label(), c.To.Label(), c.Reason)
			for _, e := range c.Evidence {
				printEvidence(w, "      ", e)
			}
		}
		if n := len(ps.Evidence); n > 0 {
			fmt.Fprintf(w, "  evidence (%d events):\n", n)
			for _, e := range ps.Evidence {
				printEvidence(w, "    ", e)
			}
		}
	}
}

func printEvidence(w io.Writer, indent string, e agreement.Evidence) {
	how := "by signature"
	if e.Manual {
		how = "linked by hand"
	}
	date := e.Date
	if e.Undated {
		date += " (report date)"
	}
	fmt.Fprintf(w, "%s[%s, %s] event %d %s %s: %q\n%s  %s, %q, %s", indent, e.Role, how, e.EventID, date, e.Type,
		e.Sentence, indent, e.Source, e.Report, e.Published)
	if e.Note != "" {
		fmt.Fprintf(w, " (%s)", e.Note)
	}
	fmt.Fprintln(w)
}

func newAgreementLinkCmd(g *globals) *cobra.Command {
	var violates, progress, disputes bool
	var note string
	cmd := &cobra.Command{
		Use:   "link AGREEMENT/PROVISION EVENT_ID",
		Short: "Link a stored event to a provision by hand (it implements it, or with a flag another role)",
		Long: `link records an analyst's judgement that a stored event implements a provision (the default), is a
step towards it (--progress), violates it (--violates) or disputes a violation (--disputes). A link overrides
what the provision's signature says of the event; linking again replaces the role and note.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, _, err := g.agreements()
			if err != nil {
				return err
			}
			if _, err := s.Provision(args[0]); err != nil {
				return err
			}
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil || id <= 0 {
				return fmt.Errorf("event id %q: want a positive number", args[1])
			}
			role := store.LinkImplements
			n := 0
			for _, f := range []struct {
				set  bool
				role string
			}{{violates, store.LinkViolates}, {progress, store.LinkProgress}, {disputes, store.LinkDisputes}} {
				if f.set {
					role = f.role
					n++
				}
			}
			if n > 1 {
				return fmt.Errorf("give at most one of --violates, --progress, --disputes")
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			l, err := st.LinkEvent(cmd.Context(), store.ProvisionLink{Provision: args[0], EventID: id, Role: role, Note: note})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "linked event %d to %s: %s\n", l.EventID, l.Provision, l.Role)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&violates, "violates", false, "the event violates the provision")
	f.BoolVar(&progress, "progress", false, "the event is a step towards the provision")
	f.BoolVar(&disputes, "disputes", false, "the event disputes a reported violation")
	f.StringVar(&note, "note", "", "why the event is linked")
	return cmd
}

func newAgreementUnlinkCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "unlink AGREEMENT/PROVISION EVENT_ID",
		Short: "Remove an analyst's link of an event to a provision",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[1], 10, 64)
			if err != nil {
				return fmt.Errorf("event id %q: want a number", args[1])
			}
			st, err := open.Open(cmd.Context(), g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			if err := st.UnlinkEvent(cmd.Context(), args[0], id); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "unlinked event %d from %s\n", id, args[0])
			return nil
		},
	}
}
