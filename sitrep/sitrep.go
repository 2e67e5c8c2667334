// Package sitrep writes situation reports in the manner of a monitoring
// mission's daily report: for a period (and optionally an area), what
// happened by area and event type, the agreement provisions whose status
// changed, the indicators that moved (with the previous figure), and the
// disputed claims side by side, with a citation (report, source, sentence)
// behind every line. Build gathers the data from a store; Render writes it
// as Markdown (text/template) or printable HTML (html/template) from the
// templates embedded in the package.
package sitrep

import (
	"cmp"
	"context"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

//go:embed templates/*
var templates embed.FS

// Formats lists the formats Render writes.
var Formats = []string{"md", "html"}

// Options says what a situation report covers.
type Options struct {
	From, To string // YYYY-MM-DD, inclusive
	// Area is a gazetteer id; when set, only events at places within it
	// (and provisions whose places meet it) are reported.
	Area       string
	Agreements *agreement.Set
	Gazetteer  *gazetteer.Gazetteer
}

// Citation is the report, source and sentence behind a line.
type Citation struct {
	EventID   int64  `json:"event_id,omitempty"`
	ReportID  int64  `json:"report_id"`
	Report    string `json:"report"`
	Source    string `json:"source"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published"`
	Sentence  string `json:"sentence"`
}

// Line is one happening of the period.
type Line struct {
	Date string `json:"date"`
	// Undated is true when the event has no date of its own (Date is its report's).
	Undated bool   `json:"undated,omitempty"`
	What    string `json:"what"`  // "ASSAULT/firearms"
	Actor   string `json:"actor"` // "Azerbaijani forces (AZE)"
	Place   string `json:"place"`
	Speaker string `json:"speaker,omitempty"`
	Negated bool   `json:"negated,omitempty"`
	// Notes tie the event to provisions, or say it happened at a border.
	Notes []string `json:"notes,omitempty"`
	Cite  Citation `json:"cite"`
}

// TypeGroup is the lines of one event type in an area.
type TypeGroup struct {
	Type  string `json:"type"`
	Lines []Line `json:"lines"`
}

// AreaGroup is what happened in one area.
type AreaGroup struct {
	Area  string      `json:"area"`
	ID    string      `json:"id,omitempty"`
	Types []TypeGroup `json:"types"`
}

// ProvisionChange is a provision whose status changed in the period.
type ProvisionChange struct {
	Ref    string     `json:"ref"`
	Title  string     `json:"title"`
	Date   string     `json:"date"`
	From   string     `json:"from"`
	To     string     `json:"to"`
	Reason string     `json:"reason"`
	Cites  []Citation `json:"cites"`
}

// ProvisionLine is a provision's status at the end of the period.
type ProvisionLine struct {
	Ref      string `json:"ref"`
	Title    string `json:"title"`
	Status   string `json:"status"`
	Since    string `json:"since,omitempty"`
	Deadline string `json:"deadline,omitempty"`
}

// IndicatorMove is an indicator with a new figure in the period.
type IndicatorMove struct {
	Metric       string   `json:"metric"`
	Place        string   `json:"place,omitempty"`
	Value        string   `json:"value"`
	AsOf         string   `json:"as_of"`
	Previous     string   `json:"previous,omitempty"` // "" for a first figure
	PreviousAsOf string   `json:"previous_as_of,omitempty"`
	Cite         Citation `json:"cite"`
}

// Dispute is a claim of the period and what the other side says of it.
type Dispute struct {
	Subject string `json:"subject"`
	Date    string `json:"date"`
	Sides   []Side `json:"sides"`
}

// Side is one account of a disputed happening.
type Side struct {
	Label string   `json:"label"` // "reported" or "denied"
	Who   string   `json:"who"`
	Says  string   `json:"says"`
	Cite  Citation `json:"cite"`
}

// Report is a situation report.
type Report struct {
	Title      string            `json:"title"`
	From       string            `json:"from"`
	To         string            `json:"to"`
	Area       string            `json:"area,omitempty"`
	Reports    int               `json:"reports"` // reports cited
	Areas      []AreaGroup       `json:"areas"`
	Changes    []ProvisionChange `json:"changes"`
	Provisions []ProvisionLine   `json:"provisions"`
	Indicators []IndicatorMove   `json:"indicators"`
	Disputes   []Dispute         `json:"disputes"`
}

// Build reads the record from st and composes the report.
func Build(ctx context.Context, st store.Store, opt Options) (*Report, error) {
	evs, links, err := agreement.Record(ctx, st)
	if err != nil {
		return nil, fmt.Errorf("sitrep: %w", err)
	}
	inds, err := st.Indicators(ctx, store.IndicatorFilter{To: opt.To})
	if err != nil {
		return nil, fmt.Errorf("sitrep: indicators: %w", err)
	}
	return Compose(opt, evs, links, inds)
}

// Compose builds a report from the record: a pure function of its inputs.
func Compose(opt Options, evs []store.StoredEvent, links []store.ProvisionLink, inds []store.StoredIndicator) (*Report, error) {
	if _, err := time.Parse(truce.DateLayout, opt.From); err != nil {
		return nil, fmt.Errorf("sitrep: from %q: want YYYY-MM-DD", opt.From)
	}
	if _, err := time.Parse(truce.DateLayout, opt.To); err != nil || opt.To < opt.From {
		return nil, fmt.Errorf("sitrep: to %q: want YYYY-MM-DD, not before from", opt.To)
	}
	g := opt.Gazetteer
	var area *gazetteer.Place
	r := &Report{From: opt.From, To: opt.To, Areas: []AreaGroup{}, Changes: []ProvisionChange{},
		Provisions: []ProvisionLine{}, Indicators: []IndicatorMove{}, Disputes: []Dispute{}}
	if opt.Area != "" {
		if area = g.Get(opt.Area); area == nil {
			return nil, fmt.Errorf("sitrep: area %q: not in the gazetteer", opt.Area)
		}
		r.Area = area.Name(gazetteer.Both)
	}
	r.Title = "Situation report, " + period(opt.From, opt.To)
	if r.Area != "" {
		r.Title += ": " + r.Area
	}
	reports := map[int64]bool{}
	cite := func(c Citation) Citation { reports[c.ReportID] = true; return c }

	statuses := agreement.Evaluate(agreement.Input{Set: opt.Agreements, Events: evs, Links: links, Gazetteer: g, AsOf: opt.To})
	roles := map[int64][]string{}
	for _, ps := range statuses {
		for _, e := range ps.Evidence {
			roles[e.EventID] = append(roles[e.EventID], string(e.Role)+" "+ps.Ref)
		}
	}

	// What happened, by area and type.
	groups := map[string]*AreaGroup{}
	for i := range evs {
		e := &evs[i]
		day, undated := agreement.EventDay(e)
		if day < opt.From || day > opt.To {
			continue
		}
		var at *gazetteer.Place
		if e.Place != nil && e.Place.ID != "" {
			at = g.Get(e.Place.ID)
		}
		if area != nil && (at == nil || !g.Within(at, area)) {
			continue
		}
		l := Line{Date: day, Undated: undated, What: strings.Trim(e.Type+"/"+e.Mode, "/"), Negated: e.Negated,
			Notes: slices.Clone(roles[e.ID]), Cite: cite(eventCite(e))}
		if e.Actor != nil {
			l.Actor = actorName(e.Actor)
		}
		if e.Place != nil {
			l.Place = e.Place.Canonical
		}
		if e.Attribution != nil {
			l.Speaker = e.Attribution.Speaker
		}
		for _, b := range agreement.Borders(g, opt.Agreements, at) {
			if len(roles[e.ID]) == 0 {
				l.Notes = append(l.Notes, fmt.Sprintf("at the border: %s lies in %s, on the edge of %s (%s), not inside it",
					l.Place, countryName(g, at.Country), g.Get(b.Area).Name(gazetteer.Both), b.Provision))
			}
		}
		name, id := areaOf(g, at)
		ag := groups[id]
		if ag == nil {
			ag = &AreaGroup{Area: name, ID: id}
			groups[id] = ag
		}
		j := slices.IndexFunc(ag.Types, func(t TypeGroup) bool { return t.Type == e.Type })
		if j < 0 {
			ag.Types = append(ag.Types, TypeGroup{Type: e.Type})
			j = len(ag.Types) - 1
		}
		ag.Types[j].Lines = append(ag.Types[j].Lines, l)
	}
	for _, ag := range groups {
		slices.SortFunc(ag.Types, func(a, b TypeGroup) int { return cmp.Compare(a.Type, b.Type) })
		for _, tg := range ag.Types {
			slices.SortStableFunc(tg.Lines, func(a, b Line) int {
				return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Cite.EventID, b.Cite.EventID))
			})
		}
		r.Areas = append(r.Areas, *ag)
	}
	slices.SortFunc(r.Areas, func(a, b AreaGroup) int { return cmp.Compare(a.Area, b.Area) })

	// Provisions: changes in the period, and where each stands at its end.
	for _, ps := range statuses {
		p := ps.Provision
		if area != nil && !meets(g, p.Places, area) {
			continue
		}
		title := p.Title
		for _, c := range ps.Timeline {
			if c.Date < opt.From || c.Date > opt.To {
				continue
			}
			pc := ProvisionChange{Ref: ps.Ref, Title: title, Date: c.Date, From: c.From.Label(), To: c.To.Label(), Reason: c.Reason}
			for _, e := range c.Evidence {
				pc.Cites = append(pc.Cites, cite(evidenceCite(e)))
			}
			r.Changes = append(r.Changes, pc)
			if c.To == agreement.Disputed {
				r.Disputes = append(r.Disputes, dispute(ps, c, cite))
			}
		}
		r.Provisions = append(r.Provisions, ProvisionLine{Ref: ps.Ref, Title: title, Status: ps.Status.Label(), Since: ps.Since, Deadline: ps.Deadline})
	}

	// Indicators that moved.
	type key struct{ metric, place string }
	latest := map[key][]store.StoredIndicator{}
	var keys []key
	for _, in := range inds {
		if in.AsOf == "" || in.AsOf > opt.To {
			continue
		}
		var at *gazetteer.Place
		k := key{metric: in.Metric}
		if in.Place != nil {
			k.place = in.Place.Canonical
			if in.Place.ID != "" {
				at = g.Get(in.Place.ID)
			}
		}
		if area != nil && (at == nil || !g.Within(at, area)) {
			continue
		}
		if _, ok := latest[k]; !ok {
			keys = append(keys, k)
		}
		latest[k] = append(latest[k], in)
	}
	for _, k := range keys {
		vals := latest[k] // oldest first (as_of, then id)
		cur := vals[len(vals)-1]
		if cur.AsOf < opt.From {
			continue
		}
		m := IndicatorMove{Metric: k.metric, Place: k.place, Value: figure(cur.Indicator), AsOf: cur.AsOf,
			Cite: cite(Citation{ReportID: cur.ReportID, Source: cur.Source, Sentence: cur.Evidence.Text})}
		for i := len(vals) - 2; i >= 0; i-- {
			if vals[i].AsOf < cur.AsOf {
				m.Previous, m.PreviousAsOf = figure(vals[i].Indicator), vals[i].AsOf
				break
			}
		}
		r.Indicators = append(r.Indicators, m)
	}
	slices.SortStableFunc(r.Indicators, func(a, b IndicatorMove) int {
		return cmp.Or(cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Place, b.Place))
	})
	// Indicator citations carry the report's title from the events of the same report.
	titles := map[int64]store.StoredEvent{}
	for _, e := range evs {
		titles[e.ReportID] = e
	}
	for i := range r.Indicators {
		c := &r.Indicators[i].Cite
		if e, ok := titles[c.ReportID]; ok {
			c.Report, c.URL, c.Published = e.ReportTitle, e.ReportURL, e.Published
		}
	}
	r.Reports = len(reports)
	return r, nil
}

func dispute(ps agreement.ProvisionStatus, c agreement.Change, cite func(Citation) Citation) Dispute {
	d := Dispute{Subject: ps.Provision.Title + " (" + ps.Ref + ")", Date: c.Date}
	for _, e := range c.Evidence {
		s := Side{Label: "reported", Who: cmp.Or(e.Speaker, e.Source), Cite: cite(evidenceCite(e))}
		if e.Role == agreement.Disputes {
			s.Label = "denied"
		}
		what := e.Type
		if e.Negated {
			what = "no " + what
		}
		s.Says = fmt.Sprintf("%s by %s at %s", what, cmp.Or(e.Actor, "unnamed"), cmp.Or(e.Place, "an unnamed place"))
		d.Sides = append(d.Sides, s)
	}
	return d
}

func eventCite(e *store.StoredEvent) Citation {
	return Citation{EventID: e.ID, ReportID: e.ReportID, Report: e.ReportTitle, Source: e.Source, URL: e.ReportURL,
		Published: e.Published, Sentence: e.Evidence.Text}
}

func evidenceCite(e agreement.Evidence) Citation {
	return Citation{EventID: e.EventID, ReportID: e.ReportID, Report: e.Report, Source: e.Source, URL: e.URL,
		Published: e.Published, Sentence: e.Sentence}
}

func actorName(a *truce.Actor) string {
	if a.Country == "" {
		return a.Name
	}
	return a.Name + " (" + a.Country + ")"
}

func countryName(g *gazetteer.Gazetteer, code string) string {
	if p := g.Get(code); p != nil {
		return p.Name(gazetteer.Default)
	}
	return code
}

// areaOf names the area an event is reported under: the nearest district,
// province or region that holds its place, else the place itself.
func areaOf(g *gazetteer.Gazetteer, p *gazetteer.Place) (name, id string) {
	if p == nil {
		return "Place not given", ""
	}
	for q := p; q != nil; q = g.Get(q.Parent) {
		switch q.Precision {
		case truce.PrecisionDistrict, truce.PrecisionProvince, truce.PrecisionRegion, truce.PrecisionCountry:
			if q.Kind != "corridor" && q.Kind != "route" && q.Kind != "line" {
				return q.Name(gazetteer.Both), q.ID
			}
		}
		if q.Parent == "" {
			break
		}
	}
	return p.Name(gazetteer.Both), p.ID
}

// meets reports whether any of the places and area overlap.
func meets(g *gazetteer.Gazetteer, ids []string, area *gazetteer.Place) bool {
	for _, id := range ids {
		p := g.Get(id)
		if p != nil && (g.Within(p, area) || g.Within(area, p)) {
			return true
		}
	}
	return false
}

// figure writes an indicator's value: "144 objects", "95-97 %", "more than 2 ha".
func figure(in truce.Indicator) string {
	num := func(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) }
	var s string
	switch {
	case in.Value != nil:
		s = num(in.Value)
	case in.Min != nil && in.Max != nil && *in.Min == *in.Max:
		s = num(in.Min)
	case in.Min != nil && in.Max != nil:
		s = num(in.Min) + "-" + num(in.Max)
	case in.Min != nil:
		s = "more than " + num(in.Min)
	case in.Max != nil:
		s = "up to " + num(in.Max)
	default:
		s = "?"
	}
	if in.Approx {
		s = "about " + s
	}
	return s + " " + in.Unit
}

func period(from, to string) string {
	f := func(s string) string {
		t, _ := time.Parse(truce.DateLayout, s)
		return t.Format("2 January 2006")
	}
	if from == to {
		return f(from)
	}
	return f(from) + " to " + f(to)
}

var funcs = map[string]any{
	"label": func(s string) string { return strings.ReplaceAll(s, "_", " ") },
}

// Render writes the report in format "md" or "html".
func (r *Report) Render(w io.Writer, format string) error {
	switch format {
	case "md", "markdown", "":
		t, err := texttemplate.New("sitrep.md.tmpl").Funcs(funcs).ParseFS(templates, "templates/sitrep.md.tmpl")
		if err != nil {
			return fmt.Errorf("sitrep: template: %w", err)
		}
		if err := t.Execute(w, r); err != nil {
			return fmt.Errorf("sitrep: render markdown: %w", err)
		}
	case "html":
		t, err := htmltemplate.New("sitrep.html.tmpl").Funcs(funcs).ParseFS(templates, "templates/sitrep.html.tmpl")
		if err != nil {
			return fmt.Errorf("sitrep: template: %w", err)
		}
		if err := t.Execute(w, r); err != nil {
			return fmt.Errorf("sitrep: render html: %w", err)
		}
	default:
		return fmt.Errorf("sitrep: format %q: want md or html", format)
	}
	return nil
}
