package web_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/web"
)

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

// mapLabels lists the places on the map, as id -> displayed name: single
// markers carry data-place-id and their name as title; clusters carry the ids
// of their places in data-place-ids and their names, one a line, in data-names.
const mapLabels = `(() => { const out = {};
	document.querySelectorAll('#map .truce-marker[data-place-id]').forEach(e => { out[e.dataset.placeId] = e.title; });
	document.querySelectorAll('#map .truce-cluster[data-place-ids]').forEach(e => {
		const ids = e.dataset.placeIds.split(' '), names = e.dataset.names.split('\n');
		ids.forEach((id, i) => { out[decodeURIComponent(id)] = names[i]; });
	});
	return out; })()`

// mapIdle is true when the map neither moves nor animates its clusters.
const mapIdle = `(() => { const m = document.getElementById('map');
	return m.dataset.moving !== '1' && !m.querySelector('.leaflet-cluster-anim'); })()`

// dayCounts lists the bar heights of the timeline, as event counts.
const dayCounts = `Array.from(document.querySelectorAll('#timeline a.day')).map(a => +a.dataset.count)`

// openPlace clicks the marker of the place id, clicking first the clusters
// that hold it (each click zooms in), and waits for its popup.
func openPlace(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	marker := fmt.Sprintf(`#map .truce-marker[data-place-id=%q]`, id)
	cluster := fmt.Sprintf(`#map .truce-cluster[data-place-ids~=%q]`, url.PathEscape(id))
	for i := 0; ; i++ {
		do(t, ctx, "wait for the map to settle", chromedp.Poll[chromedp.Void](mapIdle, chromedp.WithPollingTimeout(10*time.Second)), chromedp.Sleep(400*time.Millisecond))
		state := run(t, ctx, "find "+id, chromedp.Evaluate[string](fmt.Sprintf(
			`document.querySelector(%q) ? 'marker' : document.querySelector(%q) ? 'cluster' : 'none'`, marker, cluster)))
		switch {
		case state == "marker":
			// The map pans to show the popup: wait for it to settle.
			do(t, ctx, "click the marker of "+id, chromedp.Click(chromedp.CSS(marker)),
				chromedp.WaitVisible(chromedp.CSS(".leaflet-popup-content a.plink")), chromedp.Sleep(100*time.Millisecond),
				chromedp.Poll[chromedp.Void](mapIdle, chromedp.WithPollingTimeout(10*time.Second)))
			return
		case state == "cluster" && i < 8:
			// The click zooms in (or, at the last zoom level, spreads the
			// markers out) with an animation that starts on the next frame.
			zoom := run(t, ctx, "zoom", chromedp.Evaluate[float64](`document.getElementById('map').truceMap.getZoom()`))
			do(t, ctx, "click the cluster holding "+id, chromedp.Click(chromedp.CSS(cluster)),
				chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.getElementById('map').truceMap.getZoom() !== %v || !!document.querySelector('#map .leaflet-cluster-spider-leg')`, zoom),
					chromedp.WithPollingTimeout(10*time.Second)))
		default:
			t.Fatalf("place %s: no marker on the map (%s after %d clicks)", id, state, i)
		}
	}
}

// matchPlace reports whether a place (id, displayed name) is one of the
// places called by any of names, on either side: on the id or on a name.
func matchPlace(id, name string, names ...string) bool {
	for _, n := range names {
		if strings.Contains(strings.ToLower(id), strings.ToLower(n)) || strings.Contains(name, n) {
			return true
		}
	}
	return false
}

// mustPlace returns the place of labels named by names that has the most
// events in xs.
func mustPlace(t *testing.T, labels map[string]string, xs []*truce.Extraction, names ...string) string {
	t.Helper()
	best, most := "", -1
	for id, name := range labels {
		if !matchPlace(id, name, names...) {
			continue
		}
		n := 0
		for _, x := range xs {
			for _, e := range x.Events {
				if e.Place != nil && e.Place.ID == id {
					n++
				}
			}
		}
		if n > most || (n == most && id < best) {
			best, most = id, n
		}
	}
	if best == "" {
		t.Fatalf("no marker names %s: the map shows %v", strings.Join(names, " or "), labels)
	}
	return best
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sum(xs []int) (n int) {
	for _, x := range xs {
		n += x
	}
	return n
}

func TestBrowser(t *testing.T) {
	ctx, consoleErrors := browser(t)
	dir := screenshotDir(t)
	xs := fixtures(t)
	srv, st := newServer(t, xs, web.Options{})

	// (a) The map shows the seed's events at Sotk, Karvachar/Kalbajar and
	// Stepanakert, named in the default convention (both names); every place of
	// the fixtures is on it, as a marker or inside a cluster that names it.
	do(t, ctx, "open the map", chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(srv.URL+"/"), mapReady,
		chromedp.Poll[chromedp.Void](mapIdle, chromedp.WithPollingTimeout(10*time.Second)))
	want := mapped(xs, "")
	labels := run(t, ctx, "map labels", chromedp.Evaluate[map[string]string](mapLabels))
	if !slices.Equal(keys(labels), keys(want)) {
		t.Errorf("places on the map %v, want %v", keys(labels), keys(want))
	}
	for id, name := range labels {
		if w, ok := want[id]; ok && name != w {
			t.Errorf("place %s is named %q on the map, want %q", id, name, w)
		}
	}
	sotk := mustPlace(t, labels, xs[:1], "Sotk", "Zod")
	mustPlace(t, labels, xs[:1], "Karvachar", "Kalbajar")
	mustPlace(t, labels, xs[:1], "Stepanakert", "Khankendi")
	for _, id := range []string{sotk} {
		if n := strings.Count(labels[id], " / "); n == 0 {
			t.Errorf("place %s is named %q: the default convention shows both names", id, labels[id])
		}
	}
	if places := run(t, ctx, "data-places", chromedp.Evaluate[string](`document.getElementById('map').dataset.places`)); places != fmt.Sprint(len(want)) {
		t.Errorf("map reports %s places, want %d", places, len(want))
	}
	if n := run(t, ctx, "data-events", chromedp.Evaluate[string](`document.getElementById('map').dataset.events`)); n != fmt.Sprint(countMapped(xs, "")) {
		t.Errorf("map reports %s events, want %d", n, countMapped(xs, ""))
	}
	listed := run(t, ctx, "list", chromedp.Evaluate[int](`document.querySelectorAll('#events li.event').length`))
	if total := countEvents(xs, ""); listed != total {
		t.Errorf("the list shows %d events, want %d", listed, total)
	}
	inView := run(t, ctx, "markers in view", chromedp.Evaluate[bool](`(() => { const r = document.getElementById('map').getBoundingClientRect();
		return Array.from(document.querySelectorAll('#map .truce-marker, #map .truce-cluster')).every(e => {
			const b = e.getBoundingClientRect(); return b.left >= r.left && b.right <= r.right && b.top >= r.top && b.bottom <= r.bottom; }); })()`))
	if !inView {
		t.Error("the map does not fit its markers")
	}
	shot(t, ctx, dir, "map.png")

	// (b) A click on Sotk opens a popup that names the place and links to the
	// event page, where the event's evidence sentence is marked in the report.
	openPlace(t, ctx, sotk)
	popup := run(t, ctx, "popup text", chromedp.Text(chromedp.CSS(".leaflet-popup-content")))
	href := run(t, ctx, "popup link", chromedp.Evaluate[string](`document.querySelector('.leaflet-popup-content a.plink').getAttribute('href')`))
	evID, err := strconv.ParseInt(strings.TrimPrefix(href, "/events/"), 10, 64)
	if err != nil {
		t.Fatalf("popup link %q: %v", href, err)
	}
	ev, err := st.Event(context.Background(), evID)
	if err != nil {
		t.Fatalf("event %d of the popup: %v", evID, err)
	}
	if ev.Place == nil || ev.Place.ID != sotk || !hasEvent(xs, sotk, ev.Evidence.Text) {
		t.Errorf("the popup of %s links to event %d, at %v with evidence %q: not an event of the seed at %s", sotk, evID, ev.Place, ev.Evidence.Text, sotk)
	}
	if !strings.Contains(popup, labels[sotk]) || !strings.Contains(popup, ev.Type) {
		t.Errorf("popup %q lacks %q or %q", popup, labels[sotk], ev.Type)
	}
	shot(t, ctx, dir, "map-popup.png")
	follow(t, ctx, "follow the popup link", chromedp.Click(chromedp.CSS(".leaflet-popup-content a.plink")))
	do(t, ctx, "event page", chromedp.WaitVisible(chromedp.CSS("mark.current")))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, href) {
		t.Errorf("the popup link led to %s, want %s", loc, href)
	}
	marked := run(t, ctx, "marked evidence", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('mark.current')).map(m => m.textContent).join('')`))
	if marked == "" || marked != ev.Evidence.Text {
		t.Errorf("marked evidence %q, want %q", marked, ev.Evidence.Text)
	}
	shot(t, ctx, dir, "event.png")

	// (c) Filtering on RETREAT changes the markers, the timeline and the URL.
	do(t, ctx, "open the map again", chromedp.Navigate(srv.URL+"/"), mapReady)
	before := run(t, ctx, "timeline", chromedp.Evaluate[[]int](dayCounts))
	do(t, ctx, "choose RETREAT", chromedp.SetValue(chromedp.CSS("#f-type"), "RETREAT"))
	follow(t, ctx, "submit the filter", chromedp.Click(chromedp.CSS("form.filters button[type=submit]")))
	do(t, ctx, "filtered map", mapReady, chromedp.Poll[chromedp.Void](mapIdle, chromedp.WithPollingTimeout(10*time.Second)))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "type=RETREAT") {
		t.Errorf("the filtered view's URL is %s, want ?type=RETREAT", loc)
	}
	wantR := mapped(xs, "RETREAT")
	if len(wantR) == 0 || len(wantR) == len(want) && countMapped(xs, "RETREAT") == countMapped(xs, "") {
		t.Fatalf("the fixtures cannot show the RETREAT filter: %d places of RETREAT events", len(wantR))
	}
	if got := run(t, ctx, "filtered markers", chromedp.Evaluate[map[string]string](mapLabels)); !slices.Equal(keys(got), keys(wantR)) {
		t.Errorf("after the filter, places on the map %v, want %v", keys(got), keys(wantR))
	}
	if n := run(t, ctx, "filtered data-events", chromedp.Evaluate[string](`document.getElementById('map').dataset.events`)); n != fmt.Sprint(countMapped(xs, "RETREAT")) {
		t.Errorf("after the filter the map reports %s events, want %d", n, countMapped(xs, "RETREAT"))
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
			do(t, ctx, "map", mapReady)
			openPlace(t, ctx, martuni.ID)
		}
		if typ := run(t, ctx, "window.__pwned", chromedp.Evaluate[string](`typeof window.__pwned`)); typ != "undefined" {
			t.Errorf("%s: the article's script ran (window.__pwned is %s)", p, typ)
		}
		if n := run(t, ctx, "injected elements", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('script')).filter(s => s.textContent.includes('__pwned')).length +
			Array.from(document.querySelectorAll('main b, .leaflet-popup b')).filter(b => b.textContent === 'bold').length`)); n != 0 {
			t.Errorf("%s: the article's <script> or <b> became an element", p)
		}
		text := run(t, ctx, "page text", chromedp.Evaluate[string](`document.querySelector('main').innerText + (document.querySelector('.leaflet-popup') || {innerText: ''}).innerText`))
		if p != "/" && !strings.Contains(text, xssPayload) {
			t.Errorf("%s: the literal markup is not visible as text", p)
		}
		if p == "/" && !strings.Contains(text, "<script>") {
			t.Errorf("%s: the popup does not show the markup as text", p)
		}
		if p == "/" {
			shot(t, ctx, dir, "map-xss-popup.png")
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

	// A phone: the map comes first, the list below it, the places named.
	do(t, ctx, "phone view", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/"), mapReady, chromedp.Poll[chromedp.Void](mapIdle, chromedp.WithPollingTimeout(10*time.Second)))
	below := run(t, ctx, "layout", chromedp.Evaluate[bool](`document.querySelector('.list-col').getBoundingClientRect().top >= document.getElementById('map').getBoundingClientRect().bottom`))
	if !below {
		t.Error("on a phone the list is not below the map")
	}
	wide := run(t, ctx, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if wide {
		t.Error("on a phone the page scrolls sideways")
	}
	if n := run(t, ctx, "phone labels", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('#map .place-label, #map .cluster-label')).filter(e => getComputedStyle(e).visibility !== 'hidden').length`)); n == 0 {
		t.Error("on a phone the map names no place")
	}
	png := run(t, ctx, "phone screen", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, "phone.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, dir, "phone-full.png")
	do(t, ctx, "phone event view", chromedp.Navigate(srv.URL+href), chromedp.WaitVisible(chromedp.CSS("mark.current")))
	if !run(t, ctx, "phone event layout", chromedp.Evaluate[bool](`(() => { const o = document.querySelector('.others');
		return !o || document.querySelector('mark.current').getBoundingClientRect().top < o.getBoundingClientRect().top; })()`)) {
		t.Error("on a phone the other events of the report come before the evidence")
	}
	shot(t, ctx, dir, "phone-event.png")

	// (d) No console errors or uncaught exceptions anywhere on the way.
	time.Sleep(200 * time.Millisecond)
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}

// countMapped counts the events of xs with a place on the map, of type typ when it is set.
func countMapped(xs []*truce.Extraction, typ string) (n int) {
	for _, x := range xs {
		for _, e := range x.Events {
			if e.Place != nil && (e.Place.Lat != 0 || e.Place.Lon != 0) && (typ == "" || e.Type == typ) {
				n++
			}
		}
	}
	return n
}

// hasEvent reports whether xs has an event at place id with the evidence text.
func hasEvent(xs []*truce.Extraction, id, evidence string) bool {
	for _, x := range xs {
		for _, e := range x.Events {
			if e.Place != nil && e.Place.ID == id && e.Evidence.Text == evidence {
				return true
			}
		}
	}
	return false
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
