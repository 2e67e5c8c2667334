package sqlq

import (
	"errors"
	"slices"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

func TestWordsAndFTS5Query(t *testing.T) {
	tests := []struct {
		in    string
		words []string
		match string
	}{
		{"ceasefire violation", []string{"ceasefire", "violation"}, `"ceasefire" "violation"`},
		{`"withdrew`, []string{"withdrew"}, `"withdrew"`},
		{`a OR b NOT c`, []string{"a", "or", "b", "not", "c"}, `"a" "or" "b" "not" "c"`},
		{`evidence_text:mine* NEAR(x y) ^z -w`, []string{"evidence", "text", "mine", "near", "x", "y", "z", "w"}, `"evidence" "text" "mine" "near" "x" "y" "z" "w"`},
		{"Ağdam Ստեփանակերտ", []string{"ağdam", "ստեփանակերտ"}, `"ağdam" "ստեփանակերտ"`},
		{`*:"()`, []string{}, ``},
	}
	for _, tc := range tests {
		w := Words(tc.in)
		if !slices.Equal(w, tc.words) && !(len(w) == 0 && len(tc.words) == 0) {
			t.Errorf("Words(%q) = %q, want %q", tc.in, w, tc.words)
		}
		if got := FTS5Query(w); got != tc.match {
			t.Errorf("FTS5Query(%q) = %q, want %q", w, got, tc.match)
		}
	}
}

func TestCursor(t *testing.T) {
	for _, tc := range []struct {
		date string
		id   int64
	}{{"2020-11-10", 1}, {"", 42}, {"2021-12-31", 1 << 40}} {
		d, id, err := DecodeCursor(EncodeCursor(tc.date, tc.id))
		if err != nil || d != tc.date || id != tc.id {
			t.Errorf("cursor round trip of (%q, %d) = (%q, %d, %v)", tc.date, tc.id, d, id, err)
		}
	}
	for _, bad := range []string{"!", "e30", "bnVsbA", "eyJkIjoxfQ"} {
		if _, _, err := DecodeCursor(bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("DecodeCursor(%q) error = %v, want ErrInvalid", bad, err)
		}
	}
}

func TestOriginal(t *testing.T) {
	const h = 0xffff_0000_ffff_0000
	tests := []struct {
		name  string
		cands []Candidate
		want  int64
	}{
		{"none", nil, 0},
		{"exact", []Candidate{{ID: 5, SimHash: h}}, 5},
		{"distance 3", []Candidate{{ID: 5, SimHash: h ^ 0b111}}, 5},
		{"distance 4", []Candidate{{ID: 5, SimHash: h ^ 0b1111}}, 0},
		{"nearest wins", []Candidate{{ID: 5, SimHash: h ^ 0b11}, {ID: 9, SimHash: h ^ 1}}, 9},
		{"lowest id on ties", []Candidate{{ID: 9, SimHash: h ^ 1}, {ID: 5, SimHash: h ^ 2}}, 5},
		{"resolved to the original", []Candidate{{ID: 9, SimHash: h ^ 1, DuplicateOf: 3}}, 3},
	}
	for _, tc := range tests {
		if got := Original(h, tc.cands); got != tc.want {
			t.Errorf("%s: Original = %d, want %d", tc.name, got, tc.want)
		}
	}
	if b := Bands(0x0004_0003_0002_0001); b != [4]int64{1, 2, 3, 4} {
		t.Errorf("Bands = %v", b)
	}
}

func TestPlaceKeys(t *testing.T) {
	p := &truce.Place{ID: "stepanakert", Name: "Khankendi", Canonical: "Stepanakert / Khankendi"}
	if got, want := PlaceKeys(p), "\nstepanakert\nkhankendi\nstepanakert / khankendi\n"; got != want {
		t.Errorf("PlaceKeys = %q, want %q", got, want)
	}
	if PlaceKeys(nil) != "" || PlaceKeys(&truce.Place{}) != "" {
		t.Error("PlaceKeys of no place is not empty")
	}
}

func TestLimit(t *testing.T) {
	for _, tc := range []struct {
		f    store.EventFilter
		want int
	}{
		{store.EventFilter{}, 100},
		{store.EventFilter{Limit: 7}, 7},
		{store.EventFilter{Limit: 5000}, 1000},
		{store.EventFilter{NoLimit: true}, 0},
		{store.EventFilter{NoLimit: true, Limit: 5000}, 5000},
	} {
		if got := Limit(tc.f); got != tc.want {
			t.Errorf("Limit(%+v) = %d, want %d", tc.f, got, tc.want)
		}
	}
}

func TestNewEventRow(t *testing.T) {
	tests := []struct {
		name             string
		e                truce.Event
		start, end       string
		span             int
		hasCoords        bool
		actorsLC, ctxJSN string
	}{
		{"empty", truce.Event{Type: "AGREE"}, "", "", 0, false, "\n", "[]"},
		{"month", truce.Event{Type: "AID", Contexts: []string{"demining"}, Date: &truce.When{Start: "2020-12-01", End: "2020-12-31"}},
			"2020-12-01", "2020-12-31", 30, false, "\n", `["demining"]`},
		{"end missing", truce.Event{Type: "AID", Date: &truce.When{Start: "2020-12-01"}}, "2020-12-01", "2020-12-01", 0, false, "\n", "[]"},
		{"zero coords", truce.Event{Type: "AID", Place: &truce.Place{Name: "X"}}, "", "", 0, false, "\n", "[]"},
		{"actors", truce.Event{Type: "AID", Actor: &truce.Actor{Name: "ICRC"}, Recipient: &truce.Actor{Name: "Ağdam Residents"},
			Place: &truce.Place{Lat: 39.9, Lon: 46.9}}, "", "", 0, true, "icrc\nağdam residents", "[]"},
	}
	for _, tc := range tests {
		r, err := NewEventRow(&tc.e)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.DateStart != tc.start || r.DateEnd != tc.end || r.SpanDays != tc.span || (r.Lat != nil) != tc.hasCoords ||
			r.ActorsLC != tc.actorsLC || r.ContextsJSON != tc.ctxJSN {
			t.Errorf("%s: row = %+v", tc.name, r)
		}
	}
}
