package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/store"
)

// incidentsPerPage is the length of a page of the incidents list.
const incidentsPerPage = 100

// gradeView is a credibility grade as the pages show it: the grade, its
// Admiralty name and what it means in truce.
type gradeView struct {
	Grade   int
	Name    string // "probably true"
	Meaning string // when truce gives the grade
	Reason  string // why this incident has it (the incident's grounds)
}

// gradeMeanings say when truce gives each grade (docs/fusion.md).
var gradeMeanings = map[int]string{
	fuse.Confirmed:      "at least two independent sources on more than one side, and neither who acted nor whether it happened is disputed",
	fuse.ProbablyTrue:   "two or more independent sources, all on one side or disputed; or one source graded A or B",
	fuse.PossiblyTrue:   "one source graded C; a party's claim about the other side is never better than this",
	fuse.Doubtful:       "one source graded D, or a single source's claim denied by another",
	fuse.Improbable:     "one source graded E, or more sources deny it than assert it",
	fuse.CannotBeJudged: "one source that cannot be judged (graded F, the default), or only denials",
}

func viewGrade(in *store.StoredIncident) gradeView {
	name := fuse.CredibilityNames[in.Credibility]
	if name == "" {
		name = "unknown"
	}
	return gradeView{Grade: in.Credibility, Name: name, Meaning: gradeMeanings[in.Credibility], Reason: in.Grounds}
}

// allGrades lists every grade, for the legend and the filter.
func allGrades() []gradeView {
	out := make([]gradeView, 0, 6)
	for g := fuse.Confirmed; g <= fuse.CannotBeJudged; g++ {
		out = append(out, gradeView{Grade: g, Name: fuse.CredibilityNames[g], Meaning: gradeMeanings[g]})
	}
	return out
}

// rangeText is an incident's date range.
func rangeText(start, end string) string {
	switch {
	case start == "":
		return ""
	case end == "" || end == start:
		return start
	}
	return start + " – " + end
}

// incidentRow is an incident as the list shows it.
type incidentRow struct {
	ID         int64
	Type       string
	Dates      string
	Place      string
	Sources    int // independent sources
	Reports    int // member events, copies included
	Copies     int
	Grade      gradeView
	Disputed   []string // the fields the members disagree on
	PartyClaim bool
	Headline   string // the first original member's sentence
}

func (s *site) incidentRow(in *store.StoredIncident) incidentRow {
	r := incidentRow{ID: in.ID, Type: in.Type, Dates: rangeText(in.Start, in.End), Place: s.placeName(in.Place),
		Sources: len(in.Originators), Reports: len(in.Members), Grade: viewGrade(in), PartyClaim: in.PartyClaim}
	for _, m := range in.Members {
		if m.Copy {
			r.Copies++
		} else if r.Headline == "" {
			r.Headline = oneLine(m.Evidence, 220)
		}
	}
	if r.Headline == "" && len(in.Members) > 0 {
		r.Headline = oneLine(in.Members[0].Evidence, 220)
	}
	for _, c := range in.Conflicts {
		if l := conflictLabel(c.Field); !slices.Contains(r.Disputed, l) {
			r.Disputed = append(r.Disputed, l)
		}
	}
	return r
}

// conflictLabel names a disputed detail in a few words.
func conflictLabel(field string) string {
	switch field {
	case fuse.ConflictCount:
		return "how many"
	case fuse.ConflictDate:
		return "which day"
	case fuse.ConflictPlace:
		return "where"
	case fuse.ConflictActor:
		return "who acted"
	case fuse.ConflictDenied:
		return "whether it happened"
	}
	return field
}

// incidentsData is the data of the incidents list.
type incidentsData struct {
	Rows     []incidentRow
	Types    []string
	Grades   []gradeView
	Type     string
	From, To string
	Disputed bool
	More     string // URL of the next page, or ""
	Offset   int
	Err      string
}

func (s *site) handleIncidents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := incidentsData{Types: truceTypes, Grades: allGrades(), Type: strings.ToUpper(strings.TrimSpace(q.Get(ParamType))),
		From: strings.TrimSpace(q.Get(ParamFrom)), To: strings.TrimSpace(q.Get(ParamTo)), Disputed: q.Get("disputed") != ""}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 && n <= 1_000_000 {
		d.Offset = n
	}
	status := http.StatusOK
	f := store.IncidentFilter{From: d.From, To: d.To, Type: d.Type}
	if d.Type != "" && !slices.Contains(truceTypes, d.Type) {
		d.Err, status = fmt.Sprintf("%q is not a PLOVER event type.", d.Type), http.StatusBadRequest
	} else if err := f.CheckDates(); err != nil {
		d.Err, status = err.Error(), http.StatusBadRequest
	}
	if d.Err == "" {
		l, more, err := s.incidentPage(r.Context(), f, d.Disputed, d.Offset)
		if err != nil {
			if isInvalid(err) {
				d.Err, status = err.Error(), http.StatusBadRequest
			} else {
				s.storeErr(w, r, "The incidents", err)
				return
			}
		}
		for i := range l {
			d.Rows = append(d.Rows, s.incidentRow(&l[i]))
		}
		if more {
			nq := url.Values{}
			for k, v := range map[string]string{ParamType: d.Type, ParamFrom: d.From, ParamTo: d.To} {
				if v != "" {
					nq.Set(k, v)
				}
			}
			if d.Disputed {
				nq.Set("disputed", "1")
			}
			nq.Set("offset", strconv.Itoa(d.Offset+incidentsPerPage))
			d.More = "/incidents?" + nq.Encode()
		}
	}
	s.render(w, r, status, "incidents.html", page{Title: "Incidents", Nav: "incidents", Data: d})
}

// incidentPage reads one page of incidents from offset, only the disputed
// ones when disputed is set, and whether there is a next page.
func (s *site) incidentPage(ctx context.Context, f store.IncidentFilter, disputed bool, offset int) ([]store.StoredIncident, bool, error) {
	if !disputed {
		f.Limit, f.Offset = incidentsPerPage+1, offset
		l, err := s.st.Incidents(ctx, f)
		if err != nil {
			return nil, false, err
		}
		return l[:min(len(l), incidentsPerPage)], len(l) > incidentsPerPage, nil
	}
	// The store does not filter on conflicts: read every match and keep the disputed ones.
	f.NoLimit = true
	all, err := s.st.Incidents(ctx, f)
	if err != nil {
		return nil, false, err
	}
	var kept []store.StoredIncident
	for _, in := range all {
		if len(in.Conflicts) > 0 {
			kept = append(kept, in)
		}
	}
	if offset >= len(kept) {
		return nil, false, nil
	}
	end := min(len(kept), offset+incidentsPerPage)
	return kept[offset:end], end < len(kept), nil
}

// memberView is one member of an incident as its page shows it.
type memberView struct {
	Index       int
	EventID     int64
	Type        string
	Evidence    string
	Date        string
	Place       string
	Outlet      string
	Quoting     string // the originator, when it is not the outlet
	Originator  store.IncidentSource
	ReportID    int64
	ReportTitle string
	Published   string
	Copy        bool
	CopyOf      int64
	PartyClaim  bool
	Swapped     bool
	quantities  []truce.Quantity
}

// tellerView is who gives a version: "Outlet, quoting X", maybe a copy.
type tellerView struct {
	EventID int64
	Outlet  string
	Quoting string
	Copy    bool
}

// versionView is one version of a disputed detail.
type versionView struct {
	Value  string // as the sources put it where possible ("about 80 Azerbaijani soldiers")
	SaidBy []tellerView
}

// conflictView is a disputed detail with its versions side by side.
type conflictView struct {
	Field    string
	Label    string // "how many"
	Heading  string // "How many"
	What     string
	Versions []versionView
}

// incidentData is the data of an incident page.
type incidentData struct {
	Row       incidentRow
	Sources   []store.IncidentSource
	Deniers   []store.IncidentSource
	Members   []memberView
	Conflicts []conflictView
	Grades    []gradeView
}

func (s *site) handleIncident(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "There is no incident "+r.PathValue("id")+".", nil)
		return
	}
	ctx := r.Context()
	in, err := s.st.Incident(ctx, id)
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Incident %d", id), err)
		return
	}
	d := incidentData{Row: s.incidentRow(&in), Sources: in.Originators, Deniers: in.Deniers, Grades: allGrades()}
	for i, m := range in.Members {
		ev, err := s.st.Event(ctx, m.EventID)
		if err != nil {
			s.storeErr(w, r, fmt.Sprintf("Event %d of incident %d", m.EventID, id), err)
			return
		}
		mv := memberView{Index: i, EventID: m.EventID, Type: m.Type, Evidence: strings.Join(strings.Fields(ev.Evidence.Text), " "),
			Date: whenText(ev.Date), Place: s.placeName(ev.Place), Outlet: m.Source, Originator: m.Originator,
			ReportID: m.ReportID, ReportTitle: m.ReportTitle, Published: m.Published, Copy: m.Copy, CopyOf: m.CopyOf,
			PartyClaim: m.PartyClaim, Swapped: m.Swapped, quantities: ev.Quantities}
		if mv.Evidence == "" {
			mv.Evidence = m.Evidence
		}
		if m.Originator.Name != "" && !strings.EqualFold(m.Originator.Name, m.Source) {
			mv.Quoting = m.Originator.Name
		}
		d.Members = append(d.Members, mv)
	}
	for _, c := range in.Conflicts {
		cv := conflictView{Field: c.Field, Label: conflictLabel(c.Field), What: c.What}
		if cv.Heading = cv.Label; cv.Label != "" {
			cv.Heading = strings.ToUpper(cv.Label[:1]) + cv.Label[1:]
		}
		for _, v := range c.Values {
			vv := versionView{Value: versionText(c.Field, v.Value, v.Members, d.Members)}
			for _, mi := range v.Members {
				if mi < 0 || mi >= len(d.Members) {
					continue
				}
				m := d.Members[mi]
				vv.SaidBy = append(vv.SaidBy, tellerView{EventID: m.EventID, Outlet: m.Outlet, Quoting: m.Quoting, Copy: m.Copy})
			}
			cv.Versions = append(cv.Versions, vv)
		}
		d.Conflicts = append(d.Conflicts, cv)
	}
	title := fmt.Sprintf("Incident %d: %s", in.ID, in.Type)
	if d.Row.Place != "" {
		title += " at " + d.Row.Place
	}
	s.render(w, r, http.StatusOK, "incident.html", page{Title: title, Nav: "incidents", Data: d})
}

// versionText puts a version in the words of its sources where it can: a
// count as the quantity its first member gives ("about 80 Azerbaijani
// soldiers"), else the value, "~" read as "about".
func versionText(field, value string, members []int, ms []memberView) string {
	if field == fuse.ConflictCount {
		num := strings.TrimPrefix(value, "~")
		for _, mi := range members {
			if mi < 0 || mi >= len(ms) {
				continue
			}
			for _, q := range ms[mi].quantities {
				if q.Value != nil && strconv.FormatFloat(*q.Value, 'f', -1, 64) == num && q.Text != "" {
					return strings.Join(strings.Fields(q.Text), " ")
				}
			}
		}
	}
	if rest, ok := strings.CutPrefix(value, "~"); ok {
		return "about " + rest
	}
	return value
}

// incidentRef is what an event page says of the event's incident.
type incidentRef struct {
	ID      int64
	Sources int // independent sources
	Reports int // member events
	Grade   gradeView
}

// incidentOf returns the incident of a stored event, or nil when it is in none.
func (s *site) incidentOf(ctx context.Context, eventID int64) (*incidentRef, error) {
	in, err := s.st.IncidentOfEvent(ctx, eventID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &incidentRef{ID: in.ID, Sources: len(in.Originators), Reports: len(in.Members), Grade: viewGrade(&in)}, nil
}

func init() {
	funcs["plural"] = func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	}
}

// parseIncidentPages parses the incident pages into s.pages, each with the
// layout and the parts they share (the grade badge and legend).
func (s *site) parseIncidentPages() error {
	for _, p := range []string{"incidents.html", "incident.html"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/incident_parts.html", "templates/"+p)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", p, err)
		}
		s.pages[p] = t
	}
	return nil
}

// incidentRoutes registers the incident pages.
func (s *site) incidentRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /incidents", s.handleIncidents)
	mux.HandleFunc("GET /incidents/{id}", s.handleIncident)
}
