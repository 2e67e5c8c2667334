package sqlite

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
)

// CreateUser stores a new user.
func (s *Store) CreateUser(ctx context.Context, name, role, passwordHash string) (store.User, error) {
	u, err := sqlq.CreateUser(ctx, sqlDB{s.w}, name, role, passwordHash)
	if err != nil {
		return u, fmt.Errorf("sqlite: create user: %w", err)
	}
	return u, nil
}

// UserByName returns a user with its password hash.
func (s *Store) UserByName(ctx context.Context, name string) (store.User, error) {
	u, err := sqlq.UserByName(ctx, sqlDB{s.r}, name)
	if err != nil {
		return u, fmt.Errorf("sqlite: %w", err)
	}
	return u, nil
}

// Users lists the users by name.
func (s *Store) Users(ctx context.Context) ([]store.User, error) {
	us, err := sqlq.Users(ctx, sqlDB{s.r})
	if err != nil {
		return nil, fmt.Errorf("sqlite: users: %w", err)
	}
	return us, nil
}

// AddToken stores the hash of an API token.
func (s *Store) AddToken(ctx context.Context, userID int64, hash string) error {
	if err := sqlq.AddToken(ctx, sqlDB{s.w}, userID, hash); err != nil {
		return fmt.Errorf("sqlite: add token: %w", err)
	}
	return nil
}

// UserByToken returns the user of a token hash.
func (s *Store) UserByToken(ctx context.Context, hash string) (store.User, error) {
	u, err := sqlq.UserByToken(ctx, sqlDB{s.r}, hash)
	if err != nil {
		return u, fmt.Errorf("sqlite: %w", err)
	}
	return u, nil
}

// CreateSession stores a login.
func (s *Store) CreateSession(ctx context.Context, sess store.Session) error {
	if err := sqlq.CreateSession(ctx, sqlDB{s.w}, sess); err != nil {
		return fmt.Errorf("sqlite: create session: %w", err)
	}
	return nil
}

// SessionByHash returns an unexpired session and its user.
func (s *Store) SessionByHash(ctx context.Context, hash string) (store.Session, store.User, error) {
	sess, u, err := sqlq.SessionByHash(ctx, sqlDB{s.w}, hash)
	if err != nil {
		return sess, u, fmt.Errorf("sqlite: %w", err)
	}
	return sess, u, nil
}

// DeleteSession ends a login.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	if err := sqlq.DeleteSession(ctx, sqlDB{s.w}, hash); err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// Corrections lists the kept corrections of a report hash ("" for all).
func (s *Store) Corrections(ctx context.Context, reportHash string) ([]store.Correction, error) {
	cs, err := sqlq.Corrections(ctx, sqlDB{s.r}, reportHash)
	if err != nil {
		return nil, fmt.Errorf("sqlite: corrections: %w", err)
	}
	return cs, nil
}

// AuditLog lists audit entries, newest first.
func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	out, err := sqlq.AuditLog(ctx, sqlDB{s.r}, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: audit log: %w", err)
	}
	return out, nil
}

// ReviewEvent applies an analyst's review to a stored event in one transaction.
func (s *Store) ReviewEvent(ctx context.Context, r store.Review) (store.StoredEvent, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return store.StoredEvent{}, fmt.Errorf("sqlite: review event: begin: %w", err)
	}
	defer tx.Rollback()
	if err := sqlq.ReviewEvent(ctx, sqlDB{tx}, r); err != nil {
		return store.StoredEvent{}, fmt.Errorf("sqlite: review event: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return store.StoredEvent{}, fmt.Errorf("sqlite: review event: commit: %w", err)
	}
	return s.Event(ctx, r.EventID)
}
