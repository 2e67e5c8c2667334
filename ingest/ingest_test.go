package ingest_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/source"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
	"github.com/truce-monitor/truce/store/sqlite"
)

// TestMain keeps the stores' informational logs (migrations applied) out of
// the test output.
func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(m.Run())
}

// ---- fixtures -------------------------------------------------------------

// longText is a report long enough that changing one sentence keeps its
// SimHash close to the original's.
const longText = `title: Peacekeepers escort convoys as deminers clear fields near Martuni
source: Test Wire
published: 2021-03-02
language: en
---
Russian peacekeepers escorted 12 humanitarian convoys from Goris to Stepanakert on Monday, the contingent's press office said.

The convoys carried cement, roofing sheets, window glass and school furniture for houses damaged during the autumn fighting.

Deminers of the peacekeeping contingent cleared 4.5 hectares of farmland near Martuni and neutralized 37 explosive objects over the weekend.

Since the start of their mission the deminers have cleared more than 1,200 hectares and 450 kilometres of roads, the Russian defence ministry said.

The peacekeepers also set up two new observation posts near the village of Aghavno on the Lachin road.

Local officials in Stepanakert said that gas supplies to the town had been restored to 95 percent of homes.

Azerbaijan returned 12 prisoners of war to Armenia on Sunday, Armenian officials said, after talks mediated by Moscow.

The Armenian government said the exchange was a first step and called for the return of all remaining detainees.

Azerbaijan's foreign ministry said the remaining detainees were not prisoners of war but saboteurs.

The head of the peacekeeping contingent met the heads of the local administrations of Martuni and Askeran on Tuesday.

They discussed the restoration of the water supply, the reopening of schools and the work of the deminers.

A further shipment of construction materials is expected from Yerevan later this week, the press office said.
`

const htmlPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Azerbaijani army enters Lachin | Caucasus Monitor (test)</title>
<meta property="og:site_name" content="Caucasus Monitor (test)">
<meta property="article:published_time" content="2020-12-01T14:32:00+04:00">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav>
<article><h1>Azerbaijani army enters Lachin</h1>
<p>Azerbaijani troops entered the Lachin district on Tuesday, completing the return of the three districts that Armenian forces were required to leave under the 10 November ceasefire statement, Azerbaijan's defence ministry said.</p>
<p>The last Armenian units left the town of Lachin, which Armenians call Berdzor, on Monday night, according to the local administration in Stepanakert.</p>
<p>The road through the town, part of a five-kilometre-wide corridor linking Stepanakert with Armenia, remains under the control of Russian peacekeepers.</p>
</article></body></html>
`

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Ceasefire Digest (test)</title><link>https://example.org/digest/</link><language>en</language>
<item><title>Peacekeepers escort five convoys to Stepanakert</title>
<link>https://example.org/digest/convoys</link><guid isPermaLink="false">digest-convoys</guid>
<pubDate>Mon, 01 Mar 2021 11:05:00 +0400</pubDate>
<description>Russian peacekeepers on Sunday escorted five humanitarian convoys carrying cement and window glass from Goris to Stepanakert, the contingent's press office said.</description></item>
<item><title>Deminers clear 30 hectares near Hadrut</title>
<link>https://example.org/digest/demining</link><guid isPermaLink="false">digest-demining</guid>
<pubDate>Wed, 03 Mar 2021 09:00:00 +0400</pubDate>
<description>Deminers cleared 30 hectares of land near Hadrut and neutralized 112 explosive objects last week, the Russian defence ministry said.</description></item>
</channel></rss>
`

const jsonLines = `{"title": "Serviceman wounded near Yeraskh", "source": "Test Wire", "published": "2021-08-02", "language": "en", "text": "An Armenian serviceman was wounded by fire from Azerbaijani positions near Yeraskh on Sunday, Armenia's defence ministry said on Monday."}
{"title": "Gas returns to Martakert", "source": "Relief Notes (test)", "published": "2021-08-05", "language": "en", "text": "Gas supplies were restored to 80 percent of homes in Martakert on Thursday, local officials said."}
`

// reportsIn is the number of reports the fixture folder holds: one text
// report, one page, two feed items and two JSON lines.
const reportsIn = 6

// writeFixtures writes a folder with a text report, an HTML page, an RSS feed
// and a JSON-lines file, plus a file ingest must not read, and returns it.
func writeFixtures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "wire", "convoys.txt"), longText)
	write(t, filepath.Join(dir, "lachin.html"), htmlPage)
	write(t, filepath.Join(dir, "digest.rss"), rssFeed)
	write(t, filepath.Join(dir, "items.jsonl"), jsonLines)
	write(t, filepath.Join(dir, "notes.pdf"), "not a report: ignored by extension")
	write(t, filepath.Join(dir, ".hidden", "skip.txt"), "Azerbaijani troops entered Lachin on Tuesday.")
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ---- extractor and backends --------------------------------------------------

var newExtractor = sync.OnceValues(func() (*extract.Extractor, error) { return extract.New(data.Bundled()) })

func extractor(t *testing.T) *extract.Extractor {
	t.Helper()
	x, err := newExtractor()
	if err != nil {
		t.Fatalf("extract.New: %v", err)
	}
	return x
}

// backend opens a fresh, empty store; sqlitePath is set for SQLite so the
// tests can also check its side tables directly.
type backend struct {
	name string
	open func(t *testing.T) (s store.Store, sqlitePath string)
}

func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) (store.Store, string) {
			path := filepath.Join(t.TempDir(), "truce.db")
			s, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Fatalf("sqlite.Open: %v", err)
			}
			t.Cleanup(func() { s.Close() })
			return s, path
		}},
		{"postgres", func(t *testing.T) (store.Store, string) { return openPostgres(t), "" }},
	}
}

// openPostgres opens a store in a fresh schema of the test server (env
// TRUCE_TEST_POSTGRES) through store/open, and drops the schema at the end.
// It skips when the server is unreachable, unless CI=true.
func openPostgres(t *testing.T) store.Store {
	t.Helper()
	dsn := os.Getenv("TRUCE_TEST_POSTGRES")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s is unreachable (CI=true, so this fails): %v", dsn, err)
		}
		t.Skipf("PostgreSQL at %s is unreachable, skipping (set TRUCE_TEST_POSTGRES): %v", dsn, err)
	}
	defer admin.Close(context.Background())
	schema := fmt.Sprintf("truce_ingest_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	// schema is a fixed prefix and digits; identifiers cannot be parameters.
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", dsn, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := open.Open(t.Context(), u.String())
	if err != nil {
		t.Fatalf("open.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// forEachBackend runs f once per backend, on a fresh store.
func forEachBackend(t *testing.T, f func(t *testing.T, s store.Store, sqlitePath string)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			s, path := b.open(t)
			f(t, s, path)
		})
	}
}

// discardLog drops the pipeline's log lines.
var discardLog = slog.New(slog.DiscardHandler)

func pipeline(t *testing.T, s store.Store) *ingest.Pipeline {
	return &ingest.Pipeline{Store: s, Extractor: extractor(t), Log: discardLog}
}

// ---- consistency checks --------------------------------------------------------

// checkConsistent checks, through the Store interface alone, that every
// stored item belongs to a stored report, that the counts agree, and that no
// report is stored twice. It returns the stats.
func checkConsistent(t *testing.T, s store.Store) store.Stats {
	t.Helper()
	ctx := t.Context()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatalf("Stats: %v", err)
	}
	ids, err := s.ReportIDs(ctx)
	if err != nil {
		t.Fatalf("ReportIDs: %v", err)
	}
	if len(ids) != st.Reports {
		t.Errorf("ReportIDs has %d ids, Stats.Reports = %d", len(ids), st.Reports)
	}
	known := map[int64]bool{}
	for _, id := range ids {
		known[id] = true
	}
	hashes := map[string]int64{}
	for off := 0; ; off += 1000 {
		reps, err := s.Reports(ctx, store.ReportFilter{Limit: 1000, Offset: off})
		if err != nil {
			t.Fatalf("Reports: %v", err)
		}
		for _, r := range reps {
			if prev, dup := hashes[r.Hash]; dup {
				t.Errorf("reports %d and %d have the same hash %s", prev, r.ID, r.Hash)
			}
			hashes[r.Hash] = r.ID
			if r.DuplicateOf != 0 && !known[r.DuplicateOf] {
				t.Errorf("report %d is a duplicate of %d, which is not stored", r.ID, r.DuplicateOf)
			}
		}
		if len(reps) < 1000 {
			break
		}
	}
	if len(hashes) != st.Reports {
		t.Errorf("Reports lists %d distinct hashes, Stats.Reports = %d", len(hashes), st.Reports)
	}
	evs, err := s.Events(ctx, store.EventFilter{NoLimit: true})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if len(evs.Events) != st.Events {
		t.Errorf("Events lists %d, Stats.Events = %d", len(evs.Events), st.Events)
	}
	for _, e := range evs.Events {
		if !known[e.ReportID] {
			t.Errorf("event %d belongs to report %d, which is not stored", e.ID, e.ReportID)
		}
	}
	claims := 0
	for _, id := range ids {
		cs, err := s.Claims(ctx, id)
		if err != nil {
			t.Fatalf("Claims(%d): %v", id, err)
		}
		claims += len(cs)
	}
	if claims != st.Claims {
		t.Errorf("the reports' claims add up to %d, Stats.Claims = %d", claims, st.Claims)
	}
	inds, err := s.Indicators(ctx, store.IndicatorFilter{})
	if err != nil {
		t.Fatalf("Indicators: %v", err)
	}
	if len(inds) != st.Indicators {
		t.Errorf("Indicators lists %d, Stats.Indicators = %d", len(inds), st.Indicators)
	}
	for _, in := range inds {
		if !known[in.ReportID] {
			t.Errorf("indicator %d belongs to report %d, which is not stored", in.ID, in.ReportID)
		}
	}
	return st
}

// checkSQLite checks the tables of a SQLite store directly: integrity, no
// orphan rows, unique hashes, and the FTS5 and R*Tree side tables in step
// with the events.
func checkSQLite(t *testing.T, path string) {
	t.Helper()
	if path == "" {
		return
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	for _, c := range []struct{ what, query, want string }{
		{"integrity", "PRAGMA integrity_check", "ok"},
		{"foreign keys", "SELECT count(*) FROM pragma_foreign_key_check", "0"},
		{"orphan events", "SELECT count(*) FROM events WHERE report_id NOT IN (SELECT id FROM reports)", "0"},
		{"orphan claims", "SELECT count(*) FROM claims WHERE report_id NOT IN (SELECT id FROM reports)", "0"},
		{"orphan indicators", "SELECT count(*) FROM indicators WHERE report_id NOT IN (SELECT id FROM reports)", "0"},
		{"dangling duplicate_of", "SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL AND duplicate_of NOT IN (SELECT id FROM reports)", "0"},
		{"duplicate hashes", "SELECT count(*) FROM (SELECT hash FROM reports GROUP BY hash HAVING count(*) > 1)", "0"},
		{"rtree", "SELECT rtreecheck('events_rtree')", "ok"},
		{"rtree rows without event", "SELECT count(*) FROM events_rtree WHERE id NOT IN (SELECT id FROM events)", "0"},
		{"events missing from rtree", "SELECT count(*) FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND id NOT IN (SELECT id FROM events_rtree)", "0"},
	} {
		var got string
		if err := db.QueryRowContext(t.Context(), c.query).Scan(&got); err != nil {
			t.Errorf("%s: %s: %v", c.what, c.query, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s = %q, want %q", c.what, c.query, got, c.want)
		}
	}
	// The FTS5 index agrees with its content table (events) row for row.
	if _, err := db.ExecContext(t.Context(), "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)"); err != nil {
		t.Errorf("FTS5 index out of step with events: %v", err)
	}
}

// ---- tests -----------------------------------------------------------------------

// TestRun ingests a folder of every kind of report, checks what it stored,
// then runs again to check that a second run stores nothing new.
func TestRun(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		dir := writeFixtures(t)
		p := pipeline(t, s)
		var progress []int
		p.Progress = func(done, total int) {
			if total != 4 {
				t.Errorf("Progress total = %d, want 4", total)
			}
			progress = append(progress, done)
		}
		sum, err := p.Run(t.Context(), []string{dir})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if len(sum.Errors) != 0 {
			t.Errorf("Run errors: %+v", sum.Errors)
		}
		if sum.Inputs != 4 || sum.Reports != reportsIn || sum.Duplicates != 0 {
			t.Errorf("first run: inputs %d, reports %d, duplicates %d; want 4, %d, 0", sum.Inputs, sum.Reports, sum.Duplicates, reportsIn)
		}
		if !slices.Equal(progress, []int{1, 2, 3, 4}) {
			t.Errorf("Progress calls %v, want [1 2 3 4]", progress)
		}
		st := checkConsistent(t, s)
		checkSQLite(t, path)
		if st.Reports != reportsIn {
			t.Errorf("stored %d reports, want %d", st.Reports, reportsIn)
		}
		if st.Events != sum.Events || st.Claims != sum.Claims || st.Indicators != sum.Indicators {
			t.Errorf("summary counts %d/%d/%d events/claims/indicators, store has %+v", sum.Events, sum.Claims, sum.Indicators, st)
		}
		if st.Events == 0 {
			t.Errorf("no events extracted from the fixtures")
		}
		srcs, err := s.Sources(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, sc := range srcs {
			got[sc.Source] = sc.Reports
		}
		want := map[string]int{"Test Wire": 2, "Relief Notes (test)": 1, "Ceasefire Digest (test)": 2, "Caucasus Monitor (test)": 1}
		if !maps.Equal(got, want) {
			t.Errorf("sources %v, want %v", got, want)
		}

		// Idempotence: the same inputs again store nothing and count duplicates.
		again, err := p.Run(t.Context(), []string{dir})
		if err != nil {
			t.Fatalf("second Run: %v", err)
		}
		if again.Reports != 0 || again.Duplicates != reportsIn || again.Events+again.Claims+again.Indicators != 0 {
			t.Errorf("second run: %+v, want 0 reports, %d duplicates and no items", again, reportsIn)
		}
		if st2 := checkConsistent(t, s); st2 != st {
			t.Errorf("second run changed the store: %+v, was %+v", st2, st)
		}
		checkSQLite(t, path)
	})
}

// TestRunFS ingests the bundled examples with RunFS and the same files from a
// folder with Run: both store the same, and each run after the first only
// finds duplicates.
func TestRunFS(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		p := pipeline(t, s)
		sum, err := p.RunFS(t.Context(), data.Examples())
		if err != nil {
			t.Fatalf("RunFS: %v", err)
		}
		if len(sum.Errors) != 0 {
			t.Errorf("RunFS errors: %+v", sum.Errors)
		}
		if sum.Inputs == 0 || sum.Reports < sum.Inputs {
			t.Errorf("RunFS: %d inputs, %d reports: want every example stored", sum.Inputs, sum.Reports)
		}
		st := checkConsistent(t, s)
		checkSQLite(t, path)
		if st.Reports != sum.Reports || st.Events != sum.Events || st.Claims != sum.Claims || st.Indicators != sum.Indicators {
			t.Errorf("summary %+v disagrees with the store %+v", sum, st)
		}

		again, err := p.RunFS(t.Context(), data.Examples())
		if err != nil {
			t.Fatalf("second RunFS: %v", err)
		}
		if again.Reports != 0 || again.Duplicates != sum.Reports {
			t.Errorf("second RunFS: %d stored, %d duplicates; want 0 and %d", again.Reports, again.Duplicates, sum.Reports)
		}

		dir := t.TempDir()
		if err := os.CopyFS(dir, data.Examples()); err != nil {
			t.Fatal(err)
		}
		fromDir, err := p.Run(t.Context(), []string{dir})
		if err != nil {
			t.Fatalf("Run over a copy: %v", err)
		}
		if fromDir.Inputs != sum.Inputs || fromDir.Reports != 0 || fromDir.Duplicates != sum.Reports {
			t.Errorf("Run over a copy of the examples: %+v; want %d inputs, all %d reports duplicates", fromDir, sum.Inputs, sum.Reports)
		}
		if st2 := checkConsistent(t, s); st2 != st {
			t.Errorf("store changed by duplicate runs: %+v, was %+v", st2, st)
		}
	})
}

// TestNearDuplicate ingests copies of a report: a copy with only a new
// headline has the same text and is skipped; copies with one sentence
// changed are stored and linked to the original.
func TestNearDuplicate(t *testing.T) {
	const origTitle = "title: Peacekeepers escort convoys as deminers clear fields near Martuni"
	cases := []struct {
		name    string
		text    string
		stored  bool // a new report
		linked  bool // DuplicateOf is the original
		wantErr bool
	}{
		{"same text", longText, false, false, false},
		{"new headline", strings.Replace(longText, origTitle, "title: Convoys reach Stepanakert; Martuni fields cleared", 1), false, false, false},
		{"one sentence changed", strings.Replace(longText, "escorted 12 humanitarian convoys", "escorted 14 humanitarian convoys", 1), true, true, false},
		{"new headline and one sentence changed", strings.Replace(strings.Replace(longText, origTitle, "title: Fourteen convoys", 1),
			"returned 12 prisoners of war", "returned 15 prisoners of war", 1), true, true, false},
	}
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		p := pipeline(t, s)
		dir := t.TempDir()
		orig := filepath.Join(dir, "orig.txt")
		write(t, orig, longText)
		sum, err := p.Run(t.Context(), []string{orig})
		if err != nil || sum.Reports != 1 {
			t.Fatalf("original: %+v, %v", sum, err)
		}
		ids, err := s.ReportIDs(t.Context())
		if err != nil || len(ids) != 1 {
			t.Fatalf("ReportIDs = %v, %v", ids, err)
		}
		origID := ids[0]
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := checkConsistent(t, s)
				f := filepath.Join(dir, fmt.Sprintf("copy%d.txt", i))
				write(t, f, tc.text)
				sum, err := p.Run(t.Context(), []string{f})
				if err != nil || len(sum.Errors) != 0 {
					t.Fatalf("Run: %+v, %v", sum, err)
				}
				after := checkConsistent(t, s)
				if !tc.stored {
					if sum.Reports != 0 || sum.Duplicates != 1 || after != before {
						t.Errorf("copy with the same text: summary %+v, store %+v (was %+v); want it skipped as a duplicate", sum, after, before)
					}
					return
				}
				if sum.Reports != 1 || after.Reports != before.Reports+1 {
					t.Fatalf("near-duplicate not stored: summary %+v, store %+v (was %+v)", sum, after, before)
				}
				ids, err := s.ReportIDs(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				r, err := s.Report(t.Context(), ids[len(ids)-1])
				if err != nil {
					t.Fatal(err)
				}
				if tc.linked && r.DuplicateOf != origID {
					t.Errorf("report %d (%q): DuplicateOf = %d, want %d", r.ID, r.Title, r.DuplicateOf, origID)
				}
			})
		}
		o, err := s.Report(t.Context(), origID)
		if err != nil {
			t.Fatal(err)
		}
		if o.DuplicateOf != 0 {
			t.Errorf("the original is marked a duplicate of %d", o.DuplicateOf)
		}
		checkSQLite(t, path)
	})
}

// TestBadInputs mixes files that cannot be read with good ones: each bad
// one is in Summary.Errors, named, with its reason, and the good ones are stored.
func TestBadInputs(t *testing.T) {
	bad := []struct {
		name, content string
		reason        string // a substring of the error
	}{
		{"binary.txt", "\x7fELF\x02\x01\x01\x00\x00\x00garbage\x00\x00", "binary input"},
		{"empty.txt", "", "empty report"},
		{"blank.md", " \n\t\n  \n", "empty report"},
		{"latin1.txt", strings.Repeat("\xe9t\xe9 \xe0 l'\xeele ", 40), "binary input"},
		{"broken.rss", "<rss><channel><item><title>x</title><description>abc", "parse feed"},
		{"bad-date.txt", "title: x\npublished: 2020-13-45\n---\nThe Azerbaijani army withdrew from Sotk on 3 December.\n", "published"},
		{"bad-line.jsonl", "{\"title\": \"ok\", \"text\": \"Peacekeepers escorted a convoy to Stepanakert.\"}\n{not json\n", "line 2"},
		{"tags-only.html", "<html><body><div><span></span></div><script>var x = 1;</script></body></html>", "empty report"},
	}
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		dir := writeFixtures(t)
		for _, b := range bad {
			write(t, filepath.Join(dir, "bad", b.name), b.content)
		}
		missing := filepath.Join(dir, "no-such-file.txt")
		p := pipeline(t, s)
		sum, err := p.Run(t.Context(), []string{dir, missing})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if sum.Reports != reportsIn {
			t.Errorf("stored %d reports, want the %d good ones", sum.Reports, reportsIn)
		}
		if want := 4 + len(bad) + 1; sum.Inputs != want {
			t.Errorf("Summary.Inputs = %d, want %d (the missing path counts as an input)", sum.Inputs, want)
		}
		errs := map[string]string{}
		for _, e := range sum.Errors {
			errs[e.Input] = e.Err
		}
		for _, b := range bad {
			in := filepath.Join(dir, "bad", b.name)
			msg, ok := errs[in]
			switch {
			case !ok:
				t.Errorf("%s: not in Summary.Errors %+v", b.name, sum.Errors)
			case !strings.Contains(msg, b.reason):
				t.Errorf("%s: error %q does not give the reason %q", b.name, msg, b.reason)
			case !strings.Contains(msg, b.name):
				t.Errorf("%s: error %q does not name the input", b.name, msg)
			}
		}
		if msg, ok := errs[missing]; !ok || !strings.Contains(msg, "no such file") {
			t.Errorf("missing input: error %q (listed %v), want it reported as missing", msg, ok)
		}
		if len(sum.Errors) != len(bad)+1 {
			t.Errorf("%d errors, want %d: %+v", len(sum.Errors), len(bad)+1, sum.Errors)
		}
		if st := checkConsistent(t, s); st.Reports != reportsIn {
			t.Errorf("store holds %d reports, want %d", st.Reports, reportsIn)
		}
		checkSQLite(t, path)
	})
}

// TestTooLarge checks that a file over the size limit is refused by its size
// before it is read: ingesting a sparse 100 MB file allocates far less than it.
func TestTooLarge(t *testing.T) {
	s, _ := backends()[0].open(t)
	p := pipeline(t, s)
	dir := t.TempDir()
	big := filepath.Join(dir, "huge.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sum, err := p.Run(t.Context(), []string{big})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Err, source.ErrTooLarge.Error()) || sum.Errors[0].Input != big {
		t.Fatalf("Summary.Errors = %+v, want %s refused as too large", sum.Errors, big)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > source.DefaultMaxBytes/4 {
		t.Errorf("refusing a 100 MB file allocated %d bytes: it was read", alloc)
	}
	// A smaller limit applies to files under the default one too.
	small := filepath.Join(dir, "small.txt")
	write(t, small, longText)
	p.Options.MaxBytes = 100
	sum, err = p.Run(t.Context(), []string{small})
	if err != nil || len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Err, "too large") {
		t.Errorf("with MaxBytes 100: %+v, %v; want the file refused", sum, err)
	}
}

// cancelAt is an extractor that cancels a context when it is asked for its
// n-th extraction (counting from 1), and extracts as usual.
type cancelAt struct {
	x      ingest.Extractor
	n      int
	calls  int
	cancel context.CancelFunc
}

func (c *cancelAt) Extract(r truce.Report) *truce.Extraction {
	c.calls++
	if c.calls == c.n {
		c.cancel()
	}
	return c.x.Extract(r)
}

// TestCancel cancels runs at several points: the run stops with
// context.Canceled, the store holds exactly the reports saved before, and a
// second run completes the job.
func TestCancel(t *testing.T) {
	const files = 8
	cases := []struct {
		name string
		// setup arranges for cancel to be called; it returns the number of
		// reports that must be stored when Run returns.
		setup func(p *ingest.Pipeline, cancel context.CancelFunc) int
	}{
		{"before the run", func(p *ingest.Pipeline, cancel context.CancelFunc) int {
			cancel()
			return 0
		}},
		{"between inputs", func(p *ingest.Pipeline, cancel context.CancelFunc) int {
			p.Progress = func(done, total int) {
				if done == 3 {
					cancel()
				}
			}
			return 3
		}},
		{"while a report is extracted", func(p *ingest.Pipeline, cancel context.CancelFunc) int {
			p.Extractor = &cancelAt{x: p.Extractor, n: 5, cancel: cancel}
			return 4 // the fifth report is not saved: its transaction never starts
		}},
	}
	dir := t.TempDir()
	for i := range files {
		write(t, filepath.Join(dir, fmt.Sprintf("r%02d.txt", i)), fmt.Sprintf(
			"title: Report %d\npublished: 2021-03-%02d\n---\nRussian peacekeepers escorted %d humanitarian convoys to Stepanakert on Monday.\n\nDeminers cleared %d hectares near Martuni.\n",
			i, i+1, i+2, i+10))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, s store.Store, path string) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p := pipeline(t, s)
				want := tc.setup(p, cancel)
				sum, err := p.Run(ctx, []string{dir})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("Run = %v, want context.Canceled", err)
				}
				st := checkConsistent(t, s)
				checkSQLite(t, path)
				if st.Reports != want || sum.Reports != want {
					t.Errorf("after cancel: store %d reports, summary %d; want %d", st.Reports, sum.Reports, want)
				}
				if len(sum.Errors) != 0 {
					t.Errorf("a cancelled run reported input errors: %+v", sum.Errors)
				}
				// Run again to completion.
				p = pipeline(t, s)
				sum, err = p.Run(t.Context(), []string{dir})
				if err != nil {
					t.Fatalf("second Run: %v", err)
				}
				if sum.Reports != files-want || sum.Duplicates != want {
					t.Errorf("second run stored %d and skipped %d; want %d and %d", sum.Reports, sum.Duplicates, files-want, want)
				}
				if st := checkConsistent(t, s); st.Reports != files {
					t.Errorf("store holds %d reports, want %d", st.Reports, files)
				}
				checkSQLite(t, path)
			})
		})
	}
}

// TestCancelRunFS cancels RunFS between inputs.
func TestCancelRunFS(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		p := pipeline(t, s)
		p.Progress = func(done, total int) {
			if done == 2 {
				cancel()
			}
		}
		sum, err := p.RunFS(ctx, data.Examples())
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("RunFS = %v, want context.Canceled", err)
		}
		st := checkConsistent(t, s)
		checkSQLite(t, path)
		if st.Reports != sum.Reports || len(sum.Errors) != 0 {
			t.Errorf("summary %+v, store %+v", sum, st)
		}
	})
}

// noItems is an extractor that keeps the report and extracts nothing.
type noItems struct{}

func (noItems) Extract(r truce.Report) *truce.Extraction { return &truce.Extraction{Report: r} }

// TestReextract replaces every report's items: with an extractor that finds
// nothing the items are gone, with the real one they come back, and the
// reports are untouched throughout.
func TestReextract(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		p := pipeline(t, s)
		if _, err := p.RunFS(t.Context(), data.Examples()); err != nil {
			t.Fatalf("RunFS: %v", err)
		}
		if _, err := p.Run(t.Context(), []string{writeFixtures(t)}); err != nil {
			t.Fatalf("Run: %v", err)
		}
		orig := checkConsistent(t, s)
		if orig.Events == 0 {
			t.Fatal("nothing extracted from the examples")
		}
		reports := func() []store.StoredReport {
			rs, err := s.Reports(t.Context(), store.ReportFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for i := range rs {
				rs[i].Events = 0 // changes with the extraction
			}
			return rs
		}
		origReports := reports()
		for _, step := range []struct {
			name string
			x    ingest.Extractor
			want func(sum ingest.Summary) store.Stats
		}{
			{"same extractor", extractor(t), func(ingest.Summary) store.Stats { return orig }},
			{"extractor finding nothing", noItems{}, func(ingest.Summary) store.Stats { return store.Stats{Reports: orig.Reports} }},
			{"back to the real one", extractor(t), func(ingest.Summary) store.Stats { return orig }},
		} {
			p := &ingest.Pipeline{Store: s, Extractor: step.x, Log: discardLog}
			var calls int
			p.Progress = func(done, total int) { calls++ }
			sum, err := p.Reextract(t.Context())
			if err != nil {
				t.Fatalf("%s: Reextract: %v", step.name, err)
			}
			st := checkConsistent(t, s)
			if want := step.want(sum); st != want {
				t.Errorf("%s: store %+v, want %+v", step.name, st, want)
			}
			if sum.Inputs != orig.Reports || sum.Reports != orig.Reports || calls != orig.Reports {
				t.Errorf("%s: summary %+v with %d progress calls; want %d reports", step.name, sum, calls, orig.Reports)
			}
			if sum.Events != st.Events || sum.Claims != st.Claims || sum.Indicators != st.Indicators {
				t.Errorf("%s: summary %+v disagrees with the store %+v", step.name, sum, st)
			}
			if got := reports(); !slices.EqualFunc(got, origReports, sameReport) {
				t.Errorf("%s: the stored reports changed", step.name)
			}
			checkSQLite(t, path)
		}
	})
}

func sameReport(a, b store.StoredReport) bool {
	return a.ID == b.ID && a.Hash == b.Hash && a.Report == b.Report && a.DuplicateOf == b.DuplicateOf && a.IngestedAt.Equal(b.IngestedAt)
}

// TestURLs ingests a page and a feed served over HTTP, and a URL that fails.
func TestURLs(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/news/lachin", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, htmlPage)
	})
	mux.HandleFunc("/digest/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/news/lachin", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/binary", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("\x00\x01\x02binary\x00"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	forEachBackend(t, func(t *testing.T, s store.Store, path string) {
		p := pipeline(t, s)
		p.Client = srv.Client()
		page, feed, moved := srv.URL+"/news/lachin", srv.URL+"/digest/rss", srv.URL+"/moved"
		missing, binary := srv.URL+"/no-such-page", srv.URL+"/binary"
		sum, err := p.Run(t.Context(), []string{page, feed, missing, moved, binary})
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if sum.Inputs != 5 || sum.Reports != 3 || sum.Duplicates != 1 {
			t.Errorf("summary %+v: want 5 inputs, 3 reports (page and 2 feed items), 1 duplicate (the redirect)", sum)
		}
		errs := map[string]string{}
		for _, e := range sum.Errors {
			errs[e.Input] = e.Err
		}
		if !strings.Contains(errs[missing], "404") || !strings.Contains(errs[binary], "binary") || len(errs) != 2 {
			t.Errorf("errors %+v: want a 404 for %s and binary input for %s", sum.Errors, missing, binary)
		}
		st := checkConsistent(t, s)
		checkSQLite(t, path)
		if st.Reports != 3 {
			t.Errorf("store holds %d reports, want 3", st.Reports)
		}
		rs, err := s.Reports(t.Context(), store.ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, r := range rs {
			titles = append(titles, r.Title)
		}
		slices.Sort(titles)
		want := []string{"Azerbaijani army enters Lachin", "Deminers clear 30 hectares near Hadrut", "Peacekeepers escort five convoys to Stepanakert"}
		if !slices.Equal(titles, want) {
			t.Errorf("titles %q, want %q", titles, want)
		}
		// The same URLs again: all duplicates.
		again, err := p.Run(t.Context(), []string{page, feed})
		if err != nil || again.Reports != 0 || again.Duplicates != 3 {
			t.Errorf("second run: %+v, %v; want 3 duplicates", again, err)
		}
	})
}
