// Command truce is the ceasefire monitor: it extracts events, claims and
// indicators from reports, stores them, serves them and scores the coder.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// commands holds the constructors of the subcommands; each file adds its own in init.
var commands []func(*globals) *cobra.Command

// globals are the flags every subcommand shares.
type globals struct {
	lexicon  string // folder of data files laid over the bundled ones
	db       string // database: a SQLite file path or a postgres:// URL
	logLevel string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "truce:", err)
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "truce",
		Short:         "truce monitors ceasefires: reports in, sourced events, claims and indicators out",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(g.logLevel)); err != nil {
				return fmt.Errorf("--log-level: %w", err)
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})))
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.lexicon, "lexicon", envOr("TRUCE_LEXICON", ""), "folder of data files (lexicon/, gazetteer/, …) laid over the bundled ones [$TRUCE_LEXICON]")
	pf.StringVar(&g.db, "db", envOr("TRUCE_DB", "truce.db"), "database: a SQLite file, or a postgres:// URL [$TRUCE_DB]")
	pf.StringVar(&g.logLevel, "log-level", envOr("TRUCE_LOG_LEVEL", "info"), "log level: debug, info, warn, error [$TRUCE_LOG_LEVEL]")
	for _, c := range commands {
		root.AddCommand(c(g))
	}
	return root
}

// envOr returns the environment variable key, or def when it is unset.
func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}
