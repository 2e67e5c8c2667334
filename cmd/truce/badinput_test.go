package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodReport is a report every run must store.
const goodReport = `title: Deminers clear fields near Martuni
source: Test Wire
published: 2021-03-02
language: en
---
Deminers of the Russian peacekeeping contingent cleared 4.5 hectares of farmland near Martuni and neutralized 37 explosive objects over the weekend, the Russian defence ministry said.

Russian peacekeepers escorted 12 humanitarian convoys from Goris to Stepanakert on Monday.
`

// badInput is an input file and what truce must make of it.
type badInput struct {
	name  string // file name
	write func(t *testing.T, path string)
	// reason is a substring of the error naming why the input is refused;
	// "" when the input is readable after all (a lenient reader keeps the text).
	reason string
}

func content(s string) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// randomBytes returns n pseudo-random bytes, with NULs among them.
func randomBytes(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[n/2] = 0
	return string(b)
}

// sparse writes a file of size bytes without writing its content.
func sparse(size int64) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString("title: huge\n---\nThe peacekeepers escorted a convoy.\n"); err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func badInputs() []badInput {
	return []badInput{
		{"random.txt", content(randomBytes(4096)), "binary input"},
		{"elf.html", content("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00<html>"), "binary input"},
		{"latin1.txt", content(strings.Repeat("L'arm\xe9e s'est retir\xe9e \xe0 l'\xe9t\xe9. ", 30)), "binary input"},
		// A few stray bytes in a text are replaced, not a reason to refuse it.
		{"stray-bytes.txt", content("title: Stray bytes\n---\nRussian peacekeepers escorted 3 convoys to Lachin \xff on Monday, the ministry said in a long statement about the humanitarian situation.\n"), ""},
		{"empty.txt", content(""), "empty report"},
		{"whitespace.md", content("\n \t\n\r\n"), "empty report"},
		{"huge.txt", sparse(100 << 20), "input too large"},
		{"unclosed.html", content("<html><head><title>Convoy reaches Lachin</title><body><div><p>Russian peacekeepers <b>escorted a convoy to <i>Lachin</div></p></span><table><tr><td>on Monday"), ""},
		{"no-text.html", content("<html><body><div><span></span></div><script>var x = '<p>';</script><<>></body>"), "empty report"},
		{"truncated.rss", content(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>x</title><description>Peacekeepers escorted`), "parse feed"},
		{"not-a-feed.atom", content("this is not XML at all"), "parse feed"},
		{"empty-feed.xml", content(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>`), "empty report"},
		{"bad-date.txt", content("title: Bad date\npublished: 2020-13-45\n---\nThe Azerbaijani army withdrew from Sotk on 3 December.\n"), `published "2020-13-45"`},
		{"word-date.txt", content("title: Bad date\npublished: last Tuesday-ish\n---\nThe Azerbaijani army withdrew from Sotk on 3 December.\n"), "published"},
		{"bad-line.jsonl", content("{\"title\": \"ok\", \"text\": \"Peacekeepers escorted a convoy to Stepanakert.\"}\n{\"title\": \n"), "line 2"},
	}
}

// TestExtractBadInput runs `truce extract` on each bad input: it must fail
// with an error naming the file and the reason, never a panic or stack
// trace, or (for an input a lenient reader accepts) print one JSON object.
func TestExtractBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the truce binary; skipped with -short")
	}
	dir := t.TempDir()
	for _, tc := range badInputs() {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			tc.write(t, path)
			res := runTruce(t, "extract", "--log-level", "error", path)
			if hasStackTrace(res.stderr) || hasStackTrace(res.stdout) {
				t.Fatalf("stack trace:\n%s%s", res.stdout, res.stderr)
			}
			if tc.reason == "" {
				if res.code != 0 {
					t.Fatalf("exit %d, want 0: %s", res.code, res.stderr)
				}
				var x struct {
					Report map[string]any `json:"report"`
					Events []any          `json:"events"`
				}
				if err := json.Unmarshal([]byte(res.stdout), &x); err != nil || x.Report == nil {
					t.Errorf("output is not one extraction (%v): %q", err, res.stdout)
				}
				return
			}
			if res.code != 1 {
				t.Errorf("exit %d, want 1", res.code)
			}
			if res.stdout != "" {
				t.Errorf("printed %q for a bad input", res.stdout)
			}
			msg := strings.TrimSpace(res.stderr)
			if !strings.HasPrefix(msg, "truce: ") || strings.Count(msg, "\n") != 0 {
				t.Errorf("want one line \"truce: …\", got %q", msg)
			}
			if !strings.Contains(msg, path) {
				t.Errorf("error %q does not name the file %s", msg, path)
			}
			if !strings.Contains(msg, tc.reason) {
				t.Errorf("error %q does not give the reason %q", msg, tc.reason)
			}
		})
	}
}

// TestExtractBadInputInProcess runs the extract command in-process on the
// bad inputs: the command returns an error naming the file, and does not panic.
func TestExtractBadInputInProcess(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range badInputs() {
		if tc.reason == "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			tc.write(t, path)
			var out, errOut bytes.Buffer
			root := newRoot()
			root.SetArgs([]string{"extract", "--log-level", "error", path})
			root.SetOut(&out)
			root.SetErr(&errOut)
			err := root.ExecuteContext(t.Context())
			if err == nil {
				t.Fatalf("no error; printed %q", out.String())
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("error %q: want the file %s and the reason %q", err, path, tc.reason)
			}
			if out.Len() != 0 || errOut.Len() != 0 {
				t.Errorf("printed %q / %q", out.String(), errOut.String())
			}
		})
	}
}

// TestIngestBadInput ingests a folder holding every bad input next to a
// good report: the good report (and the inputs a lenient reader accepts) are
// stored, each bad input is listed in the summary with its reason, and the
// database is consistent. A second run stores nothing new; a folder of bad
// inputs alone makes the command fail.
func TestIngestBadInput(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "in")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.txt")
	content(goodReport)(t, good)
	accepted := 1 // good.txt, and the inputs a lenient reader accepts
	for _, tc := range badInputs() {
		tc.write(t, filepath.Join(dir, tc.name))
		if tc.reason == "" {
			accepted++
		}
	}
	db := filepath.Join(tmp, "truce.db")

	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		root := newRoot()
		root.SetArgs(append([]string{"ingest", "--db", db, "--log-level", "error"}, args...))
		root.SetOut(&out)
		root.SetErr(&errOut)
		err := root.ExecuteContext(t.Context())
		return out.String(), err
	}

	out, err := run(dir)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	summary := lines[0]
	wantHead := []string{
		fmt.Sprintf("ingested %d inputs", len(badInputs())+1),
		fmt.Sprintf("%d reports stored, 0 already stored", accepted),
		fmt.Sprintf("%d errors", len(badInputs())+1-accepted),
	}
	for _, w := range wantHead {
		if !strings.Contains(summary, w) {
			t.Errorf("summary %q lacks %q", summary, w)
		}
	}
	errLines := map[string]string{}
	for _, l := range lines[1:] {
		rest, ok := strings.CutPrefix(l, "  error: ")
		if !ok {
			t.Errorf("unexpected output line %q", l)
			continue
		}
		in, msg, _ := strings.Cut(rest, ": ")
		errLines[in] = msg
	}
	for _, tc := range badInputs() {
		path := filepath.Join(dir, tc.name)
		msg, listed := errLines[path]
		switch {
		case tc.reason == "" && listed:
			t.Errorf("%s: accepted input listed as an error: %s", tc.name, msg)
		case tc.reason != "" && !listed:
			t.Errorf("%s: not listed in the summary:\n%s", tc.name, out)
		case tc.reason != "" && !strings.Contains(msg, tc.reason):
			t.Errorf("%s: summary gives %q, want the reason %q", tc.name, msg, tc.reason)
		}
	}
	if _, listed := errLines[good]; listed {
		t.Errorf("the good report is listed as an error")
	}
	if reports, _ := checkSQLiteDB(t, db); reports != accepted {
		t.Errorf("database holds %d reports, want %d", reports, accepted)
	}

	// Again: the good ones are already stored, the bad ones fail again.
	out, err = run(dir)
	if err != nil {
		t.Fatalf("second ingest: %v", err)
	}
	if !strings.Contains(out, fmt.Sprintf("0 reports stored, %d already stored", accepted)) {
		t.Errorf("second ingest: %s", out)
	}

	// Bad inputs alone: the command fails, after listing them.
	if err := os.Remove(good); err != nil {
		t.Fatal(err)
	}
	onlyBad := filepath.Join(tmp, "bad")
	if err := os.MkdirAll(onlyBad, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range badInputs()[:3] {
		tc.write(t, filepath.Join(onlyBad, tc.name))
	}
	out, err = run(onlyBad)
	if err == nil || !strings.Contains(err.Error(), "nothing ingested") {
		t.Errorf("ingest of bad inputs only: error %v, want \"nothing ingested\"", err)
	}
	if strings.Count(out, "  error: ") != 3 {
		t.Errorf("want 3 errors listed:\n%s", out)
	}
	if reports, _ := checkSQLiteDB(t, db); reports != accepted {
		t.Errorf("database holds %d reports, want %d", reports, accepted)
	}
}
