-- +goose Up
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    hash         TEXT    NOT NULL UNIQUE,
    simhash      INTEGER NOT NULL DEFAULT 0, -- the uint64 fingerprint, stored as its int64 bit pattern
    sh0          INTEGER NOT NULL DEFAULT 0, -- four 16-bit bands of simhash: a near-duplicate
    sh1          INTEGER NOT NULL DEFAULT 0, -- within Hamming distance 3 shares at least one band
    sh2          INTEGER NOT NULL DEFAULT 0,
    sh3          INTEGER NOT NULL DEFAULT 0,
    duplicate_of INTEGER REFERENCES reports(id) ON DELETE SET NULL,
    title        TEXT    NOT NULL DEFAULT '',
    source       TEXT    NOT NULL DEFAULT '',
    url          TEXT    NOT NULL DEFAULT '',
    published    TEXT    NOT NULL DEFAULT '',
    language     TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    origin       TEXT    NOT NULL DEFAULT '',
    ingested_at  TEXT    NOT NULL
);
CREATE INDEX reports_sh0 ON reports(sh0) WHERE simhash <> 0;
CREATE INDEX reports_sh1 ON reports(sh1) WHERE simhash <> 0;
CREATE INDEX reports_sh2 ON reports(sh2) WHERE simhash <> 0;
CREATE INDEX reports_sh3 ON reports(sh3) WHERE simhash <> 0;
CREATE INDEX reports_source ON reports(source);
CREATE INDEX reports_published ON reports(published, id);
CREATE INDEX reports_duplicate_of ON reports(duplicate_of);

CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    report_id         INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,            -- position in the extraction
    type              TEXT    NOT NULL,
    mode              TEXT    NOT NULL DEFAULT '',
    contexts          TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
    actor_name        TEXT    NOT NULL DEFAULT '',
    actor_country     TEXT    NOT NULL DEFAULT '',
    actor_kind        TEXT    NOT NULL DEFAULT '',
    actor_id          TEXT    NOT NULL DEFAULT '',
    recipient_name    TEXT    NOT NULL DEFAULT '',
    recipient_country TEXT    NOT NULL DEFAULT '',
    recipient_kind    TEXT    NOT NULL DEFAULT '',
    recipient_id      TEXT    NOT NULL DEFAULT '',
    actors_lc         TEXT    NOT NULL DEFAULT '', -- lower-cased actor and recipient names, for substring search
    place_id          TEXT    NOT NULL DEFAULT '',
    place_name        TEXT    NOT NULL DEFAULT '',
    place_canonical   TEXT    NOT NULL DEFAULT '',
    place_country     TEXT    NOT NULL DEFAULT '',
    place_precision   TEXT    NOT NULL DEFAULT '',
    place_keys        TEXT    NOT NULL DEFAULT '', -- "\n"-framed lower-cased id, names and name parts
    lat               REAL,                        -- NULL when the event has no coordinates
    lon               REAL,
    date_start        TEXT    NOT NULL DEFAULT '', -- '' when undated; undated events sort first
    date_end          TEXT    NOT NULL DEFAULT '',
    date_precision    TEXT    NOT NULL DEFAULT '',
    span_days         INTEGER NOT NULL DEFAULT 0,  -- date_end - date_start in days
    evidence_text     TEXT    NOT NULL DEFAULT '',
    evidence_start    INTEGER NOT NULL DEFAULT 0,
    evidence_end      INTEGER NOT NULL DEFAULT 0,
    negated           INTEGER NOT NULL DEFAULT 0,
    modality          TEXT    NOT NULL DEFAULT '',
    rule              TEXT    NOT NULL DEFAULT '',
    confidence        REAL    NOT NULL DEFAULT 0,
    attribution       TEXT,                        -- JSON, NULL when unattributed
    quantities        TEXT    NOT NULL DEFAULT '[]', -- JSON
    doc               TEXT    NOT NULL             -- the whole truce.Event as JSON
);
-- The keyset order (date_start, id) followed by the columns the common filters
-- test, so a filtered page is read from the index in order and a table row is
-- only fetched for an event that passes the bbox and date tests.
CREATE INDEX events_date ON events(date_start, id, lon, lat, date_end, type);
CREATE INDEX events_type_date ON events(type, date_start, id, lon, lat, date_end);
CREATE INDEX events_report ON events(report_id, seq);
CREATE INDEX events_place ON events(place_id, place_canonical);
CREATE INDEX events_actor_country ON events(actor_country, date_start, id);
CREATE INDEX events_recipient_country ON events(recipient_country, date_start, id);
CREATE INDEX events_span ON events(span_days);

-- Bounding boxes of the events that have coordinates.
CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat);

-- Full-text index over the evidence, external content kept in sync by triggers.
CREATE VIRTUAL TABLE events_fts USING fts5(
    evidence_text,
    content = 'events',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- +goose StatementBegin
CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, evidence_text) VALUES (new.id, new.evidence_text);
    INSERT INTO events_rtree(id, min_lon, max_lon, min_lat, max_lat)
        SELECT new.id, new.lon, new.lon, new.lat, new.lat
        WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, evidence_text) VALUES ('delete', old.id, old.evidence_text);
    DELETE FROM events_rtree WHERE id = old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER events_au AFTER UPDATE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, evidence_text) VALUES ('delete', old.id, old.evidence_text);
    INSERT INTO events_fts(rowid, evidence_text) VALUES (new.id, new.evidence_text);
    DELETE FROM events_rtree WHERE id = old.id;
    INSERT INTO events_rtree(id, min_lon, max_lon, min_lat, max_lat)
        SELECT new.id, new.lon, new.lon, new.lat, new.lat
        WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
END;
-- +goose StatementEnd

CREATE TABLE claims (
    id             INTEGER PRIMARY KEY,
    report_id      INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,
    text           TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL DEFAULT '',
    speaker        TEXT    NOT NULL DEFAULT '',
    evidence_text  TEXT    NOT NULL DEFAULT '',
    evidence_start INTEGER NOT NULL DEFAULT 0,
    evidence_end   INTEGER NOT NULL DEFAULT 0,
    rule           TEXT    NOT NULL DEFAULT '',
    doc            TEXT    NOT NULL
);
CREATE INDEX claims_report ON claims(report_id, seq);

CREATE TABLE indicators (
    id              INTEGER PRIMARY KEY,
    report_id       INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    metric          TEXT    NOT NULL,
    value           REAL,
    min             REAL,
    max             REAL,
    unit            TEXT    NOT NULL DEFAULT '',
    scope           TEXT    NOT NULL DEFAULT '',
    place_id        TEXT    NOT NULL DEFAULT '',
    place_name      TEXT    NOT NULL DEFAULT '',
    place_keys      TEXT    NOT NULL DEFAULT '',
    as_of           TEXT    NOT NULL DEFAULT '',
    evidence_text   TEXT    NOT NULL DEFAULT '',
    evidence_start  INTEGER NOT NULL DEFAULT 0,
    evidence_end    INTEGER NOT NULL DEFAULT 0,
    doc             TEXT    NOT NULL
);
CREATE INDEX indicators_metric ON indicators(metric, as_of, id);
CREATE INDEX indicators_report ON indicators(report_id, seq);
CREATE INDEX indicators_as_of ON indicators(as_of, id);

-- +goose Down
DROP TABLE indicators;
DROP TABLE claims;
DROP TRIGGER events_au;
DROP TRIGGER events_ad;
DROP TRIGGER events_ai;
DROP TABLE events_fts;
DROP TABLE events_rtree;
DROP TABLE events;
DROP TABLE reports;
