package sqlq

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// Now is the current time as the review tables store it.
func Now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func scanUser(sc Row) (store.User, error) {
	var u store.User
	var created string
	if err := sc.Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash, &created); err != nil {
		return u, err
	}
	t, err := parseTime(created)
	u.CreatedAt = t
	return u, err
}

const userCols = "u.id, u.name, u.role, u.password_hash, u.created_at"

// CreateUser stores a new user.
func CreateUser(ctx context.Context, db DB, name, role, passwordHash string) (store.User, error) {
	if err := store.ValidateUser(name, role); err != nil {
		return store.User{}, err
	}
	var one int
	err := db.QueryRow(ctx, "SELECT 1 FROM users WHERE name = ?", name).Scan(&one)
	if err == nil {
		return store.User{}, fmt.Errorf("user %q exists already: %w", name, store.ErrInvalid)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.User{}, fmt.Errorf("look up user: %w", err)
	}
	if err := db.Exec(ctx, "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
		name, role, passwordHash, Now()); err != nil {
		return store.User{}, fmt.Errorf("insert user: %w", err)
	}
	return UserByName(ctx, db, name)
}

// UserByName returns a user with its password hash.
func UserByName(ctx context.Context, db DB, name string) (store.User, error) {
	u, err := scanUser(db.QueryRow(ctx, "SELECT "+userCols+" FROM users u WHERE u.name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %q: %w", name, store.ErrNotFound)
	}
	return u, err
}

// Users lists the users by name.
func Users(ctx context.Context, db DB) ([]store.User, error) {
	rows, err := db.Query(ctx, "SELECT "+userCols+" FROM users u ORDER BY u.name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// AddToken stores the hash of an API token.
func AddToken(ctx context.Context, db DB, userID int64, hash string) error {
	if len(hash) != 64 {
		return fmt.Errorf("token hash: want 64 hex digits: %w", store.ErrInvalid)
	}
	return db.Exec(ctx, "INSERT INTO api_tokens (user_id, hash, created_at) VALUES (?, ?, ?)", userID, hash, Now())
}

// UserByToken returns the user of a token hash.
func UserByToken(ctx context.Context, db DB, hash string) (store.User, error) {
	u, err := scanUser(db.QueryRow(ctx, "SELECT "+userCols+" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("token: %w", store.ErrNotFound)
	}
	return u, err
}

// CreateSession stores a login.
func CreateSession(ctx context.Context, db DB, s store.Session) error {
	if len(s.Hash) != 64 || s.CSRF == "" || s.UserID <= 0 {
		return fmt.Errorf("session: %w", store.ErrInvalid)
	}
	return db.Exec(ctx, "INSERT INTO sessions (hash, user_id, csrf, expires_at) VALUES (?, ?, ?, ?)",
		s.Hash, s.UserID, s.CSRF, s.Expires.UTC().Format(time.RFC3339Nano))
}

// SessionByHash returns an unexpired session and its user.
func SessionByHash(ctx context.Context, db DB, hash string) (store.Session, store.User, error) {
	var s store.Session
	var u store.User
	var expires, created string
	err := db.QueryRow(ctx, `SELECT s.hash, s.user_id, s.csrf, s.expires_at, u.id, u.name, u.role, u.password_hash, u.created_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash).
		Scan(&s.Hash, &s.UserID, &s.CSRF, &expires, &u.ID, &u.Name, &u.Role, &u.PasswordHash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return s, u, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err != nil {
		return s, u, err
	}
	if s.Expires, err = parseTime(expires); err != nil {
		return s, u, err
	}
	if u.CreatedAt, err = parseTime(created); err != nil {
		return s, u, err
	}
	if !time.Now().Before(s.Expires) {
		_ = db.Exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
		return store.Session{}, store.User{}, fmt.Errorf("session expired: %w", store.ErrNotFound)
	}
	return s, u, nil
}

// DeleteSession removes a login.
func DeleteSession(ctx context.Context, db DB, hash string) error {
	return db.Exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
}

// reviewed is a stored event with what a review needs.
type reviewed struct {
	id, reportID int64
	key          store.EventKey
	seq          int
	ev           truce.Event
	state        string
}

func loadReviewed(ctx context.Context, db DB, id int64) (reviewed, error) {
	var r reviewed
	var doc []byte
	err := db.QueryRow(ctx, `SELECT e.id, e.report_id, r.hash, e.evidence_start, e.evidence_end, e.rule, e.seq, e.doc, e.review
		FROM events e JOIN reports r ON r.id = e.report_id WHERE e.id = ?`, id).
		Scan(&r.id, &r.reportID, &r.key.Report, &r.key.Start, &r.key.End, &r.key.Rule, &r.seq, &doc, &r.state)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("event %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("event %d: %w", id, err)
	}
	if err := json.Unmarshal(doc, &r.ev); err != nil {
		return r, fmt.Errorf("decode event %d: %w", id, err)
	}
	err = db.QueryRow(ctx, `SELECT count(*) FROM events WHERE report_id = ? AND evidence_start = ? AND evidence_end = ?
		AND rule = ? AND seq < ?`, r.reportID, r.key.Start, r.key.End, r.key.Rule, r.seq).Scan(&r.key.Nth)
	if err != nil {
		return r, fmt.Errorf("event %d: key: %w", id, err)
	}
	return r, nil
}

// updateEvent rewrites the reviewable columns of an event from e.
func updateEvent(ctx context.Context, db DB, id int64, e *truce.Event, state string) error {
	r, err := NewEventRow(e)
	if err != nil {
		return err
	}
	return db.Exec(ctx, `UPDATE events SET type = ?, mode = ?,
		actor_name = ?, actor_country = ?, actor_kind = ?, actor_id = ?,
		recipient_name = ?, recipient_country = ?, recipient_kind = ?, recipient_id = ?, actors_lc = ?,
		place_id = ?, place_name = ?, place_canonical = ?, place_country = ?, place_precision = ?, place_keys = ?, lat = ?, lon = ?,
		date_start = ?, date_end = ?, date_precision = ?, span_days = ?, quantities = ?, doc = ?, review = ?
		WHERE id = ?`, r.Type, r.Mode,
		r.ActorName, r.ActorCountry, r.ActorKind, r.ActorID,
		r.RecipientName, r.RecipientCountry, r.RecipientKind, r.RecipientID, r.ActorsLC,
		r.PlaceID, r.PlaceName, r.PlaceCanonical, r.PlaceCountry, r.PlacePrecision, r.PlaceKeys, r.Lat, r.Lon,
		r.DateStart, r.DateEnd, r.DatePrecision, r.SpanDays, r.Quantities, r.Doc, state, id)
}

func readCorrection(ctx context.Context, db DB, k store.EventKey) (store.Correction, bool, error) {
	c := store.Correction{Key: k}
	var patch, updated string
	err := db.QueryRow(ctx, `SELECT state, patch, user_name, updated_at FROM corrections
		WHERE report_hash = ? AND ev_start = ? AND ev_end = ? AND rule = ? AND nth = ?`, k.Report, k.Start, k.End, k.Rule, k.Nth).
		Scan(&c.State, &patch, &c.User, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	if err := json.Unmarshal([]byte(patch), &c.Patch); err != nil {
		return c, false, fmt.Errorf("decode correction patch: %w", err)
	}
	c.UpdatedAt, err = parseTime(updated)
	return c, true, err
}

// ReviewEvent applies a review inside the caller's transaction: the event is
// updated, its correction kept and the change logged.
func ReviewEvent(ctx context.Context, db DB, rv store.Review) error {
	if err := rv.Validate(); err != nil {
		return err
	}
	ev, err := loadReviewed(ctx, db, rv.EventID)
	if err != nil {
		return err
	}
	old, _, err := readCorrection(ctx, db, ev.key)
	if err != nil {
		return fmt.Errorf("correction: %w", err)
	}
	before := store.FieldsOf(&ev.ev, ev.state)
	patch := old.Patch
	var state string
	switch rv.Action {
	case store.ReviewAccept:
		state = store.StateAccepted
	case store.ReviewReject:
		state = store.StateRejected
	default:
		state = store.StateCorrected
		patch = patch.Merge(rv.Patch)
	}
	e := ev.ev
	patch.Apply(&e)
	if err := updateEvent(ctx, db, ev.id, &e, state); err != nil {
		return fmt.Errorf("update event %d: %w", ev.id, err)
	}
	pj, err := json.Marshal(patch)
	if err != nil {
		return err
	}
	now := Now()
	k := ev.key
	if err := db.Exec(ctx, `INSERT INTO corrections (report_hash, ev_start, ev_end, rule, nth, state, patch, user_name, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (report_hash, ev_start, ev_end, rule, nth) DO UPDATE SET state = excluded.state, patch = excluded.patch,
		user_name = excluded.user_name, updated_at = excluded.updated_at`,
		k.Report, k.Start, k.End, k.Rule, k.Nth, state, string(pj), rv.User, now); err != nil {
		return fmt.Errorf("store correction: %w", err)
	}
	bj, err := json.Marshal(before)
	if err != nil {
		return err
	}
	aj, err := json.Marshal(store.FieldsOf(&e, state))
	if err != nil {
		return err
	}
	if err := db.Exec(ctx, `INSERT INTO audit_log (at, user_name, action, event_id, report_hash, ev_start, ev_end, rule, nth, before_doc, after_doc, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		now, rv.User, rv.Action, ev.id, k.Report, k.Start, k.End, k.Rule, k.Nth, string(bj), string(aj), rv.Reason); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

// ApplyCorrections applies the kept corrections of a report (hash) to its
// stored events (reportID), inside the caller's transaction: called after the
// events of a report are inserted. A correction whose key no longer names an
// event (the extractor changed the span or the rule) is kept but applies to
// nothing.
func ApplyCorrections(ctx context.Context, db DB, reportID int64, hash string) error {
	cs, err := Corrections(ctx, db, hash)
	if err != nil {
		return fmt.Errorf("corrections: %w", err)
	}
	for _, c := range cs {
		k := c.Key
		var id int64
		var doc []byte
		err := db.QueryRow(ctx, `SELECT id, doc FROM events WHERE report_id = ? AND evidence_start = ? AND evidence_end = ? AND rule = ?
			ORDER BY seq LIMIT 1 OFFSET ?`, reportID, k.Start, k.End, k.Rule, k.Nth).Scan(&id, &doc)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("corrections: event of %+v: %w", k, err)
		}
		var e truce.Event
		if err := json.Unmarshal(doc, &e); err != nil {
			return fmt.Errorf("corrections: decode event %d: %w", id, err)
		}
		c.Patch.Apply(&e)
		if err := updateEvent(ctx, db, id, &e, c.State); err != nil {
			return fmt.Errorf("corrections: event %d: %w", id, err)
		}
	}
	return nil
}

// Corrections lists the corrections of a report hash ("" for all).
func Corrections(ctx context.Context, db DB, hash string) ([]store.Correction, error) {
	rows, err := db.Query(ctx, `SELECT report_hash, ev_start, ev_end, rule, nth, state, patch, user_name, updated_at FROM corrections
		WHERE CAST(? AS TEXT) = '' OR report_hash = ? ORDER BY report_hash, ev_start, ev_end, rule, nth`, hash, hash)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.Correction{}
	for rows.Next() {
		var c store.Correction
		var patch, updated string
		if err := rows.Scan(&c.Key.Report, &c.Key.Start, &c.Key.End, &c.Key.Rule, &c.Key.Nth, &c.State, &patch, &c.User, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(patch), &c.Patch); err != nil {
			return nil, fmt.Errorf("decode correction patch: %w", err)
		}
		if c.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AuditLog lists audit entries matching f, newest first.
func AuditLog(ctx context.Context, db DB, f store.AuditFilter) ([]store.AuditEntry, error) {
	if f.Offset < 0 {
		return nil, fmt.Errorf("offset %d: %w", f.Offset, store.ErrInvalid)
	}
	rows, err := db.Query(ctx, `SELECT id, at, user_name, action, event_id, report_hash, ev_start, ev_end, rule, nth, before_doc, after_doc, reason
		FROM audit_log WHERE (CAST(? AS TEXT) = '' OR user_name = ?) AND (CAST(? AS TEXT) = '' OR report_hash = ?) ORDER BY id DESC LIMIT ? OFFSET ?`,
		f.User, f.User, f.Report, f.Report, f.SQLLimit(), f.Offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		var a store.AuditEntry
		var at, before, after string
		if err := rows.Scan(&a.ID, &at, &a.User, &a.Action, &a.EventID, &a.Key.Report, &a.Key.Start, &a.Key.End, &a.Key.Rule, &a.Key.Nth,
			&before, &after, &a.Reason); err != nil {
			return nil, err
		}
		if a.At, err = parseTime(at); err != nil {
			return nil, err
		}
		a.Before, a.After = json.RawMessage(before), json.RawMessage(after)
		out = append(out, a)
	}
	return out, rows.Err()
}
