// Package synth generates realistic synthetic extractions for benchmarks and
// load tests: PLOVER events of weighted types at places around the South
// Caucasus, over a year, with actors from both sides and third parties. The
// output is deterministic for a seed.
package synth
