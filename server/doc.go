// Package server is truce's HTTP face: a read-only JSON API under /api/ over a
// store.Store (events with filters and cursor paging, GeoJSON and CSV exports,
// the timeline, reports, indicators, places, sources and stats), its OpenAPI
// 3.1 description at /api/openapi.json, and the web page (package web) mounted
// at "/". Every route lives in one table (routes) so that a test can check it
// against the OpenAPI document. Input is validated here and passed to the store
// as typed filters; the server never builds SQL.
package server
