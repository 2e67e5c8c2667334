package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// incidentSeen is what the browser test reads of an incident of the list.
type incidentSeen struct {
	ID       string `json:"id"`
	Sources  int    `json:"sources"`
	Type     string `json:"type"`
	Headline string `json:"headline"`
	Grade    string `json:"grade"`
	Disputed bool   `json:"disputed"`
	Party    bool   `json:"party"`
}

const readIncidents = `Array.from(document.querySelectorAll('#incidents > li.incident')).map(li => ({
	id: li.dataset.id, sources: parseInt(li.dataset.sources, 10), type: li.querySelector('.badge').textContent.trim(),
	headline: li.querySelector('.headline').textContent.trim(), grade: li.querySelector('.grade').textContent.trim(),
	disputed: !!li.querySelector('.disputed'), party: !!li.querySelector('.partyclaim') }))`

// TestBrowserIncidents walks the incidents list, the incursion's page and an
// event of it, with the fuse corpus ingested and fused.
func TestBrowserIncidents(t *testing.T) {
	ctx, consoleErrors := browser(t)
	dir := screenshotDir(t)
	srv, st := fusedServer(t)
	in := incursionOf(t, st)
	id := strconv.FormatInt(in.ID, 10)

	// The list: the incursion once, with its several sources, disputed, a party claim.
	follow(t, ctx, "open the list", chromedp.Navigate(srv.URL+"/"))
	follow(t, ctx, "nav to incidents", chromedp.Click(chromedp.CSS(`header.site nav a[href="/incidents"]`)))
	do(t, ctx, "list", chromedp.EmulateViewport(1400, 1000), chromedp.WaitVisible(chromedp.CSS("#incidents")))
	rows := run(t, ctx, "rows", chromedp.Evaluate[[]incidentSeen](readIncidents))
	n := 0
	for _, r := range rows {
		if strings.Contains(r.Headline, "Sotk gold mine") && r.Type == "MOBILIZE" {
			n++
			if r.ID != id || r.Sources < 2 || !r.Disputed || !r.Party || !strings.HasPrefix(r.Grade, "2 · probably true") {
				t.Errorf("the incursion reads %+v, want incident %s with several sources, disputed, a party claim, grade 2", r, id)
			}
		}
	}
	if n != 1 {
		t.Errorf("the incursion is listed %d times: %+v", n, rows)
	}
	shot(t, ctx, dir, "incidents.png")

	// The incident page: 80 vs 100 side by side, the copy marked.
	follow(t, ctx, "open the incursion", chromedp.Click(chromedp.CSS(`#incidents li[data-id="`+id+`"] .headline a`)))
	do(t, ctx, "incident page", chromedp.WaitVisible(chromedp.CSS(`.conflict[data-field="count"]`)))
	versions := run(t, ctx, "count versions", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.conflict[data-field="count"] .version')).map(v => v.textContent.replace(/\s+/g, ' ').trim())`))
	if len(versions) != 2 || !strings.Contains(versions[0], "about 80") || !strings.Contains(versions[1], "about 100") {
		t.Fatalf("count versions %q, want about 80 and about 100", versions)
	}
	for _, v := range versions {
		if !strings.Contains(v, "quoting Ministry of Defence of Armenia") {
			t.Errorf("version %q does not say who it quotes", v)
		}
	}
	if !strings.Contains(versions[0], "copy") {
		t.Errorf("the version of 80 does not mark the copy among its tellers: %q", versions[0])
	}
	// Side by side on a wide screen: the versions share a row.
	if !run(t, ctx, "side by side", chromedp.Evaluate[bool](`(() => { const v = document.querySelectorAll('.conflict[data-field="count"] .version');
		const a = v[0].getBoundingClientRect(), b = v[1].getBoundingClientRect(); return Math.abs(a.top - b.top) < 2 && b.left > a.right; })()`)) {
		t.Error("the versions of the count are not side by side")
	}
	summary := run(t, ctx, "summary", chromedp.Text(chromedp.CSS(`.conflict[data-field="count"] .summary`)))
	if !strings.Contains(summary, "about 80 Azerbaijani soldiers (Newsline Armenia (test), quoting Ministry of Defence of Armenia") || !strings.Contains(summary, " vs about 100") {
		t.Errorf("the count conflict reads %q", summary)
	}
	copies := run(t, ctx, "copies", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.member.is-copy')).map(m => m.textContent.replace(/\s+/g, ' ').trim())`))
	if len(copies) != 1 || !strings.Contains(copies[0], "copy of report") {
		t.Errorf("copies marked: %q, want the syndicated copy once", copies)
	}
	members := run(t, ctx, "members", chromedp.Evaluate[int](`document.querySelectorAll('.member').length`))
	if members != len(in.Members) {
		t.Errorf("%d members shown, want %d", members, len(in.Members))
	}
	reason := run(t, ctx, "reason", chromedp.Text(chromedp.CSS(".cred .reason")))
	if !strings.Contains(reason, in.Grounds) {
		t.Errorf("the credibility reason reads %q, want %q", reason, in.Grounds)
	}
	shot(t, ctx, dir, "incident.png")

	// An event of it links back to the incident.
	follow(t, ctx, "open a member's event", chromedp.Click(chromedp.CSS(`.member:not(.is-copy) .sentence a`)))
	do(t, ctx, "event page", chromedp.WaitVisible(chromedp.CSS("#incident-link")))
	link := run(t, ctx, "incident link", chromedp.Text(chromedp.CSS("#incident-link")))
	if !strings.Contains(link, "Part of incident "+id+", reported by "+strconv.Itoa(len(in.Originators))+" sources") {
		t.Errorf("the event page says %q", link)
	}
	follow(t, ctx, "back to the incident", chromedp.Click(chromedp.CSS(`#incident-link a`)))
	do(t, ctx, "incident again", chromedp.WaitVisible(chromedp.CSS(".conflicts")))

	// A phone: one column, no sideways scrolling, the versions stacked.
	do(t, ctx, "phone view", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/incidents/"+id), chromedp.WaitVisible(chromedp.CSS(".conflicts")))
	if run(t, ctx, "phone overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Error("on a phone the incident page scrolls sideways")
	}
	png := run(t, ctx, "phone screen", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, "incident-phone.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, dir, "incident-phone-full.png")
	do(t, ctx, "phone list", chromedp.Navigate(srv.URL+"/incidents"), chromedp.WaitVisible(chromedp.CSS("#incidents")))
	if run(t, ctx, "phone list overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Error("on a phone the incidents list scrolls sideways")
	}
	shot(t, ctx, dir, "incidents-phone.png")

	if errs := consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors: %q", errs)
	}
}
