package quantity

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/data"
)

// load returns a Parser over the repository's data folder.
func load(tb testing.TB) *Parser {
	tb.Helper()
	p, err := Load(os.DirFS("../data"))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// num renders an optional number.
func num(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(*v)
}

// render shows quantities as "text: value min max [~] unit (of)".
func render(qs []truce.Quantity) string {
	var parts []string
	for _, q := range qs {
		s := fmt.Sprintf("%s: %s %s %s", q.Text, num(q.Value), num(q.Min), num(q.Max))
		if q.Approx {
			s += " ~"
		}
		if q.Unit != "" {
			s += " " + q.Unit
		}
		if q.Of != "" {
			s += " (" + q.Of + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func TestFind(t *testing.T) {
	p := load(t)
	tests := []struct{ name, text, want string }{
		{"more than with of", "Sappers cleared more than two hectares of land.", "more than two hectares of land: 2 2 - ha (land)"},
		{"about km of", "They cleared about three kilometers of roads.", "about three kilometers of roads: 3 - - ~ km (roads)"},
		{"counted objects", "They found and neutralized 144 explosive objects.", "144 explosive objects: 144 144 144 objects (explosive objects)"},
		{"percent range", "Supply was restored by 95-97 percent.", "95-97 percent: 96 95 97 %"},
		{"percent to range", "Supply was restored by 95 to 97 per cent.", "95 to 97 per cent: 96 95 97 %"},
		{"military persons", "He said that about 80 military of the other side entered.", "about 80 military: 80 - - ~ persons (military)"},
		{"an hour", "They gave the workers an hour to leave.", "an hour: 1 1 1 hours"},
		{"bodies", "The side handed over 100 bodies to the other.", "100 bodies: 100 100 100 persons (bodies)"},
		{"houses", "Families left 12 houses in the village.", "12 houses: 12 12 12 houses (houses)"},
		{"killed and wounded", "Clashes left 4 killed and 1 wounded.", "4 killed: 4 4 4 persons (killed); 1 wounded: 1 1 1 persons (wounded)"},
		{"tons min", "Reserves are estimated at more than 130 tons.", "more than 130 tons: 130 130 - t"},
		{"some approx", "Engineers defused some 1,000 explosives.", "some 1,000 explosives: 1000 - - ~ objects (explosives)"},
		{"nearly km", "They checked nearly 10 km of roads.", "nearly 10 km of roads: 10 - - ~ km (roads)"},
		{"over min", "They inspected over 100 houses.", "over 100 houses: 100 100 - houses (houses)"},
		{"at least", "At least 3 drones were seen.", "At least 3 drones: 3 3 - objects (drones)"},
		{"up to", "Convoys of up to 40 trucks passed.", "up to 40 trucks: 40 - 40 vehicles (trucks)"},
		{"fewer than", "Fewer than 5 shells fell.", "Fewer than 5 shells: 5 - 5 objects (shells)"},
		{"less than percent", "Turnout was less than 20%.", "less than 20%: 20 - 20 %"},
		{"between and", "Between 10 and 15 soldiers crossed.", "Between 10 and 15 soldiers: 12.5 10 15 persons (soldiers)"},
		{"approx range", "It holds some 15 to 20 percent of the region.", "some 15 to 20 percent of the region: 17.5 15 20 ~ % (region)"},
		{"dozens vague", "Dozens of families fled.", "Dozens of families: 24 24 - ~ persons (families)"},
		{"hundreds vague", "Hundreds of citizens are stranded.", "Hundreds of citizens: 200 200 - ~ persons (citizens)"},
		{"several vague", "Several villages were shelled.", "Several villages: 3 3 - ~ settlements (villages)"},
		{"thousand sep", "Some 1,960 troops moved.", "Some 1,960 troops: 1960 - - ~ persons (troops)"},
		{"space thousands", "There are 1 960 refugees.", "1 960 refugees: 1960 1960 1960 persons (refugees)"},
		{"decimal million", "A fund of 1.5 million people.", "1.5 million people: 1.5e+06 1.5e+06 1.5e+06 persons (people)"},
		{"number words compound", "They removed one hundred and forty-four mines.", "one hundred and forty-four mines: 144 144 144 objects (mines)"},
		{"tens word", "Eighty soldiers left.", "Eighty soldiers: 80 80 80 persons (soldiers)"},
		{"a dozen", "A dozen tanks moved.", "A dozen tanks: 12 12 12 vehicles (tanks)"},
		{"a hundred", "A hundred prisoners returned.", "A hundred prisoners: 100 100 100 persons (prisoners)"},
		{"two dozen", "Two dozen hostages were freed.", "Two dozen hostages: 24 24 24 persons (hostages)"},
		{"adjective in of", "The exchange of 44 Armenian prisoners ended.", "44 Armenian prisoners: 44 44 44 persons (Armenian prisoners)"},
		{"demonym", "Officials said 33 Palestinians were freed.", "33 Palestinians: 33 33 33 persons (Palestinians)"},
		{"unknown noun", "Two ceasefire patrols were logged.", "Two ceasefire patrols: 2 2 2 (ceasefire patrols)"},
		{"incidents", "There were 2 ceasefire violations.", "2 ceasefire violations: 2 2 2 incidents (ceasefire violations)"},
		{"hyphen unit", "The 8-month blockade ended.", "8-month: 8 8 8 months"},
		{"of with article", "They laid 1,200 meters of a gas pipeline.", "1,200 meters of a gas pipeline: 1200 1200 1200 m (gas pipeline)"},
		{"currency", "Aid worth $5 million arrived.", "$5 million: 5e+06 5e+06 5e+06 USD"},
		{"or more", "100 or more houses burned.", "100 or more houses: 100 100 - houses (houses)"},
		{"two or three", "Two or three villages emptied.", "Two or three villages: 2.5 2 3 ~ settlements (villages)"},
		{"handed over not qualifier", "The side handed over 12 prisoners.", "12 prisoners: 12 12 12 persons (prisoners)"},
		{"percent sign decimal", "Prices rose 5.5%.", "5.5%: 5.5 5.5 5.5 %"},
		{"square km", "An area of 3 square kilometres was cleared.", "3 square kilometres: 3 3 3 km2"},
		{"name stops phrase", "It returned three districts Armenia held.", "three districts: 3 3 3 (districts)"},
		{"bare digits kept", "The remaining 11 should be vacated.", "11: 11 11 11"},
		{"year with counted noun", "They counted 2020 shells.", "2020 shells: 2020 2020 2020 objects (shells)"},

		// Not quantities.
		{"date day", "On November 27th the forces left.", ""},
		{"date day month", "On 26 November 2020 talks began.", ""},
		{"year alone", "In 2020 the war ended.", ""},
		{"year after comma", "The deal of 10 November, 2020, holds; in the year 2021 it held.", ""},
		{"ordinal word", "The truce entered its fifth day.", ""},
		{"ordinal digits", "It was the 5th attempt.", ""},
		{"time colon", "It began at 00:00 and ended at 23:02.", ""},
		{"time am", "Shelling began at 10 a.m. and ended at 5 pm.", ""},
		{"one pronoun", "One of the soldiers said no one came.", ""},
		{"phone", "Call +374 10 123456 or 010 55 66 77.", ""},
		{"article ref", "Under Article 9 and Resolution 2334, point 5.", ""},
		{"decade", "Since the 1990s the road was closed.", ""},
		{"model name", "Two Su-25 jets and a T-72.", "Two Su-25 jets: 2 2 2 (Su-25 jets)"},
		{"version", "They use version 1.2.3 now.", ""},
		{"slash", "A 24/7 hotline.", ""},
		{"times", "Such talks happen several times a day, three times more.", ""},
		{"the above", "Residents of the above 12 houses left.", "12 houses: 12 12 12 houses (houses)"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(p.Find(tc.text)); got != tc.want {
				t.Errorf("Find(%q)\n got %s\nwant %s", tc.text, got, tc.want)
			}
		})
	}
}

func TestOffsets(t *testing.T) {
	p := load(t)
	text := "Sappers cleared more than two hectares of land and found 144 explosive objects."
	qs := p.Find(text)
	if len(qs) != 2 {
		t.Fatalf("got %d quantities, want 2: %s", len(qs), render(qs))
	}
	for _, q := range qs {
		if text[q.Start:q.End] != q.Text {
			t.Errorf("span %d..%d is %q, Text %q", q.Start, q.End, text[q.Start:q.End], q.Text)
		}
	}
	if qs[0].Start != strings.Index(text, "more than") {
		t.Errorf("first quantity starts at %d, want the qualifier", qs[0].Start)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"missing", fstest.MapFS{}},
		{"bad yaml", fstest.MapFS{UnitsPath: {Data: []byte("units: [")}}},
		{"no units", fstest.MapFS{UnitsPath: {Data: []byte("counted: {persons: [man]}")}}},
		{"bad qualifier", fstest.MapFS{UnitsPath: {Data: []byte("units: {km: [km]}\nqualifiers: {about: [x]}")}}},
	}
	for _, tc := range tests {
		if _, err := Load(tc.fsys); err == nil {
			t.Errorf("%s: Load succeeded, want an error", tc.name)
		}
	}
}

func TestUserLexicon(t *testing.T) {
	fsys := fstest.MapFS{UnitsPath: {Data: []byte("units: {km: [km]}\ncounted: {boats: [dinghy]}\n")}}
	p, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(p.Find("We saw 3 dinghies and 4 km.")), "3 dinghies: 3 3 3 boats (dinghies); 4 km: 4 4 4 km"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func FuzzFind(f *testing.F) {
	p := load(f)
	for _, s := range []string{"more than two hectares of land", "95-97 percent", "one hundred and forty-four mines",
		"+374 10 123456", "1,960 troops", "1 960", "$5 million", "an hour", "hundreds of", "8-month-",
		"between 10 and", "99999999999999999999 objects", "\xff1\xa7,000 km"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		bound := map[int]bool{len(text): true}
		for i := range text {
			bound[i] = true
		}
		prev := 0
		for _, q := range p.Find(text) {
			if q.Start < prev || q.Start >= q.End || q.End > len(text) || !bound[q.Start] || !bound[q.End] {
				t.Fatalf("bad span %d..%d (prev %d, len %d)", q.Start, q.End, prev, len(text))
			}
			if q.Text != text[q.Start:q.End] || q.Value == nil {
				t.Fatalf("bad quantity %+v", q)
			}
			if !utf8.ValidString(q.Text) && utf8.ValidString(text) {
				t.Fatalf("invalid text %q", q.Text)
			}
			prev = q.End
		}
	})
}

func BenchmarkFind(b *testing.B) {
	p := load(b)
	para := "In total, engineering units cleared more than two hectares of land and about three kilometers of roads, " +
		"and found and neutralized 144 explosive objects. On November 27th about 80 military entered; supply was " +
		"restored by 95-97 percent. Hundreds of citizens, 1,960 troops and one hundred and forty-four mines; call +374 10 123456 at 10:00."
	b.SetBytes(int64(len(para)))
	b.ReportAllocs()
	for b.Loop() {
		p.Find(para)
	}
}

func TestLoadBundled(t *testing.T) {
	p, err := Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	if got := render(p.Find("about 80 soldiers")); got != "about 80 soldiers: 80 - - ~ persons (soldiers)" {
		t.Errorf("bundled lexicon: got %s", got)
	}
}
