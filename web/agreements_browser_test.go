package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// boardRowSeen is what the browser test reads of a row of the agreement board.
type boardRowSeen struct {
	Status string `json:"status"`
	Badge  string `json:"badge"`
	Href   string `json:"href"`
	Text   string `json:"text"`
}

// readBoard reads the board's rows by provision reference.
const readBoard = `(() => { const out = {};
	document.querySelectorAll('#board tbody tr[data-ref]').forEach(tr => {
		const a = tr.querySelector('td.ev a.evlink');
		out[tr.dataset.ref] = {status: tr.dataset.status, badge: tr.querySelector('td.st .status').textContent.trim(),
			href: a ? a.getAttribute('href') : '', text: a ? a.textContent : ''};
	});
	return out; })()`

// TestBrowserAgreements walks the agreement board, a provision and its
// evidence, and the situation report, with the seed stored as the real
// extractor codes it.
func TestBrowserAgreements(t *testing.T) {
	ctx, consoleErrors := browser(t)
	dir := screenshotDir(t)
	srv, st := monitor(t, fixtures(t))
	const board = "/agreements/nk-2020-11-10?as_of=2020-11-27"

	// The board: Kalbajar implemented by the Khachatryan statement, the
	// exchange of prisoners and bodies and the peacekeepers in progress.
	do(t, ctx, "open the list", chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(srv.URL+"/agreements"), chromedp.WaitVisible(chromedp.CSS("ul.agreements")))
	shot(t, ctx, dir, "agreements.png")
	follow(t, ctx, "open the board from the list", chromedp.Click(chromedp.CSS(`ul.agreements a[href^="/agreements/nk-2020-11-10"]`)))
	do(t, ctx, "board", chromedp.WaitVisible(chromedp.CSS("#board")))
	follow(t, ctx, "board as of the seed's day", chromedp.Navigate(srv.URL+board))
	do(t, ctx, "board as of", chromedp.WaitVisible(chromedp.CSS("#board")))
	rows := run(t, ctx, "board rows", chromedp.Evaluate[map[string]boardRowSeen](readBoard))
	kal, ok := rows["nk-2020-11-10/6a"]
	if !ok {
		t.Fatalf("no row for Kalbajar (6a): %v", rows)
	}
	if kal.Status != "implemented" || !strings.HasSuffix(kal.Badge, "implemented") {
		t.Errorf("Kalbajar: status %q, badge %q, want implemented", kal.Status, kal.Badge)
	}
	if !strings.Contains(kal.Text, "withdraw from Karvachar") || !strings.HasPrefix(kal.Href, "/events/") {
		t.Errorf("Kalbajar's last evidence is %q -> %q, want the Khachatryan statement linked to its event", kal.Text, kal.Href)
	} else {
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(kal.Href, "/events/"), "#evidence"), 10, 64)
		if err != nil {
			t.Fatalf("evidence link %q: %v", kal.Href, err)
		}
		ev, err := st.Event(context.Background(), id)
		if err != nil || !strings.Contains(ev.Evidence.Text, "withdraw from Karvachar") || ev.Attribution == nil || !strings.Contains(ev.Attribution.Speaker, "Khachatryan") {
			t.Errorf("Kalbajar's evidence links to event %d (%v): %+v", id, err, ev)
		}
	}
	for _, ref := range []string{"nk-2020-11-10/8", "nk-2020-11-10/3"} {
		if r := rows[ref]; r.Status != "in_progress" || !strings.HasSuffix(r.Badge, "in progress") || r.Href == "" {
			t.Errorf("%s: %+v, want in progress with evidence", ref, r)
		}
	}
	// Kalbajar's deadline shows its extension.
	dl := run(t, ctx, "Kalbajar's deadline", chromedp.Text(chromedp.CSS(`tr[data-ref="nk-2020-11-10/6a"] td.dl`)))
	if !strings.Contains(dl, "15 Nov → 25 Nov 2020") {
		t.Errorf("Kalbajar's deadline reads %q, want 15 Nov → 25 Nov 2020", dl)
	}
	// Every status has its own colours and its word on the badge.
	badges := run(t, ctx, "legend", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.legend-line .status')).map(b => {
		const s = getComputedStyle(b); return s.backgroundColor + '|' + s.color + '|' + b.textContent.trim(); })`))
	seen := map[string]bool{}
	for _, b := range badges {
		parts := strings.Split(b, "|")
		if parts[2] == "" || seen[parts[0]] {
			t.Errorf("badge %q: no word, or a background shared with another status", b)
		}
		seen[parts[0]] = true
	}
	if len(badges) != 6 {
		t.Errorf("%d statuses in the legend, want 6", len(badges))
	}
	shot(t, ctx, dir, "board.png")

	// A click on Kalbajar opens its page; the newest change of the timeline
	// cites the evidence, whose link opens the event with the sentence marked.
	follow(t, ctx, "open Kalbajar", chromedp.Click(chromedp.CSS(`tr[data-ref="nk-2020-11-10/6a"] a.plink`)))
	do(t, ctx, "provision page", chromedp.WaitVisible(chromedp.CSS("#timeline")))
	if h := run(t, ctx, "heading", chromedp.Text(chromedp.CSS("main h1"))); !strings.Contains(h, "Kalbajar") {
		t.Errorf("the provision page is headed %q", h)
	}
	change := run(t, ctx, "newest change", chromedp.Text(chromedp.CSS("#timeline > li.change")))
	if !strings.Contains(change, "implemented") || !strings.Contains(change, "withdraw from Karvachar") || !strings.Contains(change, "SouthFront") {
		t.Errorf("the newest change reads %q", change)
	}
	hist := run(t, ctx, "deadline history", chromedp.Text(chromedp.CSS("ol.history")))
	if !strings.Contains(hist, "15 Nov 2020") || !strings.Contains(hist, "25 Nov 2020") {
		t.Errorf("deadline history %q", hist)
	}
	shot(t, ctx, dir, "provision.png")
	href := run(t, ctx, "evidence link", chromedp.Evaluate[string](`document.querySelector('#timeline > li.change a.evlink').getAttribute('href')`))
	follow(t, ctx, "follow the evidence", chromedp.Click(chromedp.CSS("#timeline > li.change a.evlink")))
	do(t, ctx, "event page", chromedp.WaitVisible(chromedp.CSS("mark.current")))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(loc, href) {
		t.Errorf("the evidence link led to %s, want %s", loc, href)
	}
	marked := run(t, ctx, "marked", chromedp.Evaluate[string](`Array.from(document.querySelectorAll('mark.current')).map(m => m.textContent).join('')`))
	if !strings.Contains(marked, "withdraw from Karvachar") {
		t.Errorf("the event page marks %q", marked)
	}
	if !run(t, ctx, "evidence in view", chromedp.Evaluate[bool](`(() => { const r = document.querySelector('mark.current').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight; })()`)) {
		t.Error("the marked evidence is not in view")
	}
	shot(t, ctx, dir, "provision-evidence.png")

	// The situation report of 26-27 November, written from the form.
	do(t, ctx, "open the sitrep form", chromedp.Navigate(srv.URL+"/sitrep"), chromedp.WaitVisible(chromedp.CSS("form.sitrep-form")),
		chromedp.SetValue(chromedp.CSS("#s-from"), "2020-11-26"), chromedp.SetValue(chromedp.CSS("#s-to"), "2020-11-27"))
	follow(t, ctx, "write the report", chromedp.Click(chromedp.CSS("form.sitrep-form button[type=submit]")))
	do(t, ctx, "sitrep", chromedp.WaitVisible(chromedp.CSS("article.sitrep")))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "from=2020-11-26") || !strings.Contains(loc, "to=2020-11-27") {
		t.Errorf("the form led to %s", loc)
	}
	type line struct {
		Text    string   `json:"text"`
		Notes   []string `json:"notes"`
		Cite    string   `json:"cite"`
		Sources int      `json:"sources"`
	}
	lines := run(t, ctx, "sitrep lines", chromedp.Evaluate[[]line](`Array.from(document.querySelectorAll('article.sitrep .line')).map(l => ({
		text: l.querySelector('.what').textContent,
		notes: Array.from(l.querySelectorAll('.note')).map(n => n.className + ': ' + n.textContent),
		cite: Array.from(l.querySelectorAll('.cite')).map(c => c.textContent).join(' '),
		sources: l.querySelectorAll('.cite .src').length }))`))
	if len(lines) == 0 {
		t.Fatal("the report has no lines")
	}
	sotk := 0
	for _, l := range lines {
		// A line cites the sentence and source behind it, or, for a change
		// that follows from the agreement's own terms, the provision.
		terms := l.Sources == 0 && strings.HasPrefix(l.Cite, "From the terms of the agreement: nk-2020-11-10/")
		if !terms && (l.Sources == 0 || !strings.Contains(l.Cite, "“") || !strings.Contains(l.Cite, "SouthFront")) {
			t.Errorf("line %q has no citation (%q)", l.Text, l.Cite)
		}
		if !strings.Contains(l.Text, "Sotk") || !strings.Contains(l.Text, "MOBILIZE") {
			continue
		}
		sotk++
		border := false
		for _, n := range l.Notes {
			if strings.Contains(n, "note-border") && strings.Contains(n, "at the border") {
				border = true
			}
			if strings.Contains(n, "note-implements") {
				t.Errorf("the Sotk entry %q is listed as implementing a provision: %q", l.Text, n)
			}
		}
		if !border {
			t.Errorf("the Sotk entry %q is not called an incident at the border: %q", l.Text, l.Notes)
		}
	}
	if sotk == 0 {
		t.Errorf("the report lists no Azerbaijani entry at Sotk: %+v", lines)
	}
	if !run(t, ctx, "print button", chromedp.Evaluate[bool](`!document.querySelector('button[data-print]').hidden`)) {
		t.Error("the print button is hidden")
	}
	shot(t, ctx, dir, "sitrep.png")

	// Printed, the report stands alone: no site header, form or buttons.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatalf("print media: %v", err)
	}
	hidden := run(t, ctx, "print layout", chromedp.Evaluate[bool](`['header.site', 'form.sitrep-form', '.report-actions', 'footer.site'].every(s => getComputedStyle(document.querySelector(s)).display === 'none')`))
	if !hidden {
		t.Error("printed, the sitrep page keeps the site header, the form or the buttons")
	}
	shot(t, ctx, dir, "sitrep-print.png")
	pdf := run(t, ctx, "print to PDF", chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err := os.WriteFile(filepath.Join(dir, "sitrep.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatalf("screen media: %v", err)
	}

	// A phone: the board is one card per provision, with nothing off the side.
	do(t, ctx, "phone board", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+board), chromedp.WaitVisible(chromedp.CSS("#board")), chromedp.Sleep(100*time.Millisecond))
	if run(t, ctx, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Error("on a phone the board scrolls sideways")
	}
	if !run(t, ctx, "cards", chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('#board tbody tr')).display === 'block'`)) {
		t.Error("on a phone the board is still a table")
	}
	png := run(t, ctx, "phone screen", chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, "phone-board.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, dir, "phone-board-full.png")
	do(t, ctx, "phone sitrep", chromedp.Navigate(srv.URL+"/sitrep?from=2020-11-26&to=2020-11-27"), chromedp.WaitVisible(chromedp.CSS("article.sitrep")))
	if run(t, ctx, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Error("on a phone the sitrep scrolls sideways")
	}
	shot(t, ctx, dir, "phone-sitrep.png")
	do(t, ctx, "phone provision", chromedp.Navigate(srv.URL+"/provisions/nk-2020-11-10/6a?as_of=2020-11-27"), chromedp.WaitVisible(chromedp.CSS("#timeline")))
	if run(t, ctx, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`)) {
		t.Error("on a phone the provision page scrolls sideways")
	}
	shot(t, ctx, dir, "phone-provision.png")

	time.Sleep(200 * time.Millisecond)
	for _, e := range consoleErrors() {
		t.Errorf("console: %s", e)
	}
}
