// Package fuse groups the events of many reports into incidents: one
// happening told by several reports and sources. It links syndicated and
// lightly edited copies of a report to the first one, fuses compatible events
// incrementally through a day and grid index, keeps conflicting details side
// by side, and grades each incident's credibility on the Admiralty scale from
// the independent sources that corroborate it (docs/fusion.md).
//
// The package is pure: no database, no I/O beyond reading its data files.
package fuse
