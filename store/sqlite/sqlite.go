package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a truce store in one SQLite file.
type Store struct {
	w    *sql.DB // the single writer connection
	r    *sql.DB // read-only connections
	path string
	// Inserts prepared once on the writer connection.
	insEvent, insClaim, insIndicator *sql.Stmt
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database at path and applies the
// pending migrations. path is a file name; in-memory databases are not
// supported because readers and the writer use separate connections.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("sqlite: open %q: need a plain file path", path)
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)"
	w, err := sql.Open("sqlite", base+"?_pragma=journal_mode(WAL)&_txlock=immediate&"+common)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, path: path}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	for _, p := range []struct {
		st  **sql.Stmt
		sql string
	}{{&s.insEvent, insertEvent}, {&s.insClaim, insertClaim}, {&s.insIndicator, insertIndicator}} {
		if *p.st, err = w.PrepareContext(ctx, p.sql); err != nil {
			w.Close()
			return nil, fmt.Errorf("sqlite: prepare inserts: %w", err)
		}
	}
	r, err := sql.Open("sqlite", base+"?_pragma=query_only(1)&"+common)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.r = r
	// Refresh the planner's statistics where they are missing or stale.
	if _, err := w.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: optimize %s: %w", path, err)
	}
	return s, nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return fmt.Errorf("goose: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("goose up: %w", err)
	}
	for _, r := range res {
		slog.InfoContext(ctx, "store migration applied", "backend", "sqlite", "version", r.Source.Version, "took", r.Duration)
	}
	return nil
}

// Optimize refreshes the query planner's statistics; run it after a large ingest.
func (s *Store) Optimize(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
		return fmt.Errorf("sqlite: optimize: %w", err)
	}
	return nil
}

// Close releases the database; it checkpoints the WAL.
func (s *Store) Close() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	for _, st := range []*sql.Stmt{s.insEvent, s.insClaim, s.insIndicator} {
		errs = append(errs, st.Close())
	}
	if _, err := s.w.Exec("PRAGMA optimize"); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	errs = append(errs, s.w.Close())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close %s: %w", s.path, err)
	}
	return nil
}

func reportHash(r *truce.Report) string {
	if r.Hash != "" {
		return r.Hash
	}
	sum := sha256.Sum256([]byte(r.Text))
	return hex.EncodeToString(sum[:])
}

// SaveExtraction stores a report and its extraction in one transaction.
func (s *Store) SaveExtraction(ctx context.Context, x *truce.Extraction) (id int64, created bool, err error) {
	return s.save(ctx, x, nil)
}

// save stores a report, its extraction and f (may be nil) in one transaction.
func (s *Store) save(ctx context.Context, x *truce.Extraction, f *store.Fusion) (id int64, created bool, err error) {
	if x == nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: nil extraction: %w", store.ErrInvalid)
	}
	rep := x.Report
	hash := reportHash(&rep)
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: begin: %w", err)
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, "SELECT id FROM reports WHERE hash = ?", hash).Scan(&id)
	switch {
	case err == nil:
		return id, false, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, false, fmt.Errorf("sqlite: save extraction: look up hash: %w", err)
	}
	var dupOf *int64
	if rep.SimHash != 0 {
		orig, err := nearDuplicate(ctx, tx, rep.SimHash)
		if err != nil {
			return 0, false, fmt.Errorf("sqlite: save extraction: %w", err)
		}
		if orig != 0 {
			dupOf = &orig
		}
	}
	b := sqlq.Bands(rep.SimHash)
	res, err := tx.ExecContext(ctx, `INSERT INTO reports
		(hash, simhash, sh0, sh1, sh2, sh3, duplicate_of, title, source, url, published, language, text, origin, ingested_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		hash, int64(rep.SimHash), b[0], b[1], b[2], b[3], dupOf, rep.Title, rep.Source, rep.URL,
		rep.Published, rep.Language, rep.Text, rep.Origin, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: insert report: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: report id: %w", err)
	}
	if err := s.insertItems(ctx, tx, id, x); err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: %w", err)
	}
	if err := sqlq.ApplyCorrections(ctx, sqlDB{tx}, id, hash); err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: %w", err)
	}
	if err := sqlq.WriteFusion(ctx, sqlDB{tx}, f, now()); err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: fusion: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("sqlite: save extraction: commit: %w", err)
	}
	return id, true, nil
}

func nearDuplicate(ctx context.Context, tx *sql.Tx, h uint64) (int64, error) {
	b := sqlq.Bands(h)
	// One indexed lookup per band: an OR of the four would scan the table.
	rows, err := tx.QueryContext(ctx, `SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh0 = ? UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh1 = ? UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh2 = ? UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh3 = ?`, b[0], b[1], b[2], b[3])
	if err != nil {
		return 0, fmt.Errorf("near-duplicate candidates: %w", err)
	}
	defer rows.Close()
	var cands []sqlq.Candidate
	for rows.Next() {
		var c sqlq.Candidate
		var sh int64
		if err := rows.Scan(&c.ID, &sh, &c.DuplicateOf); err != nil {
			return 0, fmt.Errorf("near-duplicate candidates: %w", err)
		}
		c.SimHash = uint64(sh)
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("near-duplicate candidates: %w", err)
	}
	return sqlq.Original(h, cands), nil
}

// ReplaceExtraction swaps the stored items of a report for a new extraction.
func (s *Store) ReplaceExtraction(ctx context.Context, reportID int64, x *truce.Extraction) error {
	if x == nil {
		return fmt.Errorf("sqlite: replace extraction: nil extraction: %w", store.ErrInvalid)
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: replace extraction: begin: %w", err)
	}
	defer tx.Rollback()
	var hash string
	if err := tx.QueryRowContext(ctx, "SELECT hash FROM reports WHERE id = ?", reportID).Scan(&hash); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("sqlite: replace extraction: report %d: %w", reportID, store.ErrNotFound)
		}
		return fmt.Errorf("sqlite: replace extraction: report %d: %w", reportID, err)
	}
	if err := sqlq.DeleteIncidentsOfReport(ctx, sqlDB{tx}, reportID); err != nil {
		return fmt.Errorf("sqlite: replace extraction: %w", err)
	}
	for _, t := range []string{"events", "claims", "indicators"} {
		// t is one of three fixed table names.
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE report_id = ?", reportID); err != nil {
			return fmt.Errorf("sqlite: replace extraction: delete %s: %w", t, err)
		}
	}
	if err := s.insertItems(ctx, tx, reportID, x); err != nil {
		return fmt.Errorf("sqlite: replace extraction: %w", err)
	}
	if err := sqlq.ApplyCorrections(ctx, sqlDB{tx}, reportID, hash); err != nil {
		return fmt.Errorf("sqlite: replace extraction: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: replace extraction: commit: %w", err)
	}
	return nil
}

const insertEvent = `INSERT INTO events (report_id, seq, type, mode, contexts,
	actor_name, actor_country, actor_kind, actor_id,
	recipient_name, recipient_country, recipient_kind, recipient_id, actors_lc,
	place_id, place_name, place_canonical, place_country, place_precision, place_keys, lat, lon,
	date_start, date_end, date_precision, span_days,
	evidence_text, evidence_start, evidence_end, negated, modality, rule, confidence,
	attribution, quantities, doc)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const insertClaim = `INSERT INTO claims (report_id, seq, text, kind, speaker,
	evidence_text, evidence_start, evidence_end, rule, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const insertIndicator = `INSERT INTO indicators (report_id, seq, metric, value, min, max, unit, scope,
	place_id, place_name, place_keys, as_of, evidence_text, evidence_start, evidence_end, doc)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (s *Store) insertItems(ctx context.Context, tx *sql.Tx, reportID int64, x *truce.Extraction) error {
	if len(x.Events) > 0 {
		st := tx.StmtContext(ctx, s.insEvent)
		defer st.Close()
		for i := range x.Events {
			r, err := sqlq.NewEventRow(&x.Events[i])
			if err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
			if _, err := st.ExecContext(ctx, reportID, i, r.Type, r.Mode, r.ContextsJSON,
				r.ActorName, r.ActorCountry, r.ActorKind, r.ActorID,
				r.RecipientName, r.RecipientCountry, r.RecipientKind, r.RecipientID, r.ActorsLC,
				r.PlaceID, r.PlaceName, r.PlaceCanonical, r.PlaceCountry, r.PlacePrecision, r.PlaceKeys, r.Lat, r.Lon,
				r.DateStart, r.DateEnd, r.DatePrecision, r.SpanDays,
				r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Negated, r.Modality, r.Rule, r.Confidence,
				r.Attribution, r.Quantities, r.Doc); err != nil {
				return fmt.Errorf("insert event %d: %w", i, err)
			}
		}
	}
	if len(x.Claims) > 0 {
		st := tx.StmtContext(ctx, s.insClaim)
		defer st.Close()
		for i := range x.Claims {
			r, err := sqlq.NewClaimRow(&x.Claims[i])
			if err != nil {
				return fmt.Errorf("claim %d: %w", i, err)
			}
			if _, err := st.ExecContext(ctx, reportID, i, r.Text, r.Kind, r.Speaker,
				r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Rule, r.Doc); err != nil {
				return fmt.Errorf("insert claim %d: %w", i, err)
			}
		}
	}
	if len(x.Indicators) > 0 {
		st := tx.StmtContext(ctx, s.insIndicator)
		defer st.Close()
		for i := range x.Indicators {
			r, err := sqlq.NewIndicatorRow(&x.Indicators[i])
			if err != nil {
				return fmt.Errorf("indicator %d: %w", i, err)
			}
			if _, err := st.ExecContext(ctx, reportID, i, r.Metric, r.Value, r.Min, r.Max, r.Unit, r.Scope,
				r.PlaceID, r.PlaceName, r.PlaceKeys, r.AsOf, r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Doc); err != nil {
				return fmt.Errorf("insert indicator %d: %w", i, err)
			}
		}
	}
	return nil
}

func (s *Store) maxSpan(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT coalesce(max(span_days), 0) FROM events").Scan(&n); err != nil {
		return 0, fmt.Errorf("max span: %w", err)
	}
	return n, nil
}

func (s *Store) eventConds(ctx context.Context, f store.EventFilter) (*sqlq.Builder, error) {
	span := 0
	if f.From != "" {
		var err error
		if span, err = s.maxSpan(ctx); err != nil {
			return nil, err
		}
	}
	b := &sqlq.Builder{Dialect: sqlq.SQLite}
	if err := sqlq.EventConds(b, f, span); err != nil {
		return nil, err
	}
	return b, nil
}

const eventCols = `e.id, e.report_id, e.date_start, e.doc, r.source, r.title, r.url, r.published, e.review`

func scanEvent(sc interface{ Scan(...any) error }) (store.StoredEvent, string, error) {
	var ev store.StoredEvent
	var date, doc string
	if err := sc.Scan(&ev.ID, &ev.ReportID, &date, &doc, &ev.Source, &ev.ReportTitle, &ev.ReportURL, &ev.Published, &ev.Review); err != nil {
		return ev, "", err
	}
	if err := json.Unmarshal([]byte(doc), &ev.Event); err != nil {
		return ev, "", fmt.Errorf("decode event %d: %w", ev.ID, err)
	}
	return ev, date, nil
}

// Events lists the events matching f, one page at a time.
func (s *Store) Events(ctx context.Context, f store.EventFilter) (store.EventPage, error) {
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return store.EventPage{}, fmt.Errorf("sqlite: events: %w", err)
	}
	if err := sqlq.AfterCond(b, f.After); err != nil {
		return store.EventPage{}, fmt.Errorf("sqlite: events: %w", err)
	}
	limit := sqlq.Limit(f)
	q := "SELECT " + eventCols + " FROM events e JOIN reports r ON r.id = e.report_id" + b.Where() +
		" ORDER BY e.date_start, e.id"
	if limit > 0 {
		q += " LIMIT " + b.Arg(limit+1)
	}
	rows, err := s.r.QueryContext(ctx, q, b.Args...)
	if err != nil {
		return store.EventPage{}, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	page := store.EventPage{Events: make([]store.StoredEvent, 0, min(max(limit, 16), 1001))}
	var lastDate string
	for rows.Next() {
		if limit > 0 && len(page.Events) == limit {
			last := page.Events[len(page.Events)-1]
			page.Next = sqlq.EncodeCursor(lastDate, last.ID)
			break
		}
		ev, date, err := scanEvent(rows)
		if err != nil {
			return store.EventPage{}, fmt.Errorf("sqlite: events: %w", err)
		}
		page.Events = append(page.Events, ev)
		lastDate = date
	}
	if err := rows.Err(); err != nil {
		return store.EventPage{}, fmt.Errorf("sqlite: events: %w", err)
	}
	return page, nil
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id int64) (store.StoredEvent, error) {
	row := s.r.QueryRowContext(ctx, "SELECT "+eventCols+" FROM events e JOIN reports r ON r.id = e.report_id WHERE e.id = ?", id)
	ev, _, err := scanEvent(row)
	if errors.Is(err, sql.ErrNoRows) {
		return ev, fmt.Errorf("sqlite: event %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return ev, fmt.Errorf("sqlite: event %d: %w", id, err)
	}
	return ev, nil
}

// EventsPerDay counts the events matching f per start day.
func (s *Store) EventsPerDay(ctx context.Context, f store.EventFilter) ([]store.DayCount, error) {
	f.After, f.Limit, f.NoLimit = "", 0, true
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events per day: %w", err)
	}
	b.Add("e.date_start > ''")
	q := "SELECT e.date_start, count(*) FROM events e" + b.Where() + " GROUP BY e.date_start ORDER BY e.date_start"
	rows, err := s.r.QueryContext(ctx, q, b.Args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events per day: %w", err)
	}
	defer rows.Close()
	out := []store.DayCount{}
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Day, &d.Count); err != nil {
			return nil, fmt.Errorf("sqlite: events per day: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: events per day: %w", err)
	}
	return out, nil
}

// EventPoints lists the map points of the events matching f.
func (s *Store) EventPoints(ctx context.Context, f store.EventFilter) ([]store.EventPoint, error) {
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("sqlite: event points: %w", err)
	}
	if wide, err := s.wideBox(ctx, f); err != nil {
		return nil, fmt.Errorf("sqlite: event points: %w", err)
	} else if wide {
		// Scan the (lon, lat)-carrying date index in order rather than look
		// every R*Tree candidate up in the table and sort them.
		g := f
		g.BBox = nil
		if b, err = s.eventConds(ctx, g); err != nil {
			return nil, fmt.Errorf("sqlite: event points: %w", err)
		}
		bb := f.BBox
		b.Add(fmt.Sprintf("e.lon BETWEEN %s AND %s AND e.lat BETWEEN %s AND %s",
			b.Arg(bb.MinLon), b.Arg(bb.MaxLon), b.Arg(bb.MinLat), b.Arg(bb.MaxLat)))
	}
	b.Add("e.lat IS NOT NULL AND e.lon IS NOT NULL")
	rows, err := s.r.QueryContext(ctx, "SELECT e.id, e.type, e.date_start, e.lat, e.lon FROM events e"+b.Where()+
		" ORDER BY e.date_start, e.id", b.Args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: event points: %w", err)
	}
	defer rows.Close()
	out := []store.EventPoint{}
	for rows.Next() {
		var p store.EventPoint
		if err := rows.Scan(&p.ID, &p.Type, &p.Date, &p.Lat, &p.Lon); err != nil {
			return nil, fmt.Errorf("sqlite: event points: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: event points: %w", err)
	}
	return out, nil
}

// wideBox reports whether f would find its events through the R*Tree (a box
// with no type, date or report filter: see sqlq.EventConds) although the box
// holds more than 1/50 of the events. Looking each candidate up in the table
// then costs more than scanning the covering index events_date, which carries
// lon and lat and is in the order wanted (at 1M events: 0.5-0.8 s against
// 0.1 s for a box of 125,000 events; 2 ms against 70 ms for 400). Counting the
// candidates in the R*Tree takes a few milliseconds.
func (s *Store) wideBox(ctx context.Context, f store.EventFilter) (bool, error) {
	bb := f.BBox
	if bb == nil || len(f.Types) > 0 || f.From != "" || f.To != "" || f.ReportID != 0 {
		return false, nil
	}
	var candidates, total int64
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM events_rtree WHERE max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?),
		(SELECT coalesce(max(id), 0) FROM events)`, bb.MinLon, bb.MaxLon, bb.MinLat, bb.MaxLat).Scan(&candidates, &total)
	if err != nil {
		return false, fmt.Errorf("box size: %w", err)
	}
	return candidates*50 > total, nil
}

// ReportIDs lists the ids of all stored reports in ascending order.
func (s *Store) ReportIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id FROM reports ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("sqlite: report ids: %w", err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: report ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: report ids: %w", err)
	}
	return ids, nil
}

const reportCols = `id, hash, simhash, coalesce(duplicate_of, 0), title, source, url, published, language, origin, ingested_at,
	(SELECT count(*) FROM events WHERE events.report_id = reports.id)`

func scanReport(sc interface{ Scan(...any) error }, extra ...any) (store.StoredReport, error) {
	var r store.StoredReport
	var sh int64
	var ingested string
	dest := append([]any{&r.ID, &r.Hash, &sh, &r.DuplicateOf, &r.Title, &r.Source, &r.URL, &r.Published,
		&r.Language, &r.Origin, &ingested, &r.Events}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.Report.Hash, r.SimHash = r.Hash, uint64(sh)
	t, err := time.Parse(time.RFC3339Nano, ingested)
	if err != nil {
		return r, fmt.Errorf("report %d: ingested_at %q: %w", r.ID, ingested, err)
	}
	r.IngestedAt = t
	return r, nil
}

// Report returns one stored report with its text.
func (s *Store) Report(ctx context.Context, id int64) (store.StoredReport, error) {
	row := s.r.QueryRowContext(ctx, "SELECT "+reportCols+", text FROM reports WHERE id = ?", id)
	var text string
	r, err := scanReport(row, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("sqlite: report %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("sqlite: report %d: %w", id, err)
	}
	r.Text, r.Report.Text = text, text
	return r, nil
}

// Reports lists reports, newest first.
func (s *Store) Reports(ctx context.Context, f store.ReportFilter) ([]store.StoredReport, error) {
	b := &sqlq.Builder{Dialect: sqlq.SQLite}
	if f.Source != "" {
		b.Add("source = " + b.Arg(f.Source))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q := "SELECT " + reportCols + " FROM reports" + b.Where() + " ORDER BY published DESC, id DESC LIMIT " +
		b.Arg(limit) + " OFFSET " + b.Arg(max(f.Offset, 0))
	rows, err := s.r.QueryContext(ctx, q, b.Args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reports: %w", err)
	}
	defer rows.Close()
	out := []store.StoredReport{}
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: reports: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: reports: %w", err)
	}
	return out, nil
}

func (s *Store) reportExists(ctx context.Context, id int64) error {
	var one int
	err := s.r.QueryRowContext(ctx, "SELECT 1 FROM reports WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("report %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("report %d: %w", id, err)
	}
	return nil
}

// Claims lists the claims of a report in extraction order.
func (s *Store) Claims(ctx context.Context, reportID int64) ([]store.StoredClaim, error) {
	if err := s.reportExists(ctx, reportID); err != nil {
		return nil, fmt.Errorf("sqlite: claims: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, "SELECT id, report_id, doc FROM claims WHERE report_id = ? ORDER BY seq, id", reportID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claims: %w", err)
	}
	defer rows.Close()
	out := []store.StoredClaim{}
	for rows.Next() {
		var c store.StoredClaim
		var doc string
		if err := rows.Scan(&c.ID, &c.ReportID, &doc); err != nil {
			return nil, fmt.Errorf("sqlite: claims: %w", err)
		}
		if err := json.Unmarshal([]byte(doc), &c.Claim); err != nil {
			return nil, fmt.Errorf("sqlite: claims: decode claim %d: %w", c.ID, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: claims: %w", err)
	}
	return out, nil
}

// Indicators lists indicator values matching f, oldest first.
func (s *Store) Indicators(ctx context.Context, f store.IndicatorFilter) ([]store.StoredIndicator, error) {
	b := &sqlq.Builder{Dialect: sqlq.SQLite}
	if err := sqlq.IndicatorConds(b, f); err != nil {
		return nil, fmt.Errorf("sqlite: indicators: %w", err)
	}
	q := "SELECT i.id, i.report_id, i.doc, r.source FROM indicators i JOIN reports r ON r.id = i.report_id" +
		b.Where() + " ORDER BY i.as_of, i.id"
	rows, err := s.r.QueryContext(ctx, q, b.Args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: indicators: %w", err)
	}
	defer rows.Close()
	out := []store.StoredIndicator{}
	for rows.Next() {
		var in store.StoredIndicator
		var doc string
		if err := rows.Scan(&in.ID, &in.ReportID, &doc, &in.Source); err != nil {
			return nil, fmt.Errorf("sqlite: indicators: %w", err)
		}
		if err := json.Unmarshal([]byte(doc), &in.Indicator); err != nil {
			return nil, fmt.Errorf("sqlite: indicators: decode indicator %d: %w", in.ID, err)
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: indicators: %w", err)
	}
	return out, nil
}

// Places lists the places events were coded at, most events first.
func (s *Store) Places(ctx context.Context) ([]store.PlaceCount, error) {
	rows, err := s.r.QueryContext(ctx, placesQuery)
	if err != nil {
		return nil, fmt.Errorf("sqlite: places: %w", err)
	}
	defer rows.Close()
	out := []store.PlaceCount{}
	for rows.Next() {
		var p store.PlaceCount
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&p.ID, &p.Canonical, &p.Name, &p.Country, &lat, &lon, &p.Precision, &p.Events); err != nil {
			return nil, fmt.Errorf("sqlite: places: %w", err)
		}
		p.Lat, p.Lon = lat.Float64, lon.Float64
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: places: %w", err)
	}
	return out, nil
}

// placesQuery groups events by place id and canonical name (by the source's
// name when an event's place has neither).
const placesQuery = `SELECT place_id, place_canonical, max(place_name), max(place_country), max(lat), max(lon),
	max(place_precision), count(*) AS n
	FROM events WHERE place_id <> '' OR place_canonical <> '' OR place_name <> ''
	GROUP BY place_id, place_canonical, CASE WHEN place_id = '' AND place_canonical = '' THEN place_name ELSE '' END
	ORDER BY n DESC, place_canonical, place_id, max(place_name)`

// Sources lists the sources of stored reports, most reports first.
func (s *Store) Sources(ctx context.Context) ([]store.SourceCount, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT source, count(*) AS n FROM reports GROUP BY source ORDER BY n DESC, source")
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	defer rows.Close()
	out := []store.SourceCount{}
	for rows.Next() {
		var sc store.SourceCount
		if err := rows.Scan(&sc.Source, &sc.Reports); err != nil {
			return nil, fmt.Errorf("sqlite: sources: %w", err)
		}
		out = append(out, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	return out, nil
}

// Stats counts the stored rows.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	var st store.Stats
	err := s.r.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events),
		(SELECT count(*) FROM claims), (SELECT count(*) FROM indicators)`).Scan(&st.Reports, &st.Events, &st.Claims, &st.Indicators)
	if err != nil {
		return st, fmt.Errorf("sqlite: stats: %w", err)
	}
	return st, nil
}
