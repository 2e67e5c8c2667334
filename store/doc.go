// Package store defines how truce keeps its record: the Store interface that
// the ingest pipeline, the server and the reports use, and the filters and
// rows that cross it. The backends live in store/sqlite and store/postgres and
// pass the same test suite (store/storetest).
package store
