package gazetteer

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/truce-monitor/truce/data"
)

var (
	loadOnce sync.Once
	loaded   *Gazetteer
	loadErr  error
)

func bundled(tb testing.TB) *Gazetteer {
	tb.Helper()
	loadOnce.Do(func() { loaded, loadErr = Load(data.Bundled()) })
	if loadErr != nil {
		tb.Fatalf("Load(bundled): %v", loadErr)
	}
	return loaded
}

// resolveIn finds name in sentence (the first mention whose text is name) and resolves it.
func resolveIn(t *testing.T, g *Gazetteer, sentence, name string, h Hints) (Mention, *Place, []*Place, bool) {
	t.Helper()
	for _, m := range g.Find(sentence) {
		if m.Text == name {
			p, amb := g.Resolve(m, h)
			return m, p, amb, true
		}
	}
	return Mention{}, nil, nil, false
}

func ids(ps []*Place) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.ID)
	}
	return strings.Join(s, ",")
}

func TestResolveSentences(t *testing.T) {
	g := bundled(t)
	arm := Hints{Countries: []string{"ARM"}}
	aze := Hints{Countries: []string{"AZE"}}
	tests := []struct {
		sentence, name string
		hints          Hints
		want           string // id, or "" for ambiguous / unresolved
		ambiguous      string // comma-separated candidate ids when want == ""
	}{
		// the seed report
		{"On November 27th, the Azerbaijani Armed Forces left the area of the Armenian Sotk gold mine in Nagorno-Karabakh.", "Sotk gold mine", Hints{}, "sotk-gold-mine", ""},
		{"On November 27th, the Azerbaijani Armed Forces left the area of the Armenian Sotk gold mine in Nagorno-Karabakh.", "Nagorno-Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"Azerbaijan’s Forces Leave Sotk Gold Mine, Pashinyan And Putin", "Azerbaijan", Hints{}, "AZE", ""},
		{"Azerbaijan’s Forces Leave Sotk Gold Mine, Pashinyan And Putin", "Sotk Gold Mine", Hints{}, "sotk-gold-mine", ""},
		{"the soldiers claimed that the city of Sotk and the mine should be handed over under Baku control.", "Sotk", Hints{}, "sotk", ""},
		{"the soldiers claimed that the city of Sotk and the mine should be handed over under Baku control.", "Baku", Hints{}, "baku", ""},
		{"Head of Sotk Hakob Avetyan said that the Azerbaijani military left the territory of the mine.", "Sotk", Hints{}, "sotk", ""},
		{"Sotk is the largest gold mine in Armenia.", "Sotk", Hints{}, "sotk-gold-mine", ""},
		{"Sotk is the largest gold mine in Armenia.", "Armenia", Hints{}, "ARM", ""},
		{"It is located on the border of Armenia and the Karvachar region, which was crossed by Baku.", "Karvachar", Hints{}, "kalbajar-district", ""},
		{"It is located on the border of Armenia and the Karvachar region, which was crossed by Baku.", "Armenia", Hints{}, "ARM", ""},
		{"the Armenian armed forces had to withdraw from Karvachar, which was done", "Karvachar", Hints{}, "kalbajar-district", ""},
		{"The head of Sotk confirmed that the military did give the mine workers an hour to leave.", "Sotk", Hints{}, "sotk", ""},
		{"Peaceful life is being restored in the capital of Nagorno-Karabakh, Stepanakert, with the assistance of Russian peacekeepers.", "Stepanakert", Hints{}, "stepanakert", ""},
		{"Peaceful life is being restored in the capital of Nagorno-Karabakh, Stepanakert, with the assistance of Russian peacekeepers.", "Nagorno-Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"restoring social infrastructure in the city of Stepanakert.", "Stepanakert", Hints{}, "stepanakert", ""},
		{"issues related to the Lachin corridor settlements, missing persons", "Lachin corridor", Hints{}, "lachin-corridor", ""},
		// the same place under each side's name
		{"Shelling was reported in Khankendi on Tuesday.", "Khankendi", Hints{}, "stepanakert", ""},
		{"Xankəndi şəhərində vəziyyət sakitdir.", "Xankəndi", Hints{}, "stepanakert", ""},
		{"Residents returned to Xankendi.", "Xankendi", Hints{}, "stepanakert", ""},
		{"Степанакерт остаётся без газа.", "Степанакерт", Hints{}, "stepanakert", ""},
		{"Artsakh authorities announced a curfew.", "Artsakh", Hints{}, "nagorno-karabakh", ""},
		{"Talks on Upper Karabakh resumed.", "Upper Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"The NK authorities said so.", "NK", Hints{}, "nagorno-karabakh", ""},
		{"Troops entered Karabakh's north.", "Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"Nagorno Karabakh talks stalled.", "Nagorno Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"Karabakh-based units withdrew.", "Karabakh", Hints{}, "nagorno-karabakh", ""},
		{"Armenia's government protested.", "Armenia", Hints{}, "ARM", ""},
		{"Armenia’s government protested.", "Armenia", Hints{}, "ARM", ""},
		{"near Shusha, the bodies were handed over", "Shusha", Hints{}, "shusha", ""},
		{"The town of Shushi was taken.", "Shushi", Hints{}, "shusha", ""},
		{"Fighting in the Martakert, Martuni and Shushi regions continued.", "Martakert", Hints{}, "nkr-martakert-region", ""},
		{"Fighting in the Martakert, Martuni and Shushi regions continued.", "Martuni", Hints{}, "nkr-martuni-region", ""},
		{"Fighting in the Martakert, Martuni and Shushi regions continued.", "Shushi", Hints{}, "nkr-shushi-region", ""},
		{"Shots were fired in the Martuni region.", "Martuni", Hints{}, "nkr-martuni-region", ""},
		{"Troops entered the Khojavend district.", "Khojavend", Hints{}, "khojavend-district", ""},
		{"Azerbaijani flag raised in the town of Khojavend.", "Khojavend", Hints{}, "martuni-nk", ""},
		{"Mine clearance continued in Aghdam district.", "Aghdam", Hints{}, "aghdam-district", ""},
		{"The handover of Kalbajar was postponed.", "Kalbajar", Hints{}, "kalbajar-district", ""},
		{"The city of Kalbajar was empty.", "Kalbajar", Hints{}, "kalbajar", ""},
		{"Kelbajar residents burned their houses.", "Kelbajar", Hints{}, "kalbajar-district", ""},
		{"Armenian forces left Berdzor.", "Berdzor", Hints{}, "lachin", ""},
		{"The Lachin district was handed over on December 1.", "Lachin district", Hints{}, "lachin-district", ""},
		{"Lachin was handed over on December 1.", "Lachin", Hints{}, "lachin-district", ""},
		{"Russian peacekeepers at the Hakari bridge checked cars.", "Hakari bridge", Hints{}, "hakari-bridge", ""},
		{"The village of Aghavno was to be vacated.", "Aghavno", Hints{}, "aghavno", ""},
		{"Residents of Zabukh returned.", "Zabukh", Hints{}, "aghavno", ""},
		{"Clashes near Hadrut were reported.", "Hadrut", Hints{}, "hadrut", ""},
		{"Azerbaijan claimed control of Sugovushan.", "Sugovushan", Hints{}, "madaghis", ""},
		{"Armenian sources say Madaghis held.", "Madaghis", Hints{}, "madaghis", ""},
		{"The village of Karin Tak lies below the town.", "Karin Tak", Hints{}, "karin-tak", ""},
		{"Shelling hit Shurnukh on the Goris-Kapan road.", "Shurnukh", Hints{}, "shurnukh", ""},
		{"Shelling hit Shurnukh on the Goris-Kapan road.", "Goris", Hints{}, "goris", ""},
		{"Shelling hit Shurnukh on the Goris-Kapan road.", "Kapan", Hints{}, "kapan", ""},
		{"Azerbaijani forces advanced in the direction of Jermuk.", "Jermuk", Hints{}, "jermuk", ""},
		{"Positions near Sotk and Norabak, Gegharkunik, were shelled.", "Norabak", Hints{}, "norabak", ""},
		{"Positions near Sotk and Norabak, Gegharkunik, were shelled.", "Gegharkunik", Hints{}, "gegharkunik", ""},
		{"Drones were seen over Vardenis.", "Vardenis", Hints{}, "vardenis", ""},
		{"Protests took place in Yerevan.", "Yerevan", Hints{}, "yerevan", ""},
		{"The delegation flew from Baku to Moscow.", "Moscow", Hints{}, "moscow", ""},
		{"Ganja was hit by missiles.", "Ganja", Hints{}, "ganja", ""},
		{"Barda was shelled.", "Barda", Hints{}, "barda", ""},
		{"The Zangezur corridor would cross Syunik.", "Zangezur corridor", Hints{}, "zangezur-corridor", ""},
		{"The Zangezur corridor would cross Syunik.", "Syunik", Hints{}, "syunik", ""},
		{"Fishermen on Lake Sevan saw nothing.", "Lake Sevan", Hints{}, "lake-sevan", ""},
		{"Violations along the line of contact dropped.", "line of contact", Hints{}, "line-of-contact", ""},
		{"Traffic on the Goris-Stepanakert route resumed.", "Goris-Stepanakert route", Hints{}, "lachin-corridor", ""},
		{"Nakhchivan leaders met in Baku.", "Nakhchivan", Hints{}, "nakhchivan-ar", ""},
		{"Aid reached Ağdam.", "Ağdam", Hints{}, "aghdam-district", ""},
		// short and common-word names need a cue or a hint
		{"Sus village was vacated.", "Sus", Hints{}, "sus", ""},
		{"Sus was vacated by its residents.", "Sus", Hints{}, "", "sus"},
		{"Sus was vacated by its residents.", "Sus", aze, "sus", ""},
		{"Shooting was heard in Kut overnight.", "Kut", Hints{}, "", "kut"},
		{"Shooting was heard in Kut overnight.", "Kut", Hints{Places: []string{"vardenis"}}, "kut", ""},
		{"The village of Tegh is on the corridor.", "Tegh", Hints{}, "tegh", ""},
		// genuinely ambiguous names stay ambiguous without a hint
		{"Crowds gathered at Rafah.", "Rafah", Hints{}, "", "rafah,rafah-egypt"},
		{"Crowds gathered at Rafah.", "Rafah", Hints{Countries: []string{"EGY"}}, "rafah-egypt", ""},
		{"Crowds gathered at Rafah.", "Rafah", Hints{Places: []string{"gaza-strip"}}, "rafah", ""},
		{"A shell fell in Martuni.", "Martuni", Hints{}, "", "martuni-am,martuni-nk,nkr-martuni-region"},
		{"A shell fell in Martuni.", "Martuni", Hints{Places: []string{"gegharkunik"}}, "martuni-am", ""},
		{"A shell fell in Martuni.", "Martuni", arm, "martuni-am", ""},
		{"The town of Martuni was shelled.", "Martuni", Hints{}, "", "martuni-am,martuni-nk"},
		// a second region: nothing is specific to the Caucasus
		{"Israel and Hamas agreed a truce mediated by Qatar and Egypt.", "Israel", Hints{}, "ISR", ""},
		{"Israel and Hamas agreed a truce mediated by Qatar and Egypt.", "Qatar", Hints{}, "QAT", ""},
		{"Aid trucks entered the Gaza Strip through the Rafah crossing.", "Gaza Strip", Hints{}, "gaza-strip", ""},
		{"Aid trucks entered the Gaza Strip through the Rafah crossing.", "Rafah crossing", Hints{}, "rafah-crossing", ""},
		{"Strikes hit Gaza City and Khan Younis.", "Gaza City", Hints{}, "gaza-city", ""},
		{"Strikes hit Gaza City and Khan Younis.", "Khan Younis", Hints{}, "khan-younis", ""},
		{"Talks in Gaza stalled.", "Gaza", Hints{}, "gaza-strip", ""},
		{"Raids in the West Bank continued; Jerusalem and Tel Aviv were calm.", "West Bank", Hints{}, "west-bank", ""},
		{"Raids in the West Bank continued; Jerusalem and Tel Aviv were calm.", "Tel Aviv", Hints{}, "tel-aviv", ""},
	}
	for _, tt := range tests {
		t.Run(tt.sentence+"/"+tt.name, func(t *testing.T) {
			m, p, amb, ok := resolveIn(t, g, tt.sentence, tt.name, tt.hints)
			if !ok {
				t.Fatalf("Find did not report %q; got %v", tt.name, texts(g.Find(tt.sentence)))
			}
			if tt.want != "" {
				if p == nil || p.ID != tt.want {
					t.Fatalf("Resolve(%q cue %q) = %v (ambiguous %s), want %s", m.Text, m.Cue, p, ids(amb), tt.want)
				}
				return
			}
			if p != nil {
				t.Fatalf("Resolve(%q cue %q) = %s, want unresolved %s", m.Text, m.Cue, p.ID, tt.ambiguous)
			}
			if got := ids(amb); got != tt.ambiguous {
				t.Fatalf("ambiguous = %s, want %s", got, tt.ambiguous)
			}
		})
	}
}

func texts(ms []Mention) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func TestFindDoesNotMatch(t *testing.T) {
	g := bundled(t)
	tests := []string{
		"see https://news.example.am/sotk-mine/Sotk for details",
		"mail Sotk@example.am now",
		"the sotk mine, all lower case",
		"He was kut short; sus behaviour",
		"Gazan officials and Armenians spoke",
		"Bakunin wrote about anarchy",
		"nk and nkr in lower case",
	}
	for _, s := range tests {
		if ms := g.Find(s); len(ms) != 0 {
			t.Errorf("Find(%q) = %v, want nothing", s, texts(ms))
		}
	}
}

func TestFindOffsets(t *testing.T) {
	g := bundled(t)
	s := "In Nagorno-Karabakh’s capital, Stepanakert/Khankendi, and in Şuşa."
	ms := g.Find(s)
	want := []string{"Nagorno-Karabakh", "Stepanakert", "Khankendi", "Şuşa"}
	if got := texts(ms); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("Find = %v, want %v", got, want)
	}
	for _, m := range ms {
		if s[m.Start:m.End] != m.Text {
			t.Errorf("offsets of %q point at %q", m.Text, s[m.Start:m.End])
		}
	}
}

func TestCues(t *testing.T) {
	g := bundled(t)
	tests := []struct{ sentence, name, cue string }{
		{"the Karvachar region", "Karvachar", "region"},
		{"the city of Sotk", "Sotk", "city of"},
		{"the Kajaran mine", "Kajaran", "mine"},
		{"in the area of Jermuk", "Jermuk", "area of"},
		{"near Goris", "Goris", "near"},
		{"in the direction of Kapan", "Kapan", "direction of"},
		{"on the border of Armenia and Azerbaijan", "Azerbaijan", "border of"},
		{"the Tavush and Gegharkunik provinces", "Tavush", "provinces"},
		{"Goris", "Goris", ""},
	}
	for _, tt := range tests {
		var got *Mention
		for _, m := range g.Find(tt.sentence) {
			if m.Text == tt.name {
				m := m
				got = &m
			}
		}
		if got == nil || got.Cue != tt.cue {
			t.Errorf("Find(%q) %q cue = %+v, want %q", tt.sentence, tt.name, got, tt.cue)
		}
	}
}

func TestNameConventions(t *testing.T) {
	g := bundled(t)
	tests := []struct {
		id   string
		conv Convention
		want string
	}{
		{"stepanakert", Both, "Stepanakert / Khankendi"},
		{"stepanakert", "", "Stepanakert / Khankendi"},
		{"stepanakert", Arm, "Stepanakert"},
		{"stepanakert", Aze, "Khankendi"},
		{"stepanakert", Default, "Stepanakert"},
		{"shusha", Both, "Shusha / Shushi"},
		{"shusha", Arm, "Shushi"},
		{"kalbajar-district", Arm, "Karvachar"},
		{"kalbajar-district", Aze, "Kalbajar"},
		{"martuni-nk", Both, "Martuni / Khojavend"},
		{"nagorno-karabakh", Both, "Nagorno-Karabakh / Artsakh / Karabakh"},
		{"sotk", Both, "Sotk / Zod"},
		{"baku", Both, "Baku"},
		{"baku", Arm, "Baku"},
		{"gaza-city", Aze, "Gaza City"},
	}
	for _, tt := range tests {
		p := g.Get(tt.id)
		if p == nil {
			t.Fatalf("Get(%q) = nil", tt.id)
		}
		if got := p.Name(tt.conv); got != tt.want {
			t.Errorf("%s.Name(%q) = %q, want %q", tt.id, tt.conv, got, tt.want)
		}
	}
	tp := g.Get("stepanakert").Truce("Khankendi", Both)
	if tp.Name != "Khankendi" || tp.Canonical != "Stepanakert / Khankendi" || tp.Country != "AZE" ||
		tp.ID != "stepanakert" || tp.Precision != "settlement" || tp.Lat == 0 {
		t.Errorf("Truce = %+v", tp)
	}
	var nilPlace *Place
	if got := nilPlace.Truce("x", Both); got.Name != "x" || got.ID != "" {
		t.Errorf("nil Truce = %+v", got)
	}
}

func TestSearch(t *testing.T) {
	g := bundled(t)
	tests := []struct{ q, wantFirst string }{
		{"Stepanakert", "stepanakert"},
		{"stepanakert", "stepanakert"},
		{"XANKƏNDİ", "stepanakert"},
		{"Khankendy", "stepanakert"},
		{"Qarvachar", "kalbajar-district"},
		{"Kelbadzhar", "kalbajar-district"},
		{"Agdam", "aghdam-district"},
		{"Xocavend", "khojavend-district"},
		{"Stepanakertt", "stepanakert"},
		{"Jebrayil", "jabrayil-district"},
		{"Khan Yunis", "khan-younis"},
		{"Gegarkunik", "gegharkunik"},
	}
	for _, tt := range tests {
		got := g.Search(tt.q)
		if len(got) == 0 || got[0].ID != tt.wantFirst {
			t.Errorf("Search(%q) = %s, want %s first", tt.q, ids(got), tt.wantFirst)
		}
	}
	for _, q := range []string{"", "Xyzzy", "Sut", "  "} {
		if got := g.Search(q); len(got) != 0 {
			t.Errorf("Search(%q) = %s, want none", q, ids(got))
		}
	}
}

func TestWithin(t *testing.T) {
	g := bundled(t)
	tests := []struct {
		p, area string
		want    bool
	}{
		{"sotk-gold-mine", "ARM", true},
		{"sotk-gold-mine", "kalbajar-district", true},
		{"sotk", "gegharkunik", true},
		{"stepanakert", "nagorno-karabakh", true},
		{"stepanakert", "AZE", true},
		{"shusha", "nkr-shushi-region", true},
		{"goris", "AZE", false},
		{"ARM", "ARM", true},
		{"gaza-city", "PSE", true},
		{"gaza-city", "ISR", false},
	}
	for _, tt := range tests {
		if got := g.Within(g.Get(tt.p), g.Get(tt.area)); got != tt.want {
			t.Errorf("Within(%s, %s) = %v, want %v", tt.p, tt.area, got, tt.want)
		}
	}
	if g.Within(nil, g.Get("ARM")) || g.Within(g.Get("ARM"), nil) {
		t.Error("Within with nil should be false")
	}
}

// bbox is a rough bounding box of a country: lat min, lat max, lon min, lon max.
var bbox = map[string][4]float64{
	"ARM": {38.8, 41.35, 43.4, 46.7},
	"AZE": {38.3, 41.95, 44.7, 50.7},
	"RUS": {41, 82, 19, 180},
	"TUR": {35.8, 42.2, 25.6, 44.9},
	"IRN": {25, 39.8, 44, 63.4},
	"GEO": {41, 43.6, 40, 46.8},
	"ISR": {29.4, 33.4, 34.2, 35.9},
	"PSE": {31.2, 32.6, 34.2, 35.6},
	"EGY": {22, 31.7, 24.7, 36.9},
	"QAT": {24.4, 26.2, 50.7, 51.7},
	"JOR": {29.1, 33.4, 34.9, 39.3},
}

func TestDataValid(t *testing.T) {
	g := bundled(t)
	if n := len(g.Places()); n < 150 {
		t.Errorf("gazetteer has %d places, want 150+", n)
	}
	for _, p := range g.Places() {
		b, ok := bbox[p.Country]
		if !ok {
			t.Errorf("%s: no test bounding box for country %s", p.ID, p.Country)
			continue
		}
		if p.Lat < b[0] || p.Lat > b[1] || p.Lon < b[2] || p.Lon > b[3] {
			t.Errorf("%s (%s): %v,%v outside %s box", p.ID, p.File, p.Lat, p.Lon, p.Country)
		}
		if p.Parent != "" && g.Get(p.Parent) == nil {
			t.Errorf("%s: parent %s missing", p.ID, p.Parent)
		}
		if p.Kind != "country" && p.Parent == "" {
			t.Errorf("%s: only countries may lack a parent", p.ID)
		}
		if len(p.AllNames()) == 0 || p.Name(Both) == "" {
			t.Errorf("%s: no names", p.ID)
		}
		if p.Source == "" {
			t.Errorf("%s: no source", p.ID)
		}
		if p.GeoNames > 0 && p.Kind != "country" && !strings.Contains(p.Source, "GeoNames") {
			t.Errorf("%s: has a GeoNames id but its source does not say so", p.ID)
		}
		// every name must be found by Find and by Search
		for _, n := range p.AllNames() {
			found := false
			for _, q := range g.Search(n) {
				found = found || q == p
			}
			if !found {
				t.Errorf("%s: Search(%q) does not return it", p.ID, n)
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	ok := "places:\n  - {id: a, kind: country, precision: country, country: AAA, lat: 1, lon: 2, source: s, names: {en: [Aland]}}\n"
	tests := []struct {
		name, files, wantErr string
	}{
		{"no files", "", "no gazetteer"},
		{"bad yaml", "places: [", "parse"},
		{"unknown field", "places:\n  - {id: a, colour: red}\n", "colour"},
		{"duplicate id", ok + "  - {id: a, kind: country, precision: country, country: AAA, lat: 1, lon: 2, source: s, names: {en: [B]}}\n", "duplicate id"},
		{"dangling parent", "places:\n  - {id: a, kind: settlement, precision: settlement, country: AAA, parent: zz, lat: 1, lon: 2, source: s, names: {en: [A]}}\n", `parent "zz"`},
		{"missing lat", "places:\n  - {id: a, kind: country, precision: country, country: AAA, lon: 2, source: s, names: {en: [A]}}\n", "lat"},
		{"no names", "places:\n  - {id: a, kind: country, precision: country, country: AAA, lat: 1, lon: 2, source: s}\n", "no names"},
		{"no source", "places:\n  - {id: a, kind: country, precision: country, country: AAA, lat: 1, lon: 2, names: {en: [A]}}\n", "source"},
		{"bad kind", "places:\n  - {id: a, kind: planet, precision: country, country: AAA, lat: 1, lon: 2, source: s, names: {en: [A]}}\n", "kind"},
		{"bad country", "places:\n  - {id: a, kind: country, precision: country, country: Aa, lat: 1, lon: 2, source: s, names: {en: [A]}}\n", "alpha-3"},
		{"loop", "places:\n  - {id: a, kind: region, precision: region, country: AAA, parent: b, lat: 1, lon: 2, source: s, names: {en: [A]}}\n  - {id: b, kind: region, precision: region, country: AAA, parent: a, lat: 1, lon: 2, source: s, names: {en: [B]}}\n", "loops"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.files != "" {
				fsys["gazetteer/x.yaml"] = &fstest.MapFile{Data: []byte(tt.files)}
			}
			_, err := Load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load error = %v, want %q", err, tt.wantErr)
			}
			if tt.files != "" && tt.name != "bad yaml" && tt.name != "unknown field" && !strings.Contains(err.Error(), "x.yaml") {
				t.Errorf("error %v does not name the file", err)
			}
		})
	}
	g, err := Load(fstest.MapFS{"gazetteer/x.yaml": &fstest.MapFile{Data: []byte(ok)}})
	if err != nil || g.Get("a") == nil || len(g.Find("Aland's")) != 1 {
		t.Fatalf("minimal load: %v", err)
	}
}

func TestNilSafety(t *testing.T) {
	var g *Gazetteer
	if g.Find("Baku") != nil || g.Get("x") != nil || g.Search("x") != nil || g.Places() != nil {
		t.Error("nil gazetteer should return nothing")
	}
	p, amb := g.Resolve(Mention{}, Hints{})
	if p != nil || amb != nil {
		t.Error("nil Resolve")
	}
	real := bundled(t)
	if p, amb := real.Resolve(Mention{Candidates: []*Place{nil}}, Hints{}); p != nil || amb != nil {
		t.Error("Resolve of nil candidates")
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"Sotk is the largest gold mine in Armenia.", "Nagorno-Karabakh’s", "Xankəndi", "\xff\xfeSotk",
		"the city of ", " region", "Martakert, Martuni and Shushi regions", "https://x.am/Sotk", "NK", "İ̇ı", ""} {
		f.Add(s)
	}
	g := bundled(f)
	f.Fuzz(func(t *testing.T, s string) {
		ms := g.Find(s)
		prev := -1
		for _, m := range ms {
			if m.Start < 0 || m.End > len(s) || m.Start >= m.End || m.Start < prev {
				t.Fatalf("bad span %d:%d in %q", m.Start, m.End, s)
			}
			if len(m.Candidates) == 0 {
				t.Fatalf("mention %q without candidates", m.Text)
			}
			if s[m.Start:m.End] != m.Text {
				t.Fatalf("text %q does not match span", m.Text)
			}
			prev = m.End
			g.Resolve(m, Hints{Countries: []string{"ARM"}, Places: []string{"sotk", "nope"}})
		}
		g.Search(s)
	})
}

const paragraph = `On November 27th, the Azerbaijani Armed Forces left the area of the Armenian Sotk gold mine in Nagorno-Karabakh. ` +
	`Sotk is the largest gold mine in Armenia. It is located on the border of Armenia and the Karvachar region, which was crossed by Baku. ` +
	`Peaceful life is being restored in the capital of Nagorno-Karabakh, Stepanakert, with the assistance of Russian peacekeepers, ` +
	`and traffic on the Lachin corridor between Goris and Stepanakert resumed while Shusha and Martuni stayed calm.`

func BenchmarkFind(b *testing.B) {
	g := bundled(b)
	b.SetBytes(int64(len(paragraph)))
	for b.Loop() {
		g.Find(paragraph)
	}
}

func BenchmarkResolve(b *testing.B) {
	g := bundled(b)
	ms := g.Find(paragraph)
	h := Hints{Countries: []string{"ARM", "AZE"}, Places: []string{"gegharkunik"}}
	b.ResetTimer()
	for b.Loop() {
		for _, m := range ms {
			g.Resolve(m, h)
		}
	}
}

func BenchmarkSearchFuzzy(b *testing.B) {
	g := bundled(b)
	for b.Loop() {
		g.Search("Kelbadzhar")
	}
}
