package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `truce serve --examples` on a free port against db and
// returns its base URL and a function that stops it and returns its error.
func startServe(t *testing.T, db string, extra ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	root := newRoot()
	var out syncBuffer
	root.SetOut(&out)
	root.SetErr(io.Discard)
	root.SetArgs(append([]string{"serve", "--examples", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn"}, extra...))
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return nil
		}
	}
	deadline := time.After(60 * time.Second)
	for {
		if line, _, ok := strings.Cut(out.String(), "\n"); ok {
			u, found := strings.CutPrefix(line, "truce is serving ")
			if !found {
				stop()
				t.Fatalf("serve printed %q, want \"truce is serving URL\"", line)
			}
			return u, stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve stopped before serving: %v", err)
		case <-deadline:
			stop()
			t.Fatal("serve printed no URL within a minute")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func getStats(t *testing.T, base string) store.Stats {
	t.Helper()
	resp, err := http.Get(base + "/api/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/api/stats: status %d", resp.StatusCode)
	}
	var s store.Stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatalf("/api/stats: %v", err)
	}
	return s
}

func getPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, resp.StatusCode)
	}
	return string(b)
}

// TestServeExamples runs `truce serve --examples` twice on one database: the
// first start stores the bundled reports and serves them, the second stores
// nothing new.
func TestServeExamples(t *testing.T) {
	db := filepath.Join(t.TempDir(), "truce.db")

	base, stop := startServe(t, db)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("serving at %q, want http://127.0.0.1:PORT", base)
	}
	first := getStats(t, base)
	if first.Reports == 0 || first.Events == 0 {
		t.Errorf("after --examples, /api/stats is %+v: want reports and events", first)
	}
	// The page names places in the default convention, both sides' names.
	if page := getPage(t, base+"/"); !strings.Contains(page, `<span class="place">· Stepanakert / Khankendi</span>`) {
		t.Error("the map page does not name Stepanakert / Khankendi")
	}
	if err := stop(); err != nil {
		t.Fatalf("first serve: %v", err)
	}

	base, stop = startServe(t, db, "--convention", "aze")
	if again := getStats(t, base); again != first {
		t.Errorf("a second start changed the record: %+v, then %+v", first, again)
	}
	if page := getPage(t, base+"/"); !strings.Contains(page, `<span class="place">· Khankendi</span>`) || strings.Contains(page, `<span class="place">· Stepanakert / Khankendi</span>`) {
		t.Error("with --convention aze the map page does not use the Azerbaijani names")
	}
	if err := stop(); err != nil {
		t.Fatalf("second serve: %v", err)
	}
}

// TestIngestExamples checks the summary of ingestExamples: everything stored
// once, nothing new the second time.
func TestIngestExamples(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.DiscardHandler)
	sum, err := ingestExamples(ctx, log, st, data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Inputs == 0 || sum.Reports == 0 || sum.Events == 0 || len(sum.Errors) != 0 {
		t.Errorf("first run: %+v", sum)
	}
	again, err := ingestExamples(ctx, log, st, data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	if again.Reports != 0 || again.Events != 0 || again.Duplicates != sum.Reports {
		t.Errorf("second run stored something new: %+v (first run %+v)", again, sum)
	}
}

func TestPlaceNamer(t *testing.T) {
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		conv     gazetteer.Convention
		id, want string
	}{
		{gazetteer.Both, "stepanakert", "Stepanakert / Khankendi"},
		{gazetteer.Arm, "stepanakert", "Stepanakert"},
		{gazetteer.Aze, "stepanakert", "Khankendi"},
		{gazetteer.Aze, "sotk", "Zod"},
		{gazetteer.Both, "no-such-place", "stored name"},
		{gazetteer.Both, "", "stored name"},
	} {
		if got := placeNamer(g, tc.conv)(tc.id, "stored name"); got != tc.want {
			t.Errorf("%s in %s: %q, want %q", tc.id, tc.conv, got, tc.want)
		}
	}
}

// TestServeAgreements checks that serve wires the agreements in: the board and
// the sitrep are served, and writes are refused without an analyst's API
// token (truce user add, truce user token); --public-read=false refuses reading
// without a login.
func TestServeAgreements(t *testing.T) {
	db := filepath.Join(t.TempDir(), "truce.db")
	link := func(base string, token string) int {
		req, _ := http.NewRequest("POST", base+"/api/provisions/nk-2020-11-10/6a/links",
			strings.NewReader(`{"event_id": 1, "relation": "implements", "note": "serve test"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	base, stop := startServe(t, db)
	if page := getPage(t, base+"/agreements/nk-2020-11-10?as_of=2020-11-27"); !strings.Contains(page, `data-ref="nk-2020-11-10/6a" data-status="implemented"`) {
		t.Error("the board does not show Kalbajar implemented as of 2020-11-27")
	}
	if js := getPage(t, base+"/api/agreements/nk-2020-11-10?as_of=2020-11-27"); !strings.Contains(js, `"ref":"nk-2020-11-10/6a"`) {
		t.Error("/api/agreements/nk-2020-11-10 lacks provision 6a")
	}
	if page := getPage(t, base+"/sitrep?from=2020-11-26&to=2020-11-27"); !strings.Contains(page, "at the border") {
		t.Error("the sitrep does not call the Sotk incident one at the border")
	}
	if code := link(base, ""); code != http.StatusUnauthorized {
		t.Errorf("a link without a token: status %d, want 401", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, u := range []struct{ name, role string }{{"ana", "analyst"}, {"vic", "viewer"}} {
		if _, _, err := runIn(t, "", "user", "add", u.name, "--role", u.role, "--no-password", "--db", db); err != nil {
			t.Fatal(err)
		}
		tok, _, err := runIn(t, "", "user", "token", u.name, "--db", db)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = strings.TrimSpace(tok)
	}
	base, stop = startServe(t, db, "--public-read=false")
	if code := getStatus(t, base+"/api/stats"); code != http.StatusUnauthorized {
		t.Errorf("reading without a login with --public-read=false: status %d, want 401", code)
	}
	if code := link(base, tokens["vic"]); code != http.StatusForbidden {
		t.Errorf("a link with a viewer's token: status %d, want 403", code)
	}
	if code := link(base, tokens["ana"]); code != http.StatusCreated {
		t.Errorf("a link with an analyst's token: status %d, want 201", code)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
