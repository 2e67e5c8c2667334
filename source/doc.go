// Package source reads reports: plain text with an optional key: value header,
// HTML pages, RSS/Atom feeds and JSON lines. It turns each into truce.Report
// values with cleaned, normalised text (the text every offset in truce points
// into), a content hash and a SimHash fingerprint, and drops boilerplate
// (repeated headlines, repeated short lines, calls to action, navigation)
// by general rules that hold for any outlet.
package source
