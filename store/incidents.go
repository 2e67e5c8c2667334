package store

import (
	"fmt"
	"time"

	"github.com/truce-monitor/truce"
)

// Fusion is what fusing reports (package fuse) changed, to be stored: the
// copy links of the reports and every incident their events joined or
// started, each incident whole. Reports and events are named by the report's
// content hash and the event's position in its extraction, so a Fusion can be
// built before the report it comes with is stored.
type Fusion struct {
	Copies    []CopyLink
	Incidents []IncidentRecord
}

// CopyLink says that a report is a syndicated or edited copy of another.
type CopyLink struct {
	Report      string  // hash of the copy
	CopyOf      string  // hash of the original
	Containment float64 // share of shingles the copy shares with the original
}

// IncidentRecord is one incident as the fuser left it. An incident is known
// by its first member: storing a record again replaces the incident that
// has the same first event, keeping its id.
type IncidentRecord struct {
	Type  string
	Start string // YYYY-MM-DD, "" when undated
	End   string
	// Place is the most precise place of its members, or nil.
	Place       *truce.Place
	Credibility int    // Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)
	Grounds     string // why the credibility is what it is
	PartyClaim  bool   // every source asserting it is a party accusing the other side
	Originators []IncidentSource
	Deniers     []IncidentSource
	Members     []MemberRecord // at least one; the first names the incident
	Conflicts   []IncidentConflict
}

// MemberRecord is one event of an IncidentRecord.
type MemberRecord struct {
	Report     string // hash of the event's report
	Seq        int    // index of the event in its report's extraction
	Copy       bool   // the report is a copy of another: not an independent source
	Swapped    bool   // joined as the other side's account of who acted
	PartyClaim bool
	Score      float64
	Originator IncidentSource
}

// IncidentSource is a source an incident's member comes from: the speaker a
// claim is attributed to, else the outlet.
type IncidentSource struct {
	Name        string `json:"name"`
	Kind        string `json:"kind,omitempty"`
	Affiliation string `json:"affiliation"`
	Reliability string `json:"reliability"`
	Registered  bool   `json:"registered"`
}

// IncidentConflict is a detail the members of an incident disagree on, with every version.
type IncidentConflict struct {
	Field string `json:"field"` // count, date, place, actor, denied
	What  string `json:"what,omitempty"`
	// Values are the versions; their Members are indexes into the incident's Members.
	Values []ConflictVersion `json:"values"`
}

// ConflictVersion is one value of a disputed detail and the members and sources that give it.
type ConflictVersion struct {
	Value   string   `json:"value"`
	Members []int    `json:"members"`
	Sources []string `json:"sources"`
}

// StoredIncident is an incident as stored, with its members and conflicts.
type StoredIncident struct {
	ID          int64              `json:"id"`
	Type        string             `json:"type"`
	Start       string             `json:"start"`
	End         string             `json:"end"`
	Place       *truce.Place       `json:"place,omitempty"`
	Credibility int                `json:"credibility"`
	Grounds     string             `json:"grounds"`
	PartyClaim  bool               `json:"party_claim"`
	Originators []IncidentSource   `json:"originators"`
	Deniers     []IncidentSource   `json:"deniers,omitempty"`
	Members     []IncidentMember   `json:"members"`
	Conflicts   []IncidentConflict `json:"conflicts,omitempty"`
	UpdatedAt   time.Time          `json:"updated_at"`
}

// IncidentMember is one stored event of an incident, with its report.
type IncidentMember struct {
	EventID     int64          `json:"event_id"`
	ReportID    int64          `json:"report_id"`
	Seq         int            `json:"seq"` // index of the event in its report
	Type        string         `json:"type"`
	Evidence    string         `json:"evidence"`
	Source      string         `json:"source"` // the report's outlet
	ReportTitle string         `json:"report_title"`
	Published   string         `json:"published"`
	Copy        bool           `json:"copy"`              // the report is a copy of another
	CopyOf      int64          `json:"copy_of,omitempty"` // the report it is a copy of
	Swapped     bool           `json:"swapped,omitempty"` // the other side's account of who acted
	PartyClaim  bool           `json:"party_claim"`
	Score       float64        `json:"score"`
	Originator  IncidentSource `json:"originator"`
}

// IncidentFilter selects incidents. Zero fields do not filter.
type IncidentFilter struct {
	// From and To (YYYY-MM-DD, inclusive) keep the incidents whose date range
	// overlaps [From, To]; undated incidents never match a date filter.
	From, To string
	Type     string // exact
	Limit    int    // default 100, at most 1000 (0 with NoLimit for every match)
	NoLimit  bool
	Offset   int
}

// Validate checks an incident record before it is stored; errors wrap ErrInvalid.
func (r *IncidentRecord) Validate() error {
	switch {
	case len(r.Members) == 0:
		return fmt.Errorf("incident %s %s: no members: %w", r.Type, r.Start, ErrInvalid)
	case r.Credibility < 1 || r.Credibility > 6:
		return fmt.Errorf("incident %s %s: credibility %d not in 1..6: %w", r.Type, r.Start, r.Credibility, ErrInvalid)
	}
	for _, c := range r.Conflicts {
		for _, v := range c.Values {
			for _, m := range v.Members {
				if m < 0 || m >= len(r.Members) {
					return fmt.Errorf("incident %s %s: conflict %s names member %d of %d: %w", r.Type, r.Start, c.Field, m, len(r.Members), ErrInvalid)
				}
			}
		}
	}
	return nil
}

// SQLLimit is the row limit of f for a query: -1 for no limit.
func (f IncidentFilter) SQLLimit() int {
	switch {
	case f.NoLimit && f.Limit == 0:
		return -1
	case f.Limit <= 0:
		return 100
	case f.Limit > 1000:
		return 1000
	}
	return f.Limit
}

// CheckDates validates the From and To dates of f; errors wrap ErrInvalid.
func (f IncidentFilter) CheckDates() error {
	for _, d := range []string{f.From, f.To} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(truce.DateLayout, d); err != nil {
			return fmt.Errorf("date %q: want YYYY-MM-DD: %w", d, ErrInvalid)
		}
	}
	if f.Offset < 0 {
		return fmt.Errorf("offset %d: %w", f.Offset, ErrInvalid)
	}
	return nil
}
