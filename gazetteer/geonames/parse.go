// Package geonames reads the GeoNames dump formats (a country file such as
// AM.txt or allCountries.txt, alternateNamesV2.txt, admin1CodesASCII.txt,
// plain or zipped) and writes the places as a truce gazetteer data file.
//
// The dumps are at https://download.geonames.org/export/dump/ (licence
// CC BY 4.0, attribution GeoNames); docs/gazetteer.md says which files to take.
// Files are read line by line, so a 1.5 GB allCountries file is imported in
// bounded memory: what is held is the set of kept ids (a bit set), the
// administrative areas, and the alternate names of the kept places.
package geonames

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Record is one row of a GeoNames geoname table (a country file or allCountries).
type Record struct {
	ID             int
	Name           string
	ASCIIName      string
	AlternateNames []string // the comma-separated alternatenames column, without languages
	Lat, Lon       float64
	Class          string // feature class: A, H, L, P, R, S, T, U, V
	Code           string // feature code: PPLA, ADM1, MN, ...
	Country        string // ISO 3166-1 alpha-2
	Admin1, Admin2 string // admin codes
	Population     int
}

// Feature returns the feature class and code as "P.PPLA".
func (r Record) Feature() string { return r.Class + "." + r.Code }

// AltName is one row of alternateNamesV2.txt (or the older alternateNames.txt).
type AltName struct {
	ID         int // the geonameid the name belongs to
	Lang       string
	Name       string
	Preferred  bool
	Short      bool
	Colloquial bool
	Historic   bool
}

// Admin1 is one row of admin1CodesASCII.txt.
type Admin1 struct {
	Code string // "AM.04"
	Name string
	ID   int
}

// errShort is returned for a line with too few columns.
var errShort = errors.New("too few columns")

// splitTabs splits line on tabs into at most len(dst) fields, without allocating.
func splitTabs(line []byte, dst [][]byte) int {
	n := 0
	for n < len(dst)-1 {
		i := bytes.IndexByte(line, '\t')
		if i < 0 {
			break
		}
		dst[n] = line[:i]
		line = line[i+1:]
		n++
	}
	dst[n] = line
	return n + 1
}

// ParseRecord parses one line of a geoname table (19 tab-separated columns;
// a trailing carriage return is ignored).
func ParseRecord(line []byte) (Record, error) {
	line = bytes.TrimRight(line, "\r\n")
	var f [19][]byte
	if n := splitTabs(line, f[:]); n < 15 {
		return Record{}, fmt.Errorf("%w: %d, want 19", errShort, n)
	}
	id, err := atoi(f[0])
	if err != nil || id <= 0 {
		return Record{}, fmt.Errorf("bad geonameid %q", f[0])
	}
	lat, err := strconv.ParseFloat(string(f[4]), 64)
	if err != nil || lat < -90 || lat > 90 {
		return Record{}, fmt.Errorf("bad latitude %q", f[4])
	}
	lon, err := strconv.ParseFloat(string(f[5]), 64)
	if err != nil || lon < -180 || lon > 180 {
		return Record{}, fmt.Errorf("bad longitude %q", f[5])
	}
	pop := 0
	if len(f[14]) > 0 {
		if pop, err = atoi(f[14]); err != nil || pop < 0 {
			return Record{}, fmt.Errorf("bad population %q", f[14])
		}
	}
	name := strings.TrimSpace(string(f[1]))
	if name == "" {
		return Record{}, errors.New("empty name")
	}
	r := Record{ID: id, Name: name, ASCIIName: strings.TrimSpace(string(f[2])), Lat: lat, Lon: lon,
		Class: string(f[6]), Code: string(f[7]), Country: string(f[8]), Admin1: string(f[10]),
		Admin2: string(f[11]), Population: pop}
	if len(f[3]) > 0 {
		for _, a := range strings.Split(string(f[3]), ",") {
			if a = strings.TrimSpace(a); a != "" {
				r.AlternateNames = append(r.AlternateNames, a)
			}
		}
	}
	return r, nil
}

// ParseAltName parses one line of alternateNamesV2.txt (10 columns) or
// alternateNames.txt (8 columns).
func ParseAltName(line []byte) (AltName, error) {
	line = bytes.TrimRight(line, "\r\n")
	var f [10][]byte
	n := splitTabs(line, f[:])
	if n < 4 {
		return AltName{}, fmt.Errorf("%w: %d, want 10", errShort, n)
	}
	id, err := atoi(f[1])
	if err != nil || id <= 0 {
		return AltName{}, fmt.Errorf("bad geonameid %q", f[1])
	}
	a := AltName{ID: id, Lang: string(f[2]), Name: strings.TrimSpace(string(f[3]))}
	flag := func(i int) bool { return i < n && len(f[i]) == 1 && f[i][0] == '1' }
	a.Preferred, a.Short, a.Colloquial, a.Historic = flag(4), flag(5), flag(6), flag(7)
	return a, nil
}

// ParseAdmin1 parses one line of admin1CodesASCII.txt.
func ParseAdmin1(line []byte) (Admin1, error) {
	line = bytes.TrimRight(line, "\r\n")
	var f [4][]byte
	if n := splitTabs(line, f[:]); n < 4 {
		return Admin1{}, fmt.Errorf("%w: %d, want 4", errShort, n)
	}
	id, err := atoi(f[3])
	if err != nil || id <= 0 {
		return Admin1{}, fmt.Errorf("bad geonameid %q", f[3])
	}
	code := string(f[0])
	if !strings.Contains(code, ".") {
		return Admin1{}, fmt.Errorf("bad admin1 code %q", code)
	}
	return Admin1{Code: code, Name: string(f[1]), ID: id}, nil
}

// atoi parses a non-negative decimal number of at most 12 digits.
func atoi(b []byte) (int, error) {
	if len(b) == 0 || len(b) > 12 {
		return 0, errors.New("bad number")
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errors.New("bad number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
