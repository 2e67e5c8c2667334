package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/gazetteer/geonames"
)

func init() { commands = append(commands, newGazetteerCmd) }

func newGazetteerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gazetteer",
		Short: "places: import GeoNames dumps, look names up, score the place test set",
		Long: `gazetteer works on truce's places (docs/gazetteer.md): import GeoNames dumps
into a data folder, look a name up, and score a place test set.`,
	}
	cmd.AddCommand(newGazetteerImportCmd(g), newGazetteerEvalCmd(g), newGazetteerSearchCmd(g))
	return cmd
}

// gazetteerImportFlags are the flags of truce gazetteer import.
type gazetteerImportFlags struct {
	altNames  string
	admin1    string
	countries []string
	classes   []string
	out       string
	progress  string
}

func newGazetteerImportCmd(g *globals) *cobra.Command {
	f := &gazetteerImportFlags{}
	cmd := &cobra.Command{
		Use:   "import [flags] FILE",
		Short: "import a GeoNames dump (AM.txt, allCountries.zip, ...) into a gazetteer data file",
		Long: `import reads a GeoNames geoname table (a country file such as AM.txt or
allCountries.txt, plain or zipped), optionally alternateNamesV2.txt and
admin1CodesASCII.txt, and writes the places as a gazetteer data file
OUT/imported-<countries>.yaml. Use it with --lexicon: with the default OUT,
"truce --lexicon ./truce-data ..." lays the imported places over the bundled ones.

A row that is a bundled place (same GeoNames id; or no id, same name, kind and
country and close by) is not duplicated: its names are added to the bundled place.
The dumps are at https://download.geonames.org/export/dump/ (CC BY 4.0, GeoNames);
see docs/gazetteer.md.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGazetteerImport(cmd, g, f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.altNames, "alternate-names", "", "alternateNamesV2.txt or .zip: every name with its language")
	fl.StringVar(&f.admin1, "admin1", "", "admin1CodesASCII.txt: admin1 codes to places")
	fl.StringSliceVar(&f.countries, "countries", nil, "keep only these countries (ISO alpha-2, comma-separated: AM,AZ)")
	fl.StringSliceVar(&f.classes, "classes", geonames.DefaultClasses, "feature classes (P) or class.code prefixes (S.MN) to keep")
	fl.StringVar(&f.out, "out", filepath.Join("truce-data", "gazetteer"), "folder to write imported-<countries>.yaml into")
	fl.StringVar(&f.progress, "progress", "auto", "progress bar: auto (on a terminal), always, never")
	return cmd
}

func runGazetteerImport(cmd *cobra.Command, g *globals, f *gazetteerImportFlags, file string) error {
	name := "imported-all.yaml"
	if len(f.countries) > 0 {
		cs := make([]string, len(f.countries))
		for i, c := range f.countries {
			cs[i] = strings.ToLower(strings.TrimSpace(c))
		}
		name = "imported-" + strings.Join(cs, "-") + ".yaml"
	}
	fsys, err := data.Open(g.lexicon)
	if err != nil {
		return fmt.Errorf("--lexicon: %w", err)
	}
	// the file being replaced is not part of the base the import merges with
	base, err := gazetteer.Load(hideFS{fsys, path.Join("gazetteer", name)})
	if err != nil {
		return err
	}
	var progress func(string, int64) io.WriteCloser
	switch f.progress {
	case "always":
	case "never":
	case "auto":
		if !term.IsTerminal(int(os.Stderr.Fd())) {
			f.progress = "never"
		}
	default:
		return fmt.Errorf("--progress %q: want auto, always or never", f.progress)
	}
	if f.progress != "never" {
		progress = func(file string, size int64) io.WriteCloser {
			return progressbar.NewOptions64(size, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
				progressbar.OptionSetDescription(file), progressbar.OptionShowBytes(true),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.out, ".import-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	start := time.Now()
	st, err := geonames.Import(cmd.Context(), tmp, geonames.Options{Main: file, AltNames: f.altNames, Admin1: f.admin1,
		Countries: f.countries, Classes: f.classes, Base: base, Progress: progress})
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	out := filepath.Join(f.out, name)
	if err := os.Rename(tmp.Name(), out); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d places (%d rows read, %d already in the gazetteer: names added), %d alternate names, %s\n",
		out, st.Places, st.Rows, st.Merged, st.AltNames, time.Since(start).Round(time.Millisecond))
	return nil
}

// hideFS is a file system without one file.
type hideFS struct {
	fs.FS
	hide string
}

func (h hideFS) Open(name string) (fs.File, error) {
	if name == h.hide {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return h.FS.Open(name)
}

func (h hideFS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(h.FS, name)
	out := ents[:0]
	for _, e := range ents {
		if path.Join(name, e.Name()) != h.hide {
			out = append(out, e)
		}
	}
	return out, err
}

func newGazetteerEvalCmd(g *globals) *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "eval FILE",
		Short: "score place resolution on a test set of mentions (testdata/places/mentions.txt)",
		Long: `eval resolves each mention of a place test set (lines "EXPECTED | MENTION |
COUNTRIES | SENTENCE", see testdata/places/mentions.txt) and prints the accuracy:
an id must be resolved to, "?" must be reported ambiguous, "-" must not resolve.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fsys, err := data.Open(g.lexicon)
			if err != nil {
				return fmt.Errorf("--lexicon: %w", err)
			}
			gz, err := gazetteer.Load(fsys)
			if err != nil {
				return err
			}
			fh, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer fh.Close()
			cases, err := gazetteer.ReadCases(fh, args[0])
			if err != nil {
				return err
			}
			if len(cases) == 0 {
				return errors.New(args[0] + ": no cases")
			}
			rep := gz.Eval(cases)
			w := cmd.OutOrStdout()
			amb, ambOK := 0, 0
			for _, o := range rep.Outcomes {
				if o.Want == "?" {
					amb++
					if o.OK {
						ambOK++
					}
				}
				if !o.OK || verbose {
					mark := "WRONG"
					if o.OK {
						mark = "ok"
					}
					fmt.Fprintf(w, "%s:%d: %s %q: got %s%s, want %s%s\n", args[0], o.Line, mark, o.Mention, o.Got,
						candList(o.Cands), o.Want, candList(o.WantCands))
				}
			}
			fmt.Fprintf(w, "accuracy %.1f%% (%d of %d mentions right; ambiguous reported as such: %d of %d)\n",
				100*rep.Accuracy(), rep.Correct, len(rep.Outcomes), ambOK, amb)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every mention, not only the wrong ones")
	return cmd
}

func candList(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " [" + strings.Join(ids, ", ") + "]"
}

func newGazetteerSearchCmd(g *globals) *cobra.Command {
	var convention string
	cmd := &cobra.Command{
		Use:   "search NAME...",
		Short: "look a place name up (any script, transliteration variants, one typo)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			conv, err := gazetteer.ParseConvention(convention)
			if err != nil {
				return err
			}
			fsys, err := data.Open(g.lexicon)
			if err != nil {
				return fmt.Errorf("--lexicon: %w", err)
			}
			gz, err := gazetteer.Load(fsys)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			for _, name := range args {
				ps := gz.Search(name)
				if len(ps) == 0 {
					fmt.Fprintf(w, "%s: no place\n", name)
				}
				for _, p := range ps {
					fmt.Fprintf(w, "%s: %s\t%s\t%s %s, %s\tparent %s\t%s\n", name, p.ID, p.Name(conv), p.Kind, p.Precision,
						p.Country, p.Parent, p.File)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&convention, "convention", "both", "naming convention: both, arm, aze, default")
	return cmd
}
