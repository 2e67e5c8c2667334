package auth

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

// Correction is an analyst's correction as the API's JSON body and the web
// form give it: nil fields are not corrected. The place is a gazetteer id,
// the date a day or a range of days.
type Correction struct {
	Type       *string           `json:"type,omitempty"`
	Mode       *string           `json:"mode,omitempty"`
	Actor      *truce.Actor      `json:"actor,omitempty"`
	Recipient  *truce.Actor      `json:"recipient,omitempty"`
	PlaceID    *string           `json:"place_id,omitempty"`
	Date       *DateRange        `json:"date,omitempty"`
	Quantities *[]truce.Quantity `json:"quantities,omitempty"`
}

// DateRange is a corrected date: End "" is Start.
type DateRange struct {
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
}

// FieldError is a correction field that cannot be used.
type FieldError struct {
	Field, Msg string
}

// Error names the field and what is wrong with it.
func (e *FieldError) Error() string { return fmt.Sprintf("field %q: %s", e.Field, e.Msg) }

// Patch checks c and turns it into a store.EventPatch: the type must be one of
// types, the place a gazetteer id of g (named in convention gazetteer.Both),
// the dates YYYY-MM-DD. Errors are *FieldError.
func (c Correction) Patch(g *gazetteer.Gazetteer, types []string) (store.EventPatch, error) {
	var p store.EventPatch
	if c.Type != nil {
		t := strings.ToUpper(strings.TrimSpace(*c.Type))
		if !slices.Contains(types, t) {
			return p, &FieldError{"type", fmt.Sprintf("%q is not a PLOVER event type; want one of %s", *c.Type, strings.Join(types, ", "))}
		}
		p.Type = &t
	}
	if c.Mode != nil {
		m := strings.ToLower(strings.TrimSpace(*c.Mode))
		if len(m) > 40 || strings.ContainsFunc(m, func(r rune) bool { return !unicode.IsLower(r) && !unicode.IsDigit(r) && r != '_' && r != '-' }) {
			return p, &FieldError{"mode", "want a vocabulary word (lower-case letters, digits, '_' or '-', at most 40)"}
		}
		p.Mode = &m
	}
	for _, a := range []struct {
		name string
		in   *truce.Actor
		out  **truce.Actor
	}{{"actor", c.Actor, &p.Actor}, {"recipient", c.Recipient, &p.Recipient}} {
		if a.in == nil {
			continue
		}
		x := *a.in
		x.Name, x.Country, x.Kind = strings.TrimSpace(x.Name), strings.ToUpper(strings.TrimSpace(x.Country)), strings.TrimSpace(x.Kind)
		if x.Name == "" || len(x.Name) > 200 || len(x.Role) > 200 || len(x.ID) > 100 || len(x.Kind) > 40 {
			return p, &FieldError{a.name, "want a name of 1 to 200 bytes"}
		}
		if x.Country != "" && (len(x.Country) != 3 || strings.ContainsFunc(x.Country, func(r rune) bool { return r < 'A' || r > 'Z' })) {
			return p, &FieldError{a.name, fmt.Sprintf("country %q: want a 3-letter code", x.Country)}
		}
		*a.out = &x
	}
	if c.PlaceID != nil {
		id := strings.TrimSpace(*c.PlaceID)
		var gp *gazetteer.Place
		if g != nil && id != "" {
			gp = g.Get(id)
		}
		if gp == nil {
			return p, &FieldError{"place_id", fmt.Sprintf("%q is not a gazetteer place id", id)}
		}
		pl := gp.Truce("", gazetteer.Both)
		p.Place = &pl
	}
	if c.Date != nil {
		start, end := strings.TrimSpace(c.Date.Start), strings.TrimSpace(c.Date.End)
		if end == "" {
			end = start
		}
		s, err1 := time.Parse(truce.DateLayout, start)
		e, err2 := time.Parse(truce.DateLayout, end)
		if err1 != nil || err2 != nil || e.Before(s) {
			return p, &FieldError{"date", fmt.Sprintf("want start and end as YYYY-MM-DD, end not before start; got %q to %q", start, end)}
		}
		w := truce.When{Start: start, End: end, Precision: truce.PrecisionDay, Text: "(corrected)"}
		if start != end {
			w.Precision = truce.PrecisionUnknown
		}
		p.Date = &w
	}
	if c.Quantities != nil {
		if len(*c.Quantities) > 50 {
			return p, &FieldError{"quantities", "at most 50"}
		}
		q := slices.Clone(*c.Quantities)
		p.Quantities = &q
	}
	return p, nil
}
