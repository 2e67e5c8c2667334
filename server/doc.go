// Package server is truce's HTTP face: a JSON API under /api/ over a
// store.Store (events with filters and cursor paging, GeoJSON and CSV exports,
// the timeline, reports, indicators, places, sources and stats; the agreements
// with the status of each provision, as of any day, and situation reports in
// JSON, Markdown or printable HTML), its OpenAPI 3.1 description at
// /api/openapi.json, and the web page (package web) mounted at "/". Writes
// (reviews of events, links of events to provisions) need the analyst or admin
// role, from an API token or a session cookie (package server/auth,
// docs/review.md); cross-origin writes are refused; Options.RequireLogin makes
// reading need a login too. Every route lives in one table
// (routes) so that a test can check it against the OpenAPI document. Input is
// validated here and passed to the store as typed filters; the server never
// builds SQL.
package server
