// Package web serves truce's human-facing pages: the monitor (a map of events
// with a timeline, filters and a list), one page per event and per report with
// the evidence marked in the report's text, indicator charts, a full-text
// search, the agreement boards (every provision's status, deadline with its
// extensions and last evidence), a page per provision with its status timeline
// and the evidence behind every change, and a printable situation report.
// Pages are rendered on the server with html/template; the only JavaScript
// draws the Leaflet map from /api/map.geojson (served by package server)
// over an offline Natural Earth basemap or a tile server, and adds small
// conveniences (a print button) that no page needs. Templates,
// styles, scripts and the vendored front-end libraries are embedded with
// go:embed, so the binary needs neither npm nor the network.
//
// The filter state of every page lives in the URL query (see FilterFromQuery),
// so a view can be bookmarked and shared. Place names are shown in the
// deployment's naming convention through Options.PlaceName.
package web
