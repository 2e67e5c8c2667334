package server

import (
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// PloverTypes are the sixteen PLOVER event types the type filter accepts.
var PloverTypes = []string{"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
	"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}

// Limits of the query parameters.
const (
	maxText      = 200 // actor, place, source
	maxQuery     = 500 // q
	maxCursor    = 256
	maxListItems = 50 // values of a list parameter (mode, context)
	maxOffset    = 1_000_000
	defaultLimit = 100
	maxLimit     = 1000
)

var (
	tokenRE   = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)
	metricRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{3}$`)
	cursorRE  = regexp.MustCompile(`^[A-Za-z0-9_\-=.~]+$`)
)

// checkParams rejects a query parameter the route does not accept and a query
// string that does not parse.
func checkParams(r *http.Request, allowed []string) error {
	q, err := parseRawQuery(r)
	if err != nil {
		return err
	}
	var unknown []string
	for name := range q {
		if !slices.Contains(allowed, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	if len(allowed) == 0 {
		return badParam(unknown[0], "unknown parameter; %s takes no query parameters", r.URL.Path)
	}
	return badParam(unknown[0], "unknown parameter; %s accepts %s", r.URL.Path, strings.Join(allowed, ", "))
}

// parseRawQuery parses the query string strictly (a bad escape is a 400).
func parseRawQuery(r *http.Request) (map[string][]string, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, &apiError{http.StatusBadRequest, "malformed query string: " + err.Error()}
	}
	return q, nil
}

// query reads validated parameters from a request.
type query map[string][]string

func queryOf(r *http.Request) query {
	q, _ := url.ParseQuery(r.URL.RawQuery) // checked by checkParams
	return query(q)
}

// one returns the single value of name ("" when absent); a repeated parameter is a 400.
func (q query) one(name string) (string, error) {
	vs := q[name]
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", badParam(name, "given %d times; give it once", len(vs))
}

// text returns a free-text parameter: trimmed, valid UTF-8, no control characters, at most max bytes.
func (q query) text(name string, maxLen int) (string, error) {
	v, err := q.one(name)
	if err != nil {
		return "", err
	}
	v = strings.TrimSpace(v)
	if !utf8.ValidString(v) {
		return "", badParam(name, "not valid UTF-8")
	}
	if len(v) > maxLen {
		return "", badParam(name, "longer than %d bytes", maxLen)
	}
	if strings.ContainsFunc(v, unicode.IsControl) {
		return "", badParam(name, "contains control characters")
	}
	return v, nil
}

// list returns the values of a parameter given repeatedly and/or as a comma list, deduplicated.
func (q query) list(name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// date returns a YYYY-MM-DD parameter.
func (q query) date(name string) (string, error) {
	v, err := q.one(name)
	if err != nil || v == "" {
		return "", err
	}
	if _, err := time.Parse(truce.DateLayout, v); err != nil || len(v) != len(truce.DateLayout) {
		return "", badParam(name, "want a date YYYY-MM-DD, got %q", show(v))
	}
	return v, nil
}

// dateRange returns from and to, checking that from is not after to.
func (q query) dateRange() (from, to string, err error) {
	if from, err = q.date("from"); err != nil {
		return
	}
	if to, err = q.date("to"); err != nil {
		return
	}
	if from != "" && to != "" && from > to {
		return "", "", badParam("from", "%s is after to=%s", from, to)
	}
	return from, to, nil
}

// intIn returns an integer parameter in [lo, hi], or def when absent.
func (q query) intIn(name string, lo, hi, def int) (int, error) {
	v, err := q.one(name)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, badParam(name, "want an integer from %d to %d, got %q", lo, hi, show(v))
	}
	return n, nil
}

// id parses a positive row id (path value or parameter).
func parseID(name, v string) (int64, error) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, badParam(name, "want a positive integer id, got %q", show(v))
	}
	return n, nil
}

// bbox parses minLon,minLat,maxLon,maxLat.
func (q query) bbox() (*store.BBox, error) {
	v, err := q.one("bbox")
	if err != nil || v == "" {
		return nil, err
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return nil, badParam("bbox", "want minLon,minLat,maxLon,maxLat (4 numbers), got %q", show(v))
	}
	var f [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, badParam("bbox", "%q is not a number", show(p))
		}
		f[i] = x
	}
	b := &store.BBox{MinLon: f[0], MinLat: f[1], MaxLon: f[2], MaxLat: f[3]}
	switch {
	case b.MinLon < -180 || b.MaxLon > 180 || b.MinLon > 180 || b.MaxLon < -180:
		return nil, badParam("bbox", "longitudes must be within -180..180")
	case b.MinLat < -90 || b.MaxLat > 90 || b.MinLat > 90 || b.MaxLat < -90:
		return nil, badParam("bbox", "latitudes must be within -90..90")
	case b.MinLon > b.MaxLon:
		return nil, badParam("bbox", "minLon %g is greater than maxLon %g (boxes across the antimeridian are not supported)", b.MinLon, b.MaxLon)
	case b.MinLat > b.MaxLat:
		return nil, badParam("bbox", "minLat %g is greater than maxLat %g", b.MinLat, b.MaxLat)
	}
	return b, nil
}

// tokens returns a list parameter of vocabulary words (modes, contexts): lower-cased, checked for shape.
func (q query) tokens(name string) ([]string, error) {
	vs := q.list(name)
	if len(vs) > maxListItems {
		return nil, badParam(name, "more than %d values", maxListItems)
	}
	for i, v := range vs {
		v = strings.ToLower(v)
		if !tokenRE.MatchString(v) {
			return nil, badParam(name, "%q is not a vocabulary word (lower-case letters, digits, '_' or '-', at most 40)", show(v))
		}
		vs[i] = v
	}
	return vs, nil
}

// eventFilter reads the event filter parameters; paged adds limit and after.
func eventFilter(r *http.Request, paged bool) (store.EventFilter, error) {
	q := queryOf(r)
	var f store.EventFilter
	var err error
	if f.From, f.To, err = q.dateRange(); err != nil {
		return f, err
	}
	if f.BBox, err = q.bbox(); err != nil {
		return f, err
	}
	for _, t := range q.list("type") {
		u := strings.ToUpper(t)
		if !slices.Contains(PloverTypes, u) {
			return f, badParam("type", "%q is not a PLOVER event type; want one of %s", show(t), strings.Join(PloverTypes, ", "))
		}
		if !slices.Contains(f.Types, u) {
			f.Types = append(f.Types, u)
		}
	}
	if f.Modes, err = q.tokens("mode"); err != nil {
		return f, err
	}
	if f.Contexts, err = q.tokens("context"); err != nil {
		return f, err
	}
	if f.Actor, err = q.text("actor", maxText); err != nil {
		return f, err
	}
	c, err := q.one("country")
	if err != nil {
		return f, err
	}
	if c != "" {
		if f.Country = strings.ToUpper(c); !countryRE.MatchString(f.Country) {
			return f, badParam("country", "want a 3-letter code (ISO 3166-1 alpha-3 or an agreed code such as IGO), got %q", show(c))
		}
	}
	if f.Place, err = q.text("place", maxText); err != nil {
		return f, err
	}
	if f.Source, err = q.text("source", maxText); err != nil {
		return f, err
	}
	if f.Query, err = q.text("q", maxQuery); err != nil {
		return f, err
	}
	rep, err := q.one("report")
	if err != nil {
		return f, err
	}
	if rep != "" {
		if f.ReportID, err = parseID("report", rep); err != nil {
			return f, err
		}
	}
	if f.IncludeRejected, err = includeRejected(r, q); err != nil {
		return f, err
	}
	if !paged {
		return f, nil
	}
	if f.Limit, err = q.intIn("limit", 1, maxLimit, defaultLimit); err != nil {
		return f, err
	}
	if f.After, err = q.one("after"); err != nil {
		return f, err
	}
	if f.After != "" && (len(f.After) > maxCursor || !cursorRE.MatchString(f.After)) {
		return f, badParam("after", "not a cursor returned by this API (use the \"next\" value of a previous page)")
	}
	return f, nil
}

// show shortens a user value for an error message.
func show(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
