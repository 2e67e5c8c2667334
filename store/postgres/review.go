package postgres

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
)

// CreateUser stores a new user.
func (s *Store) CreateUser(ctx context.Context, name, role, passwordHash string) (store.User, error) {
	u, err := sqlq.CreateUser(ctx, pgDB{s.pool}, name, role, passwordHash)
	if err != nil {
		return u, fmt.Errorf("postgres: create user: %w", err)
	}
	return u, nil
}

// UserByName returns a user with its password hash.
func (s *Store) UserByName(ctx context.Context, name string) (store.User, error) {
	u, err := sqlq.UserByName(ctx, pgDB{s.pool}, name)
	if err != nil {
		return u, fmt.Errorf("postgres: %w", err)
	}
	return u, nil
}

// Users lists the users by name.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	us, err := sqlq.Users(ctx, pgDB{s.pool})
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	return us, nil
}

// AddToken stores the hash of an API token.
func (s *Store) AddToken(ctx context.Context, userID int64, hash string) error {
	if err := sqlq.AddToken(ctx, pgDB{s.pool}, userID, hash); err != nil {
		return fmt.Errorf("postgres: add token: %w", err)
	}
	return nil
}

// UserByToken returns the user of a token hash.
func (s *Store) UserByToken(ctx context.Context, hash string) (store.User, error) {
	u, err := sqlq.UserByToken(ctx, pgDB{s.pool}, hash)
	if err != nil {
		return u, fmt.Errorf("postgres: %w", err)
	}
	return u, nil
}

// CreateSession stores a login.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := sqlq.CreateSession(ctx, pgDB{s.pool}, sess); err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// SessionByHash returns an unexpired session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash string) (store.Session, store.User, error) {
	sess, u, err := sqlq.SessionByHash(ctx, pgDB{s.pool}, hash)
	if err != nil {
		return sess, u, fmt.Errorf("postgres: %w", err)
	}
	return sess, u, nil
}

// DeleteSession ends a login.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if err := sqlq.DeleteSession(ctx, pgDB{s.pool}, hash); err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// Corrections lists the kept corrections of a report hash ("" for all).
func (s *Store) Corrections(ctx context.Context, reportHash string) ([]store.Correction, error) {
	cs, err := sqlq.Corrections(ctx, pgDB{s.pool}, reportHash)
	if err != nil {
		return nil, fmt.Errorf("postgres: corrections: %w", err)
	}
	return cs, nil
}

// AuditLog lists audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	out, err := sqlq.AuditLog(ctx, pgDB{s.pool}, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	return out, nil
}

// ReviewEvent applies an analyst's review to a stored event in one transaction.
func (s *Store) ReviewEvent(ctx context.Context, r store.Review) (store.StoredEvent, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return store.StoredEvent{}, fmt.Errorf("postgres: review event: begin: %w", err)
	}
	defer rollback(tx)
	// The event row is locked so that two reviews of it are applied one after the other.
	if _, err := tx.Exec(ctx, "SELECT 1 FROM events WHERE id = $1 FOR UPDATE", r.EventID); err != nil {
		return store.StoredEvent{}, fmt.Errorf("postgres: review event: lock: %w", err)
	}
	if err := sqlq.ReviewEvent(ctx, pgDB{tx}, r); err != nil {
		return store.StoredEvent{}, fmt.Errorf("postgres: review event: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return store.StoredEvent{}, fmt.Errorf("postgres: review event: commit: %w", err)
	}
	return s.Event(ctx, r.EventID)
}
