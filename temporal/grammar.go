package temporal

import "time"

// The few closed word classes of English dates. They are grammar, not data:
// a user has no reason to extend the months of the year.
var monthNames = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var weekdayNames = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
}

// smallNumbers are the number words that count days, weeks, months or years back.
var smallNumbers = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"fifteen": 15, "twenty": 20, "thirty": 30, "several": -1, "few": -1,
}

// partsOfDay may follow a day ("Tuesday night") or lead it ("the night of").
var partsOfDay = map[string]bool{
	"morning": true, "afternoon": true, "evening": true, "night": true, "hours": true, "hour": true,
}

// monthPrepositions allow a month name to stand alone as a date; "May" and
// "March" need one, since they are also a verb and a noun.
var monthPrepositions = map[string]bool{
	"in": true, "since": true, "until": true, "till": true, "by": true, "during": true,
	"early": true, "mid": true, "late": true, "of": true, "from": true, "before": true,
	"after": true, "throughout": true, "through": true, "to": true, "and": true,
}

// yearPrepositions allow a bare four-digit year to be read as a date.
var yearPrepositions = map[string]bool{
	"in": true, "since": true, "until": true, "till": true, "during": true,
	"throughout": true, "of": true, "by": true, "before": true, "after": true, "from": true,
}

// rangeWords join two day numbers or two dates into a range.
var rangeWords = map[string]bool{
	"-": true, "–": true, "—": true, "to": true, "until": true, "till": true, "through": true, "thru": true,
}
