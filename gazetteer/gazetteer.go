package gazetteer

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/truce-monitor/truce"
)

// Convention is a naming convention for displaying disputed places.
type Convention string

// Naming conventions accepted by Place.Name.
const (
	// Both shows the neutral name and every side's differing name: "Stepanakert / Khankendi".
	Both Convention = "both"
	// Arm shows the Armenian-side English name.
	Arm Convention = "arm"
	// Aze shows the Azerbaijani-side English name.
	Aze Convention = "aze"
	// Default shows the neutral English (GeoNames) name alone.
	Default Convention = "default"
)

// ParseConvention returns the convention named s ("both", "arm", "aze" or
// "default"; "" is both).
func ParseConvention(s string) (Convention, error) {
	switch c := Convention(strings.ToLower(strings.TrimSpace(s))); c {
	case "":
		return Both, nil
	case Both, Arm, Aze, Default:
		return c, nil
	}
	return "", fmt.Errorf("unknown naming convention %q (both, arm, aze, default)", s)
}

// Name group keys with a fixed meaning; other keys are script or language forms.
const (
	NamesEnglish = "en"  // neutral English / GeoNames default name
	NamesArm     = "arm" // Armenian-side English names
	NamesAze     = "aze" // Azerbaijani-side English names
	NamesAlt     = "alt" // transliteration variants
)

// Kinds lists the place kinds a data file may use.
var Kinds = []string{"country", "region", "province", "district", "settlement", "site",
	"mine", "corridor", "crossing", "route", "line", "lake", "mountain", "river"}

// Precisions lists the precisions a data file may use, finest first.
var Precisions = []string{truce.PrecisionSite, truce.PrecisionSettlement, truce.PrecisionDistrict,
	truce.PrecisionProvince, truce.PrecisionRegion, truce.PrecisionCountry}

// Place is one gazetteer entry.
type Place struct {
	ID         string
	Kind       string
	Precision  string
	Country    string // ISO 3166-1 alpha-3, de jure
	DeFacto    string // who held it de facto, if that differs ("NKR")
	Parent     string // id of the administrative parent
	Within     []string
	Lat, Lon   float64
	GeoNames   int
	Population int
	Points     [][2]float64
	Names      map[string][]string // names by convention key (en, arm, aze, alt, hy, az, ru, ...)
	Source     string              // where the coordinate comes from
	Note       string
	Feature    string // GeoNames feature class and code ("P.PPLA"), when imported
	Admin      string // GeoNames admin codes ("AM.04", "AZ.56.1234"), when imported
	File       string // data file the place was read from
}

// Gazetteer is a loaded set of places with a name index.
type Gazetteer struct {
	places []*Place
	byID   map[string]*Place
	root   *node               // name trie over folded tokens
	exact  map[string][]*Place // folded full name -> places
	skel   map[string][]*Place // transliteration skeleton -> places
	common map[string]bool     // folded common words
}

type fileDoc struct {
	Region      string   `yaml:"region"`
	Licence     string   `yaml:"licence"`
	CommonWords []string `yaml:"common_words"`
	Places      []entry  `yaml:"places"`
	// MoreNames adds names to places of other files, by id (GeoNames import).
	MoreNames map[string]map[string][]string `yaml:"more_names"`
}

type entry struct {
	ID         string              `yaml:"id"`
	Kind       string              `yaml:"kind"`
	Precision  string              `yaml:"precision"`
	Country    string              `yaml:"country"`
	DeFacto    string              `yaml:"de_facto"`
	Parent     string              `yaml:"parent"`
	Within     []string            `yaml:"within"`
	Lat        *float64            `yaml:"lat"`
	Lon        *float64            `yaml:"lon"`
	GeoNames   int                 `yaml:"geonames"`
	Population int                 `yaml:"population"`
	Points     [][2]float64        `yaml:"points"`
	Source     string              `yaml:"source"`
	Note       string              `yaml:"note"`
	Feature    string              `yaml:"feature"`
	Admin      string              `yaml:"admin"`
	Names      map[string][]string `yaml:"names"`
}

var (
	idRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*$`)
	countryRE = regexp.MustCompile(`^[A-Z]{3}$`)
	nameKeyRE = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Load reads every gazetteer/*.yaml file of fsys into a Gazetteer.
func Load(fsys fs.FS) (*Gazetteer, error) {
	files, err := fs.Glob(fsys, "gazetteer/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("gazetteer: list data files: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("gazetteer: no gazetteer/*.yaml data files")
	}
	sort.Strings(files)
	g := &Gazetteer{byID: map[string]*Place{}, common: map[string]bool{}}
	var errs []error
	type more struct {
		file  string
		names map[string]map[string][]string
	}
	var mores []more
	for _, f := range files {
		raw, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("gazetteer: read %s: %w", f, err)
		}
		doc, fast := decodeImported(raw)
		if !fast {
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			if err := dec.Decode(&doc); err != nil {
				return nil, fmt.Errorf("gazetteer: parse %s: %w", f, err)
			}
		}
		for _, w := range doc.CommonWords {
			g.common[fold(w)] = true
		}
		if len(doc.MoreNames) > 0 {
			mores = append(mores, more{f, doc.MoreNames})
		}
		for i, e := range doc.Places {
			p, err := e.place(path.Base(f))
			if err != nil {
				errs = append(errs, fmt.Errorf("gazetteer: %s: place %d (id %q): %w", f, i+1, e.ID, err))
				continue
			}
			if prev, dup := g.byID[p.ID]; dup && p.GeoNames != 0 && p.GeoNames == prev.GeoNames {
				continue // the same GeoNames place imported twice: the first file wins
			} else if dup {
				errs = append(errs, fmt.Errorf("gazetteer: %s: place %d: duplicate id %q (first in %s)", f, i+1, p.ID, prev.File))
				continue
			}
			g.byID[p.ID] = p
			g.places = append(g.places, p)
		}
	}
	for _, m := range mores {
		if err := g.addNames(m.file, m.names); err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range g.places {
		if p.Parent != "" && g.byID[p.Parent] == nil {
			errs = append(errs, fmt.Errorf("gazetteer: %s: place %q: parent %q does not exist", p.File, p.ID, p.Parent))
		}
		for _, w := range p.Within {
			if g.byID[w] == nil {
				errs = append(errs, fmt.Errorf("gazetteer: %s: place %q: within %q does not exist", p.File, p.ID, w))
			}
		}
	}
	if len(errs) == 0 {
		for _, p := range g.places {
			seen := map[string]bool{}
			for q := p; q != nil && q.Parent != ""; q = g.byID[q.Parent] {
				if seen[q.ID] {
					errs = append(errs, fmt.Errorf("gazetteer: %s: place %q: parent chain loops", p.File, p.ID))
					break
				}
				seen[q.ID] = true
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	g.index()
	return g, nil
}

func (e entry) place(file string) (*Place, error) {
	switch {
	case !idRE.MatchString(e.ID):
		return nil, fmt.Errorf("bad or missing id")
	case !slices.Contains(Kinds, e.Kind):
		return nil, fmt.Errorf("unknown kind %q", e.Kind)
	case !slices.Contains(Precisions, e.Precision):
		return nil, fmt.Errorf("unknown precision %q", e.Precision)
	case !countryRE.MatchString(e.Country):
		return nil, fmt.Errorf("country %q is not an ISO 3166-1 alpha-3 code", e.Country)
	case e.DeFacto != "" && !countryRE.MatchString(e.DeFacto):
		return nil, fmt.Errorf("de_facto %q is not a three-letter code", e.DeFacto)
	case e.Lat == nil || e.Lon == nil:
		return nil, fmt.Errorf("missing lat or lon")
	case *e.Lat < -90 || *e.Lat > 90 || *e.Lon < -180 || *e.Lon > 180:
		return nil, fmt.Errorf("lat/lon %v,%v out of range", *e.Lat, *e.Lon)
	case strings.TrimSpace(e.Source) == "":
		return nil, fmt.Errorf("missing source of the coordinate")
	case e.Parent == e.ID:
		return nil, fmt.Errorf("place is its own parent")
	}
	n := 0
	for k, vs := range e.Names {
		if !nameKeyRE.MatchString(k) {
			return nil, fmt.Errorf("bad name group %q", k)
		}
		for _, v := range vs {
			if strings.TrimSpace(v) == "" || len(tokens(v)) == 0 {
				return nil, fmt.Errorf("empty name in group %q", k)
			}
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("no names")
	}
	return &Place{ID: e.ID, Kind: e.Kind, Precision: e.Precision, Country: e.Country,
		DeFacto: e.DeFacto, Parent: e.Parent, Within: e.Within, Lat: *e.Lat, Lon: *e.Lon,
		GeoNames: e.GeoNames, Population: e.Population, Points: e.Points, Names: e.Names,
		Source: e.Source, Note: e.Note, Feature: e.Feature, Admin: e.Admin, File: file}, nil
}

// addNames applies a file's more_names: names added to places by id, each
// group appended without repeating a name. The first name of a group (the
// display name) never changes.
func (g *Gazetteer) addNames(file string, more map[string]map[string][]string) error {
	ids := make([]string, 0, len(more))
	for id := range more {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var errs []error
	for _, id := range ids {
		p := g.byID[id]
		if p == nil {
			errs = append(errs, fmt.Errorf("gazetteer: %s: more_names: place %q does not exist", file, id))
			continue
		}
		for k, vs := range more[id] {
			if !nameKeyRE.MatchString(k) {
				errs = append(errs, fmt.Errorf("gazetteer: %s: more_names: place %q: bad name group %q", file, id, k))
				continue
			}
			if p.Names == nil {
				p.Names = map[string][]string{}
			}
			for _, v := range vs {
				if len(tokens(v)) == 0 || slices.Contains(p.Names[k], v) {
					continue
				}
				p.Names[k] = append(p.Names[k], v)
			}
		}
	}
	return errors.Join(errs...)
}

// Get returns the place with the given id, or nil.
func (g *Gazetteer) Get(id string) *Place {
	if g == nil {
		return nil
	}
	return g.byID[id]
}

// Places returns every place in load order.
func (g *Gazetteer) Places() []*Place {
	if g == nil {
		return nil
	}
	return append([]*Place(nil), g.places...)
}

// Within reports whether p is area or lies under it through parent or within links.
func (g *Gazetteer) Within(p, area *Place) bool {
	if g == nil || p == nil || area == nil {
		return false
	}
	seen := map[string]bool{}
	stack := []*Place{p}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if q == nil || seen[q.ID] {
			continue
		}
		if q.ID == area.ID {
			return true
		}
		seen[q.ID] = true
		if q.Parent != "" {
			stack = append(stack, g.byID[q.Parent])
		}
		for _, w := range q.Within {
			stack = append(stack, g.byID[w])
		}
	}
	return false
}

// AllNames returns every name of p, the display groups first, without duplicates.
func (p *Place) AllNames() []string {
	if p == nil {
		return nil
	}
	keys := make([]string, 0, len(p.Names))
	for k := range p.Names {
		keys = append(keys, k)
	}
	rank := map[string]int{NamesEnglish: 0, NamesArm: 1, NamesAze: 2, NamesAlt: 4}
	sort.Slice(keys, func(i, j int) bool {
		ri, ok := rank[keys[i]]
		if !ok {
			ri = 3
		}
		rj, ok := rank[keys[j]]
		if !ok {
			rj = 3
		}
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		for _, n := range p.Names[k] {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func (p *Place) first(key string) string {
	if vs := p.Names[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// neutral returns the en name, else the first name of any group.
func (p *Place) neutral() string {
	if n := p.first(NamesEnglish); n != "" {
		return n
	}
	if all := p.AllNames(); len(all) > 0 {
		return all[0]
	}
	return p.ID
}

// Name returns the display name of p in a convention; unknown or empty conventions mean Both.
func (p *Place) Name(conv Convention) string {
	if p == nil {
		return ""
	}
	switch conv {
	case Arm, Aze:
		if n := p.first(string(conv)); n != "" {
			return n
		}
		return p.neutral()
	case Default:
		return p.neutral()
	}
	first := p.neutral()
	seen := map[string]bool{fold(first): true}
	var sides []string
	for _, k := range []string{NamesArm, NamesAze} {
		n := p.first(k)
		if n != "" && !seen[fold(n)] {
			seen[fold(n)] = true
			sides = append(sides, n)
		}
	}
	sort.Slice(sides, func(i, j int) bool { return fold(sides[i]) < fold(sides[j]) })
	return strings.Join(append([]string{first}, sides...), " / ")
}

// Truce builds the contract's Place for a mention of p in the source's own words.
func (p *Place) Truce(mention string, conv Convention) truce.Place {
	if p == nil {
		return truce.Place{Name: mention}
	}
	return truce.Place{Name: mention, Canonical: p.Name(conv), Country: p.Country,
		Lat: p.Lat, Lon: p.Lon, Precision: p.Precision, ID: p.ID}
}

// isAcronym reports whether s is written in capitals only (NK, NKR).
func isAcronym(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// startsUpper reports whether the first letter of s is upper case.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}
