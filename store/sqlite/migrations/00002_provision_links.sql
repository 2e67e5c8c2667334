-- +goose Up
-- An analyst's links of events to agreement provisions ("nk-2020-11-10/6a").
-- A link goes with its event: re-extracting a report gives its events new ids.
CREATE TABLE provision_links (
    id         INTEGER PRIMARY KEY,
    provision  TEXT    NOT NULL,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role       TEXT    NOT NULL DEFAULT 'implements', -- implements, progress, violates, disputes
    note       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    UNIQUE (provision, event_id)
);
CREATE INDEX provision_links_event ON provision_links(event_id);

-- +goose Down
DROP TABLE provision_links;
