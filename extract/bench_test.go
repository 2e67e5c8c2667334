package extract_test

import (
	"bytes"
	"context"
	"io/fs"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/source"
)

// The benchmarks of this file measure the extract stage over a corpus: every
// report of the bundled examples (data.Examples(): text, HTML, RSS/Atom and
// JSON lines). Throughput is given in MB/s of cleaned text (the bytes the
// extractor reads; b.SetBytes) and in reports/s. Run with -cpu 1 for per-core
// numbers; see docs/performance.md and bench/run.sh.

// benchFile is one raw example file.
type benchFile struct {
	name string
	raw  []byte
}

var (
	benchOnce    sync.Once
	benchX       *extract.Extractor
	benchFiles   []benchFile
	benchReports []truce.Report
	benchRaw     int64 // raw bytes of all files
	benchText    int64 // cleaned text bytes of all reports
	benchErr     error
)

// benchCorpus loads the extractor and the corpus once per test binary.
func benchCorpus(b *testing.B) (*extract.Extractor, []benchFile, []truce.Report) {
	b.Helper()
	benchOnce.Do(func() {
		if benchX, benchErr = extract.New(data.Bundled()); benchErr != nil {
			return
		}
		ex := data.Examples()
		benchErr = fs.WalkDir(ex, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			raw, err := fs.ReadFile(ex, p)
			if err != nil {
				return err
			}
			rs, err := source.Read(context.Background(), bytes.NewReader(raw), p, source.Options{})
			if err != nil {
				return err
			}
			benchFiles = append(benchFiles, benchFile{p, raw})
			benchRaw += int64(len(raw))
			for _, r := range rs {
				benchReports = append(benchReports, r)
				benchText += int64(len(r.Text))
			}
			return nil
		})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	if len(benchReports) == 0 {
		b.Fatal("no example reports")
	}
	return benchX, benchFiles, benchReports
}

// sink keeps the compiler from discarding results.
var sink int

// BenchmarkExtract extracts every report of the corpus once per iteration.
func BenchmarkExtract(b *testing.B) {
	x, _, reps := benchCorpus(b)
	b.SetBytes(benchText)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range reps {
			sink += len(x.Extract(r).Events)
		}
	}
	b.ReportMetric(float64(b.N*len(reps))/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkExtractParallel extracts the corpus from GOMAXPROCS goroutines
// sharing one Extractor; one iteration is the whole corpus.
func BenchmarkExtractParallel(b *testing.B) {
	x, _, reps := benchCorpus(b)
	b.SetBytes(benchText)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			for _, r := range reps {
				n += len(x.Extract(r).Events)
			}
		}
		_ = n
	})
	b.ReportMetric(float64(b.N*len(reps))/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkPipeline reads, cleans and extracts every example file from its
// raw bytes. SetBytes counts the cleaned text, as BenchmarkExtract does, so
// the two MB/s figures compare; raw-MB/s gives the rate over input bytes.
func BenchmarkPipeline(b *testing.B) {
	x, files, reps := benchCorpus(b)
	ctx := context.Background()
	b.SetBytes(benchText)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			rs, err := source.Read(ctx, bytes.NewReader(f.raw), f.name, source.Options{})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range rs {
				sink += len(x.Extract(r).Events)
			}
		}
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N*len(reps))/s, "reports/s")
	b.ReportMetric(float64(int64(b.N)*benchRaw)/1e6/s, "raw-MB/s")
}

// BenchmarkRead reads and cleans every example file, without extraction:
// the source stage's share of BenchmarkPipeline.
func BenchmarkRead(b *testing.B) {
	_, files, reps := benchCorpus(b)
	ctx := context.Background()
	b.SetBytes(benchText)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			rs, err := source.Read(ctx, bytes.NewReader(f.raw), f.name, source.Options{})
			if err != nil {
				b.Fatal(err)
			}
			sink += len(rs)
		}
	}
	b.ReportMetric(float64(b.N*len(reps))/b.Elapsed().Seconds(), "reports/s")
}

// BenchmarkExtractEach extracts each report alone, to show which inputs are slow.
func BenchmarkExtractEach(b *testing.B) {
	x, _, reps := benchCorpus(b)
	for _, r := range reps {
		name := r.Origin
		b.Run(benchName(name), func(b *testing.B) {
			b.SetBytes(int64(len(r.Text)))
			b.ReportAllocs()
			for b.Loop() {
				sink += len(x.Extract(r).Events)
			}
		})
	}
}

// benchName makes a sub-benchmark name of an origin (no spaces or slashes).
func benchName(s string) string {
	out := []byte(strings.TrimPrefix(s, "examples/"))
	for i, c := range out {
		if c == ' ' || c == '/' || c == '#' {
			out[i] = '_'
		}
	}
	return string(out)
}
