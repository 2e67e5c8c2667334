package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/fuse"
	"github.com/truce-monitor/truce/store"
)

// fusion is the pipeline's in-memory fuser, in step with the stored incidents.
type fusion struct {
	f      *fuse.Fuser
	hashes map[int64]string // stored report id → hash
}

// fuser returns the pipeline's fuser, rebuilding it from the store the first
// time (or after a failed save): every stored report is replayed through a new
// fuse.Fuser in id order, the order they were stored in. When the stored
// incidents do not match the rebuilt ones (a run stopped between versions,
// fusion switched on for an existing record, new rules or sources) they are
// all replaced. nil when the pipeline does not fuse.
func (p *Pipeline) fuser(ctx context.Context) (*fusion, error) {
	if p.NewFuser == nil {
		return nil, nil
	}
	if p.fu != nil {
		return p.fu, nil
	}
	start := time.Now()
	fu, err := p.replay(ctx)
	if err != nil {
		return nil, err
	}
	stored, err := p.Store.Incidents(ctx, store.IncidentFilter{NoLimit: true})
	if err != nil {
		return nil, fmt.Errorf("fusion: %w", err)
	}
	rebuilt := false
	if groupings(stored, fu.hashes) != fuserGroupings(fu.f) {
		if err := p.Store.ReplaceIncidents(ctx, snapshot(fu.f, fu.hashes)); err != nil {
			return nil, fmt.Errorf("fusion: %w", err)
		}
		rebuilt = true
	}
	p.logger().Info("fuser rebuilt from the store", "reports", len(fu.hashes), "incidents", len(fu.f.Incidents()),
		"rewritten", rebuilt, "took", time.Since(start).Round(time.Millisecond))
	p.fu = fu
	return fu, nil
}

// replay adds every stored report and its events to a new fuser.
func (p *Pipeline) replay(ctx context.Context) (*fusion, error) {
	f, err := p.NewFuser()
	if err != nil {
		return nil, fmt.Errorf("fusion: %w", err)
	}
	fu := &fusion{f: f, hashes: map[int64]string{}}
	ids, err := p.Store.ReportIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("fusion: %w", err)
	}
	for _, id := range ids {
		r, err := p.Store.Report(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("fusion: report %d: %w", id, err)
		}
		// Rejected events too: the fuser names events by their position in
		// the report, which must match the stored events (docs/review.md).
		page, err := p.Store.Events(ctx, store.EventFilter{ReportID: id, NoLimit: true, IncludeRejected: true})
		if err != nil {
			return nil, fmt.Errorf("fusion: events of report %d: %w", id, err)
		}
		// Events are stored in extraction order, so ids order them as the extractor did.
		evs := page.Events
		sort.Slice(evs, func(i, j int) bool { return evs[i].ID < evs[j].ID })
		events := make([]truce.Event, len(evs))
		for i := range evs {
			events[i] = evs[i].Event
		}
		rep := r.Report
		rep.Text, rep.Hash = r.Text, r.Hash
		fu.f.Add(rep, events)
		fu.hashes[id] = r.Hash
	}
	return fu, nil
}

// hashOf sets the report's hash as the store computes it when the reader left it empty,
// so the fuser and the store know the report by the same id.
func hashOf(r *truce.Report) {
	if r.Hash == "" {
		sum := sha256.Sum256([]byte(r.Text))
		r.Hash = hex.EncodeToString(sum[:])
	}
}

// changes is what adding one report changed: its copy link and the incidents its events went to.
func changes(f *fuse.Fuser, hash string, as []fuse.Assignment) *store.Fusion {
	out := &store.Fusion{}
	if ref := f.Report(hash); ref != nil && ref.CopyOf != "" {
		out.Copies = append(out.Copies, store.CopyLink{Report: hash, CopyOf: ref.CopyOf, Containment: ref.Containment})
	}
	seen := map[int]bool{}
	for _, a := range as {
		if seen[a.Incident] {
			continue
		}
		seen[a.Incident] = true
		if inc := f.Incident(a.Incident); inc != nil {
			out.Incidents = append(out.Incidents, record(inc))
		}
	}
	return out
}

// snapshot is every incident and copy link of f; hashes are the reports added.
func snapshot(f *fuse.Fuser, hashes map[int64]string) *store.Fusion {
	out := &store.Fusion{}
	ids := make([]int64, 0, len(hashes))
	for id := range hashes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if ref := f.Report(hashes[id]); ref != nil && ref.CopyOf != "" {
			out.Copies = append(out.Copies, store.CopyLink{Report: ref.ID, CopyOf: ref.CopyOf, Containment: ref.Containment})
		}
	}
	for _, inc := range f.Incidents() {
		out.Incidents = append(out.Incidents, record(inc))
	}
	return out
}

var precisionRank = map[string]int{truce.PrecisionSite: 0, truce.PrecisionSettlement: 1, truce.PrecisionDistrict: 2,
	truce.PrecisionProvince: 3, truce.PrecisionRegion: 4, truce.PrecisionCountry: 5}

func rank(p *truce.Place) int {
	if r, ok := precisionRank[p.Precision]; ok {
		return r
	}
	return len(precisionRank)
}

// record turns a fused incident into what the store keeps of it.
func record(inc *fuse.Incident) store.IncidentRecord {
	r := store.IncidentRecord{Type: inc.Type, Start: inc.Start, End: inc.End, Credibility: inc.Credibility,
		Grounds: inc.Grounds, PartyClaim: inc.PartyClaim, Originators: sources(inc.Originators), Deniers: sources(inc.Deniers)}
	for _, m := range inc.Members {
		if p := m.Event.Place; p != nil && (r.Place == nil || rank(p) < rank(r.Place)) {
			r.Place = p
		}
		r.Members = append(r.Members, store.MemberRecord{Report: m.Report.ID, Seq: m.Index, Copy: m.Report.CopyOf != "",
			Swapped: m.Swapped, PartyClaim: m.PartyClaim, Score: m.Score, Originator: originator(m.Originator)})
	}
	for _, c := range inc.Conflicts {
		sc := store.IncidentConflict{Field: c.Field, What: c.What}
		for _, v := range c.Values {
			sc.Values = append(sc.Values, store.ConflictVersion{Value: v.Value, Members: v.Members, Sources: v.Sources})
		}
		r.Conflicts = append(r.Conflicts, sc)
	}
	return r
}

func originator(o fuse.Originator) store.IncidentSource {
	return store.IncidentSource{Name: o.Name, Kind: o.Kind, Affiliation: o.Affiliation, Reliability: o.Reliability, Registered: o.Registered}
}

func sources(l []fuse.Originator) []store.IncidentSource {
	out := make([]store.IncidentSource, 0, len(l))
	for _, o := range l {
		out = append(out, originator(o))
	}
	return out
}

// groupings is a canonical text of the stored incidents: per incident its
// type, credibility and members (report hash and event position).
func groupings(l []store.StoredIncident, hashes map[int64]string) string {
	var lines []string
	for _, in := range l {
		s := fmt.Sprintf("%s %d", in.Type, in.Credibility)
		for _, m := range in.Members {
			s += fmt.Sprintf(" %s/%d", hashes[m.ReportID], m.Seq)
		}
		lines = append(lines, s)
	}
	slices.Sort(lines)
	return fmt.Sprint(lines)
}

// fuserGroupings is groupings for the incidents of a fuser.
func fuserGroupings(f *fuse.Fuser) string {
	var lines []string
	for _, inc := range f.Incidents() {
		s := fmt.Sprintf("%s %d", inc.Type, inc.Credibility)
		for _, m := range inc.Members {
			s += fmt.Sprintf(" %s/%d", m.Report.ID, m.Index)
		}
		lines = append(lines, s)
	}
	slices.Sort(lines)
	return fmt.Sprint(lines)
}

// refuse rebuilds every incident from scratch: after a re-extraction.
func (p *Pipeline) refuse(ctx context.Context) error {
	p.fu = nil
	if p.NewFuser == nil {
		return nil
	}
	fu, err := p.replay(ctx)
	if err != nil {
		return err
	}
	if err := p.Store.ReplaceIncidents(ctx, snapshot(fu.f, fu.hashes)); err != nil {
		return fmt.Errorf("fusion: %w", err)
	}
	p.fu = fu
	return nil
}
