package sqlq

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// DB is what the incident queries need of a transaction or a connection
// pool, in either backend. Queries use "?" placeholders; a PostgreSQL adapter
// rewrites them. QueryRow's Scan returns sql.ErrNoRows when there is no row.
type DB interface {
	Exec(ctx context.Context, query string, args ...any) error
	QueryRow(ctx context.Context, query string, args ...any) Row
	Query(ctx context.Context, query string, args ...any) (Rows, error)
}

// Row is one result row.
type Row interface{ Scan(dest ...any) error }

// Rows is a result set.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Rebind turns "?" placeholders into PostgreSQL's "$1", "$2", ….
func Rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// ClearIncidents removes every stored incident and copy link.
func ClearIncidents(ctx context.Context, db DB) error {
	if err := db.Exec(ctx, "DELETE FROM incidents"); err != nil {
		return fmt.Errorf("clear incidents: %w", err)
	}
	if err := db.Exec(ctx, "DELETE FROM report_copies"); err != nil {
		return fmt.Errorf("clear copy links: %w", err)
	}
	return nil
}

// DeleteIncidentsOfReport removes every incident with a member in a report.
func DeleteIncidentsOfReport(ctx context.Context, db DB, reportID int64) error {
	if err := db.Exec(ctx, "DELETE FROM incidents WHERE id IN (SELECT incident_id FROM incident_members WHERE report_id = ?)", reportID); err != nil {
		return fmt.Errorf("delete incidents of report %d: %w", reportID, err)
	}
	return nil
}

// writer resolves report hashes and event positions to ids once per transaction.
type writer struct {
	db      DB
	reports map[string]int64
}

func (w *writer) report(ctx context.Context, hash string) (int64, error) {
	if id, ok := w.reports[hash]; ok {
		return id, nil
	}
	var id int64
	err := w.db.QueryRow(ctx, "SELECT id FROM reports WHERE hash = ?", hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("report %.12s is not stored: %w", hash, store.ErrInvalid)
	}
	if err != nil {
		return 0, fmt.Errorf("report %.12s: %w", hash, err)
	}
	w.reports[hash] = id
	return id, nil
}

func (w *writer) event(ctx context.Context, reportID int64, seq int) (int64, error) {
	var id int64
	err := w.db.QueryRow(ctx, "SELECT id FROM events WHERE report_id = ? AND seq = ?", reportID, seq).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("event %d of report %d is not stored: %w", seq, reportID, store.ErrInvalid)
	}
	if err != nil {
		return 0, fmt.Errorf("event %d of report %d: %w", seq, reportID, err)
	}
	return id, nil
}

// WriteFusion stores the copy links and incidents of f; now is the
// updated_at value in the backend's representation. An incident is replaced
// in place when one with the same first event is stored; any other stored
// incident holding one of its events is removed (it no longer matches the fuser).
func WriteFusion(ctx context.Context, db DB, f *store.Fusion, now any) error {
	if f == nil {
		return nil
	}
	w := &writer{db: db, reports: map[string]int64{}}
	for _, c := range f.Copies {
		r, err := w.report(ctx, c.Report)
		if err != nil {
			return fmt.Errorf("copy link: %w", err)
		}
		o, err := w.report(ctx, c.CopyOf)
		if err != nil {
			return fmt.Errorf("copy link: %w", err)
		}
		if err := db.Exec(ctx, `INSERT INTO report_copies (report_id, copy_of, containment) VALUES (?, ?, ?)
			ON CONFLICT (report_id) DO UPDATE SET copy_of = excluded.copy_of, containment = excluded.containment`, r, o, c.Containment); err != nil {
			return fmt.Errorf("copy link of report %d: %w", r, err)
		}
	}
	for i := range f.Incidents {
		if err := w.incident(ctx, &f.Incidents[i], now); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) incident(ctx context.Context, rec *store.IncidentRecord, now any) error {
	if err := rec.Validate(); err != nil {
		return err
	}
	events := make([]int64, len(rec.Members))
	reports := make([]int64, len(rec.Members))
	for i, m := range rec.Members {
		r, err := w.report(ctx, m.Report)
		if err != nil {
			return fmt.Errorf("incident member %d: %w", i, err)
		}
		e, err := w.event(ctx, r, m.Seq)
		if err != nil {
			return fmt.Errorf("incident member %d: %w", i, err)
		}
		reports[i], events[i] = r, e
	}
	var id int64
	err := w.db.QueryRow(ctx, "SELECT id FROM incidents WHERE event_id = ?", events[0]).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("look up incident of event %d: %w", events[0], err)
	}
	for _, e := range events {
		if err := w.db.Exec(ctx, `DELETE FROM incidents WHERE id <> ? AND id IN
			(SELECT incident_id FROM incident_members WHERE event_id = ?)`, id, e); err != nil {
			return fmt.Errorf("remove stale incident of event %d: %w", e, err)
		}
	}
	var place *string
	placeID, placeName := "", ""
	if rec.Place != nil {
		b, err := json.Marshal(rec.Place)
		if err != nil {
			return fmt.Errorf("incident place: %w", err)
		}
		s := string(b)
		place, placeID, placeName = &s, rec.Place.ID, rec.Place.Canonical
		if placeName == "" {
			placeName = rec.Place.Name
		}
	}
	orig, err := marshalList(rec.Originators)
	if err != nil {
		return err
	}
	den, err := marshalList(rec.Deniers)
	if err != nil {
		return err
	}
	end := rec.End
	if end == "" {
		end = rec.Start
	}
	args := []any{rec.Type, rec.Start, end, placeID, placeName, place, rec.Credibility, rec.Grounds, rec.PartyClaim, orig, den, now}
	if id != 0 {
		if err := w.db.Exec(ctx, `UPDATE incidents SET type = ?, date_start = ?, date_end = ?, place_id = ?, place_name = ?, place = ?,
			credibility = ?, grounds = ?, party_claim = ?, originators = ?, deniers = ?, updated_at = ? WHERE id = ?`, append(args, id)...); err != nil {
			return fmt.Errorf("update incident %d: %w", id, err)
		}
		for _, t := range []string{"incident_members", "incident_conflicts"} {
			// t is one of two fixed table names.
			if err := w.db.Exec(ctx, "DELETE FROM "+t+" WHERE incident_id = ?", id); err != nil {
				return fmt.Errorf("update incident %d: %w", id, err)
			}
		}
	} else {
		err := w.db.QueryRow(ctx, `INSERT INTO incidents (type, date_start, date_end, place_id, place_name, place,
			credibility, grounds, party_claim, originators, deniers, updated_at, event_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, append(args, events[0])...).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert incident: %w", err)
		}
	}
	for i, m := range rec.Members {
		o, err := json.Marshal(m.Originator)
		if err != nil {
			return fmt.Errorf("incident %d member %d: %w", id, i, err)
		}
		if err := w.db.Exec(ctx, `INSERT INTO incident_members (incident_id, seq, event_id, report_id, is_copy, swapped, party_claim, score, originator)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i, events[i], reports[i], m.Copy, m.Swapped, m.PartyClaim, m.Score, string(o)); err != nil {
			return fmt.Errorf("incident %d member %d: %w", id, i, err)
		}
	}
	for i, c := range rec.Conflicts {
		v, err := json.Marshal(c.Values)
		if err != nil {
			return fmt.Errorf("incident %d conflict %d: %w", id, i, err)
		}
		if err := w.db.Exec(ctx, `INSERT INTO incident_conflicts (incident_id, seq, field, what, versions) VALUES (?, ?, ?, ?, ?)`,
			id, i, c.Field, c.What, string(v)); err != nil {
			return fmt.Errorf("incident %d conflict %d: %w", id, i, err)
		}
	}
	return nil
}

func marshalList(l []store.IncidentSource) (string, error) {
	if l == nil {
		l = []store.IncidentSource{}
	}
	b, err := json.Marshal(l)
	if err != nil {
		return "", fmt.Errorf("incident sources: %w", err)
	}
	return string(b), nil
}

const incidentCols = `id, type, date_start, date_end, place, credibility, grounds, party_claim, originators, deniers, updated_at`

// ReadIncidents lists the incidents matching f with their members and conflicts.
func ReadIncidents(ctx context.Context, db DB, f store.IncidentFilter) ([]store.StoredIncident, error) {
	if err := f.CheckDates(); err != nil {
		return nil, err
	}
	q := "SELECT " + incidentCols + " FROM incidents WHERE 1 = 1"
	var args []any
	if f.From != "" {
		q += " AND date_start <> '' AND date_end >= ?"
		args = append(args, f.From)
	}
	if f.To != "" {
		q += " AND date_start <> '' AND date_start <= ?"
		args = append(args, f.To)
	}
	if f.Type != "" {
		q += " AND type = ?"
		args = append(args, f.Type)
	}
	q += " ORDER BY date_start, id"
	if n := f.SQLLimit(); n >= 0 {
		q += " LIMIT " + strconv.Itoa(n)
	}
	if f.Offset > 0 {
		if f.SQLLimit() < 0 {
			q += " LIMIT 9223372036854775807" // SQLite needs a LIMIT before OFFSET
		}
		q += " OFFSET " + strconv.Itoa(f.Offset)
	}
	return readIncidents(ctx, db, q, args...)
}

// ReadIncident returns one incident: by id, or the one holding an event when byEvent is set.
func ReadIncident(ctx context.Context, db DB, id int64, byEvent bool) (store.StoredIncident, error) {
	q := "SELECT " + incidentCols + " FROM incidents WHERE id = ?"
	if byEvent {
		q = "SELECT " + incidentCols + " FROM incidents WHERE id = (SELECT incident_id FROM incident_members WHERE event_id = ?)"
	}
	out, err := readIncidents(ctx, db, q, id)
	if err != nil {
		return store.StoredIncident{}, err
	}
	if len(out) == 0 {
		if byEvent {
			return store.StoredIncident{}, fmt.Errorf("incident of event %d: %w", id, store.ErrNotFound)
		}
		return store.StoredIncident{}, fmt.Errorf("incident %d: %w", id, store.ErrNotFound)
	}
	return out[0], nil
}

func readIncidents(ctx context.Context, db DB, q string, args ...any) ([]store.StoredIncident, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	out := []store.StoredIncident{}
	index := map[int64]int{}
	for rows.Next() {
		var in store.StoredIncident
		var place *string
		var orig, den string
		var updated any
		if err := rows.Scan(&in.ID, &in.Type, &in.Start, &in.End, &place, &in.Credibility, &in.Grounds, &in.PartyClaim, &orig, &den, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incidents: %w", err)
		}
		if place != nil {
			in.Place = new(truce.Place)
			if err := json.Unmarshal([]byte(*place), in.Place); err != nil {
				rows.Close()
				return nil, fmt.Errorf("incident %d: place: %w", in.ID, err)
			}
		}
		if err := errors.Join(json.Unmarshal([]byte(orig), &in.Originators), json.Unmarshal([]byte(den), &in.Deniers)); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incident %d: sources: %w", in.ID, err)
		}
		if in.UpdatedAt, err = scanTime(updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("incident %d: %w", in.ID, err)
		}
		in.Members = []store.IncidentMember{}
		index[in.ID] = len(out)
		out = append(out, in)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("incidents: %w", err)
	}
	// Members and conflicts, a chunk of incidents at a time.
	const chunk = 500
	for lo := 0; lo < len(out); lo += chunk {
		hi := min(lo+chunk, len(out))
		ids := make([]any, 0, hi-lo)
		for _, in := range out[lo:hi] {
			ids = append(ids, in.ID)
		}
		in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
		if err := readMembers(ctx, db, in, ids, out, index); err != nil {
			return nil, err
		}
		if err := readConflicts(ctx, db, in, ids, out, index); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func readMembers(ctx context.Context, db DB, in string, ids []any, out []store.StoredIncident, index map[int64]int) error {
	rows, err := db.Query(ctx, `SELECT m.incident_id, m.event_id, m.report_id, e.seq, e.type, e.evidence_text, r.source, r.title, r.published,
		m.is_copy, coalesce(c.copy_of, 0), m.swapped, m.party_claim, m.score, m.originator
		FROM incident_members m JOIN events e ON e.id = m.event_id JOIN reports r ON r.id = m.report_id
		LEFT JOIN report_copies c ON c.report_id = m.report_id
		WHERE m.incident_id IN `+in+` ORDER BY m.incident_id, m.seq`, ids...)
	if err != nil {
		return fmt.Errorf("incident members: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var inc int64
		var m store.IncidentMember
		var orig string
		if err := rows.Scan(&inc, &m.EventID, &m.ReportID, &m.Seq, &m.Type, &m.Evidence, &m.Source, &m.ReportTitle, &m.Published,
			&m.Copy, &m.CopyOf, &m.Swapped, &m.PartyClaim, &m.Score, &orig); err != nil {
			return fmt.Errorf("incident members: %w", err)
		}
		if err := json.Unmarshal([]byte(orig), &m.Originator); err != nil {
			return fmt.Errorf("incident %d: originator: %w", inc, err)
		}
		i := index[inc]
		out[i].Members = append(out[i].Members, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("incident members: %w", err)
	}
	return nil
}

func readConflicts(ctx context.Context, db DB, in string, ids []any, out []store.StoredIncident, index map[int64]int) error {
	rows, err := db.Query(ctx, `SELECT incident_id, field, what, versions FROM incident_conflicts
		WHERE incident_id IN `+in+` ORDER BY incident_id, seq`, ids...)
	if err != nil {
		return fmt.Errorf("incident conflicts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var inc int64
		var c store.IncidentConflict
		var v string
		if err := rows.Scan(&inc, &c.Field, &c.What, &v); err != nil {
			return fmt.Errorf("incident conflicts: %w", err)
		}
		if err := json.Unmarshal([]byte(v), &c.Values); err != nil {
			return fmt.Errorf("incident %d: conflict %s: %w", inc, c.Field, err)
		}
		i := index[inc]
		out[i].Conflicts = append(out[i].Conflicts, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("incident conflicts: %w", err)
	}
	return nil
}

func scanTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t.UTC(), nil
	case string:
		return parseTime(t)
	case []byte:
		return parseTime(string(t))
	}
	return time.Time{}, fmt.Errorf("updated_at: unexpected %T", v)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fmt.Errorf("updated_at %q: %w", s, err)
	}
	return t, nil
}
