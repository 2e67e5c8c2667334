package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

// DefaultMaxExport is the hard cap on the events one GeoJSON or CSV export reads.
const DefaultMaxExport = 200_000

//go:embed openapi.json
var openAPIDoc []byte

// Options configure the server.
type Options struct {
	// Web serves everything outside /api/ (the page, its assets); nil gives a minimal index.
	Web http.Handler
	// Logger receives the request log and internal errors; nil uses slog.Default().
	Logger *slog.Logger
	// AllowedOrigins lists the browser origins allowed to read the API across
	// origins (exact match, e.g. "https://example.org"); empty means none. "*" is
	// honoured only when listed explicitly.
	AllowedOrigins []string
	// MaxExport caps the events one export reads; 0 means DefaultMaxExport.
	MaxExport int
	// Agreements are the agreements whose provisions the agreement routes and
	// the situation reports track (agreement.Load of the data); nil means none.
	Agreements *agreement.Set
	// Gazetteer names places and decides what lies inside an agreement's
	// areas; nil treats every place as unknown.
	Gazetteer *gazetteer.Gazetteer
	// RequireLogin refuses reading without a login (an API token or a
	// session cookie): the API answers 401 and the page redirects to /login.
	// Off, anyone may read. Writes (reviews, provision links) always need the
	// analyst or admin role; see docs/review.md.
	RequireLogin bool
}

// route is one API endpoint. Path is both a net/http pattern and an OpenAPI path.
type route struct {
	Method string
	Path   string
	// Params are the query parameters the route accepts; any other is a 400.
	Params []string
	handle func(*api, http.ResponseWriter, *http.Request) error
}

// Query parameters shared by the event routes.
var (
	eventFilterParams = []string{"from", "to", "bbox", "type", "mode", "context", "actor", "country", "place", "source", "q", "report", "include_rejected"}
	eventPageParams   = append(slices.Clone(eventFilterParams), "limit", "after")
)

// routes is the one table of API routes; New registers it and the OpenAPI test walks it.
var routes = []route{
	{"GET", "/api/events", eventPageParams, (*api).events},
	{"GET", "/api/events/{id}", nil, (*api).event},
	{"GET", "/api/incidents", incidentParams, (*api).incidents},
	{"GET", "/api/incidents/{id}", nil, (*api).incident},
	{"GET", "/api/events.geojson", eventFilterParams, (*api).eventsGeoJSON},
	{"GET", "/api/events.csv", eventFilterParams, (*api).eventsCSV},
	{"GET", "/api/map.geojson", eventFilterParams, (*api).mapGeoJSON},
	{"GET", "/api/timeline", eventFilterParams, (*api).timeline},
	{"GET", "/api/reports", []string{"source", "limit", "offset"}, (*api).reports},
	{"GET", "/api/reports/{id}", nil, (*api).report},
	{"GET", "/api/indicators", []string{"metric", "place", "from", "to"}, (*api).indicators},
	{"GET", "/api/places", nil, (*api).places},
	{"GET", "/api/sources", nil, (*api).sources},
	{"GET", "/api/stats", nil, (*api).stats},
	{"GET", "/api/agreements", []string{"as_of"}, (*api).agreementList},
	{"GET", "/api/agreements/{id}", []string{"as_of"}, (*api).agreementBoard},
	{"GET", "/api/provisions/{agreement}/{provision}", []string{"as_of"}, (*api).provision},
	{"POST", "/api/provisions/{agreement}/{provision}/links", nil, (*api).linkEvent},
	{"DELETE", "/api/provisions/{agreement}/{provision}/links/{event_id}", nil, (*api).unlinkEvent},
	{"GET", "/api/sitrep", []string{"from", "to", "area", "format"}, (*api).sitrep},
	{"POST", "/api/events/{id}/review", nil, (*api).reviewEvent},
	{"GET", "/api/audit", []string{"user", "report", "limit", "offset"}, (*api).auditLog},
	{"GET", "/api/openapi.json", nil, (*api).openAPI},
}

// api holds what the handlers need.
type api struct {
	st          store.Store
	log         *slog.Logger
	maxExport   int
	agreements  *agreement.Set
	gaz         *gazetteer.Gazetteer
	requireAuth bool
	csrf        *http.CrossOriginProtection
}

// server is the http.Handler New returns.
type server struct {
	api     *api
	mux     *http.ServeMux
	web     http.Handler
	log     *slog.Logger
	origins map[string]bool
}

// New returns the handler serving the JSON API over st and opt.Web at "/".
func New(st store.Store, opt Options) http.Handler {
	log := opt.Logger
	if log == nil {
		log = slog.Default()
	}
	a := &api{st: st, log: log, maxExport: opt.MaxExport, agreements: opt.Agreements, gaz: opt.Gazetteer,
		requireAuth: opt.RequireLogin, csrf: http.NewCrossOriginProtection()}
	if a.agreements == nil {
		a.agreements = &agreement.Set{}
	}
	if a.maxExport <= 0 {
		a.maxExport = DefaultMaxExport
	}
	s := &server{api: a, mux: http.NewServeMux(), web: opt.Web, log: log, origins: map[string]bool{}}
	for _, o := range opt.AllowedOrigins {
		s.origins[o] = true
	}
	for _, rt := range routes {
		s.mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	if s.web == nil {
		s.web = http.HandlerFunc(minimalIndex)
	}
	return s
}

// ServeHTTP logs the request, sets the common headers and dispatches it.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				s.logRequest(r, rec, start, slog.String("abort", "stream cut"))
				panic(p)
			}
			s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(p))
			if !rec.wrote {
				writeError(rec, http.StatusInternalServerError, "internal error")
			}
		}
		s.logRequest(r, rec, start)
	}()
	h := rec.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if len(s.origins) > 0 {
		h.Add("Vary", "Origin")
	}
	if o := r.Header.Get("Origin"); o != "" && (s.origins[o] || s.origins["*"]) {
		if s.origins["*"] {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", o)
		}
		h.Set("Access-Control-Expose-Headers", "X-Truce-Export-Limit, X-Truce-Truncated, X-Truce-Matches")
	}
	r, ok := s.authenticate(rec, r)
	if !ok {
		return
	}
	if r.URL.Path != "/api" && !strings.HasPrefix(r.URL.Path, "/api/") {
		s.web.ServeHTTP(rec, r)
		return
	}
	if _, pattern := s.mux.Handler(r); pattern != "" {
		s.mux.ServeHTTP(rec, r)
		return
	}
	s.noRoute(rec, r)
}

// noRoute answers an /api/ request that matches no route with a JSON 404, 405
// (with Allow) or the mux's redirect for an unclean path.
func (s *server) noRoute(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	c := &capture{header: http.Header{}}
	h.ServeHTTP(c, r)
	switch {
	case c.status == http.StatusMethodNotAllowed:
		w.Header().Set("Allow", c.header.Get("Allow"))
		writeError(w, c.status, fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, c.header.Get("Allow")))
	case c.status >= 300 && c.status < 400 && c.header.Get("Location") != "":
		w.Header().Set("Location", c.header.Get("Location"))
		w.WriteHeader(c.status)
	default:
		writeError(w, http.StatusNotFound, fmt.Sprintf("no API route %s; see /api/openapi.json", r.URL.Path))
	}
}

func (s *server) logRequest(r *http.Request, rec *recorder, start time.Time, extra ...slog.Attr) {
	attrs := append([]slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("query", r.URL.RawQuery),
		slog.Int("status", rec.status),
		slog.Int64("bytes", rec.bytes),
		slog.Duration("dur", time.Since(start)),
		slog.String("remote", r.RemoteAddr),
	}, extra...)
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "http", attrs...)
}

// wrap turns a route's handler into an http.Handler that checks the query
// parameters and renders errors as JSON.
func (a *api) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkParams(r, rt.Params)
		if err == nil {
			err = rt.handle(a, w, r)
		}
		if err != nil {
			a.fail(w, r, err)
		}
	})
}

// apiError is an error with the status and the message the client sees.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// badParam is a 400 naming the query parameter at fault.
func badParam(name, format string, args ...any) error {
	return &apiError{http.StatusBadRequest, fmt.Sprintf("parameter %q: ", name) + fmt.Sprintf(format, args...)}
}

// notFound is a 404 with msg.
func notFound(format string, args ...any) error {
	return &apiError{http.StatusNotFound, fmt.Sprintf(format, args...)}
}

// fail writes err as a JSON error: its own status for an apiError, 400 for an
// invalid filter, 404 for a missing row, otherwise a 500 that hides the cause.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.msg)
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "invalid filter")
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "not found")
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		a.log.DebugContext(r.Context(), "request canceled", "path", r.URL.Path)
	default:
		a.log.ErrorContext(r.Context(), "store error", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
}

// writeJSON writes v as a JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// writeError writes {"error": msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	_ = writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}

// minimalIndex is the page served at "/" when no web handler is given.
func minimalIndex(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	_, _ = w.Write([]byte(`<!doctype html><html lang="en"><meta charset="utf-8"><title>truce</title>
<h1>truce</h1><p>The ceasefire monitor's JSON API is described at <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<ul><li><a href="/api/events">/api/events</a><li><a href="/api/timeline">/api/timeline</a><li><a href="/api/stats">/api/stats</a></ul></html>
`))
}

// recorder remembers the status and size of a response for the request log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

// WriteHeader records the status.
func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the size.
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer (for Flush).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// capture is a throwaway ResponseWriter that keeps the status and headers.
type capture struct {
	header http.Header
	status int
}

// Header returns the captured headers.
func (c *capture) Header() http.Header { return c.header }

// Write discards the body.
func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return len(b), nil
}

// WriteHeader keeps the status.
func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}
