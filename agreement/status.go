package agreement

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

// Role is how an event bears on a provision; the values are those of the
// store's link roles.
type Role string

// Roles of evidence, strongest first: when an event matches a provision in
// several roles, the first of these wins.
const (
	Violates   Role = store.LinkViolates
	Implements Role = store.LinkImplements
	Disputes   Role = store.LinkDisputes
	Progress   Role = store.LinkProgress
)

var rolePriority = []Role{Violates, Implements, Disputes, Progress}

// Status is where a provision stands on a day.
type Status string

// The published scale of provision statuses.
const (
	// NotStarted: nothing in the record implements the provision, and its deadline (if any) has not passed.
	NotStarted Status = "not_started"
	// InProgress: the record has steps towards it (talks, partial acts), and its deadline has not passed.
	InProgress Status = "in_progress"
	// Implemented: an event carried it out, or, for a standing obligation, it is in force and unbroken.
	Implemented Status = "implemented"
	// Overdue: its deadline passed with nothing in the record implementing it.
	Overdue Status = "overdue"
	// Violated: an event broke it, and no later event restored it.
	Violated Status = "violated"
	// Disputed: a violation is reported and, within DisputeWindow, denied or contested.
	Disputed Status = "disputed"
)

// Statuses is the scale in the order it is published.
var Statuses = []Status{NotStarted, InProgress, Implemented, Overdue, Violated, Disputed}

// Label returns the status in words: "not started".
func (s Status) Label() string { return strings.ReplaceAll(string(s), "_", " ") }

// DisputeWindow is how many days apart a violation and its denial may be
// for the violation to count as disputed.
const DisputeWindow = 3

// Evidence is one event bearing on a provision, with the report behind it.
type Evidence struct {
	Role    Role   `json:"role"`
	EventID int64  `json:"event_id"`
	Date    string `json:"date"` // the event's start date, else its report's date
	// Undated is true when the event has no date of its own and Date is the report's.
	Undated   bool   `json:"undated,omitempty"`
	Type      string `json:"type"`
	Mode      string `json:"mode,omitempty"`
	Negated   bool   `json:"negated,omitempty"`
	Actor     string `json:"actor,omitempty"`
	Country   string `json:"country,omitempty"`
	Place     string `json:"place,omitempty"`
	PlaceID   string `json:"place_id,omitempty"`
	ReportID  int64  `json:"report_id"`
	Report    string `json:"report"`
	Source    string `json:"source"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published"`
	Sentence  string `json:"sentence"`
	Speaker   string `json:"speaker,omitempty"`
	// Note says why the event counts: the signature's note or the analyst's.
	Note string `json:"note,omitempty"`
	// Manual is true for an analyst's link.
	Manual bool `json:"manual,omitempty"`
}

// Change is one step of a provision's timeline.
type Change struct {
	Date   string `json:"date"`
	From   Status `json:"from"`
	To     Status `json:"to"`
	Reason string `json:"reason"`
	// Evidence lists the events behind the change; a change that follows from
	// the agreement's own terms (it took effect, a deadline passed) has none.
	Evidence []Evidence `json:"evidence"`
}

// ProvisionStatus is a provision's status as of a day, with its timeline
// and every event linked to it.
type ProvisionStatus struct {
	Ref       string     `json:"ref"`
	Provision *Provision `json:"provision"`
	Status    Status     `json:"status"`
	Since     string     `json:"since,omitempty"`
	// Deadline is the deadline in force as of the day, "" when there is none.
	Deadline string     `json:"deadline,omitempty"`
	Timeline []Change   `json:"timeline"`
	Evidence []Evidence `json:"evidence"`
}

// StatusOn returns the provision's status on day and the day it took it.
func (ps *ProvisionStatus) StatusOn(day string) (Status, string) {
	st, since := NotStarted, ""
	for _, c := range ps.Timeline {
		if c.Date > day {
			break
		}
		st, since = c.To, c.Date
	}
	return st, since
}

// Input is what Evaluate works on.
type Input struct {
	Set *Set
	// Events are the stored events to match (all of them, or all up to AsOf).
	Events []store.StoredEvent
	// Links are an analyst's links; they override the signatures' roles.
	Links     []store.ProvisionLink
	Gazetteer *gazetteer.Gazetteer
	// AsOf (YYYY-MM-DD) ends the replay; "" means after the last event.
	AsOf string
}

// Evaluate links events to every provision and replays them into statuses
// as of in.AsOf, in the agreements' order.
func Evaluate(in Input) []ProvisionStatus {
	var out []ProvisionStatus
	for _, a := range in.Set.Agreements {
		for i := range a.Provisions {
			out = append(out, EvaluateProvision(in, &a.Provisions[i]))
		}
	}
	return out
}

// EvaluateProvision evaluates one provision of in.Set.
func EvaluateProvision(in Input, p *Provision) ProvisionStatus {
	ev := evidenceFor(in, p)
	if in.AsOf != "" {
		ev = slices.DeleteFunc(ev, func(e Evidence) bool { return e.Date > in.AsOf })
	}
	ps := ProvisionStatus{Ref: p.Ref(), Provision: p, Evidence: ev, Timeline: []Change{}}
	ps.replay(in.AsOf)
	if ps.Evidence == nil {
		ps.Evidence = []Evidence{}
	}
	return ps
}

// evidenceFor returns the events bearing on p, in date then id order.
func evidenceFor(in Input, p *Provision) []Evidence {
	manual := map[int64]store.ProvisionLink{}
	for _, l := range in.Links {
		if l.Provision == p.Ref() {
			manual[l.EventID] = l
		}
	}
	var out []Evidence
	for i := range in.Events {
		e := &in.Events[i]
		day, undated := EventDay(e)
		if day == "" {
			continue
		}
		if l, ok := manual[e.ID]; ok {
			ev := newEvidence(e, Role(l.Role), day, undated, l.Note)
			ev.Manual = true
			out = append(out, ev)
			continue
		}
		if role, m, ok := matchRole(in.Gazetteer, p, e, day); ok {
			out = append(out, newEvidence(e, role, day, undated, m.Note))
		}
	}
	slices.SortStableFunc(out, func(a, b Evidence) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.EventID, b.EventID))
	})
	return out
}

// EventDay returns the day an event counts on: its start date, else its
// report's date (undated true), else "".
func EventDay(e *store.StoredEvent) (day string, undated bool) {
	if e.Date != nil && !e.Date.Unresolved && e.Date.Start != "" {
		return e.Date.Start, false
	}
	return e.Published, true
}

func newEvidence(e *store.StoredEvent, role Role, day string, undated bool, note string) Evidence {
	ev := Evidence{Role: role, EventID: e.ID, Date: day, Undated: undated, Type: e.Type, Mode: e.Mode, Negated: e.Negated,
		ReportID: e.ReportID, Report: e.ReportTitle, Source: e.Source, URL: e.ReportURL, Published: e.Published,
		Sentence: e.Evidence.Text, Note: note}
	if e.Actor != nil {
		ev.Actor, ev.Country = e.Actor.Name, e.Actor.Country
	}
	if e.Place != nil {
		ev.Place, ev.PlaceID = e.Place.Canonical, e.Place.ID
	}
	if e.Attribution != nil {
		ev.Speaker = e.Attribution.Speaker
	}
	return ev
}

// matchRole returns the strongest role in which e matches p's signature.
func matchRole(g *gazetteer.Gazetteer, p *Provision, e *store.StoredEvent, day string) (Role, Match, bool) {
	sig := p.Signature.roles()
	for _, r := range rolePriority {
		for _, m := range sig[r] {
			if matches(g, p, &m, &e.Event, day) {
				return r, m, true
			}
		}
	}
	return "", Match{}, false
}

func listed(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }

// matches reports whether an event on day fits m, a pattern of provision p.
func matches(g *gazetteer.Gazetteer, p *Provision, m *Match, e *truce.Event, day string) bool {
	if !slices.Contains(m.Types, e.Type) || !listed(m.Modes, e.Mode) {
		return false
	}
	if m.Negated != e.Negated || (!m.Negated && e.Modality != "" && e.Modality != "asserted") {
		return false
	}
	if len(m.Contexts) > 0 && !slices.ContainsFunc(e.Contexts, func(c string) bool { return slices.Contains(m.Contexts, c) }) {
		return false
	}
	if len(m.Actors)+len(m.ActorKinds) > 0 && (e.Actor == nil || !listed(m.Actors, e.Actor.Country) || !listed(m.ActorKinds, e.Actor.Kind)) {
		return false
	}
	if len(m.Recipients)+len(m.RecipientKinds) > 0 &&
		(e.Recipient == nil || !listed(m.Recipients, e.Recipient.Country) || !listed(m.RecipientKinds, e.Recipient.Kind)) {
		return false
	}
	if from := bound(p, m.From, "date", day); from != "" && day < from {
		return false
	}
	if to := bound(p, m.To, "", day); to != "" && day > to {
		return false
	}
	if len(m.Places) > 0 {
		if e.Place == nil || e.Place.ID == "" || g == nil {
			return false
		}
		at := g.Get(e.Place.ID)
		if at == nil || !inAny(g, at, expand(p, m.Places)) {
			return false
		}
		if inAny(g, at, append(slices.Clone(m.Except), p.Except...)) {
			return false
		}
	}
	return true
}

// bound resolves a date bound of a match for an event on day.
func bound(p *Provision, b, def, day string) string {
	if b == "" {
		b = def
	}
	switch b {
	case "date":
		if p.agreement != nil {
			return p.agreement.FirstDate()
		}
		return ""
	case "effective":
		if p.Effective != "" {
			return p.Effective
		}
		return bound(p, "date", "", day)
	case "deadline":
		return p.Deadline.At(day)
	}
	return b
}

// expand replaces the keywords "area" and "provision" by the places they stand for.
func expand(p *Provision, ids []string) []string {
	var out []string
	for _, id := range ids {
		switch id {
		case "area":
			if p.agreement != nil {
				out = append(out, p.agreement.Area...)
			}
		case "provision":
			out = append(out, p.Places...)
		default:
			out = append(out, id)
		}
	}
	return out
}

// Inside reports whether place lies inside area: it is the area, or lies
// under it in the gazetteer and belongs to the same country. A site of one
// country on the edge of another's district is at the border, not inside.
func Inside(g *gazetteer.Gazetteer, place, area *gazetteer.Place) bool {
	if place == nil || area == nil {
		return false
	}
	if place.ID == area.ID {
		return true
	}
	return g.Within(place, area) && place.Country == area.Country
}

func inAny(g *gazetteer.Gazetteer, at *gazetteer.Place, ids []string) bool {
	for _, id := range ids {
		if Inside(g, at, g.Get(id)) {
			return true
		}
	}
	return false
}

// Border is an area of a provision that a place touches from across a border.
type Border struct {
	Provision string `json:"provision"` // provision reference
	Area      string `json:"area"`      // gazetteer id of the area
}

// Borders lists the provisions' areas that place lies on the edge of
// without being inside (gazetteer.Within holds, the countries differ): an
// incident there happened at the border, and implements none of them.
func Borders(g *gazetteer.Gazetteer, s *Set, place *gazetteer.Place) []Border {
	var out []Border
	if place == nil {
		return nil
	}
	for _, a := range s.Agreements {
		for i := range a.Provisions {
			p := &a.Provisions[i]
			for _, id := range p.Places {
				area := g.Get(id)
				if area != nil && place.ID != area.ID && g.Within(place, area) && !Inside(g, place, area) {
					out = append(out, Border{Provision: p.Ref(), Area: id})
				}
			}
		}
	}
	return out
}

// replay walks the evidence and the provision's dates in order and records
// every change of status up to asOf.
func (ps *ProvisionStatus) replay(asOf string) {
	p := ps.Provision
	days := map[string]bool{}
	for _, e := range ps.Evidence {
		days[e.Date] = true
	}
	if p.Effective != "" {
		days[p.Effective] = true
	}
	if d := p.Deadline; d != nil {
		days[nextDay(d.Date)] = true
		for _, a := range d.Amendments {
			days[a.Agreed] = true
			days[nextDay(a.Date)] = true
		}
	}
	order := sortedKeys(days)
	var (
		implemented, progressed, violated bool
		violations, disputes              []Evidence
		status                            = NotStarted
		next                              int
	)
	for _, d := range order {
		if asOf != "" && d > asOf {
			break
		}
		var today []Evidence
		for ; next < len(ps.Evidence) && ps.Evidence[next].Date == d; next++ {
			e := ps.Evidence[next]
			today = append(today, e)
			switch e.Role {
			case Progress:
				progressed = true
			case Implements:
				implemented, violated = true, false
				violations, disputes = nil, nil
			case Violates:
				violated = true
				violations = append(violations, e)
			case Disputes:
				disputes = append(disputes, e)
			}
		}
		dl := p.Deadline.At(d)
		var st Status
		switch {
		case violated && disputedNear(violations, disputes):
			st = Disputed
		case violated:
			st = Violated
		case implemented || (p.Effective != "" && d >= p.Effective):
			st = Implemented
		case dl != "" && d > dl:
			st = Overdue
		case progressed:
			st = InProgress
		default:
			st = NotStarted
		}
		if st == status {
			continue
		}
		c := Change{Date: d, From: status, To: st, Evidence: []Evidence{}}
		switch st {
		case Disputed:
			c.Evidence = append(append(c.Evidence, near(violations, d)...), near(disputes, d)...)
			c.Reason = "a reported violation is denied or contested"
		case Violated:
			c.Evidence = append(c.Evidence, withRole(today, Violates)...)
			c.Reason = "reported violation"
		case Implemented:
			c.Evidence = append(c.Evidence, withRole(today, Implements)...)
			if len(c.Evidence) == 0 {
				c.Reason = "in force from " + p.Effective + " under the agreement"
			}
		case Overdue:
			c.Reason = "the deadline of " + dl + " passed with nothing in the record implementing it"
		case InProgress:
			c.Evidence = append(c.Evidence, withRole(today, Progress)...)
			if len(c.Evidence) == 0 {
				c.Reason = "the deadline was moved to " + dl
			}
		case NotStarted:
			c.Reason = "the deadline was moved to " + dl
		}
		if c.Reason == "" {
			c.Reason = notes(c.Evidence)
		}
		ps.Timeline = append(ps.Timeline, c)
		status = st
	}
	ps.Status, ps.Since = ps.StatusOn(cmp.Or(asOf, "9999-12-31"))
	day := asOf
	if day == "" {
		day = time.Now().UTC().Format(truce.DateLayout)
		if len(order) > 0 && order[len(order)-1] > day {
			day = order[len(order)-1]
		}
	}
	ps.Deadline = p.Deadline.At(day)
}

func withRole(evs []Evidence, r Role) []Evidence {
	var out []Evidence
	for _, e := range evs {
		if e.Role == r {
			out = append(out, e)
		}
	}
	return out
}

// near returns the evidence dated within DisputeWindow days before or on day.
func near(evs []Evidence, day string) []Evidence {
	var out []Evidence
	for _, e := range evs {
		if daysBetween(e.Date, day) <= DisputeWindow {
			out = append(out, e)
		}
	}
	return out
}

func disputedNear(violations, disputes []Evidence) bool {
	for _, v := range violations {
		for _, d := range disputes {
			if n := daysBetween(v.Date, d.Date); n >= -DisputeWindow && n <= DisputeWindow {
				return true
			}
		}
	}
	return false
}

// notes joins the distinct notes of evidence.
func notes(evs []Evidence) string {
	var out []string
	for _, e := range evs {
		if e.Note != "" && !slices.Contains(out, e.Note) {
			out = append(out, e.Note)
		}
	}
	return strings.Join(out, "; ")
}

func parseDay(s string) time.Time {
	t, _ := time.Parse(truce.DateLayout, s)
	return t
}

// daysBetween returns b - a in days.
func daysBetween(a, b string) int {
	return int(parseDay(b).Sub(parseDay(a)).Hours() / 24)
}

func nextDay(s string) string {
	return parseDay(s).AddDate(0, 0, 1).Format(truce.DateLayout)
}
