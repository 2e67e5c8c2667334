package sqlq

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
)

// EventRow is the column values of one event.
type EventRow struct {
	Type, Mode                              string
	Contexts                                []string
	ContextsJSON                            string
	ActorName, ActorCountry, ActorKind      string
	ActorID                                 string
	RecipientName, RecipientCountry         string
	RecipientKind, RecipientID              string
	ActorsLC                                string
	PlaceID, PlaceName, PlaceCanonical      string
	PlaceCountry, PlacePrecision, PlaceKeys string
	Lat, Lon                                *float64
	DateStart, DateEnd, DatePrecision       string
	SpanDays                                int
	EvidenceText                            string
	EvidenceStart, EvidenceEnd              int
	Negated                                 bool
	Modality, Rule                          string
	Confidence                              float64
	Attribution                             *string
	Quantities                              string
	Doc                                     string
}

// NewEventRow computes the columns of e.
func NewEventRow(e *truce.Event) (EventRow, error) {
	doc, err := json.Marshal(e)
	if err != nil {
		return EventRow{}, fmt.Errorf("encode event: %w", err)
	}
	r := EventRow{
		Type:          e.Type,
		Mode:          e.Mode,
		Contexts:      e.Contexts,
		EvidenceText:  e.Evidence.Text,
		EvidenceStart: e.Evidence.Start,
		EvidenceEnd:   e.Evidence.End,
		Negated:       e.Negated,
		Modality:      e.Modality,
		Rule:          e.Rule,
		Confidence:    e.Confidence,
		Doc:           string(doc),
	}
	if r.Contexts == nil {
		r.Contexts = []string{}
	}
	cj, err := json.Marshal(r.Contexts)
	if err != nil {
		return EventRow{}, fmt.Errorf("encode contexts: %w", err)
	}
	r.ContextsJSON = string(cj)
	if a := e.Actor; a != nil {
		r.ActorName, r.ActorCountry, r.ActorKind, r.ActorID = a.Name, a.Country, a.Kind, a.ID
	}
	if a := e.Recipient; a != nil {
		r.RecipientName, r.RecipientCountry, r.RecipientKind, r.RecipientID = a.Name, a.Country, a.Kind, a.ID
	}
	r.ActorsLC = strings.ToLower(r.ActorName) + "\n" + strings.ToLower(r.RecipientName)
	if p := e.Place; p != nil {
		r.PlaceID, r.PlaceName, r.PlaceCanonical = p.ID, p.Name, p.Canonical
		r.PlaceCountry, r.PlacePrecision = p.Country, p.Precision
		r.PlaceKeys = PlaceKeys(p)
		if HasCoords(p) {
			lat, lon := p.Lat, p.Lon
			r.Lat, r.Lon = &lat, &lon
		}
	}
	if d := e.Date; d != nil {
		r.DateStart, r.DateEnd, r.DatePrecision = d.Start, d.End, d.Precision
		if r.DateEnd == "" || (r.DateStart != "" && r.DateEnd < r.DateStart) {
			r.DateEnd = r.DateStart
		}
		if r.DateStart == "" {
			r.DateEnd = ""
		}
		r.SpanDays = SpanDays(r.DateStart, r.DateEnd)
	}
	if e.Attribution != nil {
		b, err := json.Marshal(e.Attribution)
		if err != nil {
			return EventRow{}, fmt.Errorf("encode attribution: %w", err)
		}
		s := string(b)
		r.Attribution = &s
	}
	q := e.Quantities
	if q == nil {
		q = []truce.Quantity{}
	}
	qb, err := json.Marshal(q)
	if err != nil {
		return EventRow{}, fmt.Errorf("encode quantities: %w", err)
	}
	r.Quantities = string(qb)
	return r, nil
}

// HasCoords reports whether p has usable coordinates: (0, 0) means unknown.
func HasCoords(p *truce.Place) bool {
	return p != nil && !(p.Lat == 0 && p.Lon == 0) &&
		p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// SpanDays is the number of days from start to end, 0 when either is not a date.
func SpanDays(start, end string) int {
	s, err1 := time.Parse(truce.DateLayout, start)
	e, err2 := time.Parse(truce.DateLayout, end)
	if err1 != nil || err2 != nil || e.Before(s) {
		return 0
	}
	return int(e.Sub(s).Hours() / 24)
}

// PlaceKeys is the "\n"-framed, lower-cased list of what a place filter matches:
// the id, the source's name, the canonical name and each side of a
// "A / B" canonical name.
func PlaceKeys(p *truce.Place) string {
	if p == nil {
		return ""
	}
	keys := []string{p.ID, p.Name, p.Canonical}
	if strings.Contains(p.Canonical, "/") {
		keys = append(keys, strings.Split(p.Canonical, "/")...)
	}
	var b strings.Builder
	b.WriteString("\n")
	seen := map[string]bool{}
	for _, k := range keys {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		b.WriteString(k)
		b.WriteString("\n")
	}
	if b.Len() == 1 {
		return ""
	}
	return b.String()
}

// PlaceNeedle is what a place filter value is searched for in PlaceKeys.
func PlaceNeedle(place string) string {
	return "\n" + strings.ToLower(strings.TrimSpace(place)) + "\n"
}

// ClaimRow is the column values of one claim.
type ClaimRow struct {
	Text, Kind, Speaker        string
	EvidenceText               string
	EvidenceStart, EvidenceEnd int
	Rule                       string
	Doc                        string
}

// NewClaimRow computes the columns of c.
func NewClaimRow(c *truce.Claim) (ClaimRow, error) {
	doc, err := json.Marshal(c)
	if err != nil {
		return ClaimRow{}, fmt.Errorf("encode claim: %w", err)
	}
	r := ClaimRow{Text: c.Text, Kind: c.Kind, EvidenceText: c.Evidence.Text,
		EvidenceStart: c.Evidence.Start, EvidenceEnd: c.Evidence.End, Rule: c.Rule, Doc: string(doc)}
	if c.Attribution != nil {
		r.Speaker = c.Attribution.Speaker
	}
	return r, nil
}

// IndicatorRow is the column values of one indicator.
type IndicatorRow struct {
	Metric                     string
	Value, Min, Max            *float64
	Unit, Scope                string
	PlaceID, PlaceName         string
	PlaceKeys                  string
	AsOf                       string
	EvidenceText               string
	EvidenceStart, EvidenceEnd int
	Doc                        string
}

// NewIndicatorRow computes the columns of in.
func NewIndicatorRow(in *truce.Indicator) (IndicatorRow, error) {
	doc, err := json.Marshal(in)
	if err != nil {
		return IndicatorRow{}, fmt.Errorf("encode indicator: %w", err)
	}
	r := IndicatorRow{Metric: in.Metric, Value: in.Value, Min: in.Min, Max: in.Max,
		Unit: in.Unit, Scope: in.Scope, AsOf: in.AsOf, EvidenceText: in.Evidence.Text,
		EvidenceStart: in.Evidence.Start, EvidenceEnd: in.Evidence.End, Doc: string(doc)}
	if p := in.Place; p != nil {
		r.PlaceID, r.PlaceName, r.PlaceKeys = p.ID, p.Name, PlaceKeys(p)
	}
	return r, nil
}

// Bands splits a SimHash into the four 16-bit bands that are indexed.
func Bands(h uint64) [4]int64 {
	return [4]int64{int64(h & 0xffff), int64(h >> 16 & 0xffff), int64(h >> 32 & 0xffff), int64(h >> 48 & 0xffff)}
}

// MaxNearDuplicateDistance is the largest Hamming distance between the SimHashes
// of two reports that are near-duplicates. With four bands, two such hashes
// share at least one band (pigeonhole), so the band indexes find every candidate.
const MaxNearDuplicateDistance = 3

// Candidate is a stored report whose SimHash shares a band with a new one.
type Candidate struct {
	ID          int64
	SimHash     uint64
	DuplicateOf int64
}

// Original picks the report a new one with SimHash h duplicates: the nearest
// candidate within MaxNearDuplicateDistance (lowest id on ties), resolved to its
// own original. It returns 0 when there is none.
func Original(h uint64, cands []Candidate) int64 {
	best, bestDist := Candidate{}, MaxNearDuplicateDistance+1
	for _, c := range cands {
		d := bits.OnesCount64(h ^ c.SimHash)
		if d < bestDist || (d == bestDist && c.ID < best.ID) {
			best, bestDist = c, d
		}
	}
	if bestDist > MaxNearDuplicateDistance {
		return 0
	}
	if best.DuplicateOf != 0 {
		return best.DuplicateOf
	}
	return best.ID
}
