package geonames

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
)

var syllables = []string{"ar", "ba", "ka", "mer", "dzor", "van", "shen", "kar", "ta", "gh", "nik", "lu", "ser", "is", "an", "ov", "ja", "li"}

// synthName returns a made-up place name for row i (unique in the first 100,000 rows).
func synthName(i int) string {
	s := []byte{}
	for n := i + 1; n > 0; n /= len(syllables) {
		s = append(s, syllables[n%len(syllables)]...)
	}
	s[0] -= 'a' - 'A'
	return string(s)
}

// writeRows writes n rows in the GeoNames geoname format: one country, 10
// ADM1s, 100 ADM2s, the rest populated places and a few sites, in AM and AZ.
func writeRows(tb testing.TB, file string, n int) {
	tb.Helper()
	f, err := os.Create(file)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		id := 10_000_000 + i
		cc := "AM"
		if i%2 == 1 {
			cc = "AZ"
		}
		class, code := "P", "PPL"
		switch {
		case i < 2:
			class, code = "A", "PCLI"
		case i < 22:
			class, code = "A", "ADM1"
		case i < 222:
			class, code = "A", "ADM2"
		case i%10 == 3:
			class, code = "S", "MN"
		}
		name := synthName(i)
		fmt.Fprintf(w, "%d\t%s\t%s\t%s,%s village\t%.5f\t%.5f\t%s\t%s\t%s\t\t%02d\t%03d\t\t\t%d\t\t1000\tAsia/Yerevan\t2023-01-01\n",
			id, name, name, name+"i", name, 38+float64(i%300)/100, 44+float64(i%400)/100, class, code, cc, i%10, i%100, (i*37)%50000)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// writeAltNames writes two alternate names (hy, ru) for each of n rows written by writeRows.
func writeAltNames(tb testing.TB, file string, n int) {
	tb.Helper()
	f, err := os.Create(file)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%d\t%d\thy\t%s-hy\t\t\t\t\t\t\n%d\t%d\tru\t%s-ru\t\t\t\t\t\t\n", 2*i, 10_000_000+i, synthName(i), 2*i+1, 10_000_000+i, synthName(i))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

// peakHeap samples the heap in use every millisecond until stop is called.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

const benchRows = 100_000

// BenchmarkImport100k imports 100,000 GeoNames rows and 200,000 alternate names.
func BenchmarkImport100k(b *testing.B) {
	dir := b.TempDir()
	main, alt := filepath.Join(dir, "XX.txt"), filepath.Join(dir, "alternateNamesV2.txt")
	writeRows(b, main, benchRows)
	writeAltNames(b, alt, benchRows)
	g := bundled(b)
	runtime.GC()
	stop := peakHeap()
	start := time.Now()
	for b.Loop() {
		if _, err := Import(context.Background(), io.Discard, Options{Main: main, AltNames: alt, Classes: []string{"A", "P", "S"}, Base: g}); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.ReportMetric(float64(benchRows*b.N)/el.Seconds(), "rows/s")
	b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
}

// importedFS imports benchRows synthetic rows into a data folder and returns it.
func importedFS(b *testing.B) string {
	dir := b.TempDir()
	main, alt := filepath.Join(dir, "XX.txt"), filepath.Join(dir, "alternateNamesV2.txt")
	writeRows(b, main, benchRows)
	writeAltNames(b, alt, benchRows)
	os.MkdirAll(filepath.Join(dir, "data", "gazetteer"), 0o755)
	f, err := os.Create(filepath.Join(dir, "data", "gazetteer", "imported-xx.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Import(context.Background(), f, Options{Main: main, AltNames: alt, Classes: []string{"A", "P", "S"}, Base: bundled(b)}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return filepath.Join(dir, "data")
}

// BenchmarkLoad100k loads the bundled gazetteer with 100,000 imported places laid over it.
func BenchmarkLoad100k(b *testing.B) {
	fsys, err := data.Open(importedFS(b))
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	stop := peakHeap()
	for b.Loop() {
		if _, err := gazetteer.Load(fsys); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(stop())/(1<<20), "peak-heap-MB")
}

// BenchmarkResolve100k finds and resolves the place mentions of a sentence
// in a gazetteer of 100,000 imported places plus the bundled ones; ns/mention
// is the lookup latency of one mention.
func BenchmarkResolve100k(b *testing.B) {
	fsys, err := data.Open(importedFS(b))
	if err != nil {
		b.Fatal(err)
	}
	g, err := gazetteer.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	text := "Shelling was reported near " + synthName(5000) + " and in the village of " + synthName(777) +
		", in the Kalbajar district, not far from Vardenis and the Sotk gold mine, " + synthName(90001) + " said."
	n := 0
	for b.Loop() {
		for _, r := range g.ResolveText(text, gazetteer.Hints{Countries: []string{"ARM"}}) {
			_ = r
			n++
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/mention")
}

// BenchmarkSearch100k looks up a misspelt name (the fuzzy path) among 100,000 imported places.
func BenchmarkSearch100k(b *testing.B) {
	fsys, err := data.Open(importedFS(b))
	if err != nil {
		b.Fatal(err)
	}
	g, err := gazetteer.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g.Search("Kelbadzhar")
	}
}
