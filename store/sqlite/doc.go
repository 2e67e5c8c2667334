// Package sqlite is the embedded truce store: one SQLite file in WAL mode, with
// an FTS5 index over event evidence and an R*Tree over event coordinates. A
// single writer connection serialises ingest while a pool of read-only
// connections serves queries concurrently. The schema is a set of versioned
// goose migrations embedded in the binary and applied on Open.
package sqlite
