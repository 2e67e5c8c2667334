package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/store/open"
	"github.com/truce-monitor/truce/web"
)

func init() {
	commands = append(commands, newServeCmd)
}

// conventions are the place-naming conventions serve accepts.
var conventions = []string{"both", "arm", "aze", "default"}

func newServeCmd(g *globals) *cobra.Command {
	var addr, tiles, tileAttribution, convention string
	var origins []string
	cmd := &cobra.Command{
		Use:   "serve [--addr 127.0.0.1:8080] [--tiles URL] [--convention both|arm|aze|default]",
		Short: "Serve the record as a JSON API and a web page with a map and a timeline",
		Long: `serve opens the database (--db) and serves the web page at / and the read-only JSON API under
/api/ (described at /api/openapi.json). It stops gracefully on SIGINT or SIGTERM.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(conventions, convention) {
				return fmt.Errorf("--convention %q: want one of both, arm, aze, default", convention)
			}
			ctx := cmd.Context()
			st, err := open.Open(ctx, g.db)
			if err != nil {
				return fmt.Errorf("open database %s: %w", g.db, err)
			}
			defer st.Close()
			log := slog.Default()
			// TODO(lead): pass PlaceName from the gazetteer (display name of a place id in
			// the chosen convention) once package gazetteer exposes it; until then the web
			// shows the canonical names stored at ingest time.
			page, err := web.New(st, web.Options{Convention: convention, TileURL: tiles, TileAttribution: tileAttribution, Logger: log})
			if err != nil {
				return fmt.Errorf("web: %w", err)
			}
			h := server.New(st, server.Options{Web: page, Logger: log, AllowedOrigins: origins})
			return serve(ctx, log, addr, h)
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", envOr("TRUCE_ADDR", "127.0.0.1:8080"), "address to listen on [$TRUCE_ADDR]")
	f.StringVar(&tiles, "tiles", envOr("TRUCE_TILES", ""), "map tile URL template, e.g. https://tiles.example/{z}/{x}/{y}.png (default: offline borders) [$TRUCE_TILES]")
	f.StringVar(&tileAttribution, "tiles-attribution", "", "attribution shown for the --tiles layer")
	f.StringVar(&convention, "convention", envOr("TRUCE_CONVENTION", "both"), "place-naming convention: both, arm, aze or default [$TRUCE_CONVENTION]")
	f.StringSliceVar(&origins, "cors-origin", nil, "browser origin allowed to read the API from another site (repeatable; none by default)")
	return cmd
}

// serve runs h on addr until ctx is cancelled, then shuts down gracefully.
func serve(ctx context.Context, log *slog.Logger, addr string, h http.Handler) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		// No WriteTimeout: exports stream for as long as they need.
		// Requests keep running after ctx ends, until Shutdown has waited for them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "api", "http://"+ln.Addr().String()+"/api/openapi.json")
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
