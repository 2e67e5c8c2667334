package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	_ "modernc.org/sqlite" // the "sqlite" driver, to check the tables directly
)

// binDir holds the truce binary built for the tests that run it as a process.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// truceBinary builds the truce command once per test run and returns its path.
func truceBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "truce-test-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "truce")
		if runtime.GOOS == "windows" {
			binPath += ".exe"
		}
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// result is what a run of the truce binary left.
type result struct {
	stdout, stderr string
	code           int
}

// runTruce runs the truce binary with args to completion.
func runTruce(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), truceBinary(t), args...)
	cmd.Env = append(os.Environ(), "TRUCE_DB=", "TRUCE_LEXICON=", "TRUCE_LOG_LEVEL=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run truce %s: %v", strings.Join(args, " "), err)
		}
		res.code = ee.ExitCode()
	}
	return res
}

// hasStackTrace reports whether s looks like a Go panic or stack trace.
func hasStackTrace(s string) bool {
	for _, m := range []string{"panic:", "goroutine ", "runtime error", ".go:", "[signal "} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// checkSQLiteDB checks the tables of a truce SQLite database directly: its
// integrity, that no event, claim or indicator lacks its report, that no
// report is stored twice, and that the FTS5 and R*Tree side tables are in
// step with the events. It returns the number of reports and of events.
func checkSQLiteDB(t *testing.T, path string) (reports, events int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	ctx := t.Context()
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
		if err := db.QueryRowContext(ctx, c.query).Scan(&got); err != nil {
			t.Errorf("%s: %s: %v", c.what, c.query, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s = %q, want %q", c.what, c.query, got, c.want)
		}
	}
	// The FTS5 index agrees with its content table (events) row for row.
	if _, err := db.ExecContext(ctx, "INSERT INTO events_fts(events_fts, rank) VALUES('integrity-check', 1)"); err != nil {
		t.Errorf("FTS5 index out of step with events: %v", err)
	}
	if err := db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events)").Scan(&reports, &events); err != nil {
		t.Fatalf("count: %v", err)
	}
	return reports, events
}
