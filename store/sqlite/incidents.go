package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
)

// sqlDB adapts a *sql.DB or *sql.Tx to sqlq.DB.
type sqlDB struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	}
}

func (d sqlDB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := d.q.ExecContext(ctx, query, args...)
	return err
}

func (d sqlDB) QueryRow(ctx context.Context, query string, args ...any) sqlq.Row {
	return d.q.QueryRowContext(ctx, query, args...)
}

func (d sqlDB) Query(ctx context.Context, query string, args ...any) (sqlq.Rows, error) {
	rows, err := d.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// SaveFusedExtraction stores a report, its extraction and the fusion it
// changed in one transaction.
func (s *Store) SaveFusedExtraction(ctx context.Context, x *truce.Extraction, f *store.Fusion) (int64, bool, error) {
	return s.save(ctx, x, f)
}

// ReplaceIncidents replaces every stored incident and copy link in one transaction.
func (s *Store) ReplaceIncidents(ctx context.Context, f *store.Fusion) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: replace incidents: begin: %w", err)
	}
	defer tx.Rollback()
	db := sqlDB{tx}
	if err := sqlq.ClearIncidents(ctx, db); err != nil {
		return fmt.Errorf("sqlite: replace incidents: %w", err)
	}
	if err := sqlq.WriteFusion(ctx, db, f, now()); err != nil {
		return fmt.Errorf("sqlite: replace incidents: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: replace incidents: commit: %w", err)
	}
	return nil
}

// Incidents lists the incidents matching f.
func (s *Store) Incidents(ctx context.Context, f store.IncidentFilter) ([]store.StoredIncident, error) {
	out, err := sqlq.ReadIncidents(ctx, sqlDB{s.r}, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return out, nil
}

// Incident returns one incident.
func (s *Store) Incident(ctx context.Context, id int64) (store.StoredIncident, error) {
	in, err := sqlq.ReadIncident(ctx, sqlDB{s.r}, id, false)
	if err != nil {
		return in, fmt.Errorf("sqlite: %w", err)
	}
	return in, nil
}

// IncidentOfEvent returns the incident an event belongs to.
func (s *Store) IncidentOfEvent(ctx context.Context, eventID int64) (store.StoredIncident, error) {
	in, err := sqlq.ReadIncident(ctx, sqlDB{s.r}, eventID, true)
	if err != nil {
		return in, fmt.Errorf("sqlite: %w", err)
	}
	return in, nil
}
