package fuse

import (
	"fmt"
	"io/fs"
	"math"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
)

// ReportRef is what an incident keeps of a report: enough to show and link it, not its text.
type ReportRef struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
	Origin    string `json:"origin,omitempty"`
	// CopyOf is the id of the report this one is a syndicated or edited copy of.
	CopyOf string `json:"copy_of,omitempty"`
	// Containment is the share of shingles the copy shares with its original.
	Containment float64 `json:"containment,omitempty"`
}

// Originator is who a member's claim comes from: the speaker it is attributed to, else the outlet.
type Originator struct {
	Name        string `json:"name"`
	Kind        string `json:"kind,omitempty"`
	Affiliation string `json:"affiliation"`
	Reliability string `json:"reliability"`
	// Registered is true when the originator was found in the source registry.
	Registered bool `json:"registered"`
}

// Member is one event of one report in an incident.
type Member struct {
	Report     ReportRef   `json:"report"`
	Index      int         `json:"index"` // the event's index in its report
	Event      truce.Event `json:"event"`
	Originator Originator  `json:"originator"`
	// PartyClaim is true when a party to the conflict says the other side acted against it.
	PartyClaim bool    `json:"party_claim"`
	Score      float64 `json:"score"` // how well it matched the incident when it joined; 0 for the first
	// Swapped is true when the member joined as the other side's account of who acted.
	Swapped bool `json:"swapped,omitempty"`
}

// Incident is one happening as told by one or more events of one or more reports.
type Incident struct {
	ID      int      `json:"id"`
	Type    string   `json:"type"`
	Start   string   `json:"start"`
	End     string   `json:"end"`
	Members []Member `json:"members"`
	// Originators are the independent sources that assert the happening (copies left out).
	Originators []Originator `json:"originators"`
	// Deniers are the sources that deny it.
	Deniers     []Originator `json:"deniers,omitempty"`
	Credibility int          `json:"credibility"` // Admiralty information credibility, 1 confirmed … 6 cannot be judged
	Grounds     string       `json:"grounds"`     // why the credibility is what it is
	// PartyClaim is true when every source asserting it is a party accusing the other side.
	PartyClaim bool       `json:"party_claim"`
	Conflicts  []Conflict `json:"conflicts,omitempty"`

	info []memberInfo
	keys map[uint64]bool
}

// Assignment says which incident one event of an added report went to.
type Assignment struct {
	Report    string  `json:"report"`
	Event     int     `json:"event"`
	Incident  int     `json:"incident"`
	New       bool    `json:"new"`               // the event started a new incident
	CopyOf    string  `json:"copy_of,omitempty"` // the report is a copy of this one
	Score     float64 `json:"score"`
	Swapped   bool    `json:"swapped,omitempty"`   // joined as the other side's account of who acted
	Unfusable string  `json:"unfusable,omitempty"` // why the event could not be fused, when it could not
}

// Options configure a Fuser.
type Options struct {
	// CopyThreshold is the least containment that makes a report a copy; 0 means CopyThreshold.
	CopyThreshold float64
	// Rules replaces the bundled fusion rules when its tables are set.
	Rules *Rules
}

// Fuser fuses the events of reports into incidents, one report at a time.
// It is not safe for concurrent use.
type Fuser struct {
	reg       *Registry
	gz        *gazetteer.Gazetteer
	rules     Rules
	incidents []*Incident
	days      map[int32]*dayBucket
	copies    *copyIndex
	reports   map[string]*ReportRef
	// byReport lists the incidents each report's events went to, by event index.
	byReport map[string][]int
}

type dayBucket struct {
	cells map[uint32][]int32
	broad []int32
}

// New returns a Fuser grading sources with reg and placing places with gz; either may be nil.
func New(reg *Registry, gz *gazetteer.Gazetteer, opt Options) *Fuser {
	rules := DefaultRules()
	if opt.Rules != nil {
		rules = *opt.Rules
		rules.prepare()
	}
	th := opt.CopyThreshold
	if th <= 0 {
		th = CopyThreshold
	}
	if reg == nil {
		reg = NewRegistry()
	}
	return &Fuser{reg: reg, gz: gz, rules: rules, days: map[int32]*dayBucket{},
		copies: newCopyIndex(th), reports: map[string]*ReportRef{}, byReport: map[string][]int{}}
}

// Open returns a Fuser with the source registry and gazetteer of a data file system (data.Open).
func Open(fsys fs.FS, opt Options) (*Fuser, error) {
	reg, err := LoadSources(fsys)
	if err != nil {
		return nil, err
	}
	gz, err := gazetteer.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("fuse: %w", err)
	}
	return New(reg, gz, opt), nil
}

// Registry returns the source registry the Fuser grades with.
func (f *Fuser) Registry() *Registry { return f.reg }

// Incidents returns every incident in the order they were started.
func (f *Fuser) Incidents() []*Incident { return f.incidents }

// Incident returns the incident with the given id, or nil.
func (f *Fuser) Incident(id int) *Incident {
	if id < 0 || id >= len(f.incidents) {
		return nil
	}
	return f.incidents[id]
}

// Report returns what the Fuser knows of an added report, or nil.
func (f *Fuser) Report(id string) *ReportRef { return f.reports[id] }

// ReportID is the id a report is known by: its content hash, else its URL, origin or title and source.
func ReportID(r truce.Report) string {
	switch {
	case r.Hash != "":
		return r.Hash
	case r.URL != "":
		return r.URL
	case r.Origin != "":
		return r.Origin
	}
	return r.Source + "\x00" + r.Title
}

// Add fuses the events of one report into the incidents and returns where each event went.
// A report added twice (same id) is not fused again: its earlier assignments are returned.
func (f *Fuser) Add(r truce.Report, events []truce.Event) []Assignment {
	id := ReportID(r)
	if ref, ok := f.reports[id]; ok {
		out := make([]Assignment, 0, len(f.byReport[id]))
		for i, inc := range f.byReport[id] {
			out = append(out, Assignment{Report: id, Event: i, Incident: inc, CopyOf: ref.CopyOf})
		}
		return out
	}
	ref := &ReportRef{ID: id, Source: r.Source, Title: r.Title, URL: r.URL, Published: r.Published, Origin: r.Origin}
	fp := FingerprintOf(r.Text)
	if orig, c := f.copies.find(fp); orig != "" {
		if o := f.reports[orig]; o != nil && o.CopyOf != "" {
			orig = o.CopyOf
		}
		ref.CopyOf, ref.Containment = orig, c
	} else {
		f.copies.add(id, fp)
	}
	f.reports[id] = ref

	out := make([]Assignment, 0, len(events))
	incs := make([]int, 0, len(events))
	for i := range events {
		a := f.addEvent(ref, r, i, events[i])
		out = append(out, a)
		incs = append(incs, a.Incident)
	}
	f.byReport[id] = incs
	return out
}

func (f *Fuser) addEvent(ref *ReportRef, r truce.Report, idx int, e truce.Event) Assignment {
	m := Member{Report: *ref, Index: idx, Event: e}
	m.Originator = f.originator(r, e)
	m.PartyClaim = f.partyClaim(m.Originator, e)
	info, why := f.prepare(&m, r)
	a := Assignment{Report: ref.ID, Event: idx, CopyOf: ref.CopyOf, Unfusable: why}
	best, bestScore, bestSwap := -1, 0.0, false
	if why == "" {
		if ref.CopyOf != "" {
			best, bestScore = f.originalOf(ref.CopyOf, &m, &info)
		}
		if best < 0 {
			for _, c := range f.candidates(&info) {
				s, swap, ok := f.matchIncident(&m, &info, f.incidents[c])
				if ok && (best < 0 || s > bestScore || s == bestScore && int(c) < best) {
					best, bestScore, bestSwap = int(c), s, swap
				}
			}
		}
	}
	if best < 0 {
		inc := &Incident{ID: len(f.incidents), Type: e.Type, keys: map[uint64]bool{}}
		f.incidents = append(f.incidents, inc)
		best = inc.ID
		a.New = true
	} else {
		m.Score = math.Round(bestScore*100) / 100
		m.Swapped = bestSwap
	}
	inc := f.incidents[best]
	inc.Members = append(inc.Members, m)
	inc.info = append(inc.info, info)
	if why == "" {
		f.register(inc, &info)
	}
	f.refresh(inc)
	a.Incident, a.Score, a.Swapped = best, m.Score, bestSwap
	return a
}

// originalOf finds the incident of the original report's event that a copy's event retells.
func (f *Fuser) originalOf(orig string, m *Member, info *memberInfo) (int, float64) {
	best, bestOv := -1, 0.0
	for _, c := range f.byReport[orig] {
		inc := f.incidents[c]
		for k := range inc.Members {
			om := &inc.Members[k]
			if om.Report.ID != orig || om.Event.Type != m.Event.Type {
				continue
			}
			if ov := overlap(info.words, inc.info[k].words); ov >= 0.5 && ov > bestOv {
				best, bestOv = c, ov
			}
		}
	}
	return best, bestOv
}

// memberInfo is what matching needs of a member, computed once.
type memberInfo struct {
	start, end       int32 // days since 1970-01-01
	hasPlace         bool
	lat, lon         float64
	precision        string
	broad            bool
	words            map[string]bool
	asserted         bool
	actor, recipient string // countries of the acting and acted-upon sides, accusations turned round
	side             string // the party side of the originator
	fusable          bool
}

// prepare computes the matching information of m; the reason is "" when m can be fused.
func (f *Fuser) prepare(m *Member, r truce.Report) (memberInfo, string) {
	e := &m.Event
	info := memberInfo{words: f.contentWords(e.Evidence.Text), asserted: e.Modality == "" || e.Modality == "asserted"}
	info.actor, info.recipient = country(e.Actor), country(e.Recipient)
	if e.Type == "ACCUSE" {
		// the accused is the one said to have acted
		info.actor, info.recipient = info.recipient, info.actor
	}
	info.side = f.reg.Side(m.Originator.Affiliation)
	if p := e.Place; p != nil && (p.ID != "" || p.Lat != 0 || p.Lon != 0) {
		info.hasPlace, info.lat, info.lon, info.precision = true, p.Lat, p.Lon, p.Precision
		info.broad = f.rules.RadiusKM[p.Precision] >= f.rules.RadiusKM[truce.PrecisionDistrict] || p.Precision == truce.PrecisionCountry || f.rules.RadiusKM[p.Precision] == 0
	} else {
		info.broad = true
	}
	start, end := "", ""
	if e.Date != nil && !e.Date.Unresolved && e.Date.Start != "" {
		start, end = e.Date.Start, e.Date.End
		if end == "" {
			end = start
		}
	} else if r.Published != "" {
		start, end = r.Published, r.Published
	}
	if start == "" {
		return info, "no date"
	}
	s, err1 := time.Parse(truce.DateLayout, start)
	t, err2 := time.Parse(truce.DateLayout, end)
	if err1 != nil || err2 != nil {
		return info, "malformed date"
	}
	info.start, info.end = dayNumber(s), dayNumber(t)
	if info.end < info.start {
		info.start, info.end = info.end, info.start
	}
	if int(info.end-info.start)+1 > f.rules.MaxSpanDays {
		return info, "date too imprecise"
	}
	info.fusable = true
	return info, ""
}

func dayNumber(t time.Time) int32 { return int32(t.Unix() / 86400) }

func country(a *truce.Actor) string {
	if a == nil {
		return ""
	}
	return a.Country
}

// Grid cells of the index: 0.2° of latitude by 0.25° of longitude, about 22 by 21 km here.
const (
	cellLat = 0.2
	cellLon = 0.25
	lonCols = 1440 // 360 / cellLon
)

func cellOf(lat, lon float64) (int, int) {
	return int(math.Floor((lat + 90) / cellLat)), int(math.Floor((lon + 180) / cellLon))
}

func cellKey(y, x int) uint32 {
	x = ((x % lonCols) + lonCols) % lonCols
	return uint32(y*lonCols + x)
}

// register puts inc under every day and cell of a new member.
func (f *Fuser) register(inc *Incident, info *memberInfo) {
	for d := info.start; d <= info.end; d++ {
		var cell uint32 = math.MaxUint32
		if !info.broad {
			cell = cellKey(cellOf(info.lat, info.lon))
		}
		k := uint64(uint32(d))<<32 | uint64(cell)
		if inc.keys[k] {
			continue
		}
		inc.keys[k] = true
		b := f.days[d]
		if b == nil {
			b = &dayBucket{cells: map[uint32][]int32{}}
			f.days[d] = b
		}
		if info.broad {
			b.broad = append(b.broad, int32(inc.ID))
		} else {
			b.cells[cell] = append(b.cells[cell], int32(inc.ID))
		}
	}
}

// candidates returns the incidents the index places near info in space and time, each once.
func (f *Fuser) candidates(info *memberInfo) []int32 {
	var out []int32
	seen := map[int32]bool{}
	add := func(l []int32) {
		for _, c := range l {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	slack := int32(f.rules.DateSlackDays)
	for d := info.start - slack; d <= info.end+slack; d++ {
		b := f.days[d]
		if b == nil {
			continue
		}
		add(b.broad)
		if info.broad {
			for _, l := range b.cells {
				add(l)
			}
			continue
		}
		y, x := cellOf(info.lat, info.lon)
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				add(b.cells[cellKey(y+dy, x+dx)])
			}
		}
	}
	return out
}
