package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
	"github.com/truce-monitor/truce/web"
)

func init() {
	commands = append(commands, newServeCmd)
}

// serveConfig is what the serve command needs besides the global flags.
type serveConfig struct {
	addr, tiles, tileAttribution, convention string
	origins                                  []string
	examples                                 bool   // ingest the bundled example reports before serving
	allowWrites                              bool   // deprecated: writes need an analyst's login
	publicRead                               string // "auto", "true" or "false"
	secureCookies                            bool
}

func newServeCmd(g *globals) *cobra.Command {
	var c serveConfig
	cmd := &cobra.Command{
		Use:   "serve [--examples] [--public-read auto|true|false] [--addr 127.0.0.1:8080] [--tiles URL] [--convention both|arm|aze|default]",
		Short: "Serve the record as a JSON API and a web page with a map and a timeline",
		Long: `serve opens the database (--db) and serves the web page at / and the JSON API under /api/
(described at /api/openapi.json): the record, the agreements with the status of each provision, and
situation reports. It stops gracefully on SIGINT or SIGTERM.

Writes (reviewing events, linking them to agreement provisions) need a user with the analyst or admin
role: a login on the page (/login) or an API token (truce user add, truce user token; docs/review.md).
Reading without a login is allowed by --public-read: "auto" (the default) allows it when the server
listens on a loopback address only (127.0.0.1, ::1, localhost) and refuses it otherwise.

With --examples it first stores the example reports bundled with truce (a report already stored is
skipped, so starting twice stores nothing new): "truce serve --examples" on a fresh clone shows a
populated monitor.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			h, closeFn, err := g.monitor(ctx, slog.Default(), c)
			if err != nil {
				return err
			}
			defer closeFn()
			return serve(ctx, slog.Default(), cmd.OutOrStdout(), c.addr, h)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&c.examples, "examples", false, "store the bundled example reports before serving (idempotent)")
	f.BoolVar(&c.allowWrites, "allow-writes", false, "no effect: writes need an analyst's login or API token")
	_ = f.MarkDeprecated("allow-writes", "writes need the analyst role: see truce user add")
	f.StringVar(&c.publicRead, "public-read", envOr("TRUCE_PUBLIC_READ", "auto"), "allow reading without a login: auto (only when listening on loopback), true or false [$TRUCE_PUBLIC_READ]")
	f.BoolVar(&c.secureCookies, "secure-cookies", false, "mark the session cookie Secure even without TLS here (behind a TLS proxy)")
	f.StringVar(&c.addr, "addr", envOr("TRUCE_ADDR", "127.0.0.1:8080"), "address to listen on [$TRUCE_ADDR]")
	f.StringVar(&c.tiles, "tiles", envOr("TRUCE_TILES", ""), "map tile URL template, e.g. https://tiles.example/{z}/{x}/{y}.png (default: offline borders) [$TRUCE_TILES]")
	f.StringVar(&c.tileAttribution, "tiles-attribution", "", "attribution shown for the --tiles layer")
	f.StringVar(&c.convention, "convention", envOr("TRUCE_CONVENTION", "both"), "place-naming convention: both, arm, aze or default [$TRUCE_CONVENTION]")
	f.StringSliceVar(&c.origins, "cors-origin", nil, "browser origin allowed to read the API from another site (repeatable; none by default)")
	return cmd
}

// monitor opens the database, stores the bundled examples when c.examples is
// set, and returns the handler of the API and the web page, with the function
// that closes the database.
func (g *globals) monitor(ctx context.Context, log *slog.Logger, c serveConfig) (http.Handler, func(), error) {
	conv, err := gazetteer.ParseConvention(c.convention)
	if err != nil {
		return nil, nil, fmt.Errorf("--convention: %w", err)
	}
	fsys, err := data.Open(g.lexicon)
	if err != nil {
		return nil, nil, fmt.Errorf("--lexicon: %w", err)
	}
	gaz, err := gazetteer.Load(fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("gazetteer: %w", err)
	}
	agreements, err := agreement.Load(fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("agreements: %w", err)
	}
	st, err := open.Open(ctx, g.db)
	if err != nil {
		return nil, nil, fmt.Errorf("open database %s: %w", g.db, err)
	}
	closeFn := func() {
		if err := st.Close(); err != nil {
			log.Warn("close database", "db", g.db, "err", err)
		}
	}
	if c.examples {
		if _, err := ingestExamples(ctx, log, st, fsys); err != nil {
			closeFn()
			return nil, nil, err
		}
	}
	public, err := publicRead(c.publicRead, c.addr)
	if err != nil {
		closeFn()
		return nil, nil, err
	}
	page, err := web.New(st, web.Options{Convention: string(conv), TileURL: c.tiles, TileAttribution: c.tileAttribution,
		Logger: log, PlaceName: placeNamer(gaz, conv), Agreements: agreements, Gazetteer: gaz, SecureCookies: c.secureCookies})
	if err != nil {
		closeFn()
		return nil, nil, fmt.Errorf("web: %w", err)
	}
	if !public {
		log.Info("reading requires a login", "public_read", c.publicRead)
	}
	return server.New(st, server.Options{Web: page, Logger: log, AllowedOrigins: c.origins,
		Agreements: agreements, Gazetteer: gaz, RequireLogin: !public}), closeFn, nil
}

// ingestExamples stores the example reports bundled with truce (data.Examples)
// in st, extracted with the data files of fsys, and logs a one-line summary.
// Reports already stored are skipped, so a second run stores nothing new.
func ingestExamples(ctx context.Context, log *slog.Logger, st store.Store, fsys fs.FS) (ingest.Summary, error) {
	start := time.Now()
	x, err := extract.New(fsys)
	if err != nil {
		return ingest.Summary{}, fmt.Errorf("examples: extractor: %w", err)
	}
	p := newPipeline(st, x, fsys, log)
	sum, err := p.RunFS(ctx, data.Examples())
	if err != nil {
		return sum, fmt.Errorf("examples: %w", err)
	}
	for _, e := range sum.Errors {
		log.Warn("example report skipped", "input", e.Input, "err", e.Err)
	}
	log.Info("examples ingested", "inputs", sum.Inputs, "stored", sum.Reports, "already_stored", sum.Duplicates,
		"events", sum.Events, "claims", sum.Claims, "indicators", sum.Indicators, "errors", len(sum.Errors),
		"took", time.Since(start).Round(time.Millisecond))
	return sum, nil
}

// placeNamer returns the web page's PlaceName: the name of a gazetteer place
// id in the convention conv, or the stored fallback for an id the gazetteer
// does not know (a place removed from the data since the report was stored).
func placeNamer(g *gazetteer.Gazetteer, conv gazetteer.Convention) func(id, fallback string) string {
	return func(id, fallback string) string {
		if id == "" {
			return fallback
		}
		if n := g.Get(id).Name(conv); n != "" {
			return n
		}
		return fallback
	}
}

// serve runs h on addr until ctx is cancelled, then shuts down gracefully. It
// prints the URL it serves at on out once it listens.
func serve(ctx context.Context, log *slog.Logger, out io.Writer, addr string, h http.Handler) error {
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
	u := baseURL(ln.Addr())
	log.Info("serving", "url", u+"/", "api", u+"/api/openapi.json")
	fmt.Fprintf(out, "truce is serving %s\n", u)
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

// baseURL is the http URL of a listening address; a wildcard host (":8080",
// "0.0.0.0:8080") is shown as 127.0.0.1, an address a browser can open.
func baseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// publicRead decides whether anyone may read without a login: mode "true"
// or "false", or "auto": only when addr's host is a loopback address.
func publicRead(mode, addr string) (bool, error) {
	switch mode {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "auto", "":
	default:
		return false, fmt.Errorf("--public-read %q: want auto, true or false", mode)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, nil
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}
