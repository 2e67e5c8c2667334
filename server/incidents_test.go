package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/extract"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/fuse/fusetest"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/ingest"
	"github.com/truce-monitor/truce/store"
)

// fuseCorpus holds reports of one happening told by several outlets, a
// syndicated copy and two happenings sharing a place and a day.
const fuseCorpus = "../testdata/fuse"

// fusedFixture ingests the fuse corpus with fusion on (the bundled registry
// with the corpus's grades laid over it, as the ingest tests do) into a fresh
// SQLite store and serves it.
func fusedFixture(t *testing.T) (http.Handler, store.Store) {
	t.Helper()
	st := openStore(t)
	x, err := extract.New(data.Bundled())
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
	return New(st, Options{Logger: quiet, Gazetteer: g}), st
}

// incursion finds the incident of the Sotk incursion: the one MOBILIZE
// incident with several sources.
func incursion(t *testing.T, h http.Handler) incidentSummary {
	t.Helper()
	page := decode[incidentsResponse](t, do(t, h, "GET", "/api/incidents?type=MOBILIZE&conflicts=true"))
	if len(page.Incidents) != 1 {
		t.Fatalf("disputed MOBILIZE incidents: %+v, want the incursion alone", page.Incidents)
	}
	return page.Incidents[0]
}

// TestIncidentsGolden compares the incident list and the incursion's page with
// the files under testdata (go test -update rewrites them).
func TestIncidentsGolden(t *testing.T) {
	h, _ := fusedFixture(t)
	inc := incursion(t, h)
	rec := do(t, h, "GET", "/api/events/1")
	if rec.Code != http.StatusOK {
		t.Fatalf("event 1: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct{ name, target string }{
		{"incidents.json", "/api/incidents"},
		{"incidents_disputed.json", "/api/incidents?conflicts=true&credibility=2"},
		{"incident_incursion.json", "/api/incidents/" + strconv.FormatInt(inc.ID, 10)},
		{"incident_event_1.json", "/api/events/1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(t, h, "GET", tc.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			var buf bytes.Buffer
			if err := json.Indent(&buf, rec.Body.Bytes(), "", "  "); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, buf.Bytes())
		})
	}
}

// TestIncidentDetail checks what the incursion's page says, whatever the ids.
func TestIncidentDetail(t *testing.T) {
	h, _ := fusedFixture(t)
	sum := incursion(t, h)
	if sum.Sources < 2 || sum.Copies != 1 || !sum.Disputed || !sum.PartyClaim || sum.Credibility.Grade != fuse.ProbablyTrue ||
		sum.Credibility.Meaning != "probably true" || sum.Credibility.Reason == "" {
		t.Errorf("incursion summary %+v", sum)
	}
	in := decode[incidentResponse](t, do(t, h, "GET", "/api/incidents/"+strconv.FormatInt(sum.ID, 10)))
	if len(in.Members) != sum.Members || len(in.Sources) != sum.Sources {
		t.Fatalf("detail has %d members and %d sources, the list %d and %d", len(in.Members), len(in.Sources), sum.Members, sum.Sources)
	}
	copies := 0
	for _, m := range in.Members {
		if m.Evidence.Text == "" || m.Report.ID == 0 || m.Report.Source == "" || m.EventID == 0 {
			t.Errorf("member %d lacks its evidence, report or source: %+v", m.Index, m)
		}
		if m.Copy {
			copies++
			if m.CopyOf == 0 || m.CopyOf == m.Report.ID {
				t.Errorf("copy %d names no original: %+v", m.Index, m)
			}
		}
		// Each member's event points back at the incident.
		ev := decode[eventResponse](t, do(t, h, "GET", "/api/events/"+strconv.FormatInt(m.EventID, 10)))
		if ev.IncidentID != in.ID {
			t.Errorf("event %d: incident_id %d, want %d", m.EventID, ev.IncidentID, in.ID)
		}
	}
	if copies != 1 {
		t.Errorf("%d copies among the members, want 1", copies)
	}
	var count *incidentConflict
	for i := range in.Conflicts {
		if in.Conflicts[i].Field == "count" {
			count = &in.Conflicts[i]
		}
	}
	if count == nil || len(count.Versions) != 2 {
		t.Fatalf("count conflict: %+v", in.Conflicts)
	}
	for i, want := range []string{"80", "100"} {
		v := count.Versions[i]
		if !strings.Contains(v.Value, want) || len(v.SaidBy) == 0 || len(v.Sources) == 0 {
			t.Errorf("version %d: %+v, want %s with who says it", i, v, want)
		}
		for _, s := range v.SaidBy {
			if s.Outlet == "" || s.Quoting == "" || s.EventID != in.Members[s.Member].EventID {
				t.Errorf("version %s said by %+v", v.Value, s)
			}
		}
	}
	// The version of 80 is given by the original and its copy, marked as such.
	if sb := count.Versions[0].SaidBy; !slices.ContainsFunc(sb, func(s incidentTeller) bool { return s.Copy }) ||
		!slices.ContainsFunc(sb, func(s incidentTeller) bool { return !s.Copy }) {
		t.Errorf("~80 is said by %+v, want the original and its copy", sb)
	}
}

// TestIncidentFilters checks each filter of /api/incidents and the paging.
func TestIncidentFilters(t *testing.T) {
	h, _ := fusedFixture(t)
	all := decode[incidentsResponse](t, do(t, h, "GET", "/api/incidents")).Incidents
	if len(all) < 4 {
		t.Fatalf("%d incidents from the corpus", len(all))
	}
	ids := func(l []incidentSummary) []int64 {
		out := []int64{}
		for _, s := range l {
			out = append(out, s.ID)
		}
		return out
	}
	want := func(keep func(incidentSummary) bool) []int64 {
		out := []int64{}
		for _, s := range all {
			if keep(s) {
				out = append(out, s.ID)
			}
		}
		return out
	}
	tests := []struct {
		query string
		keep  func(incidentSummary) bool
	}{
		{"type=assault", func(s incidentSummary) bool { return s.Type == "ASSAULT" }},
		{"credibility=2", func(s incidentSummary) bool { return s.Credibility.Grade <= 2 }},
		{"party_claim=true", func(s incidentSummary) bool { return s.PartyClaim }},
		{"party_claim=false", func(s incidentSummary) bool { return !s.PartyClaim }},
		{"conflicts=true", func(s incidentSummary) bool { return s.Disputed }},
		{"conflicts=false", func(s incidentSummary) bool { return !s.Disputed }},
		{"from=2021-05-13&to=2021-05-13", func(s incidentSummary) bool { return s.Start <= "2021-05-13" && s.End >= "2021-05-13" }},
		{"to=2020-01-01", func(incidentSummary) bool { return false }},
		// The mine lies inside Sotk in the gazetteer.
		{"place=sotk", func(s incidentSummary) bool {
			return s.Place != nil && (s.Place.ID == "sotk" || s.Place.ID == "sotk-gold-mine")
		}},
		{"place=Zod&type=AID", func(s incidentSummary) bool { return s.Place != nil && s.Place.ID == "sotk" && s.Type == "AID" }},
		{"place=sotk-gold-mine", func(s incidentSummary) bool { return s.Place != nil && s.Place.ID == "sotk-gold-mine" }},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			rec := do(t, h, "GET", "/api/incidents?"+tc.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got, w := ids(decode[incidentsResponse](t, rec).Incidents), want(tc.keep)
			if !slices.Equal(got, w) {
				t.Errorf("got %v, want %v", got, w)
			}
		})
	}
	if got := ids(decode[incidentsResponse](t, do(t, h, "GET", "/api/incidents?place=sotk")).Incidents); len(got) < 3 {
		t.Errorf("place=sotk: %v, want the incursion, the shooting at the mine and the aid delivery", got)
	}
	// Paging walks the same order, with and without filters applied here.
	for _, q := range []string{"", "&credibility=6"} {
		var walked []int64
		next := 0
		for range len(all) + 1 {
			p := decode[incidentsResponse](t, do(t, h, "GET", "/api/incidents?limit=3&offset="+strconv.Itoa(next)+q))
			walked = append(walked, ids(p.Incidents)...)
			if next = p.NextOffset; next == 0 {
				break
			}
		}
		if !slices.Equal(walked, ids(all)) {
			t.Errorf("paging%s: %v, want %v", q, walked, ids(all))
		}
	}
	for _, bad := range []string{"type=BOMB", "credibility=7", "credibility=0", "party_claim=maybe", "conflicts=yes",
		"from=2021-05-13&to=2021-05-12", "limit=0", "offset=-1", "bbox=1,2,3,4", "type=AID&type=AID"} {
		if rec := do(t, h, "GET", "/api/incidents?"+bad); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, rec.Code)
		}
	}
	for _, target := range []string{"/api/incidents/999999", "/api/incidents/0", "/api/incidents/x"} {
		rec := do(t, h, "GET", target)
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d", target, rec.Code)
		}
	}
	if rec := do(t, h, "GET", "/api/incidents/999999"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown incident: status %d, want 404", rec.Code)
	}
}
