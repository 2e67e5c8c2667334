// Package postgres is the truce store for teams: PostgreSQL through a pgx pool,
// with a tsvector/GIN index over event evidence, a GiST index over event
// coordinates and a GIN index over event contexts. The schema is a set of
// versioned goose migrations embedded in the binary and applied on Open under
// an advisory lock, so several servers may start at once.
package postgres
