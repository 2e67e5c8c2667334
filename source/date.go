package source

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/truce-monitor/truce"
)

// errDate reports a date in no accepted form.
var errDate = errors.New("not a date (want YYYY-MM-DD, RFC 3339, or a written date such as \"27 November 2020\")")

// dateLayouts are the accepted date forms, tried in order after ordinals,
// weekdays and "of" are removed and spaces collapsed.
var dateLayouts = []string{
	truce.DateLayout,
	time.RFC3339,
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04",
	"2006/01/02",
	"02.01.2006",
	time.RFC1123Z,
	time.RFC1123,
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04 MST",
	time.RFC822Z,
	time.RFC822,
	time.RFC850,
	time.ANSIC,
	"2 January 2006",
	"2 Jan 2006",
	"2 Jan. 2006",
	"2 January, 2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"January 2 2006",
	"Jan 2 2006",
	"2 January 2006 15:04",
	"January 2, 2006 15:04",
	"January 2, 2006 3:04 PM",
}

// ParseDate reads a date in one of the accepted forms (YYYY-MM-DD, RFC 3339,
// RFC 1123 and other feed forms, "27 November 2020", "November 27, 2020",
// "Friday, 27th of November 2020") and returns it as YYYY-MM-DD, in the time
// zone the date was written in.
func ParseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return "", errDate
	}
	cands := []string{s, simplifyDate(s)}
	for _, c := range cands {
		for _, layout := range dateLayouts {
			t, err := time.Parse(layout, c)
			if err == nil && t.Year() >= 1800 && t.Year() <= 2200 {
				return t.Format(truce.DateLayout), nil
			}
		}
	}
	return "", errDate
}

// weekdays are the English weekday names and abbreviations dropped before parsing.
var weekdays = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "tues": true, "wed": true, "thu": true, "thur": true, "thurs": true, "fri": true, "sat": true, "sun": true,
}

// simplifyDate removes a leading weekday, ordinal suffixes and "of", and collapses spaces.
func simplifyDate(s string) string {
	f := strings.Fields(s)
	if len(f) > 0 && weekdays[strings.ToLower(strings.TrimRight(f[0], ",."))] {
		f = f[1:]
	}
	out := f[:0]
	for _, w := range f {
		lw := strings.ToLower(w)
		if lw == "of" {
			continue
		}
		trail := ""
		if strings.HasSuffix(w, ",") {
			trail, w, lw = ",", w[:len(w)-1], lw[:len(lw)-1]
		}
		for _, suf := range []string{"st", "nd", "rd", "th"} {
			if len(lw) > len(suf) && strings.HasSuffix(lw, suf) && isDigits(lw[:len(lw)-len(suf)]) {
				w = w[:len(w)-len(suf)]
				break
			}
		}
		out = append(out, w+trail)
	}
	return strings.Join(out, " ")
}

func isDigits(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0
}
