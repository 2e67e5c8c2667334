package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/open"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/store/synth"
)

func main() {
	dsn := flag.String("db", "/tmp/truce-bench.db", "SQLite path or postgres:// URL")
	events := flag.Int("events", 1_000_000, "events to load")
	perReport := flag.Int("per-report", 10, "events per report")
	queries := flag.Int("queries", 200, "runs of each query")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the load and queries to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			slog.Error("storebench", "err", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			slog.Error("storebench", "err", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), *dsn, *events, *perReport, *queries); err != nil {
		slog.Error("storebench", "err", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, dsn string, events, perReport, queries int) error {
	s, err := open.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	st, err := s.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Events < events {
		if err := load(ctx, s, st, events, perReport); err != nil {
			return err
		}
	}
	if o, ok := s.(*sqlite.Store); ok {
		t := time.Now()
		if err := o.Optimize(ctx); err != nil {
			return err
		}
		fmt.Printf("optimize (ANALYZE): %v\n", time.Since(t).Round(time.Millisecond))
	}
	if st, err = s.Stats(ctx); err != nil {
		return err
	}
	fmt.Printf("store: %+v\n", st)

	r := rand.New(rand.NewPCG(7, 7))
	types := synth.Types()
	places := synth.Places()
	window := func(days int) (string, string) {
		from := synth.Year.AddDate(0, 0, r.IntN(365-days))
		return from.Format("2006-01-02"), from.AddDate(0, 0, days-1).Format("2006-01-02")
	}
	bbox := func(size float64) *store.BBox {
		p := places[r.IntN(len(places))]
		return &store.BBox{MinLon: p.Lon - size/2, MinLat: p.Lat - size/2, MaxLon: p.Lon + size/2, MaxLat: p.Lat + size/2}
	}
	cases := []struct {
		name string
		n    int
		q    func() (int, error)
	}{
		{"filtered page (type + 30 days + 1° bbox, 100 rows)", queries, func() (int, error) {
			from, to := window(30)
			p, err := s.Events(ctx, store.EventFilter{Types: []string{types[r.IntN(len(types))]}, From: from, To: to, BBox: bbox(1)})
			return len(p.Events), err
		}},
		{"filtered page, next page via cursor", queries, func() (int, error) {
			from, to := window(30)
			f := store.EventFilter{Types: []string{types[r.IntN(3)]}, From: from, To: to, BBox: bbox(2), Limit: 50}
			p, err := s.Events(ctx, f)
			if err != nil || p.Next == "" {
				return len(p.Events), err
			}
			f.After = p.Next
			p, err = s.Events(ctx, f)
			return len(p.Events), err
		}},
		{"unfiltered first page (100 rows)", queries, func() (int, error) {
			p, err := s.Events(ctx, store.EventFilter{})
			return len(p.Events), err
		}},
		{"map, full events: 1° bbox over 30 days", queries, func() (int, error) {
			from, to := window(30)
			p, err := s.Events(ctx, store.EventFilter{From: from, To: to, BBox: bbox(1), NoLimit: true})
			return len(p.Events), err
		}},
		{"map, full events: 0.2° bbox, whole year", max(queries/10, 5), func() (int, error) {
			p, err := s.Events(ctx, store.EventFilter{BBox: bbox(0.2), NoLimit: true})
			return len(p.Events), err
		}},
		{"map points (EventPoints): 1° bbox over 30 days", queries, func() (int, error) {
			from, to := window(30)
			p, err := s.EventPoints(ctx, store.EventFilter{From: from, To: to, BBox: bbox(1)})
			return len(p), err
		}},
		{"map points (EventPoints): 0.2° bbox, whole year", max(queries/10, 5), func() (int, error) {
			p, err := s.EventPoints(ctx, store.EventFilter{BBox: bbox(0.2)})
			return len(p), err
		}},
		{"map points (EventPoints): 1 type, 1° bbox, whole year", max(queries/10, 5), func() (int, error) {
			p, err := s.EventPoints(ctx, store.EventFilter{Types: []string{types[r.IntN(len(types))]}, BBox: bbox(1)})
			return len(p), err
		}},
		{"timeline: per day, one type, whole year", max(queries/10, 5), func() (int, error) {
			d, err := s.EventsPerDay(ctx, store.EventFilter{Types: []string{types[r.IntN(len(types))]}})
			return len(d), err
		}},
		{"full-text page (2 words + 90 days)", queries, func() (int, error) {
			from, to := window(90)
			p, err := s.Events(ctx, store.EventFilter{Query: "peacekeepers withdrew", From: from, To: to})
			return len(p.Events), err
		}},
		{"actor substring + country page", queries, func() (int, error) {
			p, err := s.Events(ctx, store.EventFilter{Actor: "border guards", Country: "ARM"})
			return len(p.Events), err
		}},
	}
	for _, c := range cases {
		lat := make([]time.Duration, 0, c.n)
		rows := 0
		for range c.n {
			t := time.Now()
			n, err := c.q()
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			lat = append(lat, time.Since(t))
			rows += n
		}
		slices.Sort(lat)
		fmt.Printf("%-56s n=%-4d p50=%-10v p99=%-10v max=%-10v rows/query=%d\n", c.name, c.n,
			lat[len(lat)/2].Round(10*time.Microsecond), lat[len(lat)*99/100].Round(10*time.Microsecond),
			lat[len(lat)-1].Round(10*time.Microsecond), rows/c.n)
	}
	return nil
}

func load(ctx context.Context, s store.Store, st store.Stats, events, perReport int) error {
	g := synth.New(uint64(1 + st.Reports))
	g.EventsPerReport = perReport
	start, last := time.Now(), time.Now()
	reports, n := 0, st.Events
	for n < events {
		x := g.Next()
		if _, _, err := s.SaveExtraction(ctx, x); err != nil {
			return fmt.Errorf("load: %w", err)
		}
		reports++
		n += len(x.Events)
		if time.Since(last) > 10*time.Second {
			last = time.Now()
			fmt.Fprintf(os.Stderr, "loaded %d events, %.0f reports/s\n", n, float64(reports)/time.Since(start).Seconds())
		}
	}
	d := time.Since(start)
	fmt.Printf("load: %d reports, %d events in %v: %.0f reports/s, %.0f events/s\n",
		reports, n-st.Events, d.Round(time.Second), float64(reports)/d.Seconds(), float64(n-st.Events)/d.Seconds())
	return nil
}
