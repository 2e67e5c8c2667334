package agreement

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/lexicon"
)

// Categories lists the provision categories, with what each covers.
var Categories = map[string]string{
	"ceasefire":           "ceasefire, end of hostilities, forces stay on their positions",
	"withdrawal":          "withdrawal of forces, handover of territory",
	"third_party_force":   "deployment of a third-party (peacekeeping) force",
	"corridor":            "corridor, freedom of movement",
	"exchange":            "exchange of prisoners, hostages, detainees and bodies",
	"return_of_displaced": "return of displaced persons and refugees",
	"transport_links":     "unblocking of transport and economic links",
	"demining":            "demining",
	"border_demarcation":  "border delimitation and demarcation",
	"verification":        "verification and monitoring of compliance",
}

// Agreement is one agreement: an accord, a statement, a protocol.
type Agreement struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	Short string `yaml:"short" json:"short,omitempty"`
	// Date is the date truce files the agreement under (YYYY-MM-DD).
	Date string `yaml:"date" json:"date"`
	// Dates is the date each side's texts give, by country, when they differ.
	Dates       map[string]string `yaml:"dates" json:"dates,omitempty"`
	Parties     []string          `yaml:"parties" json:"parties"`
	Signatories []Signatory       `yaml:"signatories" json:"signatories"`
	Source      string            `yaml:"source" json:"source,omitempty"`
	Note        string            `yaml:"note" json:"note,omitempty"`
	// Area lists the places (gazetteer ids) the agreement covers; a signature's
	// places may say "area" for them.
	Area []string `yaml:"area" json:"area,omitempty"`
	// Implements lists provisions of earlier agreements this one carries out
	// ("nk-2020-11-10/9a").
	Implements []string    `yaml:"implements" json:"implements,omitempty"`
	Provisions []Provision `yaml:"provisions" json:"provisions"`
	// File is the data file the agreement was read from.
	File string `yaml:"-" json:"file"`
}

// Signatory is a person who signed an agreement.
type Signatory struct {
	Name    string `yaml:"name" json:"name"`
	Role    string `yaml:"role" json:"role"`
	Country string `yaml:"country" json:"country"`
}

// Provision is one obligation of an agreement.
type Provision struct {
	// ID is unique within the agreement ("6a"); Ref gives the global reference.
	ID string `yaml:"id" json:"id"`
	// Point is the number of the point of the text the provision comes from.
	Point    int      `yaml:"point" json:"point,omitempty"`
	Title    string   `yaml:"title" json:"title"`
	Text     string   `yaml:"text" json:"text"`
	Category string   `yaml:"category" json:"category"`
	Binds    []string `yaml:"binds" json:"binds"`
	// Places are gazetteer ids of where the provision applies.
	Places []string `yaml:"places" json:"places,omitempty"`
	// Except are places carved out of Places (the Lachin corridor out of the district).
	Except []string `yaml:"except" json:"except,omitempty"`
	// Effective is set for a standing obligation (a ceasefire): it is in force,
	// and counts as implemented, from this date until an event violates it.
	Effective  string     `yaml:"effective" json:"effective,omitempty"`
	Deadline   *Deadline  `yaml:"deadline" json:"deadline,omitempty"`
	Term       *Term      `yaml:"term" json:"term,omitempty"`
	Quantities []Quantity `yaml:"quantities" json:"quantities,omitempty"`
	Note       string     `yaml:"note" json:"note,omitempty"`
	Signature  Signature  `yaml:"signature" json:"signature"`
	agreement  *Agreement // set by Load
}

// Term is how long an obligation lasts (a force's mandate).
type Term struct {
	From    string `yaml:"from" json:"from"`
	To      string `yaml:"to" json:"to"`
	Renewal string `yaml:"renewal" json:"renewal,omitempty"`
}

// Quantity is a figure a provision sets (troops, vehicles).
type Quantity struct {
	Value float64 `yaml:"value" json:"value"`
	Unit  string  `yaml:"unit" json:"unit"`
	Of    string  `yaml:"of" json:"of"`
}

// Deadline is the date by which a provision is to be carried out, with the
// later changes to it in the order they were agreed.
type Deadline struct {
	Date       string      `yaml:"date" json:"date"`
	Amendments []Amendment `yaml:"amendments" json:"amendments,omitempty"`
}

// Amendment moves a deadline.
type Amendment struct {
	Date   string `yaml:"date" json:"date"`     // the new deadline
	Agreed string `yaml:"agreed" json:"agreed"` // when the change was agreed
	By     string `yaml:"by" json:"by"`         // who agreed it, or the agreement that did ("nk-2021-01-11/2")
	Note   string `yaml:"note" json:"note,omitempty"`
}

// UnmarshalYAML reads a deadline written as a bare date or as a mapping.
func (d *Deadline) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		d.Date = n.Value
		return nil
	}
	type plain Deadline
	return n.Decode((*plain)(d))
}

// At returns the deadline in force on day (YYYY-MM-DD): the original date,
// moved by every amendment agreed on or before day.
func (d *Deadline) At(day string) string {
	if d == nil {
		return ""
	}
	dl := d.Date
	for _, a := range d.Amendments {
		if a.Agreed <= day {
			dl = a.Date
		}
	}
	return dl
}

// Signature says which events bear on a provision, by role.
type Signature struct {
	Implements []Match `yaml:"implemented_by" json:"implemented_by,omitempty"`
	Progress   []Match `yaml:"progressed_by" json:"progressed_by,omitempty"`
	Violates   []Match `yaml:"violated_by" json:"violated_by,omitempty"`
	Disputes   []Match `yaml:"disputed_by" json:"disputed_by,omitempty"`
}

// Match is one pattern of events. Empty lists do not restrict; a listed
// value must equal one of the event's (any of Contexts).
type Match struct {
	Types          []string `yaml:"types" json:"types"`
	Modes          []string `yaml:"modes" json:"modes,omitempty"` // "" stands for no mode
	Contexts       []string `yaml:"contexts" json:"contexts,omitempty"`
	Actors         []string `yaml:"actors" json:"actors,omitempty"` // actor countries
	ActorKinds     []string `yaml:"actor_kinds" json:"actor_kinds,omitempty"`
	Recipients     []string `yaml:"recipients" json:"recipients,omitempty"` // recipient countries
	RecipientKinds []string `yaml:"recipient_kinds" json:"recipient_kinds,omitempty"`
	// Places are gazetteer ids, or "area" (the agreement's area) or
	// "provision" (the provision's places): the event's place must be one of
	// them or lie inside one (same country), and not inside Except.
	Places []string `yaml:"places" json:"places,omitempty"`
	Except []string `yaml:"except" json:"except,omitempty"`
	// From and To bound the event's date: a date, or "date" (the agreement's
	// earliest date), "effective" (the provision's effective date, else the
	// agreement's) or "deadline" (the deadline in force on the event's day).
	// From defaults to "date".
	From string `yaml:"from" json:"from,omitempty"`
	To   string `yaml:"to" json:"to,omitempty"`
	// Negated matches only events reported as not having happened (a denial);
	// otherwise only asserted events match.
	Negated bool   `yaml:"negated" json:"negated,omitempty"`
	Note    string `yaml:"note" json:"note,omitempty"`
}

// Ref returns the provision's global reference, "AGREEMENT/PROVISION".
func (p *Provision) Ref() string {
	if p.agreement == nil {
		return p.ID
	}
	return p.agreement.ID + "/" + p.ID
}

// Agreement returns the agreement the provision belongs to.
func (p *Provision) Agreement() *Agreement { return p.agreement }

// FirstDate returns the earliest date any side gives the agreement.
func (a *Agreement) FirstDate() string {
	d := a.Date
	for _, v := range a.Dates {
		if d == "" || v < d {
			d = v
		}
	}
	return d
}

// Provision returns the provision with the given id, or nil.
func (a *Agreement) Provision(id string) *Provision {
	for i := range a.Provisions {
		if a.Provisions[i].ID == id {
			return &a.Provisions[i]
		}
	}
	return nil
}

// Set is the loaded agreements, in date then id order.
type Set struct {
	Agreements []*Agreement
}

// Get returns the agreement with the given id, or nil.
func (s *Set) Get(id string) *Agreement {
	for _, a := range s.Agreements {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Provision resolves a provision reference, "AGREEMENT/PROVISION".
func (s *Set) Provision(ref string) (*Provision, error) {
	aid, pid, ok := strings.Cut(ref, "/")
	if !ok {
		return nil, fmt.Errorf("provision %q: want AGREEMENT/PROVISION", ref)
	}
	a := s.Get(aid)
	if a == nil {
		return nil, fmt.Errorf("provision %q: no agreement %q", ref, aid)
	}
	p := a.Provision(pid)
	if p == nil {
		return nil, fmt.Errorf("provision %q: agreement %s has no provision %q", ref, aid, pid)
	}
	return p, nil
}

// Load reads every agreements/*.yaml file of fsys. It checks the structure
// of each file (Validate checks the references to places and vocabulary).
func Load(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "agreements/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("agreements: %w", err)
	}
	s := &Set{}
	seen := map[string]string{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("agreements: %w", err)
		}
		a, err := Parse(b, name)
		if err != nil {
			return nil, err
		}
		if prev, ok := seen[a.ID]; ok {
			return nil, fmt.Errorf("agreements: %s: id %q is also used by %s", name, a.ID, prev)
		}
		seen[a.ID] = name
		s.Agreements = append(s.Agreements, a)
	}
	sort.SliceStable(s.Agreements, func(i, j int) bool {
		a, b := s.Agreements[i], s.Agreements[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.ID < b.ID
	})
	return s, nil
}

// Parse reads one agreement file; name is used in errors and kept as File.
func Parse(b []byte, name string) (*Agreement, error) {
	a := &Agreement{}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(a); err != nil {
		return nil, fmt.Errorf("agreements: %s: %w", name, err)
	}
	a.File = path.Base(name)
	if err := a.check(); err != nil {
		return nil, fmt.Errorf("agreements: %s: %w", name, err)
	}
	for i := range a.Provisions {
		a.Provisions[i].agreement = a
	}
	return a, nil
}

func validDate(s string) bool {
	_, err := time.Parse(truce.DateLayout, s)
	return err == nil
}

// check validates what can be checked without the gazetteer and vocabulary.
func (a *Agreement) check() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if a.ID == "" || strings.ContainsAny(a.ID, "/ \t") {
		bad("id %q: want a slug without spaces or slashes", a.ID)
	}
	if a.Title == "" {
		bad("no title")
	}
	if !validDate(a.Date) {
		bad("date %q: want YYYY-MM-DD", a.Date)
	}
	for c, d := range a.Dates {
		if !validDate(d) {
			bad("dates.%s %q: want YYYY-MM-DD", c, d)
		}
	}
	if len(a.Parties) == 0 {
		bad("no parties")
	}
	if len(a.Provisions) == 0 {
		bad("no provisions")
	}
	ids := map[string]bool{}
	for i := range a.Provisions {
		p := &a.Provisions[i]
		where := fmt.Sprintf("provision %q", p.ID)
		switch {
		case p.ID == "" || strings.ContainsAny(p.ID, "/ \t"):
			bad("provision %d: id %q: want a short id without spaces or slashes", i+1, p.ID)
		case ids[p.ID]:
			bad("%s: duplicate id", where)
		}
		ids[p.ID] = true
		if p.Text == "" {
			bad("%s: no text", where)
		}
		if _, ok := Categories[p.Category]; !ok {
			bad("%s: category %q: want one of %s", where, p.Category, strings.Join(sortedKeys(Categories), ", "))
		}
		if len(p.Binds) == 0 {
			bad("%s: binds no party", where)
		}
		if p.Effective != "" && !validDate(p.Effective) {
			bad("%s: effective %q: want YYYY-MM-DD", where, p.Effective)
		}
		if d := p.Deadline; d != nil {
			if !validDate(d.Date) {
				bad("%s: deadline %q: want YYYY-MM-DD", where, d.Date)
			}
			prev := ""
			for j, am := range d.Amendments {
				if !validDate(am.Date) || !validDate(am.Agreed) {
					bad("%s: deadline amendment %d: date %q and agreed %q must be YYYY-MM-DD", where, j+1, am.Date, am.Agreed)
				}
				if am.Agreed < prev {
					bad("%s: deadline amendment %d: agreed %s before the previous amendment", where, j+1, am.Agreed)
				}
				prev = am.Agreed
			}
		}
		for role, ms := range p.Signature.roles() {
			for j, m := range ms {
				if len(m.Types) == 0 {
					bad("%s: %s %d: no types", where, role, j+1)
				}
				for _, b := range []string{m.From, m.To} {
					if b != "" && b != "date" && b != "effective" && b != "deadline" && !validDate(b) {
						bad("%s: %s %d: date bound %q: want YYYY-MM-DD, date, effective or deadline", where, role, j+1, b)
					}
				}
				if (m.From == "deadline" || m.To == "deadline") && p.Deadline == nil {
					bad("%s: %s %d: bound by the deadline, but the provision has none", where, role, j+1)
				}
			}
		}
	}
	return errors.Join(errs...)
}

// roles returns the signature's matches by role name.
func (s *Signature) roles() map[Role][]Match {
	return map[Role][]Match{Implements: s.Implements, Progress: s.Progress, Violates: s.Violates, Disputes: s.Disputes}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Validate checks the references of every agreement: places known to the
// gazetteer, event types, modes and contexts known to the vocabulary,
// countries that are gazetteer countries, and provision references that
// resolve. It returns every problem found, joined.
func (s *Set) Validate(g *gazetteer.Gazetteer, v lexicon.Vocabulary) error {
	var errs []error
	contexts := map[string]bool{}
	for _, cs := range v.Contexts {
		for _, c := range cs {
			contexts[c] = true
		}
	}
	country := func(c string) bool {
		p := g.Get(c)
		return p != nil && p.Kind == "country"
	}
	for _, a := range s.Agreements {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("agreements: %s: "+format, append([]any{a.File}, args...)...))
		}
		placeOK := func(where, id string, keywords bool) {
			if keywords && (id == "area" || id == "provision") {
				return
			}
			if g.Get(id) == nil {
				bad("%s: unknown place %q", where, id)
			}
		}
		for _, c := range a.Parties {
			if !country(c) {
				bad("party %q: not a country of the gazetteer", c)
			}
		}
		for c := range a.Dates {
			if !country(c) {
				bad("dates: %q: not a country of the gazetteer", c)
			}
		}
		for _, id := range a.Area {
			placeOK("area", id, false)
		}
		for _, ref := range a.Implements {
			if _, err := s.Provision(ref); err != nil {
				bad("implements: %v", err)
			}
		}
		for i := range a.Provisions {
			p := &a.Provisions[i]
			where := fmt.Sprintf("provision %q", p.ID)
			for _, c := range p.Binds {
				if !country(c) {
					bad("%s: binds %q: not a country of the gazetteer", where, c)
				}
			}
			for _, id := range append(slices.Clone(p.Places), p.Except...) {
				placeOK(where, id, false)
			}
			for role, ms := range p.Signature.roles() {
				for j, m := range ms {
					mw := fmt.Sprintf("%s: %s %d", where, role, j+1)
					for _, t := range m.Types {
						if !v.HasType(t) {
							bad("%s: unknown event type %q", mw, t)
						}
					}
					for _, md := range m.Modes {
						if md != "" && !anyTypeHasMode(v, m.Types, md) {
							bad("%s: mode %q is not a mode of %s", mw, md, strings.Join(m.Types, ", "))
						}
					}
					for _, c := range m.Contexts {
						if !contexts[c] {
							bad("%s: unknown context %q", mw, c)
						}
					}
					for _, c := range append(slices.Clone(m.Actors), m.Recipients...) {
						if !country(c) {
							bad("%s: %q: not a country of the gazetteer", mw, c)
						}
					}
					for _, id := range m.Places {
						placeOK(mw, id, true)
						if id == "area" && len(a.Area) == 0 {
							bad("%s: places name the area, but the agreement has none", mw)
						}
					}
					for _, id := range m.Except {
						placeOK(mw, id, false)
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

func anyTypeHasMode(v lexicon.Vocabulary, types []string, mode string) bool {
	for _, t := range types {
		if slices.Contains(v.Types[t].Modes, mode) {
			return true
		}
	}
	return false
}
