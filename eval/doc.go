// Package eval scores what truce extracts against hand-coded gold files.
//
// A gold file codes one report: its events (acceptable PLOVER types, place,
// date, evidence sentence, alternative framings) and its indicators. A
// prediction is the JSON object `truce extract --format json` prints. Events
// are aligned one-to-one by maximum weighted bipartite matching (the
// Hungarian algorithm, exact) among pairs whose evidence overlaps; each aligned
// pair is then judged on type, place and date, and precision, recall and F1
// are reported per report and micro-averaged over all reports. Indicators are
// aligned the same way and judged on unit and value, with metric agreement
// reported on its own line. docs/gold-format.md states every rule.
package eval
