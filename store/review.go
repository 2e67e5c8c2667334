package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
)

// Roles of a user, from the least to the most allowed.
const (
	RoleViewer  = "viewer"  // reads the record
	RoleAnalyst = "analyst" // also reviews events and links them to provisions
	RoleAdmin   = "admin"   // also manages users
)

// Roles lists the roles in increasing order of rights.
var Roles = []string{RoleViewer, RoleAnalyst, RoleAdmin}

// RoleAtLeast reports whether role has at least the rights of want; an
// unknown role has none.
func RoleAtLeast(role, want string) bool {
	h, w := slices.Index(Roles, role), slices.Index(Roles, want)
	return h >= 0 && w >= 0 && h >= w
}

// User is an account. PasswordHash is the encoded password hash (never the
// password); it is not part of the JSON form.
type User struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Role         string    `json:"role"`
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// ValidateUser checks a user's name and role before it is stored; errors
// wrap ErrInvalid.
func ValidateUser(name, role string) error {
	if name == "" || len(name) > 64 || !utf8.ValidString(name) || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("user name %q: want 1 to 64 bytes without spaces or control characters: %w", name, ErrInvalid)
	}
	if !slices.Contains(Roles, role) {
		return fmt.Errorf("role %q: want one of %s: %w", role, strings.Join(Roles, ", "), ErrInvalid)
	}
	return nil
}

// Session is a login of the web page. The store keeps only the hash of the
// session cookie's value; CSRF is the token the session's forms carry.
type Session struct {
	Hash    string    // hex SHA-256 of the cookie value
	UserID  int64     // whose login it is
	CSRF    string    // per-session form token
	Expires time.Time // when the login ends
}

// Review actions and the review states they leave an event in.
const (
	ReviewAccept  = "accept"  // the event is right as it is (with the corrections made so far)
	ReviewReject  = "reject"  // the event is wrong: hidden from lists and exports by default
	ReviewCorrect = "correct" // some fields are wrong: the patch fixes them

	StateAccepted  = "accepted"  // left by ReviewAccept
	StateRejected  = "rejected"  // left by ReviewReject
	StateCorrected = "corrected" // left by ReviewCorrect"
)

// EventKey names an event independently of its id, which changes when its
// report is re-extracted: the report's content hash, the evidence span, the
// rule that produced it, and its position among the report's events with the
// same span and rule (usually 0).
type EventKey struct {
	Report string `json:"report"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Rule   string `json:"rule"`
	Nth    int    `json:"nth"`
}

// EventPatch holds the corrected fields of an event; nil fields are left as
// extracted. Quantities, when set, replace all quantities.
type EventPatch struct {
	Type       *string           `json:"type,omitempty"`
	Mode       *string           `json:"mode,omitempty"`
	Actor      *truce.Actor      `json:"actor,omitempty"`
	Recipient  *truce.Actor      `json:"recipient,omitempty"`
	Place      *truce.Place      `json:"place,omitempty"`
	Date       *truce.When       `json:"date,omitempty"`
	Quantities *[]truce.Quantity `json:"quantities,omitempty"`
}

// Empty reports whether p changes nothing.
func (p EventPatch) Empty() bool { return p == EventPatch{} }

// Merge lays q over p: fields set in q win.
func (p EventPatch) Merge(q EventPatch) EventPatch {
	if q.Type != nil {
		p.Type = q.Type
	}
	if q.Mode != nil {
		p.Mode = q.Mode
	}
	if q.Actor != nil {
		p.Actor = q.Actor
	}
	if q.Recipient != nil {
		p.Recipient = q.Recipient
	}
	if q.Place != nil {
		p.Place = q.Place
	}
	if q.Date != nil {
		p.Date = q.Date
	}
	if q.Quantities != nil {
		p.Quantities = q.Quantities
	}
	return p
}

// Apply sets the corrected fields of p on e.
func (p EventPatch) Apply(e *truce.Event) {
	if p.Type != nil {
		e.Type = *p.Type
	}
	if p.Mode != nil {
		e.Mode = *p.Mode
	}
	if p.Actor != nil {
		a := *p.Actor
		e.Actor = &a
	}
	if p.Recipient != nil {
		a := *p.Recipient
		e.Recipient = &a
	}
	if p.Place != nil {
		pl := *p.Place
		e.Place = &pl
	}
	if p.Date != nil {
		d := *p.Date
		e.Date = &d
	}
	if p.Quantities != nil {
		e.Quantities = slices.Clone(*p.Quantities)
	}
}

// Review is an analyst's decision on one stored event.
type Review struct {
	EventID int64
	Action  string     // ReviewAccept, ReviewReject or ReviewCorrect
	Patch   EventPatch // for ReviewCorrect: the fields to change (merged over earlier corrections)
	Reason  string     // why; required for reject and correct
	User    string     // who
}

// Validate checks a review before it is stored; errors wrap ErrInvalid.
func (r *Review) Validate() error {
	switch r.Action {
	case ReviewAccept, ReviewReject:
	case ReviewCorrect:
		if r.Patch.Empty() {
			return fmt.Errorf("review: a correction changes at least one field: %w", ErrInvalid)
		}
		if r.Patch.Type != nil && *r.Patch.Type == "" {
			return fmt.Errorf("review: empty type: %w", ErrInvalid)
		}
	default:
		return fmt.Errorf("review: action %q: want accept, reject or correct: %w", r.Action, ErrInvalid)
	}
	if r.EventID <= 0 {
		return fmt.Errorf("review: event id %d: %w", r.EventID, ErrInvalid)
	}
	if r.User == "" {
		return fmt.Errorf("review: no user: %w", ErrInvalid)
	}
	if r.Action != ReviewAccept && strings.TrimSpace(r.Reason) == "" {
		return fmt.Errorf("review: say why (reason): %w", ErrInvalid)
	}
	if len(r.Reason) > 2000 || !utf8.ValidString(r.Reason) {
		return fmt.Errorf("review: reason longer than 2000 bytes or not UTF-8: %w", ErrInvalid)
	}
	return nil
}

// Correction is the review decision kept for an event key: it is applied
// again whenever the event's report is stored or re-extracted.
type Correction struct {
	Key       EventKey   `json:"key"`
	State     string     `json:"state"` // StateAccepted, StateRejected or StateCorrected
	Patch     EventPatch `json:"patch"`
	User      string     `json:"user"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// ReviewedFields is the part of an event a review may change, as the audit
// log records it before and after.
type ReviewedFields struct {
	Review     string           `json:"review"` // "" when never reviewed
	Type       string           `json:"type"`
	Mode       string           `json:"mode"`
	Actor      *truce.Actor     `json:"actor"`
	Recipient  *truce.Actor     `json:"recipient"`
	Place      *truce.Place     `json:"place"`
	Date       *truce.When      `json:"date"`
	Quantities []truce.Quantity `json:"quantities"`
}

// FieldsOf returns the reviewed fields of e in review state state.
func FieldsOf(e *truce.Event, state string) ReviewedFields {
	return ReviewedFields{Review: state, Type: e.Type, Mode: e.Mode, Actor: e.Actor, Recipient: e.Recipient,
		Place: e.Place, Date: e.Date, Quantities: e.Quantities}
}

// AuditEntry is one change in the audit log.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	User    string    `json:"user"`
	Action  string    `json:"action"`             // accept, reject, correct
	EventID int64     `json:"event_id,omitempty"` // the event's id when the change was made (it changes on re-extraction)
	Key     EventKey  `json:"key"`
	// Before and After are ReviewedFields in JSON.
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
	Reason string          `json:"reason"`
}

// AuditFilter selects audit entries, newest first. Zero fields do not filter.
type AuditFilter struct {
	User   string // exact
	Report string // report hash: the changes to the events of one report
	Limit  int    // default 100, at most 1000
	Offset int
}

// SQLLimit is the row limit of f for a query.
func (f AuditFilter) SQLLimit() int {
	switch {
	case f.Limit <= 0:
		return 100
	case f.Limit > 1000:
		return 1000
	}
	return f.Limit
}

// ReviewStore is the part of a Store that keeps users, their sessions and
// API tokens, and the analysts' review of events with its audit log.
type ReviewStore interface {
	// CreateUser stores a new user with an encoded password hash (may be ""
	// for a token-only account). A name in use or an invalid name or role
	// gives ErrInvalid.
	CreateUser(ctx context.Context, name, role, passwordHash string) (User, error)
	// UserByName returns a user with the password hash; ErrNotFound when none.
	UserByName(ctx context.Context, name string) (User, error)
	// Users lists the users by name.
	Users(ctx context.Context) ([]User, error)
	// AddToken stores the hash of a new API token of a user.
	AddToken(ctx context.Context, userID int64, hash string) error
	// UserByToken returns the user of the token whose hash is given;
	// ErrNotFound when none.
	UserByToken(ctx context.Context, hash string) (User, error)
	// CreateSession stores a login.
	CreateSession(ctx context.Context, s Session) error
	// SessionByHash returns an unexpired session and its user; ErrNotFound
	// when there is none.
	SessionByHash(ctx context.Context, hash string) (Session, User, error)
	// DeleteSession ends a login (no error when there is none).
	DeleteSession(ctx context.Context, hash string) error
	// ReviewEvent applies an analyst's review to a stored event: the event is
	// updated, the decision is kept as the Correction of the event's key (so
	// that it survives re-extraction) and an AuditEntry is written, all in one
	// transaction. An unknown event gives ErrNotFound, an invalid review
	// ErrInvalid. It returns the event as reviewed.
	ReviewEvent(ctx context.Context, r Review) (StoredEvent, error)
	// Corrections lists the kept corrections of a report (by hash), or of every
	// report when hash is "".
	Corrections(ctx context.Context, reportHash string) ([]Correction, error)
	// AuditLog lists audit entries matching f, newest first.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}
