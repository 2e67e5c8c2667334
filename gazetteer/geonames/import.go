package geonames

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/truce-monitor/truce/gazetteer"
)

// DefaultClasses are the feature classes imported when Options.Classes is
// empty: administrative areas (A) and populated places (P).
var DefaultClasses = []string{"A", "P"}

// Options says what to import.
type Options struct {
	// Main is the geoname table: a country file (AM.txt, AM.zip) or allCountries (.txt or .zip).
	Main string
	// AltNames is alternateNamesV2.txt (or .zip), optional. Without it the
	// alternatenames column of Main is used, as names of group alt.
	AltNames string
	// Admin1 is admin1CodesASCII.txt, optional: it links admin1 codes to
	// places when the ADM1 rows themselves are not in Main.
	Admin1 string
	// Countries are the ISO alpha-2 codes to keep (AM, AZ); empty keeps all.
	Countries []string
	// Classes are the feature classes (P) or class.code prefixes (S.MN, P.PPLA)
	// to keep; empty means DefaultClasses.
	Classes []string
	// Base is the gazetteer the import is laid over (the bundled one). A row
	// that is a Base place is not written as a place; its names are added to
	// that place under more_names. A row is a Base place when the place has
	// its GeoNames id, or, for places with no GeoNames id, the same name
	// (case and diacritics folded), country and kind (areas match areas) and
	// lies within 10 km (points) or 50 km (areas). May be nil.
	Base *gazetteer.Gazetteer
	// Progress, if set, is called when a file is opened for reading, with its
	// (uncompressed) size; the bytes read are written to the returned writer,
	// which is closed at the end of the file.
	Progress func(file string, size int64) io.WriteCloser
}

// Stats counts what an import did.
type Stats struct {
	Rows     int // rows of Main read (one pass)
	Places   int // places written
	Merged   int // rows whose GeoNames id is a Base place's
	AltRows  int // rows of AltNames read
	AltNames int // alternate names kept
}

// Import reads the files of o and writes a gazetteer data file to w. It
// reads Main twice (once to learn what is kept and the administrative areas,
// once to write), and AltNames once in between.
func Import(ctx context.Context, w io.Writer, o Options) (Stats, error) {
	im := &importer{o: o, adm1: map[string]int{}, adm2: map[string]int{}, pcl: map[string]int{},
		baseByGN: map[int]string{}, baseCountry: map[string]string{}, names: map[int32][]name{}}
	for _, c := range o.Countries {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			if im.countries == nil {
				im.countries = map[string]bool{}
			}
			im.countries[c] = true
		}
	}
	im.classes = o.Classes
	if len(im.classes) == 0 {
		im.classes = DefaultClasses
	}
	if o.Base != nil {
		for _, p := range o.Base.Places() {
			if p.GeoNames > 0 {
				im.baseByGN[p.GeoNames] = p.ID
			}
			if p.Kind == "country" && im.baseCountry[p.Country] == "" {
				im.baseCountry[p.Country] = p.ID
			}
		}
	}
	var st Stats
	if o.Admin1 != "" {
		if err := eachLine(ctx, o.Admin1, o.Progress, func(line []byte) error {
			a, err := ParseAdmin1(line)
			if err != nil {
				return err
			}
			im.adm1[a.Code] = a.ID
			return nil
		}); err != nil {
			return st, err
		}
	}
	// pass 1: what is kept, and the administrative areas
	if err := eachLine(ctx, o.Main, o.Progress, func(line []byte) error {
		r, err := ParseRecord(line)
		if err != nil {
			return err
		}
		st.Rows++
		if !im.keep(r) {
			return nil
		}
		im.kept.set(r.ID)
		if _, ok := im.baseByGN[r.ID]; !ok {
			if p := im.sameAs(r); p != nil {
				im.baseByGN[r.ID] = p.ID
			}
		}
		if r.Class == "A" {
			switch {
			case r.Code == "ADM1":
				im.adm1[r.Country+"."+r.Admin1] = r.ID
			case r.Code == "ADM2":
				im.adm2[r.Country+"."+r.Admin1+"."+r.Admin2] = r.ID
			case r.Code == "PCLI" || (strings.HasPrefix(r.Code, "PCL") && im.pcl[r.Country] == 0):
				im.pcl[r.Country] = r.ID
			}
		}
		return nil
	}); err != nil {
		return st, err
	}
	// the alternate names of kept places
	if o.AltNames != "" {
		if err := eachLine(ctx, o.AltNames, o.Progress, func(line []byte) error {
			a, err := ParseAltName(line)
			if err != nil {
				return err
			}
			st.AltRows++
			if !im.kept.has(a.ID) {
				return nil
			}
			k := langKey(a.Lang)
			if k == "" || !hasWord(a.Name) {
				return nil
			}
			im.names[int32(a.ID)] = append(im.names[int32(a.ID)], name{k, a.Name})
			st.AltNames++
			return nil
		}); err != nil {
			return st, err
		}
	}
	// pass 2: write
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "# Imported by \"truce gazetteer import\" from GeoNames (https://www.geonames.org/),\n")
	fmt.Fprintf(bw, "# licence CC BY 4.0, attribution GeoNames. Files: %s. Do not edit by hand: re-import.\n", im.fileList())
	fmt.Fprintf(bw, "region: %s\n", strconv.Quote("GeoNames import: "+im.scope()))
	fmt.Fprintf(bw, "licence: \"CC BY 4.0, GeoNames (www.geonames.org)\"\n")
	fmt.Fprintf(bw, "places:\n")
	more := map[string]map[string][]string{}
	var buf []byte
	if err := eachLine(ctx, o.Main, nil, func(line []byte) error {
		r, err := ParseRecord(line)
		if err != nil {
			return err
		}
		if !im.kept.has(r.ID) || !im.keep(r) {
			return nil
		}
		groups := im.groups(r)
		delete(im.names, int32(r.ID))
		if id, ok := im.baseByGN[r.ID]; ok {
			st.Merged++
			m := more[id]
			if m == nil {
				m = map[string][]string{}
			}
			have := o.Base.Get(id).Names
			for _, g := range groups {
				for _, n := range g.names {
					if !slices.Contains(have[g.key], n) {
						m[g.key] = appendNew(m[g.key], n)
					}
				}
			}
			if len(m) > 0 {
				more[id] = m
			}
			return nil
		}
		st.Places++
		buf = im.appendPlace(buf[:0], r, groups)
		_, err = bw.Write(buf)
		return err
	}); err != nil {
		return st, err
	}
	if st.Places == 0 {
		fmt.Fprintf(bw, "  []\n")
	}
	if len(more) > 0 {
		fmt.Fprintf(bw, "more_names:\n")
		ids := make([]string, 0, len(more))
		for id := range more {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			buf = append(buf[:0], "  "...)
			buf = append(buf, id...)
			buf = append(buf, ": "...)
			buf = appendGroups(buf, sortedGroups(more[id]))
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	return st, bw.Flush()
}

type name struct{ key, name string }

type group struct {
	key   string
	names []string
}

type importer struct {
	o           Options
	countries   map[string]bool
	classes     []string
	kept        bitset
	adm1, adm2  map[string]int // admin codes -> geonameid
	pcl         map[string]int // alpha-2 -> geonameid of the country
	baseByGN    map[int]string // geonameid -> Base place id
	baseCountry map[string]string
	names       map[int32][]name // alternate names of kept places
}

func (im *importer) keep(r Record) bool {
	if im.countries != nil && !im.countries[r.Country] {
		return false
	}
	for _, c := range im.classes {
		cls, code, dotted := strings.Cut(c, ".")
		if cls == r.Class && (!dotted || strings.HasPrefix(r.Code, code)) {
			return true
		}
	}
	return false
}

func (im *importer) scope() string {
	s := "all countries"
	if len(im.o.Countries) > 0 {
		s = strings.ToUpper(strings.Join(im.o.Countries, ", "))
	}
	return s + "; classes " + strings.Join(im.classes, ", ")
}

func (im *importer) fileList() string {
	fs := []string{filepath.Base(im.o.Main)}
	for _, f := range []string{im.o.AltNames, im.o.Admin1} {
		if f != "" {
			fs = append(fs, filepath.Base(f))
		}
	}
	return strings.Join(fs, ", ")
}

// ref returns the gazetteer id of GeoNames place id, if it is in Base or kept.
func (im *importer) ref(id int) string {
	if b, ok := im.baseByGN[id]; ok {
		return b
	}
	if im.kept.has(id) {
		return PlaceID(id)
	}
	return ""
}

// PlaceID is the gazetteer id of an imported GeoNames place: "gn-616108".
func PlaceID(geonameid int) string { return "gn-" + strconv.Itoa(geonameid) }

// parent returns the id of r's administrative parent: its ADM2, else its
// ADM1, else its country, the first of them that is imported or in Base.
func (im *importer) parent(r Record) string {
	if r.Class == "A" && strings.HasPrefix(r.Code, "PCL") {
		return ""
	}
	adm1 := r.Class == "A" && (r.Code == "ADM1" || r.Code == "ADM1H")
	adm2 := r.Class == "A" && r.Code == "ADM2"
	if !adm1 && !adm2 && r.Admin2 != "" {
		if id, ok := im.adm2[r.Country+"."+r.Admin1+"."+r.Admin2]; ok && id != r.ID {
			if ref := im.ref(id); ref != "" {
				return ref
			}
		}
	}
	if !adm1 && r.Admin1 != "" && r.Admin1 != "00" {
		if id, ok := im.adm1[r.Country+"."+r.Admin1]; ok && id != r.ID {
			if ref := im.ref(id); ref != "" {
				return ref
			}
		}
	}
	if id, ok := im.pcl[r.Country]; ok && id != r.ID {
		if ref := im.ref(id); ref != "" {
			return ref
		}
	}
	return im.baseCountry[ISO3(r.Country)]
}

// groups returns r's names by group: en (the GeoNames name first), alt, then
// languages in alphabetical order; no name twice in a group.
func (im *importer) groups(r Record) []group {
	m := map[string][]string{"en": {r.Name}}
	if r.ASCIIName != "" && r.ASCIIName != r.Name && hasWord(r.ASCIIName) {
		m["alt"] = []string{r.ASCIIName}
	}
	if im.o.AltNames == "" {
		for _, a := range r.AlternateNames {
			if hasWord(a) {
				m["alt"] = appendNew(m["alt"], a)
			}
		}
	}
	for _, n := range im.names[int32(r.ID)] {
		m[n.key] = appendNew(m[n.key], n.name)
	}
	return sortedGroups(m)
}

func sortedGroups(m map[string][]string) []group {
	out := make([]group, 0, len(m))
	for k, v := range m {
		if len(v) > 0 {
			out = append(out, group{k, v})
		}
	}
	rank := func(k string) int {
		switch k {
		case "en":
			return 0
		case "arm", "aze":
			return 1
		case "alt":
			return 2
		}
		return 3
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i].key), rank(out[j].key); ri != rj {
			return ri < rj
		}
		return out[i].key < out[j].key
	})
	return out
}

func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		dup := false
		for _, x := range list {
			if x == n {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, n)
		}
	}
	return list
}

// appendPlace writes r as one flow-style YAML list item.
func (im *importer) appendPlace(b []byte, r Record, groups []group) []byte {
	kind, prec := KindOf(r.Class, r.Code)
	b = append(b, "  - {id: "...)
	b = append(b, PlaceID(r.ID)...)
	b = append(b, ", kind: "...)
	b = append(b, kind...)
	b = append(b, ", precision: "...)
	b = append(b, prec...)
	b = append(b, ", country: "...)
	b = append(b, ISO3(r.Country)...)
	if p := im.parent(r); p != "" {
		b = append(b, ", parent: "...)
		b = append(b, p...)
	}
	b = append(b, ", lat: "...)
	b = strconv.AppendFloat(b, r.Lat, 'f', -1, 64)
	b = append(b, ", lon: "...)
	b = strconv.AppendFloat(b, r.Lon, 'f', -1, 64)
	b = append(b, ", geonames: "...)
	b = strconv.AppendInt(b, int64(r.ID), 10)
	if r.Population > 0 {
		b = append(b, ", population: "...)
		b = strconv.AppendInt(b, int64(r.Population), 10)
	}
	b = append(b, ", feature: "...)
	b = strconv.AppendQuote(b, r.Feature())
	if r.Country != "" {
		admin := r.Country
		if r.Admin1 != "" {
			admin += "." + r.Admin1
			if r.Admin2 != "" {
				admin += "." + r.Admin2
			}
		}
		b = append(b, ", admin: "...)
		b = strconv.AppendQuote(b, admin)
	}
	b = append(b, ", source: \"GeoNames "...)
	b = strconv.AppendInt(b, int64(r.ID), 10)
	b = append(b, "\", names: "...)
	b = appendGroups(b, groups)
	return append(b, "}\n"...)
}

func appendGroups(b []byte, groups []group) []byte {
	b = append(b, '{')
	for i, g := range groups {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, g.key...)
		b = append(b, ": ["...)
		for j, n := range g.names {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = strconv.AppendQuote(b, n)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// sameAs returns the Base place with no GeoNames id that r is (see Options.Base), or nil.
func (im *importer) sameAs(r Record) *Place {
	if im.o.Base == nil {
		return nil
	}
	kind, _ := KindOf(r.Class, r.Code)
	area := isArea(kind)
	iso := ISO3(r.Country)
	max := 10.0
	if area {
		max = 50
	}
	for _, n := range []string{r.Name, r.ASCIIName} {
		for _, p := range im.o.Base.Exact(n) {
			if p.GeoNames == 0 && p.Country == iso && (p.Kind == kind || area && isArea(p.Kind)) && km(p.Lat, p.Lon, r.Lat, r.Lon) <= max {
				return p
			}
		}
	}
	return nil
}

// Place is a gazetteer place.
type Place = gazetteer.Place

func isArea(kind string) bool {
	return kind == "country" || kind == "region" || kind == "province" || kind == "district"
}

// km is the great-circle distance between two points.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// hasWord reports whether s has a letter or digit (a name the gazetteer can index).
func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// bitset is a growable set of non-negative ints (GeoNames ids reach ~13 million: 1.6 MB).
type bitset []uint64

func (s *bitset) set(i int) {
	w := i / 64
	if w >= len(*s) {
		n := make(bitset, w+1+w/4)
		copy(n, *s)
		*s = n
	}
	(*s)[w] |= 1 << (uint(i) % 64)
}

func (s bitset) has(i int) bool {
	w := i / 64
	return i >= 0 && w < len(s) && s[w]&(1<<(uint(i)%64)) != 0
}

// maxLine is the longest line accepted (allCountries rows with many alternate names run to ~50 kB).
const maxLine = 16 << 20

// eachLine calls f for every non-empty, non-comment line of a dump file,
// plain or zipped; errors name the file and the line.
func eachLine(ctx context.Context, file string, progress func(string, int64) io.WriteCloser, f func([]byte) error) error {
	rc, size, entry, err := openDump(file)
	if err != nil {
		return err
	}
	defer rc.Close()
	var r io.Reader = rc
	if progress != nil {
		if pw := progress(filepath.Base(file), size); pw != nil {
			defer pw.Close()
			r = io.TeeReader(rc, pw)
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	n := 0
	for sc.Scan() {
		n++
		if n&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		line := sc.Bytes()
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if err := f(line); err != nil {
			return fmt.Errorf("%s:%d: %w", entry, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", entry, n+1, err)
	}
	return nil
}

// openDump opens a dump file; for a zip archive, the entry named like the
// archive (AM.zip: AM.txt), else its only .txt entry other than a readme or
// iso-languagecodes.txt. entry names the file (and entry) for errors.
func openDump(file string) (rc io.ReadCloser, size int64, entry string, err error) {
	if !strings.EqualFold(filepath.Ext(file), ".zip") {
		f, err := os.Open(file)
		if err != nil {
			return nil, 0, file, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, file, err
		}
		return f, st.Size(), file, nil
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, 0, file, fmt.Errorf("%s: %w", file, err)
	}
	want := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)) + ".txt"
	var pick *zip.File
	var txts []*zip.File
	for _, zf := range zr.File {
		base := filepath.Base(zf.Name)
		if strings.EqualFold(base, want) {
			pick = zf
			break
		}
		if strings.HasSuffix(base, ".txt") && !strings.EqualFold(base, "readme.txt") && base != "iso-languagecodes.txt" {
			txts = append(txts, zf)
		}
	}
	if pick == nil && len(txts) == 1 {
		pick = txts[0]
	}
	if pick == nil {
		zr.Close()
		return nil, 0, file, fmt.Errorf("%s: no %s in the archive", file, want)
	}
	r, err := pick.Open()
	if err != nil {
		zr.Close()
		return nil, 0, file, fmt.Errorf("%s: %s: %w", file, pick.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{r, closers{r, zr}}, int64(pick.UncompressedSize64), file + ":" + pick.Name, nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
