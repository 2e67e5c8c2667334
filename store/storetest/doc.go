// Package storetest is the test suite every truce store backend must pass, with
// the hand-built extractions it stores. A backend's tests call Run with a
// function that opens a fresh, empty store.
package storetest
