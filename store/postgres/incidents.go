package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
)

// pgDB adapts a pgx transaction or pool to sqlq.DB, rewriting "?" placeholders.
type pgDB struct {
	q interface {
		Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
		QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
		Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	}
}

func (d pgDB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := d.q.Exec(ctx, sqlq.Rebind(query), args...)
	return err
}

func (d pgDB) QueryRow(ctx context.Context, query string, args ...any) sqlq.Row {
	return pgRow{d.q.QueryRow(ctx, sqlq.Rebind(query), args...)}
}

func (d pgDB) Query(ctx context.Context, query string, args ...any) (sqlq.Rows, error) {
	rows, err := d.q.Query(ctx, sqlq.Rebind(query), args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// pgRow reports a missing row as sql.ErrNoRows, as sqlq expects.
type pgRow struct{ pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.Row.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	return err
}

// SaveFusedExtraction stores a report, its extraction and the fusion it
// changed in one transaction.
func (s *Store) SaveFusedExtraction(ctx context.Context, x *truce.Extraction, f *store.Fusion) (int64, bool, error) {
	return s.save(ctx, x, f)
}

// ReplaceIncidents replaces every stored incident and copy link in one transaction.
func (s *Store) ReplaceIncidents(ctx context.Context, f *store.Fusion) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: replace incidents: begin: %w", err)
	}
	defer rollback(tx)
	// Serialise with other writers of incidents.
	if _, err := tx.Exec(ctx, "LOCK TABLE incidents IN EXCLUSIVE MODE"); err != nil {
		return fmt.Errorf("postgres: replace incidents: lock: %w", err)
	}
	db := pgDB{tx}
	if err := sqlq.ClearIncidents(ctx, db); err != nil {
		return fmt.Errorf("postgres: replace incidents: %w", err)
	}
	if err := sqlq.WriteFusion(ctx, db, f, time.Now().UTC()); err != nil {
		return fmt.Errorf("postgres: replace incidents: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: replace incidents: commit: %w", err)
	}
	return nil
}

// Incidents lists the incidents matching f.
func (s *Store) Incidents(ctx context.Context, f store.IncidentFilter) ([]store.StoredIncident, error) {
	out, err := sqlq.ReadIncidents(ctx, pgDB{s.pool}, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return out, nil
}

// Incident returns one incident.
func (s *Store) Incident(ctx context.Context, id int64) (store.StoredIncident, error) {
	in, err := sqlq.ReadIncident(ctx, pgDB{s.pool}, id, false)
	if err != nil {
		return in, fmt.Errorf("postgres: %w", err)
	}
	return in, nil
}

// IncidentOfEvent returns the incident an event belongs to.
func (s *Store) IncidentOfEvent(ctx context.Context, eventID int64) (store.StoredIncident, error) {
	in, err := sqlq.ReadIncident(ctx, pgDB{s.pool}, eventID, true)
	if err != nil {
		return in, fmt.Errorf("postgres: %w", err)
	}
	return in, nil
}
