// Command benchmed prints the median of every metric of each benchmark in
// `go test -bench` output (files named as arguments, or standard input), one
// line per benchmark, in the order benchmarks first appear. It needs only the
// standard library; bench/run.sh uses it.
//
//	go test -run '^$' -bench . -count 5 ./extract | go run ./bench/benchmed
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// result gathers the runs of one benchmark (package + name).
type result struct {
	pkg, name string
	units     []string             // in order of appearance
	values    map[string][]float64 // unit → one value per run
	runs      int
}

func main() {
	var results []*result
	byKey := map[string]*result{}
	read := func(r io.Reader) error {
		pkg := ""
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if p, ok := strings.CutPrefix(line, "pkg: "); ok {
				pkg = strings.TrimSpace(p)
				continue
			}
			f := strings.Fields(line)
			if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
				continue
			}
			if _, err := strconv.Atoi(f[1]); err != nil {
				continue
			}
			key := pkg + " " + f[0]
			res := byKey[key]
			if res == nil {
				res = &result{pkg: pkg, name: f[0], values: map[string][]float64{}}
				byKey[key] = res
				results = append(results, res)
			}
			res.runs++
			for i := 2; i+1 < len(f); i += 2 {
				v, err := strconv.ParseFloat(f[i], 64)
				if err != nil {
					continue
				}
				u := f[i+1]
				if _, ok := res.values[u]; !ok {
					res.units = append(res.units, u)
				}
				res.values[u] = append(res.values[u], v)
			}
		}
		return sc.Err()
	}
	if len(os.Args) == 1 {
		if err := read(os.Stdin); err != nil {
			fmt.Fprintln(os.Stderr, "benchmed:", err)
			os.Exit(1)
		}
	}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchmed:", err)
			os.Exit(1)
		}
		err = read(f)
		f.Close()
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchmed:", name+":", err)
			os.Exit(1)
		}
	}
	pkg := ""
	for _, r := range results {
		if r.pkg != pkg {
			pkg = r.pkg
			fmt.Printf("\n%s\n", pkg)
		}
		var cols []string
		for _, u := range r.units {
			vs := r.values[u]
			cols = append(cols, fmt.Sprintf("%s %s", format(median(vs)), u))
		}
		fmt.Printf("  %-44s n=%d  %s  (spread %s)\n", r.name, r.runs, strings.Join(cols, "  "), spread(r.values["ns/op"]))
	}
}

// median returns the median of vs (the mean of the middle two for an even count).
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread gives the range of vs around its median as ±percent of the median.
func spread(vs []float64) string {
	if len(vs) < 2 {
		return "n/a"
	}
	m := median(vs)
	if m == 0 {
		return "n/a"
	}
	lo, hi := slices.Min(vs), slices.Max(vs)
	return fmt.Sprintf("-%.0f%%/+%.0f%%", 100*(m-lo)/m, 100*(hi-m)/m)
}

// format prints v with about four significant digits.
func format(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 1000 || v == float64(int64(v)):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	default:
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
}
