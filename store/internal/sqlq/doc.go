// Package sqlq holds what the SQLite and PostgreSQL stores share: how a truce
// item becomes a row, how an EventFilter becomes a WHERE clause (with the
// dialect differences kept to a few fragments), the paging cursor, the
// full-text query sanitiser and the SimHash bands.
package sqlq
