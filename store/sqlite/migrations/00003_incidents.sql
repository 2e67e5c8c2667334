-- +goose Up
-- Incidents fused from the events of many reports (package fuse), stored by
-- ingest. An incident is known by its first event (event_id); every row goes
-- with the events and reports it names, and ReplaceExtraction removes the
-- incidents of a report's old events, so re-extraction leaves no orphans.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE, -- the first member
    type            TEXT    NOT NULL,
    date_start      TEXT    NOT NULL DEFAULT '', -- '' when undated
    date_end        TEXT    NOT NULL DEFAULT '',
    place_id        TEXT    NOT NULL DEFAULT '',
    place_name      TEXT    NOT NULL DEFAULT '',
    place           TEXT,                        -- the truce.Place as JSON, NULL when none
    credibility     INTEGER NOT NULL CHECK (credibility BETWEEN 1 AND 6),
    grounds         TEXT    NOT NULL DEFAULT '',
    party_claim     INTEGER NOT NULL DEFAULT 0,
    originators     TEXT    NOT NULL DEFAULT '[]', -- JSON
    deniers         TEXT    NOT NULL DEFAULT '[]', -- JSON
    updated_at      TEXT    NOT NULL
);
CREATE INDEX incidents_date ON incidents(date_start, id);

CREATE TABLE incident_members (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,                 -- position in the incident
    event_id    INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
    report_id   INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    is_copy     INTEGER NOT NULL DEFAULT 0,
    swapped     INTEGER NOT NULL DEFAULT 0,       -- the other side's account of who acted
    party_claim INTEGER NOT NULL DEFAULT 0,
    score       REAL    NOT NULL DEFAULT 0,
    originator  TEXT    NOT NULL DEFAULT '{}',    -- JSON
    PRIMARY KEY (incident_id, seq)
);
CREATE INDEX incident_members_report ON incident_members(report_id);

CREATE TABLE incident_conflicts (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    field       TEXT    NOT NULL,
    what        TEXT    NOT NULL DEFAULT '',
    versions    TEXT    NOT NULL,                 -- JSON: [{value, members, sources}]
    PRIMARY KEY (incident_id, seq)
);

CREATE TABLE report_copies (
    report_id   INTEGER PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    copy_of     INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    containment REAL    NOT NULL DEFAULT 0
);
CREATE INDEX report_copies_copy_of ON report_copies(copy_of);

-- +goose Down
DROP TABLE report_copies;
DROP TABLE incident_conflicts;
DROP TABLE incident_members;
DROP TABLE incidents;
