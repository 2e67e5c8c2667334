package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

// incidentParams are the query parameters of /api/incidents.
var incidentParams = []string{"from", "to", "type", "place", "credibility", "party_claim", "conflicts", "limit", "offset"}

// credibilityJSON is an incident's Admiralty information credibility.
type credibilityJSON struct {
	Grade   int    `json:"grade"`   // 1 (confirmed) … 6 (cannot be judged)
	Meaning string `json:"meaning"` // the Admiralty name of the grade
	Reason  string `json:"reason"`  // which rule gave the grade, and the sources it rests on
}

func credibilityOf(in *store.StoredIncident) credibilityJSON {
	return credibilityJSON{Grade: in.Credibility, Meaning: fuse.CredibilityNames[in.Credibility], Reason: in.Grounds}
}

// incidentSummary is one incident of /api/incidents.
type incidentSummary struct {
	ID          int64           `json:"id"`
	Type        string          `json:"type"`
	Start       string          `json:"start"`
	End         string          `json:"end"`
	Place       *truce.Place    `json:"place"`
	Credibility credibilityJSON `json:"credibility"`
	PartyClaim  bool            `json:"party_claim"`
	// Sources counts the independent sources asserting it (copies and
	// outlets quoting the same originator count once).
	Sources int `json:"sources"`
	Deniers int `json:"deniers"`
	// Members counts its events, Copies those from copies of another report.
	Members int `json:"members"`
	Copies  int `json:"copies"`
	// Disputed is true when the members disagree on a detail; Conflicts names the fields.
	Disputed  bool     `json:"disputed"`
	Conflicts []string `json:"conflicts"`
}

func summarize(in *store.StoredIncident) incidentSummary {
	s := incidentSummary{ID: in.ID, Type: in.Type, Start: in.Start, End: in.End, Place: in.Place,
		Credibility: credibilityOf(in), PartyClaim: in.PartyClaim, Sources: len(in.Originators), Deniers: len(in.Deniers),
		Members: len(in.Members), Disputed: len(in.Conflicts) > 0, Conflicts: []string{}}
	for _, m := range in.Members {
		if m.Copy {
			s.Copies++
		}
	}
	for _, c := range in.Conflicts {
		if !slices.Contains(s.Conflicts, c.Field) {
			s.Conflicts = append(s.Conflicts, c.Field)
		}
	}
	return s
}

// incidentsResponse is one page of /api/incidents.
type incidentsResponse struct {
	Incidents []incidentSummary `json:"incidents"`
	// NextOffset is the offset of the next page, or 0 on the last page.
	NextOffset int `json:"next_offset,omitempty"`
}

// incidentPost holds the filters of /api/incidents the store does not apply.
type incidentPost struct {
	place          string
	maxCredibility int // 0: any
	partyClaim     *bool
	conflicts      *bool
}

func (p incidentPost) active() bool {
	return p.place != "" || p.maxCredibility != 0 || p.partyClaim != nil || p.conflicts != nil
}

// boolParam reads true/false (also 1/0); nil when absent.
func (q query) boolParam(name string) (*bool, error) {
	v, err := q.one(name)
	if err != nil || v == "" {
		return nil, err
	}
	var b bool
	switch strings.ToLower(v) {
	case "true", "1":
		b = true
	case "false", "0":
	default:
		return nil, badParam(name, "want true or false, got %q", show(v))
	}
	return &b, nil
}

// incidentFilter reads the parameters of /api/incidents.
func incidentFilter(r *http.Request) (store.IncidentFilter, incidentPost, error) {
	q := queryOf(r)
	var f store.IncidentFilter
	var p incidentPost
	var err error
	if f.From, f.To, err = q.dateRange(); err != nil {
		return f, p, err
	}
	t, err := q.one("type")
	if err != nil {
		return f, p, err
	}
	if t != "" {
		if f.Type = strings.ToUpper(strings.TrimSpace(t)); !slices.Contains(PloverTypes, f.Type) {
			return f, p, badParam("type", "%q is not a PLOVER event type; want one of %s", show(t), strings.Join(PloverTypes, ", "))
		}
	}
	if p.place, err = q.text("place", maxText); err != nil {
		return f, p, err
	}
	if p.maxCredibility, err = q.intIn("credibility", fuse.Confirmed, fuse.CannotBeJudged, 0); err != nil {
		return f, p, err
	}
	if p.partyClaim, err = q.boolParam("party_claim"); err != nil {
		return f, p, err
	}
	if p.conflicts, err = q.boolParam("conflicts"); err != nil {
		return f, p, err
	}
	if f.Limit, err = q.intIn("limit", 1, maxLimit, defaultLimit); err != nil {
		return f, p, err
	}
	if f.Offset, err = q.intIn("offset", 0, maxOffset, 0); err != nil {
		return f, p, err
	}
	return f, p, nil
}

// placeMatch reports whether an incident's place is the place named by want
// (id or a name, case-insensitively) or lies inside it in the gazetteer.
func placeMatch(gaz *gazetteer.Gazetteer, pl *truce.Place, want string) bool {
	if pl == nil {
		return false
	}
	if strings.EqualFold(pl.ID, want) || strings.EqualFold(pl.Name, want) || strings.EqualFold(pl.Canonical, want) {
		return true
	}
	for _, part := range strings.Split(pl.Canonical, "/") {
		if strings.EqualFold(strings.TrimSpace(part), want) {
			return true
		}
	}
	if gaz == nil || pl.ID == "" {
		return false
	}
	p := gaz.Get(pl.ID)
	if p == nil {
		return false
	}
	areas := gaz.Exact(want)
	if a := gaz.Get(want); a != nil {
		areas = append(areas, a)
	}
	for _, a := range areas {
		if gaz.Within(p, a) {
			return true
		}
	}
	return false
}

func (p incidentPost) keep(gaz *gazetteer.Gazetteer, in *store.StoredIncident) bool {
	switch {
	case p.maxCredibility != 0 && in.Credibility > p.maxCredibility:
		return false
	case p.partyClaim != nil && in.PartyClaim != *p.partyClaim:
		return false
	case p.conflicts != nil && (len(in.Conflicts) > 0) != *p.conflicts:
		return false
	case p.place != "" && !placeMatch(gaz, in.Place, p.place):
		return false
	}
	return true
}

// listIncidents returns one page of the incidents matching f and p, in the
// store's order (start date, then id), and the offset of the next page (0 on
// the last). The filters the store does not know are applied here, over every
// incident matching the store's filters.
func listIncidents(ctx context.Context, st store.Store, gaz *gazetteer.Gazetteer, f store.IncidentFilter, p incidentPost) ([]store.StoredIncident, int, error) {
	limit, offset := f.Limit, f.Offset
	if !p.active() {
		if limit < maxLimit {
			f.Limit = limit + 1 // one more tells whether there is a next page
		}
		l, err := st.Incidents(ctx, f)
		if err != nil {
			return nil, 0, err
		}
		next := 0
		if len(l) > limit || (len(l) == limit && limit == maxLimit) {
			next = offset + limit
		}
		return l[:min(len(l), limit)], next, nil
	}
	f.Limit, f.Offset, f.NoLimit = 0, 0, true
	all, err := st.Incidents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var kept []store.StoredIncident
	for i := range all {
		if p.keep(gaz, &all[i]) {
			kept = append(kept, all[i])
		}
	}
	if offset >= len(kept) {
		return nil, 0, nil
	}
	end := min(len(kept), offset+limit)
	next := 0
	if end < len(kept) {
		next = end
	}
	return kept[offset:end], next, nil
}

func (a *api) incidents(w http.ResponseWriter, r *http.Request) error {
	f, p, err := incidentFilter(r)
	if err != nil {
		return err
	}
	l, next, err := listIncidents(r.Context(), a.st, a.gaz, f, p)
	if err != nil {
		return fmt.Errorf("incidents: %w", err)
	}
	out := incidentsResponse{Incidents: make([]incidentSummary, 0, len(l)), NextOffset: next}
	for i := range l {
		out.Incidents = append(out.Incidents, summarize(&l[i]))
	}
	return writeJSON(w, http.StatusOK, out)
}

// incidentReport is the report of an incident's member.
type incidentReport struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

// incidentMember is one event of /api/incidents/{id}.
type incidentMember struct {
	Index    int          `json:"index"` // position in the incident; conflict versions name members by it
	EventID  int64        `json:"event_id"`
	Seq      int          `json:"seq"` // index of the event in its report
	Type     string       `json:"type"`
	Evidence truce.Span   `json:"evidence"`
	Date     *truce.When  `json:"date"`
	Place    *truce.Place `json:"place"`
	// Quantities are the event's numbers (counts the versions of a count conflict come from).
	Quantities []truce.Quantity `json:"quantities"`
	Report     incidentReport   `json:"report"`
	// Originator is who the claim comes from: the quoted speaker, else the outlet.
	Originator store.IncidentSource `json:"originator"`
	// Copy is true when the report is a syndicated or edited copy of report
	// CopyOf: kept, but not counted as a source.
	Copy       bool    `json:"copy"`
	CopyOf     int64   `json:"copy_of,omitempty"`
	PartyClaim bool    `json:"party_claim"`
	Swapped    bool    `json:"swapped,omitempty"`
	Score      float64 `json:"score"`
}

// incidentTeller is who gives one version of a disputed detail: a member's
// outlet, the source it quotes, and whether its report is a copy.
type incidentTeller struct {
	Member  int    `json:"member"`
	EventID int64  `json:"event_id"`
	Outlet  string `json:"outlet"`
	Quoting string `json:"quoting,omitempty"` // the originator, when it is not the outlet
	Copy    bool   `json:"copy"`
}

// incidentVersion is one value of a disputed detail.
type incidentVersion struct {
	Value   string           `json:"value"`
	Sources []string         `json:"sources"` // the originators that give it
	Members []int            `json:"members"` // indexes into members
	SaidBy  []incidentTeller `json:"said_by"`
}

// incidentConflict is a detail the members disagree on, every version kept.
type incidentConflict struct {
	Field    string            `json:"field"` // count, date, place, actor, denied
	What     string            `json:"what,omitempty"`
	Versions []incidentVersion `json:"versions"`
}

// incidentResponse is /api/incidents/{id}.
type incidentResponse struct {
	ID          int64           `json:"id"`
	Type        string          `json:"type"`
	Start       string          `json:"start"`
	End         string          `json:"end"`
	Place       *truce.Place    `json:"place"`
	Credibility credibilityJSON `json:"credibility"`
	PartyClaim  bool            `json:"party_claim"`
	// Sources are the independent sources asserting it; Deniers those denying it.
	Sources   []store.IncidentSource `json:"sources"`
	Deniers   []store.IncidentSource `json:"deniers"`
	Members   []incidentMember       `json:"members"`
	Conflicts []incidentConflict     `json:"conflicts"`
}

// teller describes who tells member m.
func teller(i int, m store.IncidentMember) incidentTeller {
	t := incidentTeller{Member: i, EventID: m.EventID, Outlet: m.Source, Copy: m.Copy}
	if m.Originator.Name != "" && !strings.EqualFold(m.Originator.Name, m.Source) {
		t.Quoting = m.Originator.Name
	}
	return t
}

func (a *api) incident(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	in, err := a.st.Incident(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("incident %d not found", id)
	}
	if err != nil {
		return fmt.Errorf("incident %d: %w", id, err)
	}
	out := incidentResponse{ID: in.ID, Type: in.Type, Start: in.Start, End: in.End, Place: in.Place,
		Credibility: credibilityOf(&in), PartyClaim: in.PartyClaim, Sources: in.Originators, Deniers: in.Deniers,
		Members: make([]incidentMember, 0, len(in.Members)), Conflicts: make([]incidentConflict, 0, len(in.Conflicts))}
	if out.Sources == nil {
		out.Sources = []store.IncidentSource{}
	}
	if out.Deniers == nil {
		out.Deniers = []store.IncidentSource{}
	}
	for i, m := range in.Members {
		ev, err := a.st.Event(ctx, m.EventID)
		if err != nil {
			return fmt.Errorf("incident %d: event %d: %w", id, m.EventID, err)
		}
		normalize(&ev)
		out.Members = append(out.Members, incidentMember{Index: i, EventID: m.EventID, Seq: m.Seq, Type: m.Type,
			Evidence: ev.Evidence, Date: ev.Date, Place: ev.Place, Quantities: ev.Quantities,
			Report:     incidentReport{ID: m.ReportID, Title: m.ReportTitle, Source: m.Source, URL: ev.ReportURL, Published: m.Published},
			Originator: m.Originator, Copy: m.Copy, CopyOf: m.CopyOf, PartyClaim: m.PartyClaim, Swapped: m.Swapped, Score: m.Score})
	}
	for _, c := range in.Conflicts {
		oc := incidentConflict{Field: c.Field, What: c.What, Versions: make([]incidentVersion, 0, len(c.Values))}
		for _, v := range c.Values {
			ov := incidentVersion{Value: v.Value, Sources: v.Sources, Members: v.Members, SaidBy: []incidentTeller{}}
			if ov.Sources == nil {
				ov.Sources = []string{}
			}
			if ov.Members == nil {
				ov.Members = []int{}
			}
			for _, mi := range v.Members {
				if mi >= 0 && mi < len(in.Members) {
					ov.SaidBy = append(ov.SaidBy, teller(mi, in.Members[mi]))
				}
			}
			oc.Versions = append(oc.Versions, ov)
		}
		out.Conflicts = append(out.Conflicts, oc)
	}
	return writeJSON(w, http.StatusOK, out)
}

// incidentOfEvent returns the id of the incident an event belongs to, or 0.
func (a *api) incidentOfEvent(ctx context.Context, eventID int64) (int64, error) {
	in, err := a.st.IncidentOfEvent(ctx, eventID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("incident of event %d: %w", eventID, err)
	}
	return in.ID, nil
}
