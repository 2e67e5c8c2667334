// Package open chooses a truce store backend from a data source name: a
// "postgres://" or "postgresql://" URL opens PostgreSQL, anything else is the
// path of a SQLite file. It lives apart from package store so that store does
// not import its own backends.
package open
