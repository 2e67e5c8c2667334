package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/truce-monitor/truce/store"
)

// LinkEvent records an analyst's link of an event to a provision.
func (s *Store) LinkEvent(ctx context.Context, l store.ProvisionLink) (store.ProvisionLink, error) {
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("sqlite: link event: %w", err)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return l, fmt.Errorf("sqlite: link event: begin: %w", err)
	}
	defer tx.Rollback()
	var one int
	err = tx.QueryRowContext(ctx, "SELECT 1 FROM events WHERE id = ?", l.EventID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("sqlite: link event: event %d: %w", l.EventID, store.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("sqlite: link event: event %d: %w", l.EventID, err)
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	var created string
	err = tx.QueryRowContext(ctx, `INSERT INTO provision_links (provision, event_id, role, note, created_at)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (provision, event_id) DO UPDATE SET role = excluded.role, note = excluded.note
		RETURNING id, created_at`, l.Provision, l.EventID, l.Role, l.Note, now).Scan(&l.ID, &created)
	if err != nil {
		return l, fmt.Errorf("sqlite: link event: %w", err)
	}
	if l.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
		return l, fmt.Errorf("sqlite: link event: created_at %q: %w", created, err)
	}
	if err := tx.Commit(); err != nil {
		return l, fmt.Errorf("sqlite: link event: commit: %w", err)
	}
	return l, nil
}

// UnlinkEvent removes the link of an event to a provision.
func (s *Store) UnlinkEvent(ctx context.Context, provision string, eventID int64) error {
	res, err := s.w.ExecContext(ctx, "DELETE FROM provision_links WHERE provision = ? AND event_id = ?", provision, eventID)
	if err != nil {
		return fmt.Errorf("sqlite: unlink event: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("sqlite: unlink event: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("sqlite: unlink event %d from %s: %w", eventID, provision, store.ErrNotFound)
	}
	return nil
}

// ProvisionLinks lists the links of a provision ("" for all), oldest first.
func (s *Store) ProvisionLinks(ctx context.Context, provision string) ([]store.ProvisionLink, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, provision, event_id, role, note, created_at FROM provision_links
		WHERE ? = '' OR provision = ? ORDER BY created_at, id`, provision, provision)
	if err != nil {
		return nil, fmt.Errorf("sqlite: provision links: %w", err)
	}
	defer rows.Close()
	out := []store.ProvisionLink{}
	for rows.Next() {
		var l store.ProvisionLink
		var created string
		if err := rows.Scan(&l.ID, &l.Provision, &l.EventID, &l.Role, &l.Note, &created); err != nil {
			return nil, fmt.Errorf("sqlite: provision links: %w", err)
		}
		if l.CreatedAt, err = time.Parse(time.RFC3339Nano, created); err != nil {
			return nil, fmt.Errorf("sqlite: provision links: link %d: created_at %q: %w", l.ID, created, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: provision links: %w", err)
	}
	return out, nil
}
