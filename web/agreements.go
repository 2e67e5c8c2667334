package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/sitrep"
)

// statusView is a provision status as a badge shows it: its word, a class for
// its colour and a symbol, so that colour is never the only cue.
type statusView struct {
	Status agreement.Status
	Label  string
	Symbol string
}

// symbols are the status badges' symbols (read as the label by screen readers).
var symbols = map[agreement.Status]string{
	agreement.NotStarted:  "○",
	agreement.InProgress:  "◐",
	agreement.Implemented: "✓",
	agreement.Overdue:     "!",
	agreement.Violated:    "✕",
	agreement.Disputed:    "?",
}

func viewStatus(s agreement.Status) statusView {
	return statusView{Status: s, Label: s.Label(), Symbol: symbols[s]}
}

// deadlineStep is one date of a deadline's history.
type deadlineStep struct {
	Date    string // YYYY-MM-DD
	Text    string // "25 Nov 2020", or "25 Nov" when the next step is in the same year
	InForce bool   // the deadline in force on the day shown
	Later   bool   // agreed after the day shown
	Agreed  string
	By      string
	Note    string
}

// deadlineView is a deadline with its history: "15 Nov → 25 Nov 2020".
type deadlineView struct {
	Steps   []deadlineStep
	InForce string
	// Title sums up the amendments, for a tooltip.
	Title string
}

func viewDeadline(d *agreement.Deadline, asOf string) *deadlineView {
	if d == nil {
		return nil
	}
	v := &deadlineView{InForce: d.At(asOf)}
	v.Steps = append(v.Steps, deadlineStep{Date: d.Date})
	var title []string
	for _, am := range d.Amendments {
		v.Steps = append(v.Steps, deadlineStep{Date: am.Date, Agreed: am.Agreed, By: am.By, Note: am.Note, Later: am.Agreed > asOf})
		title = append(title, fmt.Sprintf("moved to %s on %s by %s", longDate(am.Date), longDate(am.Agreed), am.By))
	}
	v.Title = strings.Join(title, "; ")
	inForce := -1
	for i, st := range v.Steps {
		if st.Date == v.InForce && !st.Later {
			inForce = i
		}
	}
	for i := range v.Steps {
		v.Steps[i].InForce = i == inForce
		if i+1 < len(v.Steps) && year(v.Steps[i].Date) == year(v.Steps[i+1].Date) {
			v.Steps[i].Text = shortDate(v.Steps[i].Date)
		} else {
			v.Steps[i].Text = longDate(v.Steps[i].Date)
		}
	}
	return v
}

func year(d string) string { return d[:min(4, len(d))] }

// longDate writes YYYY-MM-DD as "25 Nov 2020"; anything else is returned as is.
func longDate(d string) string {
	t, err := time.Parse(truce.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}

// shortDate writes YYYY-MM-DD as "25 Nov".
func shortDate(d string) string {
	t, err := time.Parse(truce.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan")
}

// evidenceView is an event bearing on a provision, as the pages show it.
type evidenceView struct {
	agreement.Evidence
	Excerpt string
	Place   string
	Link    string // the event page, at the evidence
}

func (s *site) viewEvidence(e agreement.Evidence) evidenceView {
	v := evidenceView{Evidence: e, Excerpt: oneLine(unquote(e.Sentence), 180), Link: fmt.Sprintf("/events/%d#evidence", e.EventID)}
	v.Place = e.Place
	if s.opt.PlaceName != nil && (e.PlaceID != "" || e.Place != "") {
		v.Place = s.opt.PlaceName(e.PlaceID, e.Place)
	}
	return v
}

// provisionPage is the path of a provision's page.
func provisionPage(ref string) string {
	a, p, _ := strings.Cut(ref, "/")
	return "/provisions/" + url.PathEscape(a) + "/" + url.PathEscape(p)
}

// boardRow is one provision on an agreement board.
type boardRow struct {
	Ref, ID, Title, Category string
	Status                   statusView
	Since                    string
	Effective                string
	Deadline                 *deadlineView
	Last                     *evidenceView
	Count                    int
	Page                     string
}

// countView is the number of provisions in one status.
type countView struct {
	Status statusView
	N      int
}

// agreementView is an agreement with its provisions' statuses.
type agreementView struct {
	A       *agreement.Agreement
	Dates   string // each side's date when they differ
	Counts  []countView
	Rows    []boardRow
	Page    string
	Parties string
}

func (s *site) viewAgreement(b agreement.AgreementBoard) agreementView {
	a := b.Agreement
	v := agreementView{A: a, Page: "/agreements/" + url.PathEscape(a.ID), Parties: strings.Join(a.Parties, ", ")}
	var diff []string
	for _, c := range a.Parties {
		if d, ok := a.Dates[c]; ok && d != a.Date {
			diff = append(diff, c+" "+longDate(d))
		}
	}
	v.Dates = strings.Join(diff, ", ")
	for _, st := range agreement.Statuses {
		if n := b.Counts[st]; n > 0 {
			v.Counts = append(v.Counts, countView{viewStatus(st), n})
		}
	}
	for _, ps := range b.Provisions {
		p := ps.Provision
		r := boardRow{Ref: ps.Ref, ID: p.ID, Title: p.Title, Category: p.Category, Status: viewStatus(ps.Status), Since: ps.Since,
			Effective: p.Effective, Deadline: viewDeadline(p.Deadline, b.AsOf), Count: len(ps.Evidence), Page: provisionPage(ps.Ref)}
		if n := len(ps.Evidence); n > 0 {
			e := s.viewEvidence(ps.Evidence[n-1])
			r.Last = &e
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// asOfParam reads ?as_of=, defaulting to today (UTC); bad is the raw value when it is not a date.
func asOfParam(r *http.Request) (day, bad string) {
	today := time.Now().UTC().Format(truce.DateLayout)
	v := strings.TrimSpace(r.URL.Query().Get("as_of"))
	if v == "" {
		return today, ""
	}
	if _, err := time.Parse(truce.DateLayout, v); err != nil {
		return today, v
	}
	return v, ""
}

// boards evaluates every provision against the record as of day.
func (s *site) boards(r *http.Request, day string) ([]agreement.AgreementBoard, error) {
	sts, err := agreement.EvaluateStore(r.Context(), s.st, s.agreements, s.opt.Gazetteer, day)
	if err != nil {
		return nil, err
	}
	return agreement.Board(s.agreements, sts, day), nil
}

// agreementsData is the data of the agreement list.
type agreementsData struct {
	AsOf       string
	BadAsOf    string
	Agreements []agreementView
	Statuses   []statusView
}

// allStatuses is the status scale as badges, for legends.
func allStatuses() []statusView {
	out := make([]statusView, 0, len(agreement.Statuses))
	for _, st := range agreement.Statuses {
		out = append(out, viewStatus(st))
	}
	return out
}

func (s *site) handleAgreements(w http.ResponseWriter, r *http.Request) {
	day, bad := asOfParam(r)
	bs, err := s.boards(r, day)
	if err != nil {
		s.storeErr(w, r, "The record", err)
		return
	}
	d := agreementsData{AsOf: day, BadAsOf: bad, Statuses: allStatuses()}
	for _, b := range bs {
		d.Agreements = append(d.Agreements, s.viewAgreement(b))
	}
	status := http.StatusOK
	if bad != "" {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "agreements.html", page{Title: "Agreements", Nav: "agreements", Data: d})
}

// boardData is the data of an agreement board.
type boardData struct {
	AsOf     string
	BadAsOf  string
	Today    string
	Board    agreementView
	Statuses []statusView
}

func (s *site) handleBoard(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a := s.agreements.Get(id)
	if a == nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no agreement %q.", id), nil)
		return
	}
	day, bad := asOfParam(r)
	bs, err := s.boards(r, day)
	if err != nil {
		s.storeErr(w, r, "The record", err)
		return
	}
	d := boardData{AsOf: day, BadAsOf: bad, Today: time.Now().UTC().Format(truce.DateLayout), Statuses: allStatuses()}
	for _, b := range bs {
		if b.Agreement == a {
			d.Board = s.viewAgreement(b)
		}
	}
	status := http.StatusOK
	if bad != "" {
		status = http.StatusBadRequest
	}
	title := a.Short
	if title == "" {
		title = a.ID
	}
	s.render(w, r, status, "board.html", page{Title: title, Nav: "agreements", Data: d})
}

// placeView is a gazetteer place a provision names.
type placeView struct{ ID, Name string }

func (s *site) viewPlaces(ids []string) []placeView {
	var out []placeView
	for _, id := range ids {
		name := s.opt.Gazetteer.Get(id).Name(gazetteer.Both)
		if name == "" {
			name = id
		}
		if s.opt.PlaceName != nil {
			name = s.opt.PlaceName(id, name)
		}
		out = append(out, placeView{id, name})
	}
	return out
}

// changeView is one step of a provision's timeline.
type changeView struct {
	agreement.Change
	FromV, ToV statusView
	Evidence   []evidenceView
}

// provisionData is the data of a provision page.
type provisionData struct {
	AsOf      string
	BadAsOf   string
	Agreement agreementView
	P         *agreement.Provision
	Ref       string
	Status    statusView
	Since     string
	Places    []placeView
	Except    []placeView
	Deadline  *deadlineView
	Timeline  []changeView
	Evidence  []evidenceView
	Category  string
}

func (s *site) handleProvision(w http.ResponseWriter, r *http.Request) {
	aid, pid := r.PathValue("agreement"), r.PathValue("provision")
	a := s.agreements.Get(aid)
	if a == nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("There is no agreement %q.", aid), nil)
		return
	}
	p := a.Provision(pid)
	if p == nil {
		s.fail(w, r, http.StatusNotFound, fmt.Sprintf("Agreement %s has no provision %q.", aid, pid), nil)
		return
	}
	day, bad := asOfParam(r)
	bs, err := s.boards(r, day)
	if err != nil {
		s.storeErr(w, r, "The record", err)
		return
	}
	var b agreement.AgreementBoard
	for _, x := range bs {
		if x.Agreement == a {
			b = x
		}
	}
	ps, ok := agreement.Find(b.Provisions, p.Ref())
	if !ok {
		s.fail(w, r, http.StatusInternalServerError, "The provision could not be evaluated.", fmt.Errorf("provision %s not evaluated", p.Ref()))
		return
	}
	d := provisionData{AsOf: day, BadAsOf: bad, Agreement: agreementView{A: a, Page: "/agreements/" + url.PathEscape(a.ID)}, P: p, Ref: ps.Ref,
		Status: viewStatus(ps.Status), Since: ps.Since, Places: s.viewPlaces(p.Places), Except: s.viewPlaces(p.Except),
		Deadline: viewDeadline(p.Deadline, day), Category: agreement.Categories[p.Category]}
	// The timeline reads newest first, as a monitor reads it.
	for i := len(ps.Timeline) - 1; i >= 0; i-- {
		c := ps.Timeline[i]
		cv := changeView{Change: c, FromV: viewStatus(c.From), ToV: viewStatus(c.To)}
		for _, e := range c.Evidence {
			ev := s.viewEvidence(e)
			if ev.Note == c.Reason {
				ev.Note = "" // the change's reason says it already
			}
			cv.Evidence = append(cv.Evidence, ev)
		}
		d.Timeline = append(d.Timeline, cv)
	}
	for i := len(ps.Evidence) - 1; i >= 0; i-- {
		d.Evidence = append(d.Evidence, s.viewEvidence(ps.Evidence[i]))
	}
	status := http.StatusOK
	if bad != "" {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, "provision.html", page{Title: ps.Ref + " " + p.Title, Nav: "agreements", Data: d})
}

// sitrepData is the data of the situation report page.
type sitrepData struct {
	From, To, Area string
	Areas          []placeView
	Report         *sitrep.Report
	Err            string
	Query          string // the report's query, for the downloads
}

// maxSitrepDays caps the days one situation report may cover.
const maxSitrepDays = 366

// sitrepAreas are the places a report may be limited to: the agreements'
// areas and the places of their provisions, by name.
func (s *site) sitrepAreas() []placeView {
	seen := map[string]bool{}
	var ids []string
	add := func(xs []string) {
		for _, id := range xs {
			if !seen[id] && s.opt.Gazetteer.Get(id) != nil {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	for _, a := range s.agreements.Agreements {
		add(a.Area)
		for _, p := range a.Provisions {
			add(p.Places)
		}
	}
	out := s.viewPlaces(ids)
	slices.SortFunc(out, func(a, b placeView) int { return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}

func (s *site) handleSitrep(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := sitrepData{From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")), Area: strings.TrimSpace(q.Get("area")), Areas: s.sitrepAreas()}
	status := http.StatusOK
	if d.From != "" || d.To != "" {
		if d.To == "" {
			d.To = d.From
		}
		if d.From == "" {
			d.From = d.To
		}
		f, err1 := time.Parse(truce.DateLayout, d.From)
		t, err2 := time.Parse(truce.DateLayout, d.To)
		switch {
		case err1 != nil:
			d.Err = fmt.Sprintf("From: %q is not a YYYY-MM-DD date.", d.From)
		case err2 != nil:
			d.Err = fmt.Sprintf("To: %q is not a YYYY-MM-DD date.", d.To)
		case t.Before(f):
			d.Err = "To is before From."
		case t.Sub(f).Hours()/24+1 > maxSitrepDays:
			d.Err = fmt.Sprintf("A report covers at most %d days.", maxSitrepDays)
		case d.Area != "" && s.opt.Gazetteer.Get(d.Area) == nil:
			d.Err = fmt.Sprintf("Area: %q is not a known place.", d.Area)
		}
		if d.Err != "" {
			status = http.StatusBadRequest
		} else {
			rep, err := sitrep.Build(r.Context(), s.st, sitrep.Options{From: d.From, To: d.To, Area: d.Area, Agreements: s.agreements, Gazetteer: s.opt.Gazetteer})
			if err != nil {
				s.storeErr(w, r, "The record", err)
				return
			}
			d.Report = rep
			qq := url.Values{"from": {d.From}, "to": {d.To}}
			if d.Area != "" {
				qq.Set("area", d.Area)
			}
			d.Query = qq.Encode()
		}
	}
	title := "Situation report"
	if d.Report != nil {
		title = d.Report.Title
	}
	s.render(w, r, status, "sitrep.html", page{Title: title, Nav: "sitrep", Data: d})
}

// atBorder reports whether a sitrep note says an event happened at a border.
func atBorder(note string) bool { return strings.HasPrefix(note, "at the border") }

// noteRole is the class of a sitrep note: implements, progress, violates, disputes or border.
func noteRole(note string) string {
	if atBorder(note) {
		return "border"
	}
	role, _, _ := strings.Cut(note, " ")
	switch role {
	case "implements", "progress", "violates", "disputes":
		return role
	}
	return "other"
}

// noteRef returns the provision a sitrep note names ("implements
// nk-2020-11-10/6a"), or "".
func noteRef(note string) string {
	if r := noteRole(note); r == "border" || r == "other" {
		return ""
	}
	_, ref, _ := strings.Cut(note, " ")
	if strings.Count(ref, "/") != 1 || strings.ContainsAny(ref, " \t") {
		return ""
	}
	return ref
}

// roleLabel is how an event bears on a provision, in words.
func roleLabel(r agreement.Role) string {
	switch r {
	case agreement.Implements:
		return "implements"
	case agreement.Progress:
		return "step towards"
	case agreement.Violates:
		return "violates"
	case agreement.Disputes:
		return "disputes a violation"
	}
	return string(r)
}

// unquote drops the quotation marks around a sentence that is all one
// quotation, so that the page's own quotation marks do not double them.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' && strings.Count(s, `"`) == 2 {
		return s[1 : len(s)-1]
	}
	return s
}
