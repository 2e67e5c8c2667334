package geonames

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	baseOnce sync.Once
	base     *gazetteer.Gazetteer
	baseErr  error
)

func bundled(tb testing.TB) *gazetteer.Gazetteer {
	tb.Helper()
	baseOnce.Do(func() { base, baseErr = gazetteer.Load(data.Bundled()) })
	if baseErr != nil {
		tb.Fatal(baseErr)
	}
	return base
}

func TestParseRecord(t *testing.T) {
	good := "616108\tVardenis\tVardenis\tBasarkechar,Vardenis\t40.18329\t45.73053\tP\tPPLA\tAM\t\t04\t\t\t\t11382\t\t1912\tAsia/Yerevan\t2023-01-01"
	tests := []struct {
		name, line string
		want       Record
		err        string
	}{
		{"good", good, Record{ID: 616108, Name: "Vardenis", ASCIIName: "Vardenis", AlternateNames: []string{"Basarkechar", "Vardenis"},
			Lat: 40.18329, Lon: 45.73053, Class: "P", Code: "PPLA", Country: "AM", Admin1: "04", Population: 11382}, ""},
		{"crlf", good + "\r\n", Record{ID: 616108, Name: "Vardenis", ASCIIName: "Vardenis", AlternateNames: []string{"Basarkechar", "Vardenis"},
			Lat: 40.18329, Lon: 45.73053, Class: "P", Code: "PPLA", Country: "AM", Admin1: "04", Population: 11382}, ""},
		{"no population", strings.Replace(good, "\t11382\t", "\t\t", 1), Record{ID: 616108, Name: "Vardenis", ASCIIName: "Vardenis",
			AlternateNames: []string{"Basarkechar", "Vardenis"}, Lat: 40.18329, Lon: 45.73053, Class: "P", Code: "PPLA", Country: "AM", Admin1: "04"}, ""},
		{"short", "616108\tVardenis\tVardenis", Record{}, "too few columns"},
		{"bad id", "x" + good, Record{}, "bad geonameid"},
		{"bad lat", strings.Replace(good, "40.18329", "north", 1), Record{}, "bad latitude"},
		{"lat out of range", strings.Replace(good, "40.18329", "91", 1), Record{}, "bad latitude"},
		{"bad lon", strings.Replace(good, "45.73053", "", 1), Record{}, "bad longitude"},
		{"bad population", strings.Replace(good, "11382", "-5", 1), Record{}, "bad population"},
		{"empty name", strings.Replace(good, "\tVardenis\t", "\t \t", 1), Record{}, "empty name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRecord([]byte(tt.line))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Feature() != tt.want.Feature() || got.ID != tt.want.ID || got.Name != tt.want.Name || got.Lat != tt.want.Lat ||
				got.Lon != tt.want.Lon || got.Population != tt.want.Population || got.Admin1 != tt.want.Admin1 ||
				strings.Join(got.AlternateNames, "|") != strings.Join(tt.want.AlternateNames, "|") {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseAltName(t *testing.T) {
	tests := []struct {
		line string
		want AltName
		err  bool
	}{
		{"3\t616108\tfr\tVardénis\t\t\t\t\t\t", AltName{ID: 616108, Lang: "fr", Name: "Vardénis"}, false},
		{"4\t616108\ten\tBasarkechar\t1\t\t\t1\t\t", AltName{ID: 616108, Lang: "en", Name: "Basarkechar", Preferred: true, Historic: true}, false},
		{"4\t616108\t\tBasar\t\t1\t1", AltName{ID: 616108, Name: "Basar", Short: true, Colloquial: true}, false}, // old 8-column format, shortened
		{"4\t616108\ten", AltName{}, true},
		{"4\tx\ten\tA", AltName{}, true},
	}
	for _, tt := range tests {
		got, err := ParseAltName([]byte(tt.line))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseAltName(%q) = %+v, %v; want %+v, err %v", tt.line, got, err, tt.want, tt.err)
		}
	}
}

func TestParseAdmin1(t *testing.T) {
	tests := []struct {
		line string
		want Admin1
		err  bool
	}{
		{"AM.04\tGeghark'unik'\tGegharkunik\t828261", Admin1{Code: "AM.04", Name: "Geghark'unik'", ID: 828261}, false},
		{"AM04\tX\tX\t1", Admin1{}, true},
		{"AM.04\tX\tX", Admin1{}, true},
		{"AM.04\tX\tX\t0", Admin1{}, true},
	}
	for _, tt := range tests {
		got, err := ParseAdmin1([]byte(tt.line))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseAdmin1(%q) = %+v, %v; want %+v, err %v", tt.line, got, err, tt.want, tt.err)
		}
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct{ class, code, kind, prec string }{
		{"A", "PCLI", "country", "country"},
		{"A", "PCLD", "country", "country"},
		{"A", "ADM1", "province", "province"},
		{"A", "ADM2", "district", "district"},
		{"A", "ADM3", "district", "district"},
		{"A", "ADMD", "district", "district"},
		{"A", "TERR", "region", "region"},
		{"P", "PPL", "settlement", "settlement"},
		{"P", "PPLC", "settlement", "settlement"},
		{"S", "MN", "mine", "site"},
		{"S", "MNQ", "mine", "site"},
		{"S", "BDG", "crossing", "site"},
		{"S", "PSTB", "crossing", "site"},
		{"S", "CH", "site", "site"},
		{"H", "STM", "river", "site"},
		{"H", "LK", "lake", "site"},
		{"T", "MTS", "mountain", "site"},
		{"T", "PASS", "crossing", "site"},
		{"L", "RGN", "region", "region"},
		{"R", "RD", "route", "site"},
		{"V", "FRST", "site", "site"},
	}
	for _, tt := range tests {
		k, p := KindOf(tt.class, tt.code)
		if k != tt.kind || p != tt.prec {
			t.Errorf("KindOf(%s, %s) = %s, %s; want %s, %s", tt.class, tt.code, k, p, tt.kind, tt.prec)
		}
		if !slices.Contains(gazetteer.Kinds, k) || !slices.Contains(gazetteer.Precisions, p) {
			t.Errorf("KindOf(%s, %s) = %s, %s: not a gazetteer kind/precision", tt.class, tt.code, k, p)
		}
	}
}

func TestLangKeyAndISO3(t *testing.T) {
	for in, want := range map[string]string{"": "alt", "en": "en", "hy": "hy", "zh-CN": "zh", "fr_1793": "fr", "arm": "hy",
		"aze": "az", "link": "", "post": "", "iata": "", "abbr": "", "wkdt": "", "unlc": "", "alt": "", "ckb": "ckb"} {
		if got := langKey(in); got != want {
			t.Errorf("langKey(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"AM": "ARM", "AZ": "AZE", "PS": "PSE", "XK": "XKK", "": "XXX", "Q": "XXX"} {
		if got := ISO3(in); got != want {
			t.Errorf("ISO3(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestImportGolden(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		golden string
	}{
		{"AM with alternate names", Options{Main: "testdata/AM.txt", AltNames: "testdata/alternateNamesV2.txt",
			Admin1: "testdata/admin1CodesASCII.txt", Countries: []string{"am"}}, "testdata/imported-am.golden.yaml"},
		{"all classes, names from the main file", Options{Main: "testdata/AM.txt", Classes: []string{"A", "P", "S.MN", "H", "T"}},
			"testdata/imported-all.golden.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Base = bundled(t)
			var buf bytes.Buffer
			if _, err := Import(context.Background(), &buf, tt.opts); err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(tt.golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(tt.golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("output differs from %s (go test -update to rewrite):\n%s", tt.golden, buf.String())
			}
		})
	}
}

func TestImportStatsAndLoad(t *testing.T) {
	g0 := bundled(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "gazetteer"), 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	st, err := Import(context.Background(), &buf, Options{Main: "testdata/AM.txt", AltNames: "testdata/alternateNamesV2.txt",
		Admin1: "testdata/admin1CodesASCII.txt", Countries: []string{"AM"}, Base: g0})
	if err != nil {
		t.Fatal(err)
	}
	// Armenia, Yerevan and Vardenis are bundled (same GeoNames id), Gegharkunik is (same name, kind
	// and country, 12 km apart); Yerevan province, Tsovak and Mets Masrik are new.
	if st.Rows != 11 || st.Places != 3 || st.Merged != 4 || st.AltRows != 17 {
		t.Fatalf("stats = %+v", st)
	}
	if err := os.WriteFile(filepath.Join(dir, "gazetteer", "imported-am.yaml"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if n, n0 := len(g.Places()), len(g0.Places()); n != n0+3 {
		t.Fatalf("%d places, want %d", n, n0+3)
	}
	ts := g.Get("gn-9000003")
	if ts == nil || ts.Parent != "gegharkunik" || ts.Kind != "settlement" || ts.Feature != "P.PPL" || ts.Population != 2800 {
		t.Fatalf("Tsovak = %+v", ts)
	}
	if adm := g.Get("gn-9000002"); adm == nil || adm.Parent != "ARM" || adm.Precision != "province" {
		t.Fatalf("Yerevan province (imported) = %+v", adm)
	}
	if g.Get("gn-9000001") != nil || !slices.Contains(g.Get("gegharkunik").Names["zh"], "格加尔库尼克州") {
		t.Fatalf("Gegharkunik was not merged into the bundled place: %v", g.Get("gegharkunik").Names)
	}
	for _, tt := range []struct{ name, want string }{
		{"Цовак", "gn-9000003"}, {"Tsovaq", "gn-9000003"}, {"Big Masrik", "gn-9000004"},
		{"Vardénis", "vardenis"}, {"Vardenis", "vardenis"},
	} {
		ps := g.Search(tt.name)
		if len(ps) == 0 || ps[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s", tt.name, ps, tt.want)
		}
	}
	v := g.Get("vardenis")
	if v.Name(gazetteer.Default) != "Vardenis" || !slices.Contains(v.Names["fr"], "Vardénis") {
		t.Errorf("vardenis: display %q, names %v", v.Name(gazetteer.Default), v.Names)
	}
	if len(g.Search("1408")) != 0 || len(g.Search("TSV")) != 0 {
		t.Error("postal codes and abbreviations must not become names")
	}
	// importing the same places twice (two files) keeps one
	if err := os.WriteFile(filepath.Join(dir, "gazetteer", "imported-am2.yaml"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if g2, err := gazetteer.Load(fsys); err != nil || len(g2.Places()) != len(g.Places()) {
		t.Fatalf("double import: %v", err)
	}
}

func TestImportZip(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"AM", "alternateNamesV2"} {
		raw, err := os.ReadFile("testdata/" + f + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		if f == "alternateNamesV2" {
			w, _ := zw.Create("iso-languagecodes.txt")
			io.WriteString(w, "ISO 639-3\tISO 639-2\n")
		}
		w, _ := zw.Create(f + ".txt")
		w.Write(raw)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f+".zip"), zb.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{Main: "testdata/AM.txt", AltNames: "testdata/alternateNamesV2.txt", Base: bundled(t)}
	var plain, zipped bytes.Buffer
	if _, err := Import(context.Background(), &plain, opts); err != nil {
		t.Fatal(err)
	}
	var opened []string
	opts.Main, opts.AltNames = filepath.Join(dir, "AM.zip"), filepath.Join(dir, "alternateNamesV2.zip")
	opts.Progress = func(file string, size int64) io.WriteCloser {
		opened = append(opened, file)
		return nopCloser{io.Discard}
	}
	if _, err := Import(context.Background(), &zipped, opts); err != nil {
		t.Fatal(err)
	}
	if plain.String() != strings.NewReplacer(".zip", ".txt").Replace(zipped.String()) {
		t.Fatalf("zip import differs:\n%s\nplain:\n%s", zipped.String(), plain.String())
	}
	if strings.Join(opened, ",") != "AM.zip,alternateNamesV2.zip" {
		t.Fatalf("progress opened %v", opened)
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestImportErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "XX.txt")
	good, _ := os.ReadFile("testdata/AM.txt")
	lines := strings.SplitAfter(string(good), "\n")
	os.WriteFile(bad, []byte(lines[0]+lines[1]+"42\tBroken\n"), 0o644)
	notzip := filepath.Join(dir, "XX.zip")
	os.WriteFile(notzip, []byte("not a zip"), 0o644)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"bad line", Options{Main: bad}, "XX.txt:3: too few columns"},
		{"missing file", Options{Main: filepath.Join(dir, "none.txt")}, "none.txt"},
		{"not a zip", Options{Main: notzip}, "XX.zip"},
		{"bad alternate names", Options{Main: "testdata/AM.txt", AltNames: bad}, "XX.txt:1: bad geonameid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(context.Background(), io.Discard, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	big := filepath.Join(dir, "big.txt")
	writeRows(t, big, 70000)
	if _, err := Import(ctx, io.Discard, Options{Main: big}); err == nil {
		t.Fatal("cancelled import succeeded")
	}
}

func FuzzParseRecord(f *testing.F) {
	raw, err := os.ReadFile("testdata/AM.txt")
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		f.Add([]byte(l))
	}
	f.Add([]byte("1\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"))
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := ParseRecord(line)
		if err != nil {
			return
		}
		if r.ID <= 0 || r.Name == "" || r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180 || r.Population < 0 {
			t.Fatalf("ParseRecord(%q) accepted %+v", line, r)
		}
		k, p := KindOf(r.Class, r.Code)
		if !slices.Contains(gazetteer.Kinds, k) || !slices.Contains(gazetteer.Precisions, p) {
			t.Fatalf("KindOf(%q, %q) = %s, %s", r.Class, r.Code, k, p)
		}
		ParseAltName(line)
		ParseAdmin1(line)
	})
}
