package sqlq

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
)

// Dialect is the SQL dialect a query is built for.
type Dialect int

// The dialects truce stores speak.
const (
	SQLite Dialect = iota
	Postgres
)

// Builder accumulates WHERE conditions and their arguments.
type Builder struct {
	Dialect Dialect
	Conds   []string
	Args    []any
}

// Arg appends v to the arguments and returns its placeholder.
func (b *Builder) Arg(v any) string {
	b.Args = append(b.Args, v)
	if b.Dialect == Postgres {
		return "$" + strconv.Itoa(len(b.Args))
	}
	return "?"
}

// In appends the values and returns a parenthesised placeholder list.
func (b *Builder) In(vs []string) string {
	ph := make([]string, len(vs))
	for i, v := range vs {
		ph[i] = b.Arg(v)
	}
	return "(" + strings.Join(ph, ", ") + ")"
}

// Add appends a condition.
func (b *Builder) Add(cond string) { b.Conds = append(b.Conds, cond) }

// Where is the WHERE clause of the conditions ("" when there is none).
func (b *Builder) Where() string {
	if len(b.Conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.Conds, " AND ")
}

// Limit is the page size f asks for: 0 means no limit.
func Limit(f store.EventFilter) int {
	switch {
	case f.NoLimit && f.Limit <= 0:
		return 0
	case f.Limit <= 0:
		return 100
	case f.Limit > 1000 && !f.NoLimit:
		return 1000
	}
	return f.Limit
}

// ValidDate checks an optional YYYY-MM-DD filter value.
func ValidDate(name, s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse(truce.DateLayout, s); err != nil {
		return fmt.Errorf("%s %q is not a YYYY-MM-DD date: %w", name, s, store.ErrInvalid)
	}
	return nil
}

// EventConds adds the conditions of f (except the cursor) on the events table
// aliased e. maxSpan is the largest span_days
// stored: it bounds date_start from below so a date range uses the index.
func EventConds(b *Builder, f store.EventFilter, maxSpan int) error {
	if !f.IncludeRejected {
		b.Add("e.review <> 'rejected'")
	}
	if err := ValidDate("from", f.From); err != nil {
		return err
	}
	if err := ValidDate("to", f.To); err != nil {
		return err
	}
	if f.From != "" {
		from, _ := time.Parse(truce.DateLayout, f.From)
		lower := from.AddDate(0, 0, -maxSpan).Format(truce.DateLayout)
		b.Add("e.date_start >= " + b.Arg(lower))
		b.Add("e.date_end >= " + b.Arg(f.From))
	}
	if f.To != "" {
		b.Add("e.date_start <= " + b.Arg(f.To))
		if f.From == "" {
			b.Add("e.date_start > ''")
		}
	}
	if bb := f.BBox; bb != nil {
		if bb.MinLon > bb.MaxLon || bb.MinLat > bb.MaxLat {
			return fmt.Errorf("bbox %v has min above max: %w", *bb, store.ErrInvalid)
		}
		switch b.Dialect {
		case Postgres:
			b.Add(fmt.Sprintf("point(e.lon, e.lat) <@ box(point(%s, %s), point(%s, %s))",
				b.Arg(bb.MinLon), b.Arg(bb.MinLat), b.Arg(bb.MaxLon), b.Arg(bb.MaxLat)))
			b.Add("e.lat IS NOT NULL AND e.lon IS NOT NULL")
		default:
			// With a type, date or report filter the (type,) date index is
			// scanned in page order and carries lon and lat, so the exact test
			// alone is cheapest; otherwise the R*Tree finds the candidates. It
			// stores 32-bit boxes rounded outwards: a superset, which the exact
			// test trims.
			if len(f.Types) == 0 && f.From == "" && f.To == "" && f.ReportID == 0 {
				b.Add(fmt.Sprintf("e.id IN (SELECT id FROM events_rtree WHERE max_lon >= %s AND min_lon <= %s AND max_lat >= %s AND min_lat <= %s)",
					b.Arg(bb.MinLon), b.Arg(bb.MaxLon), b.Arg(bb.MinLat), b.Arg(bb.MaxLat)))
			}
			b.Add(fmt.Sprintf("e.lon BETWEEN %s AND %s AND e.lat BETWEEN %s AND %s",
				b.Arg(bb.MinLon), b.Arg(bb.MaxLon), b.Arg(bb.MinLat), b.Arg(bb.MaxLat)))
		}
	}
	if len(f.Types) > 0 {
		b.Add("e.type IN " + b.In(f.Types))
	}
	if len(f.Modes) > 0 {
		b.Add("e.mode IN " + b.In(f.Modes))
	}
	if len(f.Contexts) > 0 {
		switch b.Dialect {
		case Postgres:
			b.Add("e.contexts && " + b.Arg(f.Contexts) + "::text[]")
		default:
			b.Add("EXISTS (SELECT 1 FROM json_each(e.contexts) AS c WHERE c.value IN " + b.In(f.Contexts) + ")")
		}
	}
	if a := strings.ToLower(strings.TrimSpace(f.Actor)); a != "" {
		b.Add(b.instr("e.actors_lc", a))
	}
	if f.Country != "" {
		c := b.Arg(f.Country)
		b.Add("(e.actor_country = " + c + " OR e.recipient_country = " + b.Arg(f.Country) + ")")
	}
	if strings.TrimSpace(f.Place) != "" {
		b.Add("(e.place_id = " + b.Arg(f.Place) + " OR " + b.instr("e.place_keys", PlaceNeedle(f.Place)) + ")")
	}
	if f.Source != "" {
		b.Add("e.report_id IN (SELECT id FROM reports WHERE source = " + b.Arg(f.Source) + ")")
	}
	if f.ReportID != 0 {
		b.Add("e.report_id = " + b.Arg(f.ReportID))
	}
	if f.Query != "" {
		words := Words(f.Query)
		if len(words) == 0 {
			b.Add("1 = 0")
		} else {
			switch b.Dialect {
			case Postgres:
				b.Add("e.evidence_tsv @@ plainto_tsquery('simple', " + b.Arg(strings.Join(words, " ")) + ")")
			default:
				b.Add("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH " + b.Arg(FTS5Query(words)) + ")")
			}
		}
	}
	return nil
}

func (b *Builder) instr(col, needle string) string {
	if b.Dialect == Postgres {
		return "strpos(" + col + ", " + b.Arg(needle) + ") > 0"
	}
	return "instr(" + col + ", " + b.Arg(needle) + ") > 0"
}

// IndicatorConds adds the conditions of f on the indicators table aliased i.
func IndicatorConds(b *Builder, f store.IndicatorFilter) error {
	if err := ValidDate("from", f.From); err != nil {
		return err
	}
	if err := ValidDate("to", f.To); err != nil {
		return err
	}
	if f.Metric != "" {
		b.Add("i.metric = " + b.Arg(f.Metric))
	}
	if strings.TrimSpace(f.Place) != "" {
		b.Add("(i.place_id = " + b.Arg(f.Place) + " OR " + b.instr("i.place_keys", PlaceNeedle(f.Place)) + ")")
	}
	if f.From != "" {
		b.Add("i.as_of >= " + b.Arg(f.From))
	}
	if f.To != "" {
		b.Add("i.as_of <= " + b.Arg(f.To))
		b.Add("i.as_of > ''")
	}
	return nil
}

// Words splits a user's search into lower-cased words (runs of letters and
// digits); everything else, FTS operators included, is a separator.
func Words(q string) []string {
	f := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) })
	out := f[:0]
	for _, w := range f {
		out = append(out, strings.ToLower(w))
	}
	return out
}

// FTS5Query is the MATCH expression that requires every word: each is a quoted
// string, so no word can act as an operator (AND, NEAR, column filters …).
func FTS5Query(words []string) string {
	q := make([]string, len(words))
	for i, w := range words {
		q[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	return strings.Join(q, " ")
}

type cursor struct {
	D string `json:"d"`
	I int64  `json:"i"`
}

// EncodeCursor makes the opaque cursor that resumes after (date, id).
func EncodeCursor(date string, id int64) string {
	b, _ := json.Marshal(cursor{D: date, I: id})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor.
func DecodeCursor(s string) (date string, id int64, err error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", 0, fmt.Errorf("cursor %q: %w", s, store.ErrInvalid)
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.I <= 0 {
		return "", 0, fmt.Errorf("cursor %q: %w", s, store.ErrInvalid)
	}
	return c.D, c.I, nil
}

// AfterCond adds the keyset condition of a cursor.
func AfterCond(b *Builder, after string) error {
	if after == "" {
		return nil
	}
	d, id, err := DecodeCursor(after)
	if err != nil {
		return err
	}
	b.Add("(e.date_start, e.id) > (" + b.Arg(d) + ", " + b.Arg(id) + ")")
	return nil
}
