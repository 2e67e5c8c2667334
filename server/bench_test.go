package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/store/synth"
)

// benchEvents is the number of synthetic events the benchmarks serve.
const benchEvents = 20_000

var (
	benchOnce sync.Once
	benchH    http.Handler
	benchErr  error
	// benchCleanup removes the benchmark store; TestMain calls it.
	benchCleanup = func() {}
)

// benchHandler builds, once per test binary, a server over a SQLite store with
// benchEvents synthetic events.
func benchHandler(b *testing.B) http.Handler {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "truce-server-bench-")
		if err != nil {
			benchErr = err
			return
		}
		st, err := sqlite.Open(context.Background(), filepath.Join(dir, "bench.db"))
		benchCleanup = func() { st.Close(); os.RemoveAll(dir) }
		if err != nil {
			benchErr = err
			return
		}
		g := synth.New(1)
		for n := 0; n < benchEvents; n += g.EventsPerReport {
			if _, _, err := st.SaveExtraction(context.Background(), g.Next()); err != nil {
				benchErr = err
				return
			}
		}
		benchH = New(st, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchH
}

func benchGet(b *testing.B, h http.Handler, target string) {
	b.Helper()
	b.ReportAllocs()
	var bytes int64
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
		bytes = int64(rec.Body.Len())
	}
	b.SetBytes(bytes)
}

// BenchmarkEventsPage measures one filtered page of 100 events and a deep page.
func BenchmarkEventsPage(b *testing.B) {
	h := benchHandler(b)
	for _, bc := range []struct{ name, target string }{
		{"first", "/api/events"},
		{"filtered", "/api/events?type=ASSAULT,COERCE&from=2021-03-01&to=2021-09-30&bbox=44,38,48,41"},
		{"search", "/api/events?q=front+sources"},
		{"max-limit", "/api/events?limit=1000"},
	} {
		b.Run(bc.name, func(b *testing.B) { benchGet(b, h, bc.target) })
	}
}

// BenchmarkGeoJSON measures the streamed GeoJSON export of every event with coordinates.
func BenchmarkGeoJSON(b *testing.B) {
	h := benchHandler(b)
	for _, bc := range []struct{ name, target string }{
		{"all", "/api/events.geojson"},
		{"assault", "/api/events.geojson?type=ASSAULT"},
	} {
		b.Run(bc.name, func(b *testing.B) { benchGet(b, h, bc.target) })
	}
}

// BenchmarkMapGeoJSON measures the light map GeoJSON the map page draws.
func BenchmarkMapGeoJSON(b *testing.B) {
	h := benchHandler(b)
	for _, bc := range []struct{ name, target string }{
		{"all", "/api/map.geojson"},
		{"assault", "/api/map.geojson?type=ASSAULT"},
	} {
		b.Run(bc.name, func(b *testing.B) { benchGet(b, h, bc.target) })
	}
}

// BenchmarkCSV measures the streamed CSV export of every event.
func BenchmarkCSV(b *testing.B) {
	benchGet(b, benchHandler(b), "/api/events.csv")
}
