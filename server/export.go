package server

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// Headers of the exports.
const (
	// HeaderExportLimit states the hard cap on the events of one export.
	HeaderExportLimit = "X-Truce-Export-Limit"
	// HeaderTruncated is "true" when the export stopped at the cap.
	HeaderTruncated = "X-Truce-Truncated"
	// HeaderMatches is the number of dated events matching the filter, counted before streaming.
	HeaderMatches = "X-Truce-Matches"
)

// exportPage is the page size an export reads the store with.
const exportPage = 1000

// eventCounter is implemented by stores that count matches directly; others are
// counted with EventsPerDay (which leaves out undated events).
type eventCounter interface {
	CountEvents(ctx context.Context, f store.EventFilter) (int, error)
}

// count returns the number of events matching f, and whether undated events are counted.
func (a *api) count(ctx context.Context, f store.EventFilter) (int, error) {
	if c, ok := a.st.(eventCounter); ok {
		return c.CountEvents(ctx, f)
	}
	days, err := a.st.EventsPerDay(ctx, f)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range days {
		n += d.Count
	}
	return n, nil
}

// export streams the events matching the request's filter: begin writes the
// head, each writes one event, end closes the document (truncated tells
// whether the cap cut it). Errors before the first byte are returned; after
// it the stream is cut so that the client sees an incomplete response.
func (a *api) export(w http.ResponseWriter, r *http.Request, contentType, filename string,
	begin func(*bufio.Writer) error, each func(*bufio.Writer, *store.StoredEvent) error, end func(bw *bufio.Writer, truncated bool) error) error {
	f, err := eventFilter(r, false)
	if err != nil {
		return err
	}
	ctx := r.Context()
	n, err := a.count(ctx, f)
	if err != nil {
		return storeFail(f, fmt.Errorf("export: count: %w", err))
	}
	f.Limit = exportPage
	first, err := a.st.Events(ctx, f)
	if err != nil {
		return storeFail(f, fmt.Errorf("export: %w", err))
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	h.Set(HeaderExportLimit, strconv.Itoa(a.maxExport))
	h.Set(HeaderMatches, strconv.Itoa(n))
	if n > a.maxExport {
		h.Set(HeaderTruncated, "true")
	}
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	rc := http.NewResponseController(w)
	abort := func(err error) {
		a.log.ErrorContext(ctx, "export cut", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	if err := begin(bw); err != nil {
		abort(err)
	}
	page, written, truncated := first, 0, false
	for {
		for i := range page.Events {
			if written == a.maxExport {
				truncated = true
				break
			}
			if err := each(bw, &page.Events[i]); err != nil {
				abort(err)
			}
			written++
		}
		if truncated || page.Next == "" {
			break
		}
		if err := bw.Flush(); err != nil {
			abort(err)
		}
		_ = rc.Flush()
		f.After = page.Next
		if page, err = a.st.Events(ctx, f); err != nil {
			if ctx.Err() != nil {
				panic(http.ErrAbortHandler)
			}
			abort(fmt.Errorf("export: %w", err))
		}
	}
	if truncated && h.Get(HeaderTruncated) == "" {
		a.log.WarnContext(ctx, "export truncated after the header was sent", "path", r.URL.Path, "cap", a.maxExport)
	}
	if err := end(bw, truncated); err != nil {
		abort(err)
	}
	if err := bw.Flush(); err != nil {
		abort(err)
	}
	return nil
}

// geoFeature is one GeoJSON feature of an event.
type geoFeature struct {
	Type       string      `json:"type"`
	ID         int64       `json:"id"`
	Geometry   geoPoint    `json:"geometry"`
	Properties geoProperty `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// geoProperty are the properties of an event feature.
type geoProperty struct {
	ID           int64    `json:"id"`
	Type         string   `json:"type"`
	Mode         string   `json:"mode"`
	Contexts     []string `json:"contexts"`
	Date         string   `json:"date"`
	DateEnd      string   `json:"date_end"`
	Actor        string   `json:"actor"`
	ActorCountry string   `json:"actor_country"`
	Recipient    string   `json:"recipient"`
	Place        string   `json:"place"`
	PlaceID      string   `json:"place_id"`
	Precision    string   `json:"precision"`
	Evidence     string   `json:"evidence"`
	Source       string   `json:"source"`
	ReportID     int64    `json:"report_id"`
	Negated      bool     `json:"negated"`
	Confidence   float64  `json:"confidence"`
}

// hasPoint reports whether an event has a place with coordinates (0,0 stands for none).
func hasPoint(ev *store.StoredEvent) bool {
	return ev.Place != nil && (ev.Place.Lat != 0 || ev.Place.Lon != 0)
}

func (a *api) eventsGeoJSON(w http.ResponseWriter, r *http.Request) error {
	n := 0
	return a.export(w, r, "application/geo+json", "truce-events.geojson",
		func(bw *bufio.Writer) error {
			_, err := bw.WriteString(`{"type":"FeatureCollection","features":[`)
			return err
		},
		func(bw *bufio.Writer, ev *store.StoredEvent) error {
			if !hasPoint(ev) {
				return nil
			}
			p := geoProperty{ID: ev.ID, Type: ev.Type, Mode: ev.Mode, Contexts: ev.Contexts, Place: ev.Place.Canonical,
				PlaceID: ev.Place.ID, Precision: ev.Place.Precision, Evidence: ev.Evidence.Text, Source: ev.Source,
				ReportID: ev.ReportID, Negated: ev.Negated, Confidence: ev.Confidence}
			if p.Contexts == nil {
				p.Contexts = []string{}
			}
			if p.Place == "" {
				p.Place = ev.Place.Name
			}
			if ev.Date != nil {
				p.Date, p.DateEnd = ev.Date.Start, ev.Date.End
			}
			if ev.Actor != nil {
				p.Actor, p.ActorCountry = ev.Actor.Name, ev.Actor.Country
			}
			if ev.Recipient != nil {
				p.Recipient = ev.Recipient.Name
			}
			b, err := json.Marshal(geoFeature{Type: "Feature", ID: ev.ID,
				Geometry: geoPoint{"Point", [2]float64{ev.Place.Lon, ev.Place.Lat}}, Properties: p})
			if err != nil {
				return fmt.Errorf("geojson: event %d: %w", ev.ID, err)
			}
			if n > 0 {
				bw.WriteByte(',')
			}
			n++
			bw.WriteByte('\n')
			_, err = bw.Write(b)
			return err
		},
		func(bw *bufio.Writer, truncated bool) error {
			_, err := fmt.Fprintf(bw, "\n],\"truncated\":%t}\n", truncated)
			return err
		})
}

// csvColumns are the columns of /api/events.csv, modelled on ACLED's export
// (documented in openapi.json).
var csvColumns = []string{"event_id_cnty", "event_id", "report_id", "event_date", "event_date_end", "year",
	"time_precision", "event_type", "sub_event_type", "contexts", "actor1", "inter1", "actor1_country",
	"actor2", "inter2", "actor2_country", "country", "location", "place_id", "latitude", "longitude",
	"geo_precision", "source", "source_url", "attribution", "notes", "fatalities", "negated", "modality", "confidence"}

func (a *api) eventsCSV(w http.ResponseWriter, r *http.Request) error {
	var cw *csv.Writer
	return a.export(w, r, "text/csv; charset=utf-8", "truce-events.csv",
		func(bw *bufio.Writer) error {
			cw = csv.NewWriter(bw)
			return cw.Write(csvColumns)
		},
		func(bw *bufio.Writer, ev *store.StoredEvent) error {
			if err := cw.Write(csvRow(ev)); err != nil {
				return fmt.Errorf("csv: event %d: %w", ev.ID, err)
			}
			cw.Flush()
			return cw.Error()
		},
		func(*bufio.Writer, bool) error {
			cw.Flush()
			return cw.Error()
		})
}

// csvRow is the CSV record of an event, in csvColumns order.
func csvRow(ev *store.StoredEvent) []string {
	var date, end, year, tprec string
	if ev.Date != nil && ev.Date.Start != "" {
		date, end = ev.Date.Start, ev.Date.End
		if len(date) >= 4 {
			year = date[:4]
		}
		tprec = timePrecision(ev.Date.Precision)
	}
	var a1, i1, c1, a2, i2, c2 string
	if ev.Actor != nil {
		a1, i1, c1 = ev.Actor.Name, ev.Actor.Kind, ev.Actor.Country
	}
	if ev.Recipient != nil {
		a2, i2, c2 = ev.Recipient.Name, ev.Recipient.Kind, ev.Recipient.Country
	}
	var country, loc, pid, lat, lon, gprec string
	if p := ev.Place; p != nil {
		country, loc, pid, gprec = p.Country, p.Canonical, p.ID, geoPrecision(p.Precision)
		if loc == "" {
			loc = p.Name
		}
		if hasPoint(ev) {
			lat, lon = ftoa(p.Lat), ftoa(p.Lon)
		}
	}
	if country == "" {
		country = c1
	}
	cnty := country
	if cnty == "" {
		cnty = "XXX"
	}
	var attr string
	if at := ev.Attribution; at != nil && at.Speaker != "" {
		attr = at.Speaker
		if at.Verb != "" {
			attr += " (" + at.Verb + ")"
		}
	}
	return []string{
		cnty + strconv.FormatInt(ev.ID, 10), strconv.FormatInt(ev.ID, 10), strconv.FormatInt(ev.ReportID, 10),
		date, end, year, tprec, ev.Type, safe(ev.Mode), safe(strings.Join(ev.Contexts, ";")),
		safe(a1), safe(i1), safe(c1), safe(a2), safe(i2), safe(c2), safe(country), safe(loc), safe(pid), lat, lon, gprec,
		safe(ev.Source), safe(ev.ReportURL), safe(attr), safe(ev.Evidence.Text), fatalities(ev.Quantities),
		strconv.FormatBool(ev.Negated), safe(ev.Modality), ftoa(ev.Confidence),
	}
}

// safe defuses a text cell a spreadsheet would read as a formula by prefixing a quote.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// timePrecision is ACLED's time_precision: 1 day, 2 week, 3 month or coarser.
func timePrecision(p string) string {
	switch p {
	case truce.PrecisionDay:
		return "1"
	case truce.PrecisionWeek:
		return "2"
	case truce.PrecisionMonth, truce.PrecisionYear:
		return "3"
	}
	return ""
}

// geoPrecision is ACLED's geo_precision: 1 site or settlement, 2 district, 3 province or coarser.
func geoPrecision(p string) string {
	switch p {
	case truce.PrecisionSite, truce.PrecisionSettlement:
		return "1"
	case truce.PrecisionDistrict:
		return "2"
	case truce.PrecisionProvince, truce.PrecisionRegion, truce.PrecisionCountry:
		return "3"
	}
	return ""
}

// fatalities is the lowest stated number of people killed, or "" when the event states none.
func fatalities(qs []truce.Quantity) string {
	for _, q := range qs {
		of := strings.ToLower(q.Of)
		if q.Unit != "" && q.Unit != "persons" {
			continue
		}
		if !strings.Contains(of, "kill") && !strings.Contains(of, "dead") && !strings.Contains(of, "death") && !strings.Contains(of, "fatalit") {
			continue
		}
		switch {
		case q.Value != nil:
			return ftoa(*q.Value)
		case q.Min != nil:
			return ftoa(*q.Min)
		case q.Max != nil:
			return ftoa(*q.Max)
		}
	}
	return ""
}
