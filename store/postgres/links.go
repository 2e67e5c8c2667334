package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/truce-monitor/truce/store"
)

// LinkEvent records an analyst's link of an event to a provision.
func (s *Store) LinkEvent(ctx context.Context, l store.ProvisionLink) (store.ProvisionLink, error) {
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("postgres: link event: %w", err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return l, fmt.Errorf("postgres: link event: begin: %w", err)
	}
	defer rollback(tx)
	var one int
	err = tx.QueryRow(ctx, "SELECT 1 FROM events WHERE id = $1", l.EventID).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, fmt.Errorf("postgres: link event: event %d: %w", l.EventID, store.ErrNotFound)
	}
	if err != nil {
		return l, fmt.Errorf("postgres: link event: event %d: %w", l.EventID, err)
	}
	err = tx.QueryRow(ctx, `INSERT INTO provision_links (provision, event_id, role, note, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (provision, event_id) DO UPDATE SET role = excluded.role, note = excluded.note
		RETURNING id, created_at`, l.Provision, l.EventID, l.Role, l.Note, time.Now().UTC()).Scan(&l.ID, &l.CreatedAt)
	if err != nil {
		return l, fmt.Errorf("postgres: link event: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return l, fmt.Errorf("postgres: link event: commit: %w", err)
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return l, nil
}

// UnlinkEvent removes the link of an event to a provision.
func (s *Store) UnlinkEvent(ctx context.Context, provision string, eventID int64) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM provision_links WHERE provision = $1 AND event_id = $2", provision, eventID)
	if err != nil {
		return fmt.Errorf("postgres: unlink event: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("postgres: unlink event %d from %s: %w", eventID, provision, store.ErrNotFound)
	}
	return nil
}

// ProvisionLinks lists the links of a provision ("" for all), oldest first.
func (s *Store) ProvisionLinks(ctx context.Context, provision string) ([]store.ProvisionLink, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, provision, event_id, role, note, created_at FROM provision_links
		WHERE $1 = '' OR provision = $1 ORDER BY created_at, id`, provision)
	if err != nil {
		return nil, fmt.Errorf("postgres: provision links: %w", err)
	}
	defer rows.Close()
	out := []store.ProvisionLink{}
	for rows.Next() {
		var l store.ProvisionLink
		if err := rows.Scan(&l.ID, &l.Provision, &l.EventID, &l.Role, &l.Note, &l.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: provision links: %w", err)
		}
		l.CreatedAt = l.CreatedAt.UTC()
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: provision links: %w", err)
	}
	return out, nil
}
