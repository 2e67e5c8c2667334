// Package temporal finds date expressions in English news text ("On November
// 27th", "26 November 2020", "yesterday", "on Tuesday", "from 10 to 12
// November", "since November 10", "three days ago") and resolves them to
// calendar dates against a reference date: the report's published date, or the
// date of the statement a quote comes from.
//
// The grammar is a small hand-written one over tokens: month and weekday names
// must be capitalised, so "may" the modal verb and "a march" are never dates,
// and "May" or "March" standing alone count only after a temporal preposition
// ("in May"). Numbers glued to separators ("1,960", "00:00", "1.2.3") are never
// read as days or years.
//
// A date with no year takes the year that puts it nearest to the reference,
// counting days after the reference double: reports mostly tell the past, yet
// a deadline a few weeks ahead still resolves forward. Without a reference,
// only expressions that carry their own year resolve; the rest come back with
// When.Unresolved set and never a guessed date.
package temporal
