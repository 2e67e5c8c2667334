// Package truce holds the domain types of the truce ceasefire monitor: reports,
// the events, claims and indicators extracted from them, and the places, actors,
// dates and quantities those items refer to. Every other package imports it;
// it imports nothing of the project.
package truce

import "time"

// DateLayout is the layout of every calendar date truce reads and writes.
const DateLayout = "2006-01-02"

// Report is one cleaned input document: an article, a statement, a feed item.
type Report struct {
	Title     string `json:"title"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Published string `json:"published"` // YYYY-MM-DD, or "" when unknown
	Language  string `json:"language"`
	// Text is the cleaned, normalised text; every offset in truce points into it.
	Text string `json:"-"`
	// Hash is the hex SHA-256 of Text, used to store each report once.
	Hash string `json:"-"`
	// Origin names where the report was read from (a path, URL or feed item id).
	Origin string `json:"-"`
	// SimHash is a fingerprint of Text for finding near-duplicate copies.
	SimHash uint64 `json:"-"`
}

// PublishedTime returns the report date, or false when it is unknown or malformed.
func (r Report) PublishedTime() (time.Time, bool) {
	if r.Published == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(DateLayout, r.Published)
	return t, err == nil
}

// Span is a byte range [Start, End) of a report's cleaned text with the text it covers.
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Actor is a person, force or body that acts, is acted upon or speaks.
type Actor struct {
	Name    string `json:"name"`
	Country string `json:"country"` // ISO 3166-1 alpha-3, or NKR, IGO, …
	Kind    string `json:"kind"`    // government, official, armed_forces, peacekeepers, …
	// ID is the lexicon id of the actor, when it was found in the lexicon.
	ID string `json:"id,omitempty"`
	// Role is the office the text gives the actor ("Prime Minister").
	Role string `json:"role,omitempty"`
}

// Precision values of places and dates.
const (
	PrecisionSite       = "site"
	PrecisionSettlement = "settlement"
	PrecisionDistrict   = "district"
	PrecisionProvince   = "province"
	PrecisionRegion     = "region"
	PrecisionCountry    = "country"

	PrecisionDay     = "day"
	PrecisionWeek    = "week"
	PrecisionMonth   = "month"
	PrecisionYear    = "year"
	PrecisionUnknown = "unknown"
)

// Place is where an event happened, as resolved against the gazetteer.
type Place struct {
	Name      string  `json:"name"`      // the source's own words
	Canonical string  `json:"canonical"` // the display name in the chosen convention
	Country   string  `json:"country"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Precision string  `json:"precision"`
	// ID is the gazetteer id of the place.
	ID string `json:"id,omitempty"`
	// Ambiguous lists candidate ids when the mention could not be resolved to one place.
	Ambiguous []string `json:"ambiguous,omitempty"`
}

// When is a date or date range with a precision and the words it came from.
type When struct {
	Start     string `json:"start"` // YYYY-MM-DD
	End       string `json:"end"`   // YYYY-MM-DD, equal to Start for a single day
	Precision string `json:"precision"`
	Text      string `json:"text,omitempty"`
	// Unresolved marks a date expression that could not be anchored (no report date).
	Unresolved bool `json:"unresolved,omitempty"`
}

// Quantity is a counted or measured amount: a value, or a range, with a normalised unit.
type Quantity struct {
	Value  *float64 `json:"value"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
	Approx bool     `json:"approx"`
	Unit   string   `json:"unit"`
	Of     string   `json:"of"`
	Text   string   `json:"text,omitempty"`
	Start  int      `json:"start"`
	End    int      `json:"end"`
}

// Attribution says who asserts an item and how.
type Attribution struct {
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	Verb    string `json:"verb"` // said, claimed, confirmed, denied, reported, according to
	Country string `json:"country,omitempty"`
}

// Event is one happening coded in PLOVER terms, with the sentence it came from.
type Event struct {
	Type        string       `json:"type"`
	Mode        string       `json:"mode"`
	Contexts    []string     `json:"contexts"`
	Actor       *Actor       `json:"actor"`
	Recipient   *Actor       `json:"recipient"`
	Place       *Place       `json:"place"`
	Date        *When        `json:"date"`
	Quantities  []Quantity   `json:"quantities"`
	Attribution *Attribution `json:"attribution"`
	Evidence    Span         `json:"evidence"`
	Negated     bool         `json:"negated"`
	// Modality is "asserted", or how the event is not asserted: "future", "possible", "demanded".
	Modality   string  `json:"modality,omitempty"`
	Rule       string  `json:"rule"`
	Confidence float64 `json:"confidence"`
	// Trigger is the span of the words that matched the rule.
	Trigger Span `json:"trigger"`
	// Restated lists other sentences of the report that tell the same happening.
	Restated []Span `json:"restated,omitempty"`
}

// Claim is an attributed statement that is not itself an event: a demand, an assessment, a denial.
type Claim struct {
	Text        string       `json:"text"`
	Kind        string       `json:"kind,omitempty"` // demand, denial, assessment, allegation, statement
	Attribution *Attribution `json:"attribution"`
	Evidence    Span         `json:"evidence"`
	Rule        string       `json:"rule,omitempty"`
}

// Indicator is a measured figure a monitor charts over time.
type Indicator struct {
	Metric   string   `json:"metric"`
	Value    *float64 `json:"value"`
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
	Approx   bool     `json:"approx,omitempty"`
	Unit     string   `json:"unit"`
	Scope    string   `json:"scope"` // cumulative, increment, level
	Place    *Place   `json:"place"`
	AsOf     string   `json:"as_of"`
	Evidence Span     `json:"evidence"`
	Rule     string   `json:"rule,omitempty"`
}

// Extraction is everything extracted from one report: the JSON contract of `truce extract`.
type Extraction struct {
	Report     Report      `json:"report"`
	Events     []Event     `json:"events"`
	Claims     []Claim     `json:"claims"`
	Indicators []Indicator `json:"indicators"`
}
