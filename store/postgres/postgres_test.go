package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/storetest"
	"github.com/truce-monitor/truce/store/synth"
)

const defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// testDSN is the DSN of the test server (env TRUCE_TEST_POSTGRES).
func testDSN() string {
	if d := os.Getenv("TRUCE_TEST_POSTGRES"); d != "" {
		return d
	}
	return defaultDSN
}

// openTest makes a fresh schema, opens a store in it and drops it at the end.
// It skips when PostgreSQL is unreachable, except under CI=true.
func openTest(t testing.TB) *Store {
	t.Helper()
	dsn := testDSN()
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
	b := make([]byte, 6)
	rand.Read(b)
	schema := "truce_test_" + hex.EncodeToString(b)
	// schema is made of a fixed prefix and hex digits; identifiers cannot be parameters.
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
	s, err := Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}

// BenchmarkSaveExtraction saves synthetic reports of 10 events, a claim and
// sometimes an indicator each, into a growing database.
func BenchmarkSaveExtraction(b *testing.B) {
	s := openTest(b)
	g := synth.New(1)
	for b.Loop() {
		if _, _, err := s.SaveExtraction(b.Context(), g.Next()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reports/s")
}
