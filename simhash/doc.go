// Package simhash computes 64-bit SimHash fingerprints of texts so that
// near-duplicate copies of a report (a changed headline, an edited sentence)
// can be found by a small Hamming distance between fingerprints.
package simhash
