package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
)

// ErrNotFound is returned when a requested row does not exist.
var ErrNotFound = errors.New("not found")

// ErrInvalid is returned (wrapped) when a filter cannot be used, e.g. a malformed
// cursor or date; the server answers it with 400.
var ErrInvalid = errors.New("invalid argument")

// Store is the record of reports and what was extracted from them.
type Store interface {
	// ReviewStore keeps users, sessions, API tokens, the analysts' corrections
	// and the audit log. SaveExtraction, SaveFusedExtraction and
	// ReplaceExtraction apply the kept corrections of the report's events in
	// their own transaction (see docs/review.md).
	ReviewStore
	// SaveExtraction stores a report and its extraction in one transaction.
	// A report whose hash is already stored is not stored again: created is false
	// and id is the stored report's id. A near-duplicate (same SimHash within a
	// small distance) is stored and linked to its original.
	SaveExtraction(ctx context.Context, x *truce.Extraction) (id int64, created bool, err error)
	// ReplaceExtraction swaps the stored events, claims and indicators of a report
	// for a new extraction of it, in one transaction. The stored report itself is
	// kept (x.Report is ignored); an unknown id gives ErrNotFound. Every incident
	// with a member in the report is removed with its old events, so none is left
	// stale: rebuild them with ReplaceIncidents.
	ReplaceExtraction(ctx context.Context, reportID int64, x *truce.Extraction) error
	// ReportIDs lists the ids of all stored reports in ascending order.
	ReportIDs(ctx context.Context) ([]int64, error)
	// Report returns one stored report with its text.
	Report(ctx context.Context, id int64) (StoredReport, error)
	// Reports lists reports, newest first (published, then id), without their text.
	Reports(ctx context.Context, f ReportFilter) ([]StoredReport, error)
	// Events lists the events matching f in a stable order (start date, then id;
	// undated events first), one page at a time.
	Events(ctx context.Context, f EventFilter) (EventPage, error)
	// EventPoints lists the id, type, start date and coordinates of every event
	// matching f that has coordinates, in the Events order: the light map
	// query (GeoJSON), read from the index alone in SQLite. Limit and After are ignored.
	EventPoints(ctx context.Context, f EventFilter) ([]EventPoint, error)
	// Event returns one event.
	Event(ctx context.Context, id int64) (StoredEvent, error)
	// EventsPerDay counts the events matching f per start day, for the timeline,
	// oldest first; undated events are not counted. Limit and After are ignored.
	EventsPerDay(ctx context.Context, f EventFilter) ([]DayCount, error)
	// Claims lists the claims of a report.
	Claims(ctx context.Context, reportID int64) ([]StoredClaim, error)
	// Indicators lists indicator values matching f, oldest first (as_of, then id).
	Indicators(ctx context.Context, f IndicatorFilter) ([]StoredIndicator, error)
	// Places lists the places events were coded at, with their event counts.
	Places(ctx context.Context) ([]PlaceCount, error)
	// Sources lists the sources of stored reports, with their report counts.
	Sources(ctx context.Context) ([]SourceCount, error)
	// Stats counts the stored rows.
	Stats(ctx context.Context) (Stats, error)
	// LinkEvent records an analyst's link of a stored event to an agreement
	// provision, or replaces the role and note of the link of the same pair.
	// An unknown event gives ErrNotFound; an invalid link (see
	// ProvisionLink.Validate) gives ErrInvalid. The stored link is returned.
	// Links of an event are removed with it (ReplaceExtraction gives new ids).
	LinkEvent(ctx context.Context, l ProvisionLink) (ProvisionLink, error)
	// UnlinkEvent removes the link of an event to a provision; ErrNotFound
	// when there is none.
	UnlinkEvent(ctx context.Context, provision string, eventID int64) error
	// ProvisionLinks lists the links of one provision, or of every provision
	// when provision is "", oldest first (created, then id).
	ProvisionLinks(ctx context.Context, provision string) ([]ProvisionLink, error)
	// SaveFusedExtraction stores a report and its extraction, as SaveExtraction
	// does, together with the incidents and copy links fusing it changed, all in
	// one transaction (f may be nil). A report already stored is not stored
	// again and f is not written: created is false.
	SaveFusedExtraction(ctx context.Context, x *truce.Extraction, f *Fusion) (id int64, created bool, err error)
	// ReplaceIncidents replaces every stored incident and copy link by those of
	// f in one transaction: after a re-extraction, or when the stored incidents
	// do not match a fuser rebuilt from the record. Members whose report or
	// event is not stored give ErrInvalid.
	ReplaceIncidents(ctx context.Context, f *Fusion) error
	// Incidents lists the incidents matching f with their members and
	// conflicts, by start date then id (undated first).
	Incidents(ctx context.Context, f IncidentFilter) ([]StoredIncident, error)
	// Incident returns one incident with its members and conflicts.
	Incident(ctx context.Context, id int64) (StoredIncident, error)
	// IncidentOfEvent returns the incident a stored event belongs to;
	// ErrNotFound when it belongs to none.
	IncidentOfEvent(ctx context.Context, eventID int64) (StoredIncident, error)
	// Close releases the store.
	Close() error
}

// StoredReport is a report as stored, with its id.
type StoredReport struct {
	ID int64 `json:"id"`
	truce.Report
	Text string `json:"text,omitempty"`
	Hash string `json:"hash"`
	// DuplicateOf is the id of the report this one is a near-duplicate of, or 0.
	DuplicateOf int64     `json:"duplicate_of,omitempty"`
	IngestedAt  time.Time `json:"ingested_at"`
	Events      int       `json:"events"`
}

// StoredEvent is an event as stored, with its id and report.
type StoredEvent struct {
	ID       int64 `json:"id"`
	ReportID int64 `json:"report_id"`
	truce.Event
	Source      string `json:"source"`
	ReportTitle string `json:"report_title"`
	ReportURL   string `json:"report_url"`
	Published   string `json:"published"`
	// Review is the analysts' decision on the event: "" (not reviewed),
	// accepted, corrected or rejected.
	Review string `json:"review,omitempty"`
}

// StoredClaim is a claim as stored.
type StoredClaim struct {
	ID       int64 `json:"id"`
	ReportID int64 `json:"report_id"`
	truce.Claim
}

// StoredIndicator is an indicator value as stored, with its report's source.
type StoredIndicator struct {
	ID       int64 `json:"id"`
	ReportID int64 `json:"report_id"`
	truce.Indicator
	Source string `json:"source"`
}

// BBox is a bounding box in degrees.
type BBox struct {
	MinLon, MinLat, MaxLon, MaxLat float64
}

// EventFilter selects events. Zero fields do not filter; set fields are combined with AND.
type EventFilter struct {
	// From and To (YYYY-MM-DD, inclusive) keep the events whose date range
	// [start, end] overlaps [From, To]; undated events never match a date filter.
	From, To string
	// BBox keeps the events whose place has coordinates inside the box (edges included).
	BBox *BBox
	// Types, Modes and Contexts keep an event that has any of the listed values.
	Types    []string
	Modes    []string
	Contexts []string
	Actor    string // case-insensitive substring of the actor's or recipient's name
	Country  string // actor or recipient country, exact
	// Place is a place id, or a place name (the source's words, the canonical
	// name, or one side of a "Stepanakert / Khankendi" canonical name), case-insensitive.
	Place  string
	Source string // report source, exact
	// Query is a full-text search over evidence: it is read as plain words
	// (punctuation and operators are ignored), all of which must occur. A query
	// with no words matches nothing.
	Query    string
	ReportID int64
	Limit    int    // default 100, at most 1000 (0 with NoLimit for exports)
	NoLimit  bool   // return every match (exports)
	After    string // opaque cursor from EventPage.Next
	// IncludeRejected keeps the events an analyst rejected, which are left
	// out by default.
	IncludeRejected bool
}

// EventPage is one page of events and the cursor of the next page ("" at the end).
type EventPage struct {
	Events []StoredEvent `json:"events"`
	Next   string        `json:"next,omitempty"`
}

// EventPoint is an event on the map.
type EventPoint struct {
	ID   int64   `json:"id"`
	Type string  `json:"type"`
	Date string  `json:"date"` // start date, "" when undated
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// DayCount is the number of events on a day.
type DayCount struct {
	Day   string `json:"day"`
	Count int    `json:"count"`
}

// ReportFilter selects reports.
type ReportFilter struct {
	Source string // exact
	Limit  int    // default 100, at most 1000
	Offset int
}

// IndicatorFilter selects indicator values. Zero fields do not filter.
type IndicatorFilter struct {
	Metric string // exact
	Place  string // place id or name, as in EventFilter
	From   string // as_of >= From (YYYY-MM-DD)
	To     string // as_of <= To (YYYY-MM-DD)
}

// PlaceCount is a place with the number of events coded there.
type PlaceCount struct {
	truce.Place
	Events int `json:"events"`
}

// SourceCount is a source with the number of its stored reports.
type SourceCount struct {
	Source  string `json:"source"`
	Reports int    `json:"reports"`
}

// Stats counts stored rows.
type Stats struct {
	Reports    int `json:"reports"`
	Events     int `json:"events"`
	Claims     int `json:"claims"`
	Indicators int `json:"indicators"`
}

// Roles of a ProvisionLink: how an event bears on an agreement provision.
const (
	LinkImplements = "implements" // the event carries the provision out
	LinkProgress   = "progress"   // a step towards it (talks, a partial act)
	LinkViolates   = "violates"   // the event breaks it
	LinkDisputes   = "disputes"   // a party contests that it was carried out or broken
)

// LinkRoles lists the roles a ProvisionLink may have.
var LinkRoles = []string{LinkImplements, LinkProgress, LinkViolates, LinkDisputes}

// ProvisionLink is an analyst's link of a stored event to an agreement
// provision, made by hand when the provision's signature does not catch it
// (or catches it in the wrong role).
type ProvisionLink struct {
	ID int64 `json:"id"`
	// Provision is "AGREEMENT/PROVISION", e.g. "nk-2020-11-10/6a".
	Provision string    `json:"provision"`
	EventID   int64     `json:"event_id"`
	Role      string    `json:"role"` // one of LinkRoles
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a link before it is stored: a provision reference of the
// form AGREEMENT/PROVISION, a positive event id and a known role ("" is
// LinkImplements). Errors wrap ErrInvalid.
func (l *ProvisionLink) Validate() error {
	if l.Role == "" {
		l.Role = LinkImplements
	}
	a, p, ok := strings.Cut(l.Provision, "/")
	switch {
	case !ok || a == "" || p == "" || strings.ContainsAny(l.Provision, " \t\n"):
		return fmt.Errorf("provision %q: want AGREEMENT/PROVISION: %w", l.Provision, ErrInvalid)
	case l.EventID <= 0:
		return fmt.Errorf("event id %d: %w", l.EventID, ErrInvalid)
	case !slices.Contains(LinkRoles, l.Role):
		return fmt.Errorf("role %q: want one of %s: %w", l.Role, strings.Join(LinkRoles, ", "), ErrInvalid)
	}
	return nil
}
