package server

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// eventsResponse is one page of /api/events.
type eventsResponse struct {
	Events []store.StoredEvent `json:"events"`
	// Next is the cursor of the next page (the "after" parameter), "" on the last page.
	Next string `json:"next"`
}

// normalize gives an event's list fields [] instead of null.
func normalize(ev *store.StoredEvent) {
	if ev.Contexts == nil {
		ev.Contexts = []string{}
	}
	if ev.Quantities == nil {
		ev.Quantities = []truce.Quantity{}
	}
}

// storeFail maps the store's ErrInvalid on an event query to the parameter at fault.
func storeFail(f store.EventFilter, err error) error {
	if errors.Is(err, store.ErrInvalid) && f.After != "" {
		return badParam("after", "not a cursor returned by this API (use the \"next\" value of a previous page)")
	}
	return err
}

func (a *api) events(w http.ResponseWriter, r *http.Request) error {
	f, err := eventFilter(r, true)
	if err != nil {
		return err
	}
	page, err := a.st.Events(r.Context(), f)
	if err != nil {
		return storeFail(f, fmt.Errorf("events: %w", err))
	}
	out := eventsResponse{Events: page.Events, Next: page.Next}
	if out.Events == nil {
		out.Events = []store.StoredEvent{}
	}
	for i := range out.Events {
		normalize(&out.Events[i])
	}
	return writeJSON(w, http.StatusOK, out)
}

// reportText is the report of an event, with its text.
type reportText struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Text      string `json:"text"`
}

// evidenceContext is the evidence with the text around it, cut at rune boundaries.
type evidenceContext struct {
	Before   string `json:"before"`
	Evidence string `json:"evidence"`
	After    string `json:"after"`
}

// eventResponse is /api/events/{id}.
type eventResponse struct {
	Event  store.StoredEvent `json:"event"`
	Report reportText        `json:"report"`
	// Context is the evidence span cut from the report text with up to 300 bytes
	// on each side; null when the span does not fit the text.
	Context *evidenceContext `json:"context"`
	// IncidentID is the incident the event is part of (/api/incidents/{id}); absent when none.
	IncidentID int64 `json:"incident_id,omitempty"`
}

const contextBytes = 300

func (a *api) event(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	ev, err := a.st.Event(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("event %d not found", id)
	}
	if err != nil {
		return fmt.Errorf("event %d: %w", id, err)
	}
	rep, err := a.st.Report(r.Context(), ev.ReportID)
	if err != nil {
		return fmt.Errorf("event %d: report %d: %w", id, ev.ReportID, err)
	}
	normalize(&ev)
	out := eventResponse{Event: ev, Report: reportText{ID: rep.ID, Title: rep.Title, Source: rep.Source, URL: rep.URL,
		Published: rep.Published, Language: rep.Language, Text: rep.Text}}
	out.Context = cutContext(rep.Text, ev.Evidence.Start, ev.Evidence.End)
	if out.IncidentID, err = a.incidentOfEvent(r.Context(), id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// cutContext returns text[start:end] with its surroundings, or nil when the span is out of range.
func cutContext(text string, start, end int) *evidenceContext {
	if start < 0 || end < start || end > len(text) {
		return nil
	}
	lo := max(0, start-contextBytes)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo++
	}
	hi := min(len(text), end+contextBytes)
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi--
	}
	return &evidenceContext{Before: text[lo:start], Evidence: text[start:end], After: text[end:hi]}
}

// timelineResponse is /api/timeline.
type timelineResponse struct {
	// Days lists the days with at least one dated event, oldest first.
	Days []store.DayCount `json:"days"`
	// Total is the sum of the counts (undated events are not counted).
	Total int `json:"total"`
}

func (a *api) timeline(w http.ResponseWriter, r *http.Request) error {
	f, err := eventFilter(r, false)
	if err != nil {
		return err
	}
	days, err := a.st.EventsPerDay(r.Context(), f)
	if err != nil {
		return storeFail(f, fmt.Errorf("timeline: %w", err))
	}
	out := timelineResponse{Days: days}
	if out.Days == nil {
		out.Days = []store.DayCount{}
	}
	for _, d := range days {
		out.Total += d.Count
	}
	return writeJSON(w, http.StatusOK, out)
}

// reportsResponse is /api/reports.
type reportsResponse struct {
	Reports []store.StoredReport `json:"reports"`
	// NextOffset is the offset of the next page, or 0 when this page was not full.
	NextOffset int `json:"next_offset,omitempty"`
}

func (a *api) reports(w http.ResponseWriter, r *http.Request) error {
	q := queryOf(r)
	var f store.ReportFilter
	var err error
	if f.Source, err = q.text("source", maxText); err != nil {
		return err
	}
	if f.Limit, err = q.intIn("limit", 1, maxLimit, defaultLimit); err != nil {
		return err
	}
	if f.Offset, err = q.intIn("offset", 0, maxOffset, 0); err != nil {
		return err
	}
	reps, err := a.st.Reports(r.Context(), f)
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	out := reportsResponse{Reports: reps}
	if out.Reports == nil {
		out.Reports = []store.StoredReport{}
	}
	for i := range out.Reports {
		out.Reports[i].Text = ""
	}
	if len(reps) == f.Limit {
		out.NextOffset = f.Offset + f.Limit
	}
	return writeJSON(w, http.StatusOK, out)
}

// reportResponse is /api/reports/{id}.
type reportResponse struct {
	Report    store.StoredReport  `json:"report"`
	Claims    []store.StoredClaim `json:"claims"`
	Events    []store.StoredEvent `json:"events"`
	Truncated bool                `json:"truncated,omitempty"`
}

// maxReportEvents caps the events listed with one report.
const maxReportEvents = 10_000

func (a *api) report(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	rep, err := a.st.Report(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("report %d not found", id)
	}
	if err != nil {
		return fmt.Errorf("report %d: %w", id, err)
	}
	claims, err := a.st.Claims(r.Context(), id)
	if err != nil {
		return fmt.Errorf("report %d: claims: %w", id, err)
	}
	out := reportResponse{Report: rep, Claims: claims, Events: []store.StoredEvent{}}
	if out.Claims == nil {
		out.Claims = []store.StoredClaim{}
	}
	f := store.EventFilter{ReportID: id, Limit: maxLimit}
	for {
		page, err := a.st.Events(r.Context(), f)
		if err != nil {
			return fmt.Errorf("report %d: events: %w", id, err)
		}
		out.Events = append(out.Events, page.Events...)
		if page.Next == "" {
			break
		}
		if len(out.Events) >= maxReportEvents {
			out.Truncated = true
			break
		}
		f.After = page.Next
	}
	for i := range out.Events {
		normalize(&out.Events[i])
	}
	return writeJSON(w, http.StatusOK, out)
}

// indicatorsResponse is /api/indicators.
type indicatorsResponse struct {
	Indicators []store.StoredIndicator `json:"indicators"`
}

func (a *api) indicators(w http.ResponseWriter, r *http.Request) error {
	q := queryOf(r)
	var f store.IndicatorFilter
	var err error
	m, err := q.one("metric")
	if err != nil {
		return err
	}
	if m != "" && (len(m) > 100 || !metricRE.MatchString(m)) {
		return badParam("metric", "want a dotted metric name such as demining.area_cleared, got %q", show(m))
	}
	f.Metric = m
	if f.Place, err = q.text("place", maxText); err != nil {
		return err
	}
	if f.From, f.To, err = q.dateRange(); err != nil {
		return err
	}
	ins, err := a.st.Indicators(r.Context(), f)
	if err != nil {
		return fmt.Errorf("indicators: %w", err)
	}
	if ins == nil {
		ins = []store.StoredIndicator{}
	}
	return writeJSON(w, http.StatusOK, indicatorsResponse{ins})
}

func (a *api) places(w http.ResponseWriter, r *http.Request) error {
	ps, err := a.st.Places(r.Context())
	if err != nil {
		return fmt.Errorf("places: %w", err)
	}
	if ps == nil {
		ps = []store.PlaceCount{}
	}
	return writeJSON(w, http.StatusOK, struct {
		Places []store.PlaceCount `json:"places"`
	}{ps})
}

func (a *api) sources(w http.ResponseWriter, r *http.Request) error {
	ss, err := a.st.Sources(r.Context())
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	if ss == nil {
		ss = []store.SourceCount{}
	}
	return writeJSON(w, http.StatusOK, struct {
		Sources []store.SourceCount `json:"sources"`
	}{ss})
}

func (a *api) stats(w http.ResponseWriter, r *http.Request) error {
	st, err := a.st.Stats(r.Context())
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return writeJSON(w, http.StatusOK, st)
}

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(openAPIDoc)
	return nil
}
