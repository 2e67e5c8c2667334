package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/web"
)

// popupPlace is the place whose marker the browser test opens.
const popupPlace = "Stepanakert / Khankendi"

// chromium finds the browser, or skips the test (fails it when CI=true).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("browser tests need Chromium, and CI=true: install it with `apt-get install -y chromium`")
	}
	t.Skip("browser tests skipped: no Chromium found (install it with `apt-get install -y chromium`)")
	return ""
}

// screenshotDir is $TRUCE_SCREENSHOTS, or a temporary folder.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("TRUCE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// browser starts a headless Chromium and collects its console errors.
func browser(t *testing.T) (ctx context.Context, errs func() []string) {
	t.Helper()
	path := chromium(t)
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	var mu sync.Mutex
	var seen []string
	var wg sync.WaitGroup
	messages := chromedp.Console(ctx)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				mu.Lock()
				seen = append(seen, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		cancelT()
		cancelC()
		cancelA()
		wg.Wait()
	})
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// follow runs an action that loads another page and waits for its response.
func follow(t *testing.T, ctx context.Context, what string, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.Status != 200 {
		t.Errorf("%s: status %d", what, resp.Status)
	}
}

func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// mapReady waits until the map has drawn its events and the basemap.
var mapReady = chromedp.Poll[chromedp.Void](`(() => { const m = document.getElementById('map');
	return m && m.dataset.state === 'ready' && m.dataset.basemap === 'ready'; })()`, chromedp.WithPollingTimeout(20*time.Second))

// markerTitles lists the places of the single-place markers on the map.
const markerTitles = `Array.from(document.querySelectorAll('.truce-marker')).map(e => e.title).sort()`

// dayCounts lists the bar heights of the timeline, as event counts.
const dayCounts = `Array.from(document.querySelectorAll('#timeline a.day')).map(a => +a.dataset.count)`

func sum(xs []int) (n int) {
	for _, x := range xs {
		n += x
	}
	return n
}

func sortedValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func TestBrowser(t *testing.T) {
	ctx, consoleErrors := browser(t)
	dir := screenshotDir(t)
	xs := fixtures(t)
	srv, st := newServer(t, xs, web.Options{})

	// (a) The map shows one marker per place, named in the display convention.
	do(t, ctx, "open the map", chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(srv.URL+"/"), mapReady)
	want := sortedValues(mapped(xs, ""))
	if got := run(t, ctx, "marker titles", chromedp.Evaluate[[]string](markerTitles)); !slices.Equal(got, want) {
		t.Errorf("markers at %q, want %q", got, want)
	}
	places := run(t, ctx, "data-places", chromedp.Evaluate[string](`document.getElementById('map').dataset.places`))
	if places != fmt.Sprint(len(want)) {
		t.Errorf("map reports %s places, want %d", places, len(want))
	}
	listed := run(t, ctx, "list", chromedp.Evaluate[int](`document.querySelectorAll('#events li.event').length`))
	if total := countEvents(xs, ""); listed != total {
		t.Errorf("the list shows %d events, want %d", listed, total)
	}
	shot(t, ctx, dir, "map.png")

	// (b) The marker's popup names the place and links to the event page, where
	// the evidence sentence is marked.
	do(t, ctx, "open the popup",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`.truce-marker[title=%q]`, popupPlace))),
		chromedp.WaitVisible(chromedp.CSS(".leaflet-popup-content a.plink")))
	popup := run(t, ctx, "popup text", chromedp.Text(chromedp.CSS(".leaflet-popup-content")))
	ev := eventAt(xs, popupPlace)
	if !strings.Contains(popup, popupPlace) || !strings.Contains(popup, ev.Type) {
		t.Errorf("popup %q lacks %q or %q", popup, popupPlace, ev.Type)
	}
	shot(t, ctx, dir, "map-popup.png")
	follow(t, ctx, "follow the popup link", chromedp.Click(chromedp.CSS(".leaflet-popup-content a.plink")))
	do(t, ctx, "event page", chromedp.WaitVisible(chromedp.CSS("mark.current")))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "/events/") {
		t.Errorf("the popup link led to %s", loc)
	}
	marked := run(t, ctx, "marked evidence", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('mark.current')).map(m => m.textContent).join('')`))
	if marked != ev.Evidence.Text {
		t.Errorf("marked evidence %q, want %q", marked, ev.Evidence.Text)
	}
	shot(t, ctx, dir, "event.png")

	// (c) Filtering on RETREAT changes the markers, the timeline and the URL.
	do(t, ctx, "open the map again", chromedp.Navigate(srv.URL+"/"), mapReady)
	before := run(t, ctx, "timeline", chromedp.Evaluate[[]int](dayCounts))
	do(t, ctx, "choose RETREAT", chromedp.SetValue(chromedp.CSS("#f-type"), "RETREAT"))
	follow(t, ctx, "submit the filter", chromedp.Click(chromedp.CSS("form.filters button[type=submit]")))
	do(t, ctx, "filtered map", mapReady)
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "type=RETREAT") {
		t.Errorf("the filtered view's URL is %s, want ?type=RETREAT", loc)
	}
	want = sortedValues(mapped(xs, "RETREAT"))
	if got := run(t, ctx, "filtered markers", chromedp.Evaluate[[]string](markerTitles)); !slices.Equal(got, want) {
		t.Errorf("after the filter, markers at %q, want %q", got, want)
	}
	after := run(t, ctx, "filtered timeline", chromedp.Evaluate[[]int](dayCounts))
	if slices.Equal(before, after) || sum(after) == 0 || sum(after) >= sum(before) {
		t.Errorf("the timeline did not follow the filter: %v, then %v", before, after)
	}
	if n := run(t, ctx, "filtered list", chromedp.Evaluate[int](`document.querySelectorAll('#events li.event').length`)); n != countEvents(xs, "RETREAT") {
		t.Errorf("the filtered list shows %d events, want %d", n, countEvents(xs, "RETREAT"))
	}
	shot(t, ctx, dir, "map-retreat.png")

	// Clicking a day of the timeline narrows the view to that day.
	follow(t, ctx, "click a day", chromedp.Click(chromedp.CSS("#timeline a.day.has")))
	do(t, ctx, "map of a day", mapReady)
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "from=") || !strings.Contains(loc, "type=RETREAT") {
		t.Errorf("clicking a day led to %s", loc)
	}

	// (e) Markup in an article is shown as text and never runs.
	xss := eventID(t, st, "window.__pwned")
	for _, p := range []string{"/", "/events/" + itoa(xss), "/reports/" + reportOf(t, st, xss), "/search?q=comment"} {
		do(t, ctx, "open "+p, chromedp.Navigate(srv.URL+p), chromedp.WaitReady(chromedp.CSS("footer")))
		if p == "/" {
			do(t, ctx, "map", mapReady, chromedp.Click(chromedp.CSS(`.truce-marker[title="Martuni / Khojavend"]`)),
				chromedp.WaitVisible(chromedp.CSS(".leaflet-popup-content")))
		}
		if typ := run(t, ctx, "window.__pwned", chromedp.Evaluate[string](`typeof window.__pwned`)); typ != "undefined" {
			t.Errorf("%s: the article's script ran (window.__pwned is %s)", p, typ)
		}
		if n := run(t, ctx, "injected <b>", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('main b, .leaflet-popup b')).filter(b => b.textContent === 'bold').length`)); n != 0 {
			t.Errorf("%s: the article's <b> became an element", p)
		}
		if p != "/" {
			text := run(t, ctx, "page text", chromedp.Evaluate[string](`document.querySelector('main').innerText`))
			if !strings.Contains(text, xssPayload) {
				t.Errorf("%s: the literal markup is not visible as text", p)
			}
		}
	}

	// Indicators: one chart per metric and place, points linking to the evidence.
	do(t, ctx, "open the indicators", chromedp.Navigate(srv.URL+"/indicators"), chromedp.WaitVisible(chromedp.CSS(".chart svg")))
	links := run(t, ctx, "chart points", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.chart svg a')).map(a => a.getAttribute('href'))`))
	if n := countIndicators(xs); len(links) != n {
		t.Errorf("%d chart points, want %d", len(links), n)
	}
	for _, l := range links {
		if !strings.HasPrefix(l, "/reports/") || !strings.Contains(l, "#i") {
			t.Errorf("chart point links to %q", l)
		}
	}
	shot(t, ctx, dir, "indicators.png")

	// A phone: the map comes first, the list below it.
	do(t, ctx, "phone view", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/"), mapReady)
	below := run(t, ctx, "layout", chromedp.Evaluate[bool](`document.querySelector('.list-col').getBoundingClientRect().top >= document.getElementById('map').getBoundingClientRect().bottom`))
	if !below {
		t.Error("on a phone the list is not below the map")
	}
	wide := run(t, ctx, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if wide {
		t.Error("on a phone the page scrolls sideways")
	}
	png := run(t, ctx, "phone screen", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, "phone.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, dir, "phone-full.png")
	do(t, ctx, "phone event view", chromedp.Navigate(srv.URL+"/events/"+itoa(eventID(t, st, "Azerbaijani Armed Forces left"))), chromedp.WaitVisible(chromedp.CSS("mark.current")))
	shot(t, ctx, dir, "phone-event.png")

	// (d) No console errors or uncaught exceptions anywhere on the way.
	time.Sleep(200 * time.Millisecond)
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// countEvents counts the events of xs, of type typ when it is set.
func countEvents(xs []*truce.Extraction, typ string) (n int) {
	for _, x := range xs {
		for _, e := range x.Events {
			if typ == "" || e.Type == typ {
				n++
			}
		}
	}
	return n
}

// countIndicators counts the indicator values that have a date and a value.
func countIndicators(xs []*truce.Extraction) (n int) {
	for _, x := range xs {
		for _, in := range x.Indicators {
			if in.AsOf != "" && (in.Value != nil || in.Min != nil || in.Max != nil) {
				n++
			}
		}
	}
	return n
}

// eventAt is the first event of xs at the place named name.
func eventAt(xs []*truce.Extraction, name string) truce.Event {
	for _, x := range xs {
		for _, e := range x.Events {
			if e.Place != nil && e.Place.Canonical == name {
				return e
			}
		}
	}
	panic("no fixture event at " + name)
}
