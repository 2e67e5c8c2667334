// Command apilat measures the latency of a running truce server's API: it
// requests each target path n times (n-big times when its first response is
// over 10 MB or slower than -slow), one request at a time, reading the whole
// body, and prints p50, p99 and max latency and the body size. With -pid it
// also prints the server's peak and current resident memory (Linux).
//
//	truce serve --db /tmp/truce-1m.db --addr 127.0.0.1:8089 &
//	go run ./bench/apilat -url http://127.0.0.1:8089 -n 200 -pid $!
//
// Targets default to the pages the web page and the benchmarks use; pass your
// own as arguments (paths with their query, e.g. "/api/events?type=ASSAULT").
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
)

// defaultTargets are the API calls of the map page (a filtered page, the light
// map GeoJSON the page draws, the timeline, the page itself), then the full
// exports for comparison.
var defaultTargets = []string{
	"/api/events",
	"/api/events?type=ASSAULT,COERCE&from=2021-03-01&to=2021-09-30&bbox=44,38,48,41",
	"/api/events?type=ASSAULT&from=2021-05-01&to=2021-05-31&bbox=46,39.5,47,40.5",
	"/api/events?q=front+sources",
	"/api/timeline?type=ASSAULT",
	"/",
	"/api/map.geojson?type=ASSAULT&from=2021-05-01&to=2021-05-31",
	"/api/map.geojson?from=2021-01-01&to=2021-12-31&bbox=46.25,39.3,47.25,40.3",
	"/api/map.geojson?bbox=46.5,39.6,46.9,40",
	"/api/map.geojson",
	"/api/events.geojson?type=ASSAULT&from=2021-05-01&to=2021-05-31",
	"/api/events.geojson?bbox=46.5,39.6,46.9,40",
	"/api/events.geojson",
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "base URL of the server")
	n := flag.Int("n", 100, "requests per target")
	big := flag.Int("n-big", 5, "requests for targets whose first response exceeds 10 MB or -slow")
	slow := flag.Duration("slow", 2*time.Second, "first-response time above which a target gets -n-big requests")
	pid := flag.Int("pid", 0, "process id of the server, to report its memory")
	flag.Parse()
	targets := flag.Args()
	if len(targets) == 0 {
		targets = defaultTargets
	}
	client := &http.Client{Timeout: 10 * time.Minute}
	get := func(t string) (time.Duration, int64, error) {
		start := time.Now()
		resp, err := client.Get(strings.TrimSuffix(*base, "/") + t)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		nb, err := io.Copy(io.Discard, resp.Body)
		if err != nil {
			return 0, 0, err
		}
		if resp.StatusCode != http.StatusOK {
			return 0, 0, fmt.Errorf("%s: status %s", t, resp.Status)
		}
		return time.Since(start), nb, nil
	}
	for _, t := range targets {
		first, size, err := get(t) // warms caches; not counted
		if err != nil {
			fmt.Fprintln(os.Stderr, "apilat:", err)
			os.Exit(1)
		}
		runs := *n
		if size > 10<<20 || first > *slow {
			runs = *big
		}
		lat := make([]time.Duration, 0, runs)
		for range runs {
			d, _, err := get(t)
			if err != nil {
				fmt.Fprintln(os.Stderr, "apilat:", err)
				os.Exit(1)
			}
			lat = append(lat, d)
		}
		slices.Sort(lat)
		r := func(d time.Duration) time.Duration { return d.Round(10 * time.Microsecond) }
		fmt.Printf("%-80s n=%-4d first=%-10v p50=%-10v p99=%-10v max=%-10v bytes=%d\n", t, runs, r(first),
			r(lat[len(lat)/2]), r(lat[len(lat)*99/100]), r(lat[len(lat)-1]), size)
	}
	if *pid > 0 {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", *pid))
		if err != nil {
			fmt.Fprintln(os.Stderr, "apilat:", err)
			os.Exit(1)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "VmHWM:") || strings.HasPrefix(line, "VmRSS:") {
				fmt.Println("server", strings.Join(strings.Fields(line), " "))
			}
		}
	}
}
