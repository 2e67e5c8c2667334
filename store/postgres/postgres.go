package postgres

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/internal/sqlq"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a truce store in a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database at dsn (a postgres:// URL or key=value string;
// a search_path parameter selects the schema) and applies the pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect %s@%s:%d/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate: %w", err)
	}
	return &Store{pool: pool}, nil
}

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return fmt.Errorf("goose locker: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return fmt.Errorf("goose: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("goose up: %w", err)
	}
	for _, r := range res {
		slog.InfoContext(ctx, "store migration applied", "backend", "postgres", "version", r.Source.Version, "took", r.Duration)
	}
	return nil
}

// Pool is the connection pool, for callers that need PostgreSQL directly.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Close releases the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func reportHash(r *truce.Report) string {
	if r.Hash != "" {
		return r.Hash
	}
	sum := sha256.Sum256([]byte(r.Text))
	return hex.EncodeToString(sum[:])
}

func rollback(tx pgx.Tx) {
	// A rollback after a commit is a no-op; after a cancelled context pgx closes the connection.
	_ = tx.Rollback(context.Background())
}

// SaveExtraction stores a report and its extraction in one transaction.
func (s *Store) SaveExtraction(ctx context.Context, x *truce.Extraction) (id int64, created bool, err error) {
	return s.save(ctx, x, nil)
}

// save stores a report, its extraction and f (may be nil) in one transaction.
func (s *Store) save(ctx context.Context, x *truce.Extraction, f *store.Fusion) (id int64, created bool, err error) {
	if x == nil {
		return 0, false, fmt.Errorf("postgres: save extraction: nil extraction: %w", store.ErrInvalid)
	}
	rep := x.Report
	hash := reportHash(&rep)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: begin: %w", err)
	}
	defer rollback(tx)
	err = tx.QueryRow(ctx, "SELECT id FROM reports WHERE hash = $1", hash).Scan(&id)
	switch {
	case err == nil:
		return id, false, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return 0, false, fmt.Errorf("postgres: save extraction: look up hash: %w", err)
	}
	var dupOf *int64
	if rep.SimHash != 0 {
		orig, err := nearDuplicate(ctx, tx, rep.SimHash)
		if err != nil {
			return 0, false, fmt.Errorf("postgres: save extraction: %w", err)
		}
		if orig != 0 {
			dupOf = &orig
		}
	}
	b := sqlq.Bands(rep.SimHash)
	err = tx.QueryRow(ctx, `INSERT INTO reports
		(hash, simhash, sh0, sh1, sh2, sh3, duplicate_of, title, source, url, published, language, text, origin, ingested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (hash) DO NOTHING RETURNING id`,
		hash, int64(rep.SimHash), b[0], b[1], b[2], b[3], dupOf, rep.Title, rep.Source, rep.URL,
		rep.Published, rep.Language, rep.Text, rep.Origin, time.Now().UTC()).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// A concurrent save of the same report committed first.
		rollback(tx)
		if err := s.pool.QueryRow(ctx, "SELECT id FROM reports WHERE hash = $1", hash).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("postgres: save extraction: look up hash: %w", err)
		}
		return id, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: insert report: %w", err)
	}
	if err := insertItems(ctx, tx, id, x); err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: %w", err)
	}
	if err := sqlq.ApplyCorrections(ctx, pgDB{tx}, id, hash); err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: %w", err)
	}
	if f != nil && len(f.Incidents) > 0 {
		// Incidents span reports: serialise the writers that change them.
		if _, err := tx.Exec(ctx, "LOCK TABLE incidents IN EXCLUSIVE MODE"); err != nil {
			return 0, false, fmt.Errorf("postgres: save extraction: lock incidents: %w", err)
		}
	}
	if err := sqlq.WriteFusion(ctx, pgDB{tx}, f, time.Now().UTC()); err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: fusion: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, false, fmt.Errorf("postgres: save extraction: commit: %w", err)
	}
	return id, true, nil
}

func nearDuplicate(ctx context.Context, tx pgx.Tx, h uint64) (int64, error) {
	b := sqlq.Bands(h)
	// One indexed lookup per band: an OR of the four would scan the table.
	rows, err := tx.Query(ctx, `SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh0 = $1 UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh1 = $2 UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh2 = $3 UNION
		SELECT id, simhash, coalesce(duplicate_of, 0) FROM reports WHERE simhash <> 0 AND sh3 = $4`, b[0], b[1], b[2], b[3])
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
		return fmt.Errorf("postgres: replace extraction: nil extraction: %w", store.ErrInvalid)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: replace extraction: begin: %w", err)
	}
	defer rollback(tx)
	var hash string
	// FOR UPDATE serialises concurrent replacements of the same report.
	if err := tx.QueryRow(ctx, "SELECT hash FROM reports WHERE id = $1 FOR UPDATE", reportID).Scan(&hash); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("postgres: replace extraction: report %d: %w", reportID, store.ErrNotFound)
		}
		return fmt.Errorf("postgres: replace extraction: report %d: %w", reportID, err)
	}
	if err := sqlq.DeleteIncidentsOfReport(ctx, pgDB{tx}, reportID); err != nil {
		return fmt.Errorf("postgres: replace extraction: %w", err)
	}
	for _, t := range []string{"events", "claims", "indicators"} {
		// t is one of three fixed table names.
		if _, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE report_id = $1", reportID); err != nil {
			return fmt.Errorf("postgres: replace extraction: delete %s: %w", t, err)
		}
	}
	if err := insertItems(ctx, tx, reportID, x); err != nil {
		return fmt.Errorf("postgres: replace extraction: %w", err)
	}
	if err := sqlq.ApplyCorrections(ctx, pgDB{tx}, reportID, hash); err != nil {
		return fmt.Errorf("postgres: replace extraction: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: replace extraction: commit: %w", err)
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
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
	$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36)`

const insertClaim = `INSERT INTO claims (report_id, seq, text, kind, speaker,
	evidence_text, evidence_start, evidence_end, rule, doc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

const insertIndicator = `INSERT INTO indicators (report_id, seq, metric, value, min, max, unit, scope,
	place_id, place_name, place_keys, as_of, evidence_text, evidence_start, evidence_end, doc)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`

func insertItems(ctx context.Context, tx pgx.Tx, reportID int64, x *truce.Extraction) error {
	batch := &pgx.Batch{}
	for i := range x.Events {
		r, err := sqlq.NewEventRow(&x.Events[i])
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		batch.Queue(insertEvent, reportID, i, r.Type, r.Mode, r.Contexts,
			r.ActorName, r.ActorCountry, r.ActorKind, r.ActorID,
			r.RecipientName, r.RecipientCountry, r.RecipientKind, r.RecipientID, r.ActorsLC,
			r.PlaceID, r.PlaceName, r.PlaceCanonical, r.PlaceCountry, r.PlacePrecision, r.PlaceKeys, r.Lat, r.Lon,
			r.DateStart, r.DateEnd, r.DatePrecision, r.SpanDays,
			r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Negated, r.Modality, r.Rule, r.Confidence,
			r.Attribution, r.Quantities, r.Doc)
	}
	for i := range x.Claims {
		r, err := sqlq.NewClaimRow(&x.Claims[i])
		if err != nil {
			return fmt.Errorf("claim %d: %w", i, err)
		}
		batch.Queue(insertClaim, reportID, i, r.Text, r.Kind, r.Speaker,
			r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Rule, r.Doc)
	}
	for i := range x.Indicators {
		r, err := sqlq.NewIndicatorRow(&x.Indicators[i])
		if err != nil {
			return fmt.Errorf("indicator %d: %w", i, err)
		}
		batch.Queue(insertIndicator, reportID, i, r.Metric, r.Value, r.Min, r.Max, r.Unit, r.Scope,
			r.PlaceID, r.PlaceName, r.PlaceKeys, r.AsOf, r.EvidenceText, r.EvidenceStart, r.EvidenceEnd, r.Doc)
	}
	if batch.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("insert items: %w", err)
	}
	return nil
}

func (s *Store) eventConds(ctx context.Context, f store.EventFilter) (*sqlq.Builder, error) {
	span := 0
	if f.From != "" {
		if err := s.pool.QueryRow(ctx, "SELECT coalesce(max(span_days), 0) FROM events").Scan(&span); err != nil {
			return nil, fmt.Errorf("max span: %w", err)
		}
	}
	b := &sqlq.Builder{Dialect: sqlq.Postgres}
	if err := sqlq.EventConds(b, f, span); err != nil {
		return nil, err
	}
	return b, nil
}

const eventCols = `e.id, e.report_id, e.date_start, e.doc, r.source, r.title, r.url, r.published, e.review`

func scanEvent(sc pgx.Row) (store.StoredEvent, string, error) {
	var ev store.StoredEvent
	var date string
	var doc []byte
	if err := sc.Scan(&ev.ID, &ev.ReportID, &date, &doc, &ev.Source, &ev.ReportTitle, &ev.ReportURL, &ev.Published, &ev.Review); err != nil {
		return ev, "", err
	}
	if err := json.Unmarshal(doc, &ev.Event); err != nil {
		return ev, "", fmt.Errorf("decode event %d: %w", ev.ID, err)
	}
	return ev, date, nil
}

// Events lists the events matching f, one page at a time.
func (s *Store) Events(ctx context.Context, f store.EventFilter) (store.EventPage, error) {
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return store.EventPage{}, fmt.Errorf("postgres: events: %w", err)
	}
	if err := sqlq.AfterCond(b, f.After); err != nil {
		return store.EventPage{}, fmt.Errorf("postgres: events: %w", err)
	}
	limit := sqlq.Limit(f)
	q := "SELECT " + eventCols + " FROM events e JOIN reports r ON r.id = e.report_id" + b.Where() +
		" ORDER BY e.date_start, e.id"
	if limit > 0 {
		q += " LIMIT " + b.Arg(limit+1)
	}
	rows, err := s.pool.Query(ctx, q, b.Args...)
	if err != nil {
		return store.EventPage{}, fmt.Errorf("postgres: events: %w", err)
	}
	defer rows.Close()
	page := store.EventPage{Events: make([]store.StoredEvent, 0, min(max(limit, 16), 1001))}
	var lastDate string
	for rows.Next() {
		if limit > 0 && len(page.Events) == limit {
			page.Next = sqlq.EncodeCursor(lastDate, page.Events[len(page.Events)-1].ID)
			break
		}
		ev, date, err := scanEvent(rows)
		if err != nil {
			return store.EventPage{}, fmt.Errorf("postgres: events: %w", err)
		}
		page.Events = append(page.Events, ev)
		lastDate = date
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.EventPage{}, fmt.Errorf("postgres: events: %w", err)
	}
	return page, nil
}

// Event returns one event.
func (s *Store) Event(ctx context.Context, id int64) (store.StoredEvent, error) {
	row := s.pool.QueryRow(ctx, "SELECT "+eventCols+" FROM events e JOIN reports r ON r.id = e.report_id WHERE e.id = $1", id)
	ev, _, err := scanEvent(row)
	if errors.Is(err, pgx.ErrNoRows) {
		return ev, fmt.Errorf("postgres: event %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return ev, fmt.Errorf("postgres: event %d: %w", id, err)
	}
	return ev, nil
}

// EventsPerDay counts the events matching f per start day.
func (s *Store) EventsPerDay(ctx context.Context, f store.EventFilter) ([]store.DayCount, error) {
	f.After, f.Limit, f.NoLimit = "", 0, true
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: events per day: %w", err)
	}
	b.Add("e.date_start > ''")
	rows, err := s.pool.Query(ctx, "SELECT e.date_start, count(*) FROM events e"+b.Where()+
		" GROUP BY e.date_start ORDER BY e.date_start", b.Args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: events per day: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.DayCount, error) {
		var d store.DayCount
		err := r.Scan(&d.Day, &d.Count)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: events per day: %w", err)
	}
	return nonNil(out), nil
}

// EventPoints lists the map points of the events matching f.
func (s *Store) EventPoints(ctx context.Context, f store.EventFilter) ([]store.EventPoint, error) {
	b, err := s.eventConds(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("postgres: event points: %w", err)
	}
	b.Add("e.lat IS NOT NULL AND e.lon IS NOT NULL")
	rows, err := s.pool.Query(ctx, "SELECT e.id, e.type, e.date_start, e.lat, e.lon FROM events e"+b.Where()+
		" ORDER BY e.date_start, e.id", b.Args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: event points: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.EventPoint, error) {
		var p store.EventPoint
		err := r.Scan(&p.ID, &p.Type, &p.Date, &p.Lat, &p.Lon)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: event points: %w", err)
	}
	return nonNil(out), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ReportIDs lists the ids of all stored reports in ascending order.
func (s *Store) ReportIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.pool.Query(ctx, "SELECT id FROM reports ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("postgres: report ids: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: report ids: %w", err)
	}
	return nonNil(ids), nil
}

const reportCols = `id, hash, simhash, coalesce(duplicate_of, 0), title, source, url, published, language, origin, ingested_at,
	(SELECT count(*) FROM events WHERE events.report_id = reports.id)`

func scanReport(sc pgx.Row, extra ...any) (store.StoredReport, error) {
	var r store.StoredReport
	var sh int64
	dest := append([]any{&r.ID, &r.Hash, &sh, &r.DuplicateOf, &r.Title, &r.Source, &r.URL, &r.Published,
		&r.Language, &r.Origin, &r.IngestedAt, &r.Events}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	r.Report.Hash, r.SimHash = r.Hash, uint64(sh)
	r.IngestedAt = r.IngestedAt.UTC()
	return r, nil
}

// Report returns one stored report with its text.
func (s *Store) Report(ctx context.Context, id int64) (store.StoredReport, error) {
	var text string
	r, err := scanReport(s.pool.QueryRow(ctx, "SELECT "+reportCols+", text FROM reports WHERE id = $1", id), &text)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("postgres: report %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("postgres: report %d: %w", id, err)
	}
	r.Text, r.Report.Text = text, text
	return r, nil
}

// Reports lists reports, newest first.
func (s *Store) Reports(ctx context.Context, f store.ReportFilter) ([]store.StoredReport, error) {
	b := &sqlq.Builder{Dialect: sqlq.Postgres}
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
	rows, err := s.pool.Query(ctx, q, b.Args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StoredReport, error) { return scanReport(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: reports: %w", err)
	}
	return nonNil(out), nil
}

// Claims lists the claims of a report in extraction order.
func (s *Store) Claims(ctx context.Context, reportID int64) ([]store.StoredClaim, error) {
	var one int
	if err := s.pool.QueryRow(ctx, "SELECT 1 FROM reports WHERE id = $1", reportID).Scan(&one); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("postgres: claims: report %d: %w", reportID, store.ErrNotFound)
		}
		return nil, fmt.Errorf("postgres: claims: report %d: %w", reportID, err)
	}
	rows, err := s.pool.Query(ctx, "SELECT id, report_id, doc FROM claims WHERE report_id = $1 ORDER BY seq, id", reportID)
	if err != nil {
		return nil, fmt.Errorf("postgres: claims: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StoredClaim, error) {
		var c store.StoredClaim
		var doc []byte
		if err := r.Scan(&c.ID, &c.ReportID, &doc); err != nil {
			return c, err
		}
		if err := json.Unmarshal(doc, &c.Claim); err != nil {
			return c, fmt.Errorf("decode claim %d: %w", c.ID, err)
		}
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claims: %w", err)
	}
	return nonNil(out), nil
}

// Indicators lists indicator values matching f, oldest first.
func (s *Store) Indicators(ctx context.Context, f store.IndicatorFilter) ([]store.StoredIndicator, error) {
	b := &sqlq.Builder{Dialect: sqlq.Postgres}
	if err := sqlq.IndicatorConds(b, f); err != nil {
		return nil, fmt.Errorf("postgres: indicators: %w", err)
	}
	rows, err := s.pool.Query(ctx, "SELECT i.id, i.report_id, i.doc, r.source FROM indicators i JOIN reports r ON r.id = i.report_id"+
		b.Where()+" ORDER BY i.as_of, i.id", b.Args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: indicators: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.StoredIndicator, error) {
		var in store.StoredIndicator
		var doc []byte
		if err := r.Scan(&in.ID, &in.ReportID, &doc, &in.Source); err != nil {
			return in, err
		}
		if err := json.Unmarshal(doc, &in.Indicator); err != nil {
			return in, fmt.Errorf("decode indicator %d: %w", in.ID, err)
		}
		return in, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: indicators: %w", err)
	}
	return nonNil(out), nil
}

// Places lists the places events were coded at, most events first.
func (s *Store) Places(ctx context.Context) ([]store.PlaceCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT place_id, place_canonical, max(place_name), max(place_country), max(lat), max(lon),
		max(place_precision), count(*) AS n
		FROM events WHERE place_id <> '' OR place_canonical <> '' OR place_name <> ''
		GROUP BY place_id, place_canonical, CASE WHEN place_id = '' AND place_canonical = '' THEN place_name ELSE '' END
		ORDER BY n DESC, place_canonical, place_id, max(place_name)`)
	if err != nil {
		return nil, fmt.Errorf("postgres: places: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.PlaceCount, error) {
		var p store.PlaceCount
		var lat, lon *float64
		err := r.Scan(&p.ID, &p.Canonical, &p.Name, &p.Country, &lat, &lon, &p.Precision, &p.Events)
		if lat != nil && lon != nil {
			p.Lat, p.Lon = *lat, *lon
		}
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: places: %w", err)
	}
	return nonNil(out), nil
}

// Sources lists the sources of stored reports, most reports first.
func (s *Store) Sources(ctx context.Context) ([]store.SourceCount, error) {
	rows, err := s.pool.Query(ctx, "SELECT source, count(*) AS n FROM reports GROUP BY source ORDER BY n DESC, source")
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.SourceCount, error) {
		var sc store.SourceCount
		err := r.Scan(&sc.Source, &sc.Reports)
		return sc, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	return nonNil(out), nil
}

// Stats counts the stored rows.
func (s *Store) Stats(ctx context.Context) (store.Stats, error) {
	var st store.Stats
	err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events),
		(SELECT count(*) FROM claims), (SELECT count(*) FROM indicators)`).Scan(&st.Reports, &st.Events, &st.Claims, &st.Indicators)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	return st, nil
}
