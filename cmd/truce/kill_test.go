package main

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// killReports is the number of report files the kill test ingests.
const killReports = 400

// writeKillReports writes n distinct small reports, each with places, dates
// and quantities so that events and indicators are extracted, and returns
// their paths.
func writeKillReports(t *testing.T, dir string, n int) []string {
	t.Helper()
	places := []string{"Stepanakert", "Shusha", "Lachin", "Goris", "Martuni", "Hadrut", "Kalbajar", "Sotk", "Agdam", "Martakert"}
	var paths []string
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, "title: Monitoring report %d\nsource: Test Wire %d\npublished: 2021-%02d-%02d\nlanguage: en\n---\n",
			i, i%5, 1+i%12, 1+i%28)
		for j := range 12 {
			p, q := places[(i+j)%len(places)], places[(i*7+j*3)%len(places)]
			fmt.Fprintf(&b, "Russian peacekeepers escorted %d humanitarian convoys to %s on Monday, the defence ministry said in update %d.%d.\n\n", i+j+2, p, i, j)
			fmt.Fprintf(&b, "Deminers cleared %d.5 hectares of land near %s and neutralized %d explosive objects.\n\n", j+1, q, i*3+j+1)
		}
		fmt.Fprintf(&b, "Azerbaijan returned %d prisoners of war to Armenia, officials said.\n", i%9+1)
		path := filepath.Join(dir, fmt.Sprintf("%03d", i/100), fmt.Sprintf("report-%04d.txt", i))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}

// countReports reads the number of stored reports from a database another
// process is writing, read-only; it returns -1 while the database is not
// readable yet (not created, or being migrated).
func countReports(path string) int {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return -1
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM reports").Scan(&n); err != nil {
		return -1
	}
	return n
}

// TestKill9 kills `truce ingest` with SIGKILL several times while it stores
// reports, then runs it to completion, and checks that every report is
// stored exactly once and that nothing is left half-stored.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the truce binary; skipped with -short")
	}
	bin := truceBinary(t)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "reports")
	paths := writeKillReports(t, dir, killReports)
	db := filepath.Join(tmp, "truce.db")

	// Kill at growing thresholds of stored reports; a run that ends before
	// its threshold is reached has simply done its work.
	kills := 0
	for _, threshold := range []int{20, 100, 220} {
		cmd := exec.Command(bin, "ingest", "--db", db, "--log-level", "error", dir)
		cmd.Env = append(os.Environ(), "TRUCE_LEXICON=")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatalf("start: %v", err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var waitErr error
		killed := false
	poll:
		for {
			select {
			case waitErr = <-done:
				break poll
			default:
			}
			if countReports(db) >= threshold {
				if err := cmd.Process.Kill(); err != nil {
					t.Fatalf("kill: %v", err)
				}
				killed = true
				waitErr = <-done
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
		if hasStackTrace(stderr.String()) {
			t.Errorf("ingest printed a stack trace:\n%s", stderr.String())
		}
		n := countReports(db)
		if !killed {
			if waitErr != nil {
				t.Fatalf("ingest failed before it could be killed: %v\n%s", waitErr, stderr.String())
			}
			t.Logf("ingest finished before %d reports were seen; not killed", threshold)
			break
		}
		kills++
		t.Logf("killed ingest with %d of %d reports stored", n, killReports)
		// What a killed run left must already be consistent.
		if r, _ := checkSQLiteDB(t, db); r > killReports {
			t.Fatalf("%d reports stored from %d files", r, killReports)
		}
	}
	if kills == 0 {
		t.Log("no run was killed: the machine ingested faster than the test could poll")
	}

	// Run to completion.
	res := runTruce(t, "ingest", "--db", db, "--log-level", "error", dir)
	if res.code != 0 || hasStackTrace(res.stderr) {
		t.Fatalf("final ingest: exit %d\nstdout: %s\nstderr: %s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "0 errors") {
		t.Errorf("final ingest reported errors: %s", res.stdout)
	}
	reports, events := checkSQLiteDB(t, db)
	if reports != killReports {
		t.Errorf("stored %d reports, want one for each of the %d files", reports, killReports)
	}
	if events == 0 {
		t.Errorf("no events stored")
	}

	// Each file is stored once, under its own path, with the same items as
	// a run that was never interrupted stores for it.
	ref := filepath.Join(tmp, "reference.db")
	if res := runTruce(t, "ingest", "--db", ref, "--log-level", "error", dir); res.code != 0 {
		t.Fatalf("reference ingest: exit %d: %s%s", res.code, res.stdout, res.stderr)
	}
	got, want := itemsByOrigin(t, db), itemsByOrigin(t, ref)
	for _, p := range paths {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s not stored", p)
		case g.reports != 1:
			t.Errorf("%s stored %d times, want once", p, g.reports)
		case g != want[p]:
			t.Errorf("%s stored with %+v, an uninterrupted run stores %+v", p, g, want[p])
		}
	}
	if len(got) != len(paths) {
		t.Errorf("%d origins stored, want %d", len(got), len(paths))
	}

	// And once more: nothing new.
	res = runTruce(t, "ingest", "--db", db, "--log-level", "error", dir)
	if res.code != 0 || !strings.Contains(res.stdout, fmt.Sprintf("0 reports stored, %d already stored", killReports)) {
		t.Errorf("third ingest: exit %d: %s%s", res.code, res.stdout, res.stderr)
	}
}

// stored counts what a database holds for one input.
type stored struct{ reports, events, claims, indicators int }

// itemsByOrigin counts the reports and items a database holds per origin.
func itemsByOrigin(t *testing.T, path string) map[string]stored {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `SELECT origin, count(*),
		sum((SELECT count(*) FROM events e WHERE e.report_id = r.id)),
		sum((SELECT count(*) FROM claims c WHERE c.report_id = r.id)),
		sum((SELECT count(*) FROM indicators i WHERE i.report_id = r.id))
		FROM reports r GROUP BY origin`)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer rows.Close()
	out := map[string]stored{}
	for rows.Next() {
		var o string
		var s stored
		if err := rows.Scan(&o, &s.reports, &s.events, &s.claims, &s.indicators); err != nil {
			t.Fatal(err)
		}
		out[o] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
