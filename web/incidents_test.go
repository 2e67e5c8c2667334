package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/fuse/fusetest"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/server"
	"github.com/truce-monitor/truce/store"
	"github.com/truce-monitor/truce/store/sqlite"
	"github.com/truce-monitor/truce/web"
)

// fuseCorpus holds reports of one happening told by several outlets with
// different details, a syndicated copy, and two happenings sharing a place
// and a day.
var fuseCorpus = filepath.Join("..", "testdata", "fuse")

// fusedServer ingests the fuse corpus with fusion on (the bundled registry
// with the corpus's grades laid over it) into a fresh SQLite store and serves
// the pages and the API over it.
func fusedServer(t *testing.T) (*httptest.Server, store.Store) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "truce.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	x, err := extractor()
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := &ingest.Pipeline{Store: st, Extractor: x, Log: quiet, NewFuser: fusetest.NewFuser(fuseCorpus, x.Gazetteer())}
	if _, err := p.Run(t.Context(), []string{fuseCorpus}); err != nil {
		t.Fatalf("ingest the fuse corpus: %v", err)
	}
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	names := func(id, fb string) string {
		if n := g.Get(id).Name(gazetteer.Both); n != "" {
			return n
		}
		return fb
	}
	h, err := web.New(st, web.Options{Gazetteer: g, PlaceName: names, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(st, server.Options{Web: h, Gazetteer: g, Logger: quiet}))
	t.Cleanup(srv.Close)
	return srv, st
}

// incursionOf finds the stored incident of the Sotk incursion: the MOBILIZE
// incident with a count conflict.
func incursionOf(t *testing.T, st store.Store) store.StoredIncident {
	t.Helper()
	l, err := st.Incidents(context.Background(), store.IncidentFilter{Type: "MOBILIZE", NoLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range l {
		for _, c := range in.Conflicts {
			if c.Field == fuse.ConflictCount {
				return in
			}
		}
	}
	t.Fatalf("no MOBILIZE incident with a count conflict among %d", len(l))
	return store.StoredIncident{}
}

func TestIncidentPages(t *testing.T) {
	srv, st := fusedServer(t)
	in := incursionOf(t, st)
	id := strconv.FormatInt(in.ID, 10)

	code, body := get(t, srv.URL+"/incidents")
	if code != 200 {
		t.Fatalf("/incidents: %d", code)
	}
	for _, want := range []string{`<a href="/incidents" aria-current="page">Incidents</a>`, `href="/incidents/` + id + `"`,
		`data-id="` + id + `" data-sources="` + strconv.Itoa(len(in.Originators)) + `"`, "disputed: how many, which day", "party claim", "2 · probably true"} {
		if !strings.Contains(body, want) {
			t.Errorf("/incidents lacks %q", want)
		}
	}
	// The incursion is listed once, though four reports tell it.
	if n := strings.Count(body, `data-id="`+id+`"`); n != 1 {
		t.Errorf("the incursion is listed %d times", n)
	}

	code, body = get(t, srv.URL+"/incidents/"+id)
	if code != 200 {
		t.Fatalf("/incidents/%s: %d", id, code)
	}
	for _, want := range []string{"about 80 Azerbaijani soldiers", "about 100 Azerbaijani servicemen", "quoting Ministry of Defence of Armenia",
		`class="member is-copy"`, "copy of <a href=\"/reports/", "Hakob Avetyan", "probably true", "2 independent sources, all on one side"} {
		if !strings.Contains(body, want) {
			t.Errorf("/incidents/%s lacks %q", id, want)
		}
	}
	// The event page of each member names the incident.
	for _, m := range in.Members {
		_, body := get(t, srv.URL+"/events/"+strconv.FormatInt(m.EventID, 10))
		if !strings.Contains(body, `Part of <a href="/incidents/`+id+`">incident `+id+`</a>, reported by `+strconv.Itoa(len(in.Originators))+" sources") {
			t.Errorf("event %d does not name incident %s", m.EventID, id)
		}
	}

	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/incidents?type=AID", 200, "40 families in Sotk"},
		{"/incidents?disputed=1&type=CONSULT", 200, "No incidents match these filters"},
		{"/incidents?type=BOMB", 400, "not a PLOVER event type"},
		{"/incidents?from=2021-13-01", 400, "YYYY-MM-DD"},
		{"/incidents/999999", 404, "does not exist"},
		{"/incidents/x", 404, "There is no incident x."},
	} {
		code, body := get(t, srv.URL+tc.path)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want %d with %q", tc.path, code, tc.status, tc.want)
		}
	}
}

// TestIncidentEscaping stores an incident whose sources, sentences and
// versions carry markup: the pages show it as text.
func TestIncidentEscaping(t *testing.T) {
	xs := fixtures(t)
	srv, st := newServer(t, xs, web.Options{})
	ctx := context.Background()
	ids, err := st.ReportIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for _, id := range ids {
		r, err := st.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, r.Hash)
	}
	evil := store.IncidentSource{Name: "Ministry <script>window.__pwned=2</script>", Affiliation: "ARM", Reliability: "F"}
	f := &store.Fusion{Incidents: []store.IncidentRecord{{Type: "PROTEST", Start: "2020-11-29", End: "2020-11-29", Credibility: 6,
		Grounds: "one source <b>graded</b> F", PartyClaim: true, Originators: []store.IncidentSource{evil},
		Members: []store.MemberRecord{{Report: hashes[2], Seq: 0, Originator: evil, PartyClaim: true}, {Report: hashes[1], Seq: 1, Copy: true, Originator: evil}},
		Conflicts: []store.IncidentConflict{{Field: "count", What: "<i>persons</i>", Values: []store.ConflictVersion{
			{Value: "<img src=x onerror=alert(1)>", Members: []int{0}, Sources: []string{evil.Name}},
			{Value: "~3", Members: []int{1}, Sources: []string{evil.Name}}}}}}}}
	if err := st.ReplaceIncidents(ctx, f); err != nil {
		t.Fatal(err)
	}
	l, err := st.Incidents(ctx, store.IncidentFilter{})
	if err != nil || len(l) != 1 {
		t.Fatalf("incidents: %v %v", l, err)
	}
	for _, path := range []string{"/incidents", "/incidents/" + strconv.FormatInt(l[0].ID, 10), "/events/" + strconv.FormatInt(l[0].Members[0].EventID, 10)} {
		code, body := get(t, srv.URL+path)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		for _, bad := range []string{"<script>window.__pwned", "<img src=x", "<b>graded", "<i>persons", "<b>of</b>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s carries raw markup %q", path, bad)
			}
		}
	}
	_, body := get(t, srv.URL+"/incidents/"+strconv.FormatInt(l[0].ID, 10))
	for _, want := range []string{"&lt;img src=x onerror=alert(1)&gt;", "Ministry &lt;script&gt;", "6 · cannot be judged"} {
		if !strings.Contains(body, want) {
			t.Errorf("the incident page lacks %q", want)
		}
	}
}
