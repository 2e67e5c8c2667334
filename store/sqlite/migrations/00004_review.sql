-- +goose Up
-- Users, their logins and API tokens, the analysts' corrections of events and
-- the audit log (docs/review.md). Times are RFC 3339 UTC text in both dialects.
-- Passwords, session cookies and API tokens are stored only as hashes.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash TEXT NOT NULL DEFAULT '', -- encoded PBKDF2 hash; '' for a token-only account
    created_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       TEXT NOT NULL UNIQUE, -- hex SHA-256 of the token
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY, -- hex SHA-256 of the cookie value
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- A correction is keyed by the event's stable key, not its id, so that it
-- survives re-extraction: it is applied again whenever the report is stored.
CREATE TABLE corrections (
    report_hash TEXT    NOT NULL,
    ev_start    INTEGER NOT NULL,
    ev_end      INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    nth         INTEGER NOT NULL DEFAULT 0,
    state       TEXT    NOT NULL CHECK (state IN ('accepted', 'corrected', 'rejected')),
    patch       TEXT    NOT NULL DEFAULT '{}', -- store.EventPatch in JSON
    user_name   TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (report_hash, ev_start, ev_end, rule, nth)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    user_name   TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    event_id    INTEGER NOT NULL DEFAULT 0, -- the id when the change was made; no foreign key: the log outlives events
    report_hash TEXT    NOT NULL,
    ev_start    INTEGER NOT NULL,
    ev_end      INTEGER NOT NULL,
    rule        TEXT    NOT NULL,
    nth         INTEGER NOT NULL DEFAULT 0,
    before_doc  TEXT    NOT NULL,
    after_doc   TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_user ON audit_log(user_name, id);
CREATE INDEX audit_log_report ON audit_log(report_hash, id);

ALTER TABLE events ADD COLUMN review TEXT NOT NULL DEFAULT ''; -- '', accepted, corrected, rejected

-- +goose Down
ALTER TABLE events DROP COLUMN review;
DROP TABLE audit_log;
DROP TABLE corrections;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
