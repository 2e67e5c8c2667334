// Package quantity finds counts and measures in English news text: "144
// explosive objects", "more than two hectares of land", "about 80 military",
// "95-97 percent", "hundreds of citizens", "an hour". Each becomes a
// truce.Quantity with a value or a range, an approximate flag, a normalised
// unit and the thing counted.
//
// Units, counted nouns, qualifiers and vague counts are data, read from
// lexicon/units.yaml (see the comments at the top of that file); number words
// ("one hundred and forty-four", "a dozen") are English grammar and live here.
// Years, days inside dates, ordinals, clock times, phone numbers and numbers
// that name things ("Article 9") are not quantities.
package quantity
