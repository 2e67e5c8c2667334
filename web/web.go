package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Options configures the web pages.
type Options struct {
	// Convention names the place-naming convention in use ("both" by default);
	// it is shown in the page footer. The names themselves come from PlaceName.
	Convention string
	// TileURL is a Leaflet tile URL template ("https://tiles.example/{z}/{x}/{y}.png");
	// empty means the offline Natural Earth borders are the basemap.
	TileURL string
	// TileAttribution is the attribution shown for the tile layer.
	TileAttribution string
	// Logger receives request errors; nil means slog.Default().
	Logger *slog.Logger
	// PlaceName returns the display name of the gazetteer place id in the chosen
	// convention; fallback is the stored canonical name. Nil shows the fallback.
	PlaceName func(id, fallback string) string
	// Agreements are the agreements the board, the provision pages and the
	// situation reports track; nil means none.
	Agreements *agreement.Set
	// Gazetteer names the provisions' places and decides what lies inside an
	// agreement's areas; nil treats every place as unknown.
	Gazetteer *gazetteer.Gazetteer
	// SecureCookies marks the session cookie Secure even when the request
	// did not come over TLS here (a TLS proxy in front).
	SecureCookies bool
}

// site is the handler behind New.
type site struct {
	st         store.Store
	opt        Options
	agreements *agreement.Set
	log        *slog.Logger
	pages      map[string]*template.Template
	mux        *http.ServeMux
	cache      listCache
	csrf       *http.CrossOriginProtection // checks the login, logout and review forms
}

// listCacheTTL bounds how long the place and source lists of the map page's
// filters are reused while the store's row counts stay the same.
const listCacheTTL = 5 * time.Minute

// listCache keeps the place and source lists of the map page: grouping every
// event by place takes seconds at a million events, and the lists change only
// when reports are stored. They are read again when the store's row counts
// change (a report stored or removed) or after listCacheTTL (a report
// re-extracted into as many rows).
type listCache struct {
	mu      sync.Mutex
	stats   store.Stats
	at      time.Time
	places  []store.PlaceCount
	sources []store.SourceCount
}

// lists returns the places and sources of the store, from the cache when its
// row counts have not changed. The slices are shared: do not modify them.
func (s *site) lists(ctx context.Context) ([]store.PlaceCount, []store.SourceCount, error) {
	st, err := s.st.Stats(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.places != nil && c.stats == st && time.Since(c.at) < listCacheTTL {
		return c.places, c.sources, nil
	}
	places, err := s.st.Places(ctx)
	if err != nil {
		return nil, nil, err
	}
	srcs, err := s.st.Sources(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.stats, c.at, c.places, c.sources = st, time.Now(), places, srcs
	return places, srcs, nil
}

// New returns the handler of the web pages, to be mounted at "/".
func New(st store.Store, opt Options) (http.Handler, error) {
	if st == nil {
		return nil, errors.New("web: nil store")
	}
	if opt.Convention == "" {
		opt.Convention = "both"
	}
	s := &site{st: st, opt: opt, log: opt.Logger, pages: map[string]*template.Template{}, agreements: opt.Agreements}
	if s.agreements == nil {
		s.agreements = &agreement.Set{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	for _, p := range []string{"map.html", "event.html", "report.html", "indicators.html", "search.html", "error.html",
		"agreements.html", "board.html", "provision.html", "sitrep.html"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+p)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		s.pages[p] = t
	}
	if err := s.parseIncidentPages(); err != nil {
		return nil, err
	}
	assets, err := fs.Sub(assetFS, "assets")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	if err := s.addAuthPages(mux); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	mux.HandleFunc("GET /{$}", s.handleMap)
	mux.HandleFunc("GET /events/{id}", s.handleEvent)
	mux.HandleFunc("GET /reports/{id}", s.handleReport)
	mux.HandleFunc("GET /indicators", s.handleIndicators)
	mux.HandleFunc("GET /search", s.handleSearch)
	mux.HandleFunc("GET /agreements", s.handleAgreements)
	mux.HandleFunc("GET /agreements/{id}", s.handleBoard)
	mux.HandleFunc("GET /provisions/{agreement}/{provision}", s.handleProvision)
	mux.HandleFunc("GET /sitrep", s.handleSitrep)
	s.incidentRoutes(mux)
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", cacheAssets(http.FileServerFS(assets))))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "There is no page at "+r.URL.Path+".", nil)
	})
	s.mux = mux
	return s, nil
}

// ServeHTTP sets the security headers and dispatches to the page handlers.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	img := "'self' data:"
	if s.opt.TileURL != "" {
		img += " https: http:"
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src "+img+"; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

// cacheAssets lets browsers keep the embedded assets for an hour.
func cacheAssets(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// page is the data every page template gets.
type page struct {
	Title      string
	Nav        string // map, indicators, search, agreements, sitrep: the active nav item
	Convention string
	Data       any
	// Auth is who is logged in (nil for nobody): the nav shows the login or logout.
	Auth *auth.Identity
}

// render executes a page template into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *site) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Convention = s.opt.Convention
	p.Auth = auth.From(r.Context())
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page; err (may be nil) is logged for 5xx statuses.
func (s *site) fail(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "web: request failed", "path", r.URL.Path, "err", err)
	}
	s.render(w, r, status, "error.html", page{Title: http.StatusText(status), Data: map[string]any{"Status": status, "Message": msg}})
}

// storeErr maps a store error to an error page.
func (s *site) storeErr(w http.ResponseWriter, r *http.Request, what string, err error) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, what+" does not exist.", err)
	case errors.Is(err, store.ErrInvalid):
		s.fail(w, r, http.StatusBadRequest, err.Error(), err)
	default:
		s.fail(w, r, http.StatusInternalServerError, "The record could not be read.", err)
	}
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// Query parameter names of the event filter, shared by the pages and the event API (/api/events, /api/map.geojson, the exports).
const (
	ParamFrom    = "from"
	ParamTo      = "to"
	ParamType    = "type"
	ParamMode    = "mode"
	ParamContext = "context"
	ParamActor   = "actor"
	ParamCountry = "country"
	ParamPlace   = "place"
	ParamSource  = "source"
	ParamQuery   = "q"
	ParamAfter   = "after"
)

// FilterFromQuery reads an event filter from URL query parameters: from, to
// (YYYY-MM-DD), type, mode, context (repeatable or comma-separated), actor,
// country, place, source, q (full text) and after (page cursor).
func FilterFromQuery(q url.Values) store.EventFilter {
	return store.EventFilter{
		From:     strings.TrimSpace(q.Get(ParamFrom)),
		To:       strings.TrimSpace(q.Get(ParamTo)),
		Types:    list(q[ParamType], true),
		Modes:    list(q[ParamMode], false),
		Contexts: list(q[ParamContext], false),
		Actor:    strings.TrimSpace(q.Get(ParamActor)),
		Country:  strings.ToUpper(strings.TrimSpace(q.Get(ParamCountry))),
		Place:    strings.TrimSpace(q.Get(ParamPlace)),
		Source:   strings.TrimSpace(q.Get(ParamSource)),
		Query:    strings.TrimSpace(q.Get(ParamQuery)),
		After:    q.Get(ParamAfter),
	}
}

// list splits repeated and comma-separated values, dropping empty ones.
func list(vs []string, upper bool) []string {
	// Types are upper case, modes and contexts lower case, as the vocabulary has them.
	var out []string
	for _, v := range vs {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				if upper {
					p = strings.ToUpper(p)
				} else {
					p = strings.ToLower(p)
				}
				out = append(out, p)
			}
		}
	}
	return out
}

// filterQuery is the canonical URL query of f without its cursor.
func filterQuery(f store.EventFilter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set(ParamFrom, f.From)
	set(ParamTo, f.To)
	for _, t := range f.Types {
		q.Add(ParamType, t)
	}
	for _, m := range f.Modes {
		q.Add(ParamMode, m)
	}
	for _, c := range f.Contexts {
		q.Add(ParamContext, c)
	}
	set(ParamActor, f.Actor)
	set(ParamCountry, f.Country)
	set(ParamPlace, f.Place)
	set(ParamSource, f.Source)
	set(ParamQuery, f.Query)
	return q
}

// placeName is the display name of p in the chosen convention.
func (s *site) placeName(p *truce.Place) string {
	if p == nil {
		return ""
	}
	fb := p.Canonical
	if fb == "" {
		fb = p.Name
	}
	if s.opt.PlaceName != nil {
		if n := s.opt.PlaceName(p.ID, fb); n != "" {
			return n
		}
	}
	return fb
}

// eventRow is an event as the lists show it.
type eventRow struct {
	ID        int64
	Type      string
	Mode      string
	Date      string
	Actor     string
	Recipient string
	Place     string
	Evidence  string
	Source    string
	ReportID  int64
	Negated   bool
	Modality  string
}

func (s *site) row(e store.StoredEvent) eventRow {
	r := eventRow{ID: e.ID, Type: e.Type, Mode: e.Mode, Date: whenText(e.Date), Place: s.placeName(e.Place),
		Evidence: oneLine(e.Evidence.Text, 220), Source: e.Source, ReportID: e.ReportID, Negated: e.Negated}
	if e.Modality != "" && e.Modality != "asserted" {
		r.Modality = e.Modality
	}
	if e.Actor != nil {
		r.Actor = e.Actor.Name
	}
	if e.Recipient != nil {
		r.Recipient = e.Recipient.Name
	}
	return r
}

func (s *site) rows(es []store.StoredEvent) []eventRow {
	out := make([]eventRow, 0, len(es))
	for _, e := range es {
		out = append(out, s.row(e))
	}
	return out
}

// whenText is a date or range as YYYY-MM-DD, or "" when unknown.
func whenText(w *truce.When) string {
	if w == nil || w.Start == "" || w.Unresolved {
		return ""
	}
	if w.End != "" && w.End != w.Start {
		return w.Start + " – " + w.End
	}
	return w.Start
}

// oneLine collapses whitespace and cuts s to at most n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// mapData is the data of the monitor page.
type mapData struct {
	Filter      store.EventFilter
	Type        string
	Mode        string
	Context     string
	Types       []string
	Places      []option
	Sources     []option
	Countries   []option
	Events      []eventRow
	Total       int
	More        string // URL of the next page of the list, or ""
	Timeline    timeline
	Config      template.JS // JSON read by map.js from a non-executed script element
	Query       string      // the filter query, for links
	Active      bool        // whether any filter is set
	ActiveCount int         // how many filters are set
	Err         string
}

// option is a choice of a select element.
type option struct {
	Value, Label string
}

func (s *site) handleMap(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f := FilterFromQuery(r.URL.Query())
	q := filterQuery(f)
	d := mapData{Filter: f, Types: truceTypes, Query: q.Encode(), Active: len(q) > 0, ActiveCount: len(q)}
	d.Type = strings.Join(f.Types, ",")
	d.Mode = strings.Join(f.Modes, ",")
	d.Context = strings.Join(f.Contexts, ",")
	status := http.StatusOK

	places, srcs, err := s.lists(ctx)
	if err != nil {
		s.storeErr(w, r, "The places and sources", err)
		return
	}
	names := map[string]string{}
	countries := map[string]bool{}
	for _, p := range places {
		pl := p.Place
		n := s.placeName(&pl)
		v := pl.ID
		if v == "" {
			v = pl.Canonical
		}
		if v == "" {
			continue
		}
		names[v] = n
		if pl.Canonical != "" {
			names[pl.Canonical] = n
		}
		d.Places = append(d.Places, option{v, fmt.Sprintf("%s (%d)", n, p.Events)})
		if pl.Country != "" {
			countries[pl.Country] = true
		}
	}
	sortOptions(d.Places)
	for _, sc := range srcs {
		d.Sources = append(d.Sources, option{sc.Source, fmt.Sprintf("%s (%d)", sc.Source, sc.Reports)})
	}
	sortOptions(d.Sources)

	lf := f
	lf.Limit = 100
	pg, err := s.st.Events(ctx, lf)
	switch {
	case errors.Is(err, store.ErrInvalid):
		d.Err = err.Error()
		status = http.StatusBadRequest
	case err != nil:
		s.storeErr(w, r, "The events", err)
		return
	default:
		d.Events = s.rows(pg.Events)
		for _, e := range pg.Events {
			for _, a := range []*truce.Actor{e.Actor, e.Recipient} {
				if a != nil && a.Country != "" {
					countries[a.Country] = true
				}
			}
		}
		if pg.Next != "" {
			nq := filterQuery(f)
			nq.Set(ParamAfter, pg.Next)
			d.More = "/?" + nq.Encode()
		}
	}
	for c := range countries {
		d.Countries = append(d.Countries, option{c, c})
	}
	sortOptions(d.Countries)

	// The timeline shows every day of the other filters and marks the chosen range,
	// so that clicking a day narrows the view without losing the context.
	tf := f
	tf.From, tf.To, tf.After = "", "", ""
	if d.Err == "" {
		days, err := s.st.EventsPerDay(ctx, tf)
		if err != nil {
			s.storeErr(w, r, "The timeline", err)
			return
		}
		d.Timeline = buildTimeline(days, f, filterQuery(tf))
		for _, c := range days {
			d.Total += c.Count
		}
	}

	cfg := map[string]any{
		"geojson":     "/api/map.geojson?" + q.Encode(),
		"basemap":     "/assets/vendor/world-atlas/countries-50m.json",
		"tiles":       s.opt.TileURL,
		"attribution": s.opt.TileAttribution,
		"names":       names,
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The map could not be set up.", err)
		return
	}
	// template.JS in a <script type="application/json"> element: html/template
	// does not escape it again; json.Marshal already escaped <, > and &.
	d.Config = template.JS(b)
	s.render(w, r, status, "map.html", page{Title: "Map", Nav: "map", Data: d})
}

// eventData is the data of an event page.
type eventData struct {
	Event     store.StoredEvent
	Row       eventRow
	Report    store.StoredReport
	Text      []segment
	Others    []eventRow
	Evidence  bool // whether the evidence span was found in the text
	Published string
	Incident  *incidentRef // the incident the event is part of, or nil
}

func (s *site) handleEvent(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "There is no event "+r.PathValue("id")+".", nil)
		return
	}
	ctx := r.Context()
	e, err := s.st.Event(ctx, id)
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Event %d", id), err)
		return
	}
	rep, err := s.st.Report(ctx, e.ReportID)
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Report %d", e.ReportID), err)
		return
	}
	all, err := s.reportEvents(ctx, rep.ID)
	if err != nil {
		s.storeErr(w, r, "The events of the report", err)
		return
	}
	d := eventData{Event: e, Row: s.row(e), Report: rep}
	if d.Incident, err = s.incidentOf(ctx, id); err != nil {
		s.storeErr(w, r, fmt.Sprintf("The incident of event %d", id), err)
		return
	}
	var marks []mark
	for _, o := range all {
		if o.ID == e.ID {
			continue
		}
		d.Others = append(d.Others, s.row(o))
		marks = append(marks, mark{Span: o.Evidence, ID: fmt.Sprintf("e%d", o.ID), Class: "other", Title: fmt.Sprintf("%s event %d", o.Type, o.ID)})
	}
	// The event's own mark goes last so it wins where spans overlap.
	marks = append(marks, mark{Span: e.Evidence, ID: "evidence", Class: "current", Title: "evidence of this event"})
	d.Text, d.Evidence = segments(rep.Text, marks, "evidence")
	title := e.Type
	if d.Row.Place != "" {
		title += " at " + d.Row.Place
	}
	s.render(w, r, http.StatusOK, "event.html", page{Title: title, Nav: "map", Data: d})
}

// reportEvents lists every event of a report.
func (s *site) reportEvents(ctx context.Context, id int64) ([]store.StoredEvent, error) {
	pg, err := s.st.Events(ctx, store.EventFilter{ReportID: id, NoLimit: true})
	return pg.Events, err
}

// reportData is the data of a report page.
type reportData struct {
	Report     store.StoredReport
	Text       []segment
	Events     []eventRow
	Claims     []store.StoredClaim
	Indicators []store.StoredIndicator
}

func (s *site) handleReport(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "There is no report "+r.PathValue("id")+".", nil)
		return
	}
	ctx := r.Context()
	rep, err := s.st.Report(ctx, id)
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Report %d", id), err)
		return
	}
	evs, err := s.reportEvents(ctx, id)
	if err != nil {
		s.storeErr(w, r, "The events of the report", err)
		return
	}
	claims, err := s.st.Claims(ctx, id)
	if err != nil {
		s.storeErr(w, r, "The claims of the report", err)
		return
	}
	inds, err := s.st.Indicators(ctx, store.IndicatorFilter{})
	if err != nil {
		s.storeErr(w, r, "The indicators", err)
		return
	}
	d := reportData{Report: rep, Events: s.rows(evs), Claims: claims}
	var marks []mark
	for _, c := range claims {
		marks = append(marks, mark{Span: c.Evidence, ID: fmt.Sprintf("c%d", c.ID), Class: "claim", Title: "claim"})
	}
	for _, in := range inds {
		if in.ReportID != id {
			continue
		}
		d.Indicators = append(d.Indicators, in)
		marks = append(marks, mark{Span: in.Evidence, ID: fmt.Sprintf("i%d", in.ID), Class: "indicator", Title: in.Metric})
	}
	for _, e := range evs {
		marks = append(marks, mark{Span: e.Evidence, ID: fmt.Sprintf("e%d", e.ID), Class: "event", Title: fmt.Sprintf("%s event %d", e.Type, e.ID)})
	}
	d.Text, _ = segments(rep.Text, marks, "")
	title := rep.Title
	if title == "" {
		title = fmt.Sprintf("Report %d", id)
	}
	s.render(w, r, http.StatusOK, "report.html", page{Title: title, Nav: "map", Data: d})
}

// searchData is the data of the search page.
type searchData struct {
	Q       string
	Results []searchRow
	More    string
	Err     string
}

// searchRow is a search hit with its evidence split around the matched words.
type searchRow struct {
	eventRow
	Parts []segment
}

func (s *site) handleSearch(w http.ResponseWriter, r *http.Request) {
	f := FilterFromQuery(r.URL.Query())
	d := searchData{Q: f.Query}
	status := http.StatusOK
	if f.Query != "" {
		f.Limit = 100
		pg, err := s.st.Events(r.Context(), f)
		switch {
		case errors.Is(err, store.ErrInvalid):
			d.Err = err.Error()
			status = http.StatusBadRequest
		case err != nil:
			s.storeErr(w, r, "The search", err)
			return
		default:
			for _, e := range pg.Events {
				row := s.row(e)
				text := strings.Join(strings.Fields(e.Evidence.Text), " ")
				d.Results = append(d.Results, searchRow{eventRow: row, Parts: highlightWords(text, f.Query)})
			}
			if pg.Next != "" {
				nq := filterQuery(f)
				nq.Set(ParamAfter, pg.Next)
				d.More = "/search?" + nq.Encode()
			}
		}
	}
	title := "Search"
	if f.Query != "" {
		title = "Search: " + f.Query
	}
	s.render(w, r, status, "search.html", page{Title: title, Nav: "search", Data: d})
}

// sortOptions sorts options by label, case-insensitively.
func sortOptions(o []option) {
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && strings.ToLower(o[j].Label) < strings.ToLower(o[j-1].Label); j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
}

// truceTypes are PLOVER's sixteen event types in the order of the codebook.
var truceTypes = []string{"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
	"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}

// family is the colour family of a PLOVER type: verbal or material cooperation,
// request, verbal or material conflict.
func family(t string) string {
	switch t {
	case "AGREE", "CONSULT", "SUPPORT":
		return "vcoop"
	case "CONCEDE", "COOPERATE", "AID", "RETREAT":
		return "mcoop"
	case "REQUEST":
		return "request"
	case "ACCUSE", "REJECT", "THREATEN", "PROTEST":
		return "vconf"
	case "SANCTION", "MOBILIZE", "COERCE", "ASSAULT":
		return "mconf"
	}
	return "other"
}

var funcs = template.FuncMap{
	"family": family,
	"has": func(xs []string, x string) bool {
		for _, v := range xs {
			if v == x {
				return true
			}
		}
		return false
	},
	"num": func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	},
	"pct": func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(truce.DateLayout)
	},
	"when":      whenText,
	"longDate":  longDate,
	"unquote":   unquote,
	"noteRole":  noteRole,
	"noteRef":   noteRef,
	"provPage":  provisionPage,
	"category":  func(c string) string { return strings.ReplaceAll(c, "_", " ") },
	"roleLabel": roleLabel,
	"statusKey": func(label string) string { return strings.ReplaceAll(label, " ", "_") },
	"join":      strings.Join,
	"isHTTP": func(u string) bool {
		// Only http(s) addresses from reports become links; anything else is shown as text.
		pu, err := url.Parse(u)
		return err == nil && (pu.Scheme == "http" || pu.Scheme == "https")
	},
}

// isInvalid reports whether err says a filter was malformed.
func isInvalid(err error) bool { return errors.Is(err, store.ErrInvalid) }
