// Package agreement holds the agreements a ceasefire monitor tracks and derives
// the status of each of their provisions from the record.
//
// An agreement is a YAML file under agreements/ in truce's data (data.Bundled,
// or data.Open with a user's folder laid over it, so that a user's file
// replaces the bundled one of the same name): its title, the date each side
// gives it, parties, signatories and numbered provisions. Each provision has a
// category (Categories), the parties it binds, its places (gazetteer ids), a
// deadline whose amendments keep their history, and a signature: the events
// that implement it, that are steps towards it, that violate it and that
// dispute a violation. docs/agreements.md documents the format.
//
// Evaluate is a pure function of agreements, stored events, an analyst's
// links and the gazetteer: it links events to provisions by signature (and by
// hand) and replays them in date order into a timeline of status changes on
// the scale of Statuses, each change citing the events (report, source,
// sentence) or the agreement's own terms (a deadline that passed) behind it.
//
// A place counts as inside a provision's area when it is the area or lies
// under it in the gazetteer (gazetteer.Within) and belongs to the same
// country: a site of one country that straddles the border of another
// country's district (the Sotk mine on the Armenia–Kalbajar border) is at the
// border, not inside; Borders names such areas, so that a report can call an
// incident there what it is.
package agreement
