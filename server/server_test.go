package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// fixture is a server over a real SQLite store filled with the storetest reports.
type fixture struct {
	st      *sqlite.Store
	h       http.Handler
	reports []int64 // ids of ReportA, ReportB, ReportC
}

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newFixture(t testing.TB, opt Options) *fixture {
	t.Helper()
	st := openStore(t)
	fx := &fixture{st: st}
	for _, x := range []*truce.Extraction{storetest.ReportA(), storetest.ReportB(), storetest.ReportC()} {
		id, _, err := st.SaveExtraction(context.Background(), x)
		if err != nil {
			t.Fatalf("save %q: %v", x.Report.Title, err)
		}
		fx.reports = append(fx.reports, id)
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	fx.h = New(st, opt)
	return fx
}

// do sends one request to h.
func do(t testing.TB, h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, rec.Body)
	}
	return v
}

func evidences(evs []store.StoredEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Evidence.Text
	}
	return out
}

func shelling(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "Shelling"
	}
	return out
}

// TestEventsFilters checks that each filter parameter reaches the store.
func TestEventsFilters(t *testing.T) {
	fx := newFixture(t, Options{})
	tests := []struct {
		name  string
		query string
		want  []string // evidence texts, in order; "Shelling" stands for any ReportC event
	}{
		{"type", "type=RETREAT", []string{storetest.EvWithdrew, storetest.EvPrisoners}},
		{"type lower case", "type=retreat", []string{storetest.EvWithdrew, storetest.EvPrisoners}},
		{"type list and repeat", "type=CONSULT,AID&type=RETREAT", []string{storetest.EvPhone, storetest.EvWithdrew, storetest.EvDemining, storetest.EvPrisoners}},
		{"mode", "mode=firearms", []string{storetest.EvFire}},
		{"context", "context=prisoners,demining", []string{storetest.EvDemining, storetest.EvPrisoners}},
		{"from to", "from=2020-11-26&to=2020-12-10", []string{storetest.EvFire, storetest.EvDemining}},
		{"range overlap", "from=2020-12-20&to=2020-12-20", []string{storetest.EvDemining}},
		{"bbox", "bbox=46.5,39.6,46.8,39.9", []string{storetest.EvFire, storetest.EvDemining}},
		{"actor", "actor=PUTIN", []string{storetest.EvPhone}},
		{"country", "country=rus", []string{storetest.EvPhone, storetest.EvDemining}},
		{"place other side's name", "place=Stepanakert", []string{storetest.EvFire}},
		{"place id", "place=sotk", []string{storetest.EvWithdrew}},
		{"source", "source=APA", []string{storetest.EvDemining, storetest.EvPrisoners}},
		{"q", "q=gold+mine", []string{storetest.EvWithdrew}},
		{"q operators are words", "q=mines+OR+NEAR", nil},
		{"report", "report=2", []string{storetest.EvDemining, storetest.EvPrisoners}},
		{"combined", "type=ASSAULT&country=AZE&to=2020-12-31", []string{storetest.EvFire}},
		{"limit", "type=ASSAULT&mode=heavy-weapons&limit=3", shelling(3)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, fx.h, "GET", "/api/events?"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := evidences(decode[eventsResponse](t, rec).Events)
			for i := range got {
				if strings.HasPrefix(got[i], "Shelling") {
					got[i] = "Shelling"
				}
			}
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestBadInput checks every kind of bad input gets a 400 naming the parameter.
func TestBadInput(t *testing.T) {
	fx := newFixture(t, Options{})
	tests := []struct {
		target string
		want   string // substring of the error
	}{
		{"/api/events?from=2020-13-01", `parameter "from": want a date YYYY-MM-DD`},
		{"/api/events?to=27.11.2020", `parameter "to": want a date`},
		{"/api/events?from=2020-12-01&to=2020-11-01", `parameter "from": 2020-12-01 is after to=2020-11-01`},
		{"/api/events?from=2020-01-01&from=2020-02-01", `parameter "from": given 2 times`},
		{"/api/events?bbox=1,2,3", `parameter "bbox": want minLon,minLat,maxLon,maxLat`},
		{"/api/events?bbox=1,2,x,4", `parameter "bbox": "x" is not a number`},
		{"/api/events?bbox=1,2,NaN,4", `parameter "bbox": "NaN" is not a number`},
		{"/api/events?bbox=-200,0,0,10", `parameter "bbox": longitudes`},
		{"/api/events?bbox=0,-95,1,1", `parameter "bbox": latitudes`},
		{"/api/events?bbox=10,0,5,1", `parameter "bbox": minLon 10 is greater than maxLon 5`},
		{"/api/events?bbox=0,10,1,5", `parameter "bbox": minLat 10 is greater`},
		{"/api/events?type=SHELL", `parameter "type": "SHELL" is not a PLOVER event type`},
		{"/api/events?type=ASSAULT,foo", `parameter "type": "foo"`},
		{"/api/events?mode=Robert')%3BDROP", `parameter "mode":`},
		{"/api/events?context=a%20b", `parameter "context":`},
		{"/api/events?country=ARMENIA", `parameter "country": want a 3-letter code`},
		{"/api/events?country=A1B", `parameter "country"`},
		{"/api/events?actor=" + strings.Repeat("x", 201), `parameter "actor": longer than 200`},
		{"/api/events?place=a%00b", `parameter "place": contains control characters`},
		{"/api/events?source=%ff", `parameter "source": not valid UTF-8`},
		{"/api/events?q=" + strings.Repeat("w+", 300), `parameter "q": longer than 500`},
		{"/api/events?report=0", `parameter "report": want a positive integer id`},
		{"/api/events?report=abc", `parameter "report"`},
		{"/api/events?limit=0", `parameter "limit": want an integer from 1 to 1000`},
		{"/api/events?limit=1001", `parameter "limit": want an integer from 1 to 1000, got "1001"`},
		{"/api/events?limit=ten", `parameter "limit"`},
		{"/api/events?after=not%20a%20cursor", `parameter "after": not a cursor`},
		{"/api/events?after=bm90LWpzb24", `parameter "after": not a cursor`}, // base64 of "not-json"
		{"/api/events?tpye=ASSAULT", `parameter "tpye": unknown parameter`},
		{"/api/events?a=%zz", `malformed query string`},
		{"/api/events.csv?limit=10", `parameter "limit": unknown parameter`},
		{"/api/events.geojson?type=bogus", `parameter "type"`},
		{"/api/timeline?after=x", `parameter "after": unknown parameter`},
		{"/api/events/abc", `parameter "id": want a positive integer id`},
		{"/api/events/-1", `parameter "id"`},
		{"/api/reports/0", `parameter "id"`},
		{"/api/reports?offset=-1", `parameter "offset"`},
		{"/api/reports?limit=5000", `parameter "limit"`},
		{"/api/indicators?metric=DROP%20TABLE", `parameter "metric": want a dotted metric name`},
		{"/api/indicators?from=yesterday", `parameter "from"`},
		{"/api/stats?x=1", `parameter "x": unknown parameter; /api/stats takes no query parameters`},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec := do(t, fx.h, "GET", tc.target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			msg := decode[map[string]string](t, rec)["error"]
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
		})
	}
}

// TestNotFound checks unknown ids, routes and methods.
func TestNotFound(t *testing.T) {
	fx := newFixture(t, Options{})
	tests := []struct {
		method, target string
		status         int
		want           string
	}{
		{"GET", "/api/events/999999", 404, "event 999999 not found"},
		{"GET", "/api/reports/999999", 404, "report 999999 not found"},
		{"GET", "/api/nothing", 404, "no API route /api/nothing"},
		{"GET", "/api/events/1/extra", 404, "no API route"},
		{"POST", "/api/events", 405, "method POST is not allowed"},
		{"DELETE", "/api/events/1", 405, "method DELETE is not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			rec := do(t, fx.h, tc.method, tc.target)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			if msg := decode[map[string]string](t, rec)["error"]; !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not contain %q", msg, tc.want)
			}
			if tc.status == 405 && rec.Header().Get("Allow") == "" {
				t.Error("405 without Allow")
			}
		})
	}
}

// TestPaging walks every event page by page and checks the pages add up to the
// full, ordered list with no repeats, for several page sizes and filters.
func TestPaging(t *testing.T) {
	fx := newFixture(t, Options{})
	for _, filter := range []string{"", "type=ASSAULT", "from=2020-11-01", "place=Martuni"} {
		all := decode[eventsResponse](t, do(t, fx.h, "GET", "/api/events?limit=1000&"+filter))
		if all.Next != "" {
			t.Fatalf("%s: a full listing has next %q", filter, all.Next)
		}
		for _, size := range []int{1, 2, 7} {
			var ids []int64
			after := ""
			for pages := 0; ; pages++ {
				if pages > 100 {
					t.Fatalf("%s: paging does not end", filter)
				}
				target := "/api/events?limit=" + itoa(size) + "&" + filter
				if after != "" {
					target += "&after=" + after
				}
				page := decode[eventsResponse](t, do(t, fx.h, "GET", target))
				if len(page.Events) > size {
					t.Fatalf("%s: page of %d events for limit %d", filter, len(page.Events), size)
				}
				for _, e := range page.Events {
					ids = append(ids, e.ID)
				}
				// The same cursor gives the same page.
				if after != "" {
					again := decode[eventsResponse](t, do(t, fx.h, "GET", target))
					if !slices.Equal(evidences(again.Events), evidences(page.Events)) || again.Next != page.Next {
						t.Fatalf("%s: cursor %s gives different pages", filter, after)
					}
				}
				if page.Next == "" {
					break
				}
				after = page.Next
			}
			var want []int64
			for _, e := range all.Events {
				want = append(want, e.ID)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("%s limit %d: paged ids %v, want %v", filter, size, ids, want)
			}
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestGolden compares whole responses with the files under testdata (go test -update rewrites them).
func TestGolden(t *testing.T) {
	fx := newFixture(t, Options{})
	tests := []struct {
		name, target string
	}{
		{"events_page.json", "/api/events?limit=4"},
		{"event_1.json", "/api/events/1"},
		{"events.geojson", "/api/events.geojson"},
		{"events_filtered.geojson", "/api/events.geojson?from=2020-11-01&to=2020-12-31"},
		{"map_geojson.json", "/api/map.geojson"},
		{"map_filtered_geojson.json", "/api/map.geojson?from=2020-11-01&to=2020-12-31"},
		{"events.csv", "/api/events.csv?to=2020-12-31"},
		{"events_empty.csv", "/api/events.csv?type=AGREE"},
		{"timeline.json", "/api/timeline"},
		{"indicators.json", "/api/indicators?metric=demining.area_cleared"},
		{"places.json", "/api/places"},
		{"sources.json", "/api/sources"},
		{"stats.json", "/api/stats"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, fx.h, "GET", tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := rec.Body.Bytes()
			if strings.HasSuffix(tc.name, ".json") { // GeoJSON and CSV stay as streamed
				var buf bytes.Buffer
				if err := json.Indent(&buf, got, "", "  "); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, got)
				}
				got = buf.Bytes()
			}
			golden(t, tc.name, got)
		})
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\ngot:\n%s", name, got)
	}
}

// TestResponses checks the shape of the responses not covered by golden files.
func TestResponses(t *testing.T) {
	fx := newFixture(t, Options{})
	t.Run("event detail", func(t *testing.T) {
		got := decode[eventResponse](t, do(t, fx.h, "GET", "/api/events/2"))
		if got.Event.Evidence.Text != storetest.EvFire || got.Report.Title != "Forces withdraw from Sotk" || got.Report.Text == "" {
			t.Fatalf("got %+v", got)
		}
		if got.Context == nil || got.Context.Evidence != storetest.EvFire || !strings.HasPrefix(got.Context.Before, storetest.EvWithdrew) {
			t.Errorf("context %+v", got.Context)
		}
	})
	t.Run("report detail", func(t *testing.T) {
		got := decode[reportResponse](t, do(t, fx.h, "GET", "/api/reports/"+itoa(int(fx.reports[0]))))
		if got.Report.Text == "" || len(got.Claims) != 1 || len(got.Events) != 3 {
			t.Fatalf("report with %d claims, %d events, text %q", len(got.Claims), len(got.Events), got.Report.Text)
		}
		gotC := decode[reportResponse](t, do(t, fx.h, "GET", "/api/reports/"+itoa(int(fx.reports[2]))))
		if len(gotC.Events) != storetest.ShellingCount {
			t.Errorf("report C has %d events, want %d", len(gotC.Events), storetest.ShellingCount)
		}
	})
	t.Run("reports list", func(t *testing.T) {
		got := decode[reportsResponse](t, do(t, fx.h, "GET", "/api/reports?limit=2"))
		if len(got.Reports) != 2 || got.NextOffset != 2 || got.Reports[0].Title != "Shelling log" || got.Reports[0].Text != "" {
			t.Fatalf("got %+v", got)
		}
		rest := decode[reportsResponse](t, do(t, fx.h, "GET", "/api/reports?limit=2&offset=2"))
		if len(rest.Reports) != 1 || rest.NextOffset != 0 {
			t.Errorf("second page %+v", rest)
		}
		apa := decode[reportsResponse](t, do(t, fx.h, "GET", "/api/reports?source=APA"))
		if len(apa.Reports) != 1 || apa.Reports[0].Source != "APA" {
			t.Errorf("source filter %+v", apa)
		}
	})
	t.Run("empty results are arrays", func(t *testing.T) {
		for _, target := range []string{"/api/events?type=AGREE", "/api/timeline?type=AGREE", "/api/indicators?metric=none", "/api/reports?source=none"} {
			body := do(t, fx.h, "GET", target).Body.String()
			if strings.Contains(body, "null") || !strings.Contains(body, "[]") {
				t.Errorf("%s: %s", target, body)
			}
		}
	})
	t.Run("timeline total", func(t *testing.T) {
		got := decode[timelineResponse](t, do(t, fx.h, "GET", "/api/timeline?type=ASSAULT"))
		if got.Total != storetest.ShellingCount+1 {
			t.Errorf("total %d", got.Total)
		}
	})
}

// TestHeaders checks content types, nosniff and CORS.
func TestHeaders(t *testing.T) {
	fx := newFixture(t, Options{})
	cors := newFixture(t, Options{AllowedOrigins: []string{"https://monitor.example"}})
	tests := []struct {
		h           http.Handler
		target      string
		origin      string
		contentType string
		allowOrigin string
	}{
		{fx.h, "/api/events", "https://evil.example", "application/json; charset=utf-8", ""},
		{fx.h, "/api/events.geojson", "", "application/geo+json", ""},
		{fx.h, "/api/events.csv", "", "text/csv; charset=utf-8", ""},
		{fx.h, "/api/openapi.json", "", "application/json; charset=utf-8", ""},
		{fx.h, "/", "", "text/html; charset=utf-8", ""},
		{cors.h, "/api/stats", "https://monitor.example", "application/json; charset=utf-8", "https://monitor.example"},
		{cors.h, "/api/stats", "https://evil.example", "application/json; charset=utf-8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.target+" "+tc.origin, func(t *testing.T) {
			var hdr []string
			if tc.origin != "" {
				hdr = []string{"Origin", tc.origin}
			}
			rec := do(t, tc.h, "GET", tc.target, hdr...)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			h := rec.Header()
			if h.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
			if got := h.Get("Content-Type"); got != tc.contentType {
				t.Errorf("content type %q, want %q", got, tc.contentType)
			}
			if got := h.Get("Access-Control-Allow-Origin"); got != tc.allowOrigin {
				t.Errorf("allow origin %q, want %q", got, tc.allowOrigin)
			}
		})
	}
}

// TestWebMounted checks that the web handler gets everything outside /api/.
func TestWebMounted(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "web:"+r.URL.Path) })
	fx := newFixture(t, Options{Web: web})
	for _, target := range []string{"/", "/static/app.js", "/apix"} {
		if body := do(t, fx.h, "GET", target).Body.String(); body != "web:"+target {
			t.Errorf("%s: %q", target, body)
		}
	}
	if body := do(t, fx.h, "GET", "/api/stats").Body.String(); strings.HasPrefix(body, "web:") {
		t.Error("/api/stats went to the web handler")
	}
}

// TestExportCap checks the hard cap of the exports and its headers.
func TestExportCap(t *testing.T) {
	fx := newFixture(t, Options{MaxExport: 5})
	tests := []struct {
		target    string
		rows      int
		truncated string
	}{
		{"/api/events.csv", 5, "true"},
		{"/api/events.csv?type=RETREAT", 2, ""},
		{"/api/events.geojson?place=Martuni", 5, "true"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			rec := do(t, fx.h, "GET", tc.target)
			if rec.Code != 200 {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if got := rec.Header().Get(HeaderTruncated); got != tc.truncated {
				t.Errorf("%s %q, want %q", HeaderTruncated, got, tc.truncated)
			}
			if got := rec.Header().Get(HeaderExportLimit); got != "5" {
				t.Errorf("%s %q", HeaderExportLimit, got)
			}
			var rows int
			if strings.Contains(tc.target, ".csv") {
				recs, err := csv.NewReader(rec.Body).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				rows = len(recs) - 1
			} else {
				fc := decode[struct {
					Features  []json.RawMessage `json:"features"`
					Truncated bool              `json:"truncated"`
				}](t, rec)
				rows = len(fc.Features)
				if fc.Truncated != (tc.truncated == "true") {
					t.Errorf("body truncated %v", fc.Truncated)
				}
			}
			if rows != tc.rows {
				t.Errorf("%d rows, want %d", rows, tc.rows)
			}
		})
	}
}

// TestStoreError checks a failing store gives a 500 that does not leak the cause.
func TestStoreError(t *testing.T) {
	var logs bytes.Buffer
	fx := newFixture(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	fx.st.Close()
	for _, target := range []string{"/api/events", "/api/stats", "/api/events/1", "/api/events.csv", "/api/timeline"} {
		rec := do(t, fx.h, "GET", target)
		if rec.Code != 500 {
			t.Errorf("%s: status %d", target, rec.Code)
		}
		if msg := decode[map[string]string](t, rec)["error"]; msg != "internal error" {
			t.Errorf("%s: error %q", target, msg)
		}
	}
	if !strings.Contains(logs.String(), "store error") {
		t.Errorf("store errors not logged:\n%s", logs.String())
	}
}

// TestCSVDefusesFormulas checks text cells cannot run as spreadsheet formulas.
func TestCSVDefusesFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1", "'+1"}, {"-1", "'-1"}, {"@SUM", "'@SUM"}, {"plain", "plain"}, {"", ""},
	}
	for _, tc := range tests {
		if got := safe(tc.in); got != tc.want {
			t.Errorf("safe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFatalities checks the fatalities column reads killed-people quantities only.
func TestFatalities(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	tests := []struct {
		name string
		qs   []truce.Quantity
		want string
	}{
		{"none", nil, ""},
		{"soldiers", []truce.Quantity{{Value: v(80), Unit: "persons", Of: "soldiers"}}, ""},
		{"killed", []truce.Quantity{{Value: v(3), Unit: "persons", Of: "killed"}}, "3"},
		{"range takes min", []truce.Quantity{{Min: v(2), Max: v(5), Unit: "persons", Of: "people killed"}}, "2"},
		{"hectares are not deaths", []truce.Quantity{{Value: v(2), Unit: "ha", Of: "dead zone"}}, ""},
	}
	for _, tc := range tests {
		if got := fatalities(tc.qs); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) // the store logs its migrations
	}
	code := m.Run()
	benchCleanup()
	os.Exit(code)
}

// TestMapMatchesExport checks that /api/map.geojson holds the events of
// /api/events.geojson for the same filter, grouped by coordinate.
func TestMapMatchesExport(t *testing.T) {
	fx := newFixture(t, Options{})
	for _, q := range []string{"", "?from=2020-11-01&to=2020-12-31", "?type=ASSAULT", "?type=AGREE"} {
		var full struct {
			Features []struct {
				ID         int64                            `json:"id"`
				Geometry   struct{ Coordinates [2]float64 } `json:"geometry"`
				Properties struct {
					Type    string `json:"type"`
					PlaceID string `json:"place_id"`
				} `json:"properties"`
			} `json:"features"`
		}
		var light struct {
			Type     string `json:"type"`
			Events   int    `json:"events"`
			Features []struct {
				Geometry   struct{ Coordinates [2]float64 } `json:"geometry"`
				Properties struct {
					PlaceID string         `json:"place_id"`
					Count   int            `json:"count"`
					Types   map[string]int `json:"types"`
					Recent  []struct {
						ID   int64  `json:"id"`
						Type string `json:"type"`
					} `json:"recent"`
				} `json:"properties"`
			} `json:"features"`
		}
		for _, x := range []struct {
			path string
			v    any
		}{{"/api/events.geojson" + q, &full}, {"/api/map.geojson" + q, &light}} {
			rec := do(t, fx.h, "GET", x.path)
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/geo+json" {
				t.Fatalf("%s: status %d, %s", x.path, rec.Code, rec.Header().Get("Content-Type"))
			}
			if err := json.Unmarshal(rec.Body.Bytes(), x.v); err != nil {
				t.Fatalf("%s: %v", x.path, err)
			}
		}
		if light.Type != "FeatureCollection" || light.Events != len(full.Features) {
			t.Errorf("map%s: %s of %d events, want a FeatureCollection of %d", q, light.Type, light.Events, len(full.Features))
		}
		type where struct {
			at    [2]float64
			typ   string
			place string
		}
		events := map[int64]where{}
		perPoint := map[[2]float64]map[string]int{}
		for _, f := range full.Features {
			events[f.ID] = where{f.Geometry.Coordinates, f.Properties.Type, f.Properties.PlaceID}
			if perPoint[f.Geometry.Coordinates] == nil {
				perPoint[f.Geometry.Coordinates] = map[string]int{}
			}
			perPoint[f.Geometry.Coordinates][f.Properties.Type]++
		}
		if len(light.Features) != len(perPoint) {
			t.Errorf("map%s: %d features, want one per coordinate: %d", q, len(light.Features), len(perPoint))
		}
		for _, f := range light.Features {
			p := f.Properties
			if !maps.Equal(p.Types, perPoint[f.Geometry.Coordinates]) {
				t.Errorf("map%s at %v: types %v, want %v", q, f.Geometry.Coordinates, p.Types, perPoint[f.Geometry.Coordinates])
			}
			if n := min(p.Count, MapRecent); len(p.Recent) != n || n == 0 {
				t.Errorf("map%s at %v: %d recent events of %d", q, f.Geometry.Coordinates, len(p.Recent), p.Count)
			}
			for _, e := range p.Recent {
				if w, ok := events[e.ID]; !ok || w.at != f.Geometry.Coordinates || w.typ != e.Type {
					t.Errorf("map%s at %v: recent event %d (%s) is %+v in the export", q, f.Geometry.Coordinates, e.ID, e.Type, w)
				}
			}
			if p.PlaceID == "" || p.PlaceID != events[p.Recent[0].ID].place {
				t.Errorf("map%s at %v: place %q", q, f.Geometry.Coordinates, p.PlaceID)
			}
		}
	}
}
