package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/web"
)

// reviewMonitor is the whole stack over a SQLite file filled by the real
// ingest pipeline (extractor and fuser of the bundled data) with the seed
// report, with an analyst "ana" whose password is returned.
func reviewMonitor(t *testing.T) (*httptest.Server, store.Store, *ingest.Pipeline, string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	p := &ingest.Pipeline{Store: st, Extractor: x, Log: quietLog(), NewFuser: func() (*fuse.Fuser, error) {
		reg, err := fuse.LoadSources(data.Bundled())
		if err != nil {
			return nil, err
		}
		return fuse.New(reg, x.Gazetteer(), fuse.Options{}), nil
	}}
	if sum, err := p.Run(ctx, []string{seedPath}); err != nil || sum.Reports != 1 {
		t.Fatalf("ingest the seed: %+v, %v", sum, err)
	}
	const password = "analyst's long password"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "ana", store.RoleAnalyst, hash); err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	h, err := web.New(st, web.Options{Gazetteer: g, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, server.Options{Web: h, Gazetteer: g, Logger: quietLog()}))
	t.Cleanup(srv.Close)
	return srv, st, p, password
}

// corrected is what the test changes an event to.
type corrected struct{ typ, place string }

// pickEvent chooses an event of the seed with a place, and a type and place
// to correct it to that differ from what the extractor coded.
func pickEvent(t *testing.T, st store.Store) (store.StoredEvent, corrected) {
	t.Helper()
	pg, err := st.Events(context.Background(), store.EventFilter{NoLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	same := map[string]int{}
	key := func(e store.StoredEvent) string {
		return fmt.Sprint(e.ReportID, e.Evidence.Start, e.Evidence.End, e.Rule)
	}
	for _, e := range pg.Events {
		same[key(e)]++
	}
	for _, e := range pg.Events {
		if e.Place == nil || same[key(e)] > 1 {
			continue
		}
		c := corrected{typ: "PROTEST", place: "shusha"}
		if e.Type == c.typ {
			c.typ = "AID"
		}
		if e.Place.ID == c.place {
			c.place = "lachin"
		}
		return e, c
	}
	t.Fatal("the seed has no event with a place")
	return store.StoredEvent{}, corrected{}
}

// findByKey finds the stored event told by the same sentence with the same
// rule: the event a re-extraction made anew.
func findByKey(t *testing.T, st store.Store, old store.StoredEvent) store.StoredEvent {
	t.Helper()
	pg, err := st.Events(context.Background(), store.EventFilter{ReportID: old.ReportID, NoLimit: true, IncludeRejected: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range pg.Events {
		if e.Evidence == old.Evidence && e.Rule == old.Rule {
			return e
		}
	}
	t.Fatalf("no event of report %d with the evidence %q and rule %s", old.ReportID, old.Evidence.Text, old.Rule)
	return old
}

// TestBrowserReview logs in as an analyst on the login page, corrects an
// event's type and place through the review form, and checks that the
// correction is shown, survives the ingest of new reports and a full
// re-extraction (new event ids), and is in the audit log (API and page). A
// form of another origin posting to the monitor with the analyst's cookie is
// refused.
func TestBrowserReview(t *testing.T) {
	ctx, consoleErrors := browser(t)
	dir := screenshotDir(t)
	srv, st, pipe, password := reviewMonitor(t)
	ev, want := pickEvent(t, st)
	eventURL := srv.URL + "/events/" + strconv.FormatInt(ev.ID, 10)

	// The review form needs a login: it leads to the login page and back.
	do(t, ctx, "open the review form", chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(eventURL+"/review"),
		chromedp.WaitVisible(chromedp.CSS("form.login")))
	if loc := run(t, ctx, "location", chromedp.Location()); !strings.Contains(loc, "/login?next=") {
		t.Errorf("the review form without a login led to %s", loc)
	}
	do(t, ctx, "wrong password", chromedp.SetValue(chromedp.CSS("#login-name"), "ana"), chromedp.SetValue(chromedp.CSS("#login-password"), "not the password"))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#login-submit")))
	if err != nil || resp.Status != http.StatusUnauthorized {
		t.Fatalf("a wrong password: %v, %+v", err, resp)
	}
	do(t, ctx, "log in", chromedp.WaitVisible(chromedp.CSS("form.login")), chromedp.SetValue(chromedp.CSS("#login-name"), "ana"),
		chromedp.SetValue(chromedp.CSS("#login-password"), password))
	shot(t, ctx, dir, "login.png")
	follow(t, ctx, "submit the login", chromedp.Click(chromedp.CSS("#login-submit")))
	do(t, ctx, "back on the review form", chromedp.WaitVisible(chromedp.CSS("form.review")))

	// The event page links to the review form.
	follow(t, ctx, "open the event page", chromedp.Navigate(eventURL))
	do(t, ctx, "event page", chromedp.WaitVisible(chromedp.CSS("a.review-link")))
	if nav := run(t, ctx, "nav", chromedp.Text(chromedp.CSS("header.site nav"))); !strings.Contains(nav, "Log out ana") {
		t.Errorf("the nav reads %q, want a logout of ana", nav)
	}
	follow(t, ctx, "open the review form", chromedp.Click(chromedp.CSS("a.review-link")))
	do(t, ctx, "correct type and place", chromedp.WaitVisible(chromedp.CSS("form.review")),
		chromedp.SetValue(chromedp.CSS("#rv-type"), want.typ),
		chromedp.SetValue(chromedp.CSS("#rv-place"), want.place),
		chromedp.SetValue(chromedp.CSS("#rv-reason"), "the report describes a protest in "+want.place))
	shot(t, ctx, dir, "review-form.png")
	follow(t, ctx, "submit the review", chromedp.Click(chromedp.CSS("#rv-submit")))
	do(t, ctx, "event page after the review", chromedp.WaitVisible(chromedp.CSS("a.review-link")))
	if loc := run(t, ctx, "location", chromedp.Location()); loc != eventURL {
		t.Errorf("the review led to %s, want %s", loc, eventURL)
	}
	head := run(t, ctx, "heading", chromedp.Text(chromedp.CSS("header.item-head")))
	if !strings.Contains(head, want.typ) {
		t.Errorf("the event page is headed %q, want the type %s", head, want.typ)
	}
	shot(t, ctx, dir, "review-corrected.png")
	check := func(when string) store.StoredEvent {
		t.Helper()
		e := findByKey(t, st, ev)
		if e.Type != want.typ || e.Place == nil || e.Place.ID != want.place || e.Review != store.StateCorrected {
			t.Errorf("%s: the event is %s at %+v (review %q), want %s at %s, corrected", when, e.Type, e.Place, e.Review, want.typ, want.place)
		}
		if e.Mode != ev.Mode || e.Actor == nil != (ev.Actor == nil) || e.Date == nil != (ev.Date == nil) {
			t.Errorf("%s: fields that were not corrected changed: %+v", when, e.Event)
		}
		return e
	}
	check("after the review")

	// New reports come in; then every report is extracted again.
	sum, err := pipe.RunFS(context.Background(), data.Examples())
	if err != nil || sum.Reports == 0 {
		t.Fatalf("ingest the examples: %+v, %v", sum, err)
	}
	check("after ingesting new reports")
	if _, err := pipe.Reextract(context.Background()); err != nil {
		t.Fatalf("re-extract: %v", err)
	}
	after := check("after the re-extraction")
	if after.ID == ev.ID {
		t.Errorf("the re-extraction kept event id %d; the test proves nothing", ev.ID)
	}
	inc, err := st.IncidentOfEvent(context.Background(), after.ID)
	if err != nil {
		t.Errorf("the corrected event is in no incident after the re-extraction: %v", err)
	} else {
		t.Logf("the corrected event is in incident %d (%s)", inc.ID, inc.Type)
	}

	// The new event's page shows the correction.
	follow(t, ctx, "open the re-extracted event", chromedp.Navigate(srv.URL+"/events/"+strconv.FormatInt(after.ID, 10)))
	if head := run(t, ctx, "heading", chromedp.Text(chromedp.CSS("header.item-head"))); !strings.Contains(head, want.typ) {
		t.Errorf("after the re-extraction the event page is headed %q", head)
	}

	// The audit log: the page, and the API with the analyst's API token.
	follow(t, ctx, "open the audit log", chromedp.Click(chromedp.CSS(`header.site nav a[href="/audit"]`)))
	do(t, ctx, "audit page", chromedp.WaitVisible(chromedp.CSS("table.audit")))
	row := run(t, ctx, "audit row", chromedp.Text(chromedp.CSS("tr.audit-entry")))
	for _, s := range []string{"ana", "correct", "type: " + ev.Type + " → " + want.typ, "place: " + ev.Place.ID + " → " + want.place, "a protest in"} {
		if !strings.Contains(row, s) {
			t.Errorf("the audit row %q lacks %q", row, s)
		}
	}
	shot(t, ctx, dir, "audit.png")
	u, err := st.UserByName(context.Background(), "ana")
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := auth.NewToken()
	if err := st.AddToken(context.Background(), u.ID, auth.HashSecret(tok)); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", srv.URL+"/api/audit", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var audit struct {
		Entries []store.AuditEntry `json:"entries"`
	}
	err = json.NewDecoder(res.Body).Decode(&audit)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || len(audit.Entries) != 1 {
		t.Fatalf("GET /api/audit: %d, %+v, %v", res.StatusCode, audit, err)
	}
	if a := audit.Entries[0]; a.User != "ana" || a.Action != "correct" || a.EventID != ev.ID || !strings.Contains(string(a.After), `"type":"`+want.typ+`"`) ||
		a.Key.Start != ev.Evidence.Start || a.Key.Rule != ev.Rule {
		t.Errorf("audit entry %+v (after %s)", a, a.After)
	}

	// A page of another origin posts a forged review with the analyst's
	// cookie (same site, so SameSite=Lax sends it): refused, nothing changes.
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>evil</title><form id="f" method="post" action="%s/events/%d/review">
<input type="hidden" name="action" value="reject"><input type="hidden" name="reason" value="forged">
<button id="go" type="submit">win a prize</button></form>`, srv.URL, after.ID)
	}))
	t.Cleanup(evil.Close)
	do(t, ctx, "open the other site", chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.CSS("#go")))
	resp, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#go")))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusForbidden {
		t.Errorf("the forged form got status %d, want 403", resp.Status)
	}
	if e := findByKey(t, st, ev); e.Review != store.StateCorrected {
		t.Errorf("the forged form changed the event: review %q", e.Review)
	}
	// The refused wrong password (401) and forged form (403) are expected.
	for _, e := range consoleErrors() {
		if !strings.Contains(e, "status of 401") && !strings.Contains(e, "status of 403") {
			t.Errorf("console error: %s", e)
		}
	}
}

// TestReviewForms checks the review and login forms without a browser:
// forged and token-less posts are refused, bad input is explained.
func TestReviewForms(t *testing.T) {
	srv, st, _, password := reviewMonitor(t)
	ev, want := pickEvent(t, st)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	// Log in and read the form's token.
	res, _ := post("/login", url.Values{"name": {"ana"}, "password": {password}, "next": {"//evil.example/"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login: %d to %q (an off-site next must not be followed)", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == auth.CookieName {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", cookie)
	}
	ck := "Cookie"
	cv := auth.CookieName + "=" + cookie.Value
	path := "/events/" + strconv.FormatInt(ev.ID, 10) + "/review"
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	req.Header.Set(ck, cv)
	gres, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(gres.Body)
	gres.Body.Close()
	_, rest, _ := strings.Cut(string(page), `name="csrf_token" value="`)
	csrf, _, _ := strings.Cut(rest, `"`)
	if csrf == "" {
		t.Fatal("no CSRF token in the review form")
	}
	good := url.Values{"action": {"correct"}, "type": {want.typ}, "place_id": {want.place}, "reason": {"checked"}, auth.CSRFField: {csrf}}
	with := func(v url.Values, k, val string) url.Values {
		c := url.Values{}
		for kk, vv := range v {
			c[kk] = vv
		}
		c.Set(k, val)
		return c
	}
	tests := []struct {
		name   string
		form   url.Values
		hdr    []string
		status int
		want   string
	}{
		{"no login", good, nil, 401, "Log in first"},
		{"no CSRF token", with(good, auth.CSRFField, ""), []string{ck, cv}, 403, "token is missing or stale"},
		{"wrong CSRF token", with(good, auth.CSRFField, csrf+"x"), []string{ck, cv}, 403, "token is missing or stale"},
		{"cross-site", good, []string{ck, cv, "Sec-Fetch-Site", "cross-site"}, 403, "another site"},
		{"cross-origin", good, []string{ck, cv, "Origin", "https://evil.example"}, 403, "another site"},
		{"bad type", with(good, "type", "BOMB"), []string{ck, cv}, 400, "is not a PLOVER event type"},
		{"bad place", with(good, "place_id", "atlantis"), []string{ck, cv}, 400, "not a gazetteer place id"},
		{"no reason", with(good, "reason", ""), []string{ck, cv}, 400, "Say why."},
		{"nothing changed", with(with(good, "type", ev.Type), "place_id", ev.Place.ID), []string{ck, cv}, 400, "Nothing was changed"},
		{"no action", with(good, "action", "drop"), []string{ck, cv}, 400, "Choose an action"},
		{"correct", good, []string{ck, cv}, 303, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, body := post(path, tc.form, tc.hdr...)
			if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("status %d, want %d with %q: %.300s", res.StatusCode, tc.status, tc.want, body)
			}
		})
	}
	if e := findByKey(t, st, ev); e.Type != want.typ {
		t.Errorf("after the forms the event is %s, want %s", e.Type, want.typ)
	}
	if log, err := st.AuditLog(context.Background(), store.AuditFilter{}); err != nil || len(log) != 1 {
		t.Errorf("audit log has %d entries (%v), want 1: only the accepted form writes", len(log), err)
	}
	// Logging out ends the session.
	if res, _ := post("/logout", url.Values{auth.CSRFField: {csrf}}, ck, cv); res.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", res.StatusCode)
	}
	if res, _ := post(path, good, ck, cv); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after the logout a post got %d, want 401", res.StatusCode)
	}
}

// quietLog discards log records.
func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
