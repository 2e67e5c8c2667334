// Package server is truce's HTTP face: a JSON API under /api/ over a
// store.Store (events with filters and cursor paging, GeoJSON and CSV exports,
// the timeline, reports, indicators, places, sources and stats; the agreements
// with the status of each provision, as of any day, and situation reports in
// JSON, Markdown or printable HTML), its OpenAPI 3.1 description at
// /api/openapi.json, and the web page (package web) mounted at "/". The API is
// read-only except for an analyst's links of events to provisions, which only a
// server started with Options.AllowWrites accepts (there is no authentication
// yet; cross-origin writes are refused). Every route lives in one table
// (routes) so that a test can check it against the OpenAPI document. Input is
// validated here and passed to the store as typed filters; the server never
// builds SQL.
package server
