package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
)

type site struct {
	id, arm, aze, country string
	lat, lon              float64
}

// Places are the gazetteer entries events are coded at.
var places = []site{
	{"stepanakert", "Stepanakert", "Khankendi", "AZE", 39.8153, 46.7519},
	{"shusha", "Shushi", "Shusha", "AZE", 39.7583, 46.7486},
	{"martuni", "Martuni", "Khojavend", "AZE", 39.7947, 47.1128},
	{"martakert", "Martakert", "Aghdara", "AZE", 40.2167, 46.8167},
	{"hadrut", "Hadrut", "Hadrut", "AZE", 39.5200, 47.0300},
	{"lachin", "Berdzor", "Lachin", "AZE", 39.6406, 46.5472},
	{"kalbajar", "Karvachar", "Kalbajar", "AZE", 40.1000, 46.0400},
	{"aghdam", "Akna", "Aghdam", "AZE", 39.9911, 46.9300},
	{"fuzuli", "Varanda", "Fuzuli", "AZE", 39.6000, 47.1450},
	{"jabrayil", "Jrakan", "Jabrayil", "AZE", 39.3990, 47.0260},
	{"zangilan", "Kovsakan", "Zangilan", "AZE", 39.0850, 46.6500},
	{"qubadli", "Kashunik", "Qubadli", "AZE", 39.3440, 46.5800},
	{"askeran", "Askeran", "Khojaly", "AZE", 39.9333, 46.8333},
	{"sotk", "Sotk", "Zod", "ARM", 40.2136, 45.8953},
	{"vardenis", "Vardenis", "Vardenis", "ARM", 40.1819, 45.7306},
	{"jermuk", "Jermuk", "Jermuk", "ARM", 39.8419, 45.6728},
	{"goris", "Goris", "Goris", "ARM", 39.5111, 46.3381},
	{"kapan", "Kapan", "Kapan", "ARM", 39.2075, 46.4058},
	{"tegh", "Tegh", "Tegh", "ARM", 39.5578, 46.4867},
	{"berd", "Berd", "Berd", "ARM", 40.8808, 45.3917},
	{"ijevan", "Ijevan", "Ijevan", "ARM", 40.8756, 45.1492},
	{"yerevan", "Yerevan", "Yerevan", "ARM", 40.1792, 44.4991},
	{"meghri", "Meghri", "Meghri", "ARM", 38.9003, 46.2447},
	{"tartar", "Tartar", "Tartar", "AZE", 40.3417, 46.9303},
	{"ganja", "Ganja", "Ganja", "AZE", 40.6828, 46.3606},
	{"baku", "Baku", "Baku", "AZE", 40.4093, 49.8671},
	{"nakhchivan", "Nakhichevan", "Nakhchivan", "AZE", 39.2089, 45.4122},
	{"tovuz", "Tovuz", "Tovuz", "AZE", 40.9922, 45.6283},
	{"tbilisi", "Tbilisi", "Tbilisi", "GEO", 41.7151, 44.8271},
}

type actor struct{ name, country, kind, id string }

var actors = []actor{
	{"Armenian armed forces", "ARM", "armed_forces", "arm.af"},
	{"Azerbaijani armed forces", "AZE", "armed_forces", "aze.af"},
	{"Nagorno-Karabakh Defence Army", "NKR", "armed_forces", "nkr.da"},
	{"Russian peacekeepers", "RUS", "peacekeepers", "rus.pk"},
	{"Nikol Pashinyan", "ARM", "official", "arm.pashinyan"},
	{"Ilham Aliyev", "AZE", "official", "aze.aliyev"},
	{"Armenian Ministry of Defence", "ARM", "government", "arm.mod"},
	{"Azerbaijani Ministry of Defence", "AZE", "government", "aze.mod"},
	{"ICRC", "IGO", "international_organisation", "icrc"},
	{"ANAMA", "AZE", "government", "aze.anama"},
	{"HALO Trust", "GBR", "ngo", "halo"},
	{"OSCE Minsk Group", "IGO", "international_organisation", "osce.mg"},
	{"EU monitoring mission", "IGO", "international_organisation", "euma"},
	{"local residents", "NKR", "civilians", ""},
	{"Azerbaijani border guards", "AZE", "police", "aze.bg"},
	{"Armenian border guards", "ARM", "police", "arm.bg"},
}

type evType struct {
	name     string
	weight   int
	modes    []string
	contexts []string
	verb     string
}

var types = []evType{
	{"ASSAULT", 30, []string{"firearms", "heavy-weapons", "drone", "destroy"}, []string{"military", "ceasefire"}, "opened fire on"},
	{"ACCUSE", 15, []string{""}, []string{"ceasefire", "diplomatic"}, "accused"},
	{"CONSULT", 10, []string{"phone", "visit", "multilateral", "third-party"}, []string{"diplomatic"}, "met"},
	{"AID", 8, []string{"humanitarian", "demining", "escort", "reconstruction"}, []string{"demining", "human_security", "infrastructure"}, "assisted"},
	{"RETREAT", 7, []string{"withdraw", "release", "ceasefire", "access"}, []string{"military", "prisoners", "territory"}, "withdrew from"},
	{"MOBILIZE", 6, []string{"troops", "weapons"}, []string{"military", "border"}, "deployed forces near"},
	{"THREATEN", 5, []string{"violence", "territory"}, []string{"military"}, "threatened"},
	{"COERCE", 5, []string{"seize", "restrict", "arrest", "withhold"}, []string{"border", "transport", "human_rights"}, "blocked"},
	{"PROTEST", 4, []string{"demo", "obstruct"}, []string{"transport", "human_rights"}, "protested against"},
	{"AGREE", 3, []string{""}, []string{"ceasefire", "prisoners"}, "agreed with"},
	{"REQUEST", 3, []string{"assist", "meet"}, []string{"missing_persons", "diplomatic"}, "asked"},
	{"REJECT", 2, []string{""}, []string{"diplomatic"}, "rejected"},
	{"COOPERATE", 1, []string{""}, []string{"transport", "border"}, "cooperated with"},
	{"SUPPORT", 1, []string{""}, []string{"diplomatic"}, "supported"},
}

var sources = []string{"Armenpress", "APA", "news.am", "Trend", "Azatutyun", "OC Media", "JAMnews", "TASS", "Reuters", "Report.az", "Hetq", "Turan"}

var totalWeight = func() int {
	n := 0
	for _, t := range types {
		n += t.weight
	}
	return n
}()

// Year is the first day of the year the events fall in.
var Year = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)

// Types lists the event types the generator uses.
func Types() []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = t.name
	}
	return out
}

// Place is a generator place: its id, lat and lon.
type Place struct {
	ID       string
	Lat, Lon float64
}

// Places lists the generator's places.
func Places() []Place {
	out := make([]Place, len(places))
	for i, p := range places {
		out[i] = Place{p.id, p.lat, p.lon}
	}
	return out
}

// Generator makes synthetic extractions.
type Generator struct {
	r *rand.Rand
	n int
	// EventsPerReport is the number of events in each report (default 10).
	EventsPerReport int
}

// New returns a generator seeded with seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), EventsPerReport: 10}
}

func (g *Generator) pickType() evType {
	w := g.r.IntN(totalWeight)
	for _, t := range types {
		if w < t.weight {
			return t
		}
		w -= t.weight
	}
	return types[0]
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// Next returns the next extraction: a report with EventsPerReport events, a
// claim and, for one report in four, an indicator.
func (g *Generator) Next() *truce.Extraction {
	g.n++
	r := g.r
	pub := Year.AddDate(0, 0, r.IntN(365))
	src := pick(r, sources)
	x := &truce.Extraction{Report: truce.Report{
		Title: fmt.Sprintf("Report %d from %s", g.n, src), Source: src,
		URL:       fmt.Sprintf("https://example.org/%s/%d", strings.ToLower(strings.ReplaceAll(src, " ", "-")), g.n),
		Published: pub.Format(truce.DateLayout), Language: "en", Origin: fmt.Sprintf("synth:%d", g.n),
		SimHash: r.Uint64(),
	}}
	var text strings.Builder
	for range g.EventsPerReport {
		t := g.pickType()
		a := pick(r, actors)
		rc := pick(r, actors)
		p := pick(r, places)
		sentence := fmt.Sprintf("%s %s %s near %s / %s on the %s front, sources said (%d).",
			a.name, t.verb, rc.name, p.arm, p.aze, pick(r, []string{"northern", "southern", "eastern", "western"}), r.IntN(1000))
		start := text.Len()
		text.WriteString(sentence)
		text.WriteString(" ")
		ev := truce.Event{
			Type: t.name, Mode: pick(r, t.modes), Contexts: []string{pick(r, t.contexts)},
			Actor:     &truce.Actor{Name: a.name, Country: a.country, Kind: a.kind, ID: a.id},
			Recipient: &truce.Actor{Name: rc.name, Country: rc.country, Kind: rc.kind, ID: rc.id},
			Evidence:  truce.Span{Text: sentence, Start: start, End: start + len(sentence)},
			Modality:  "asserted", Rule: "synth." + strings.ToLower(t.name), Confidence: 0.5 + r.Float64()/2,
			Trigger: truce.Span{Text: t.verb, Start: start + len(a.name) + 1, End: start + len(a.name) + 1 + len(t.verb)},
		}
		if r.IntN(10) < 9 {
			ev.Place = &truce.Place{ID: p.id, Name: pick(r, []string{p.arm, p.aze}), Canonical: p.arm + " / " + p.aze,
				Country: p.country, Lat: p.lat + (r.Float64()-0.5)/10, Lon: p.lon + (r.Float64()-0.5)/10,
				Precision: truce.PrecisionSettlement}
		}
		d := pub.AddDate(0, 0, -r.IntN(4))
		switch k := r.IntN(100); {
		case k < 85:
			ev.Date = &truce.When{Start: d.Format(truce.DateLayout), End: d.Format(truce.DateLayout), Precision: truce.PrecisionDay}
		case k < 90:
			ev.Date = &truce.When{Start: d.AddDate(0, 0, -6).Format(truce.DateLayout), End: d.Format(truce.DateLayout), Precision: truce.PrecisionWeek}
		case k < 98:
			m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
			ev.Date = &truce.When{Start: m.Format(truce.DateLayout), End: m.AddDate(0, 1, -1).Format(truce.DateLayout), Precision: truce.PrecisionMonth}
		}
		if r.IntN(5) == 0 {
			v := float64(1 + r.IntN(200))
			ev.Quantities = []truce.Quantity{{Value: &v, Unit: "persons", Of: "soldiers"}}
		}
		x.Events = append(x.Events, ev)
	}
	claim := fmt.Sprintf("The ministry denied the reports (%d).", g.n)
	x.Claims = []truce.Claim{{Text: claim, Kind: "denial", Attribution: &truce.Attribution{Speaker: "Ministry", Verb: "denied"},
		Evidence: truce.Span{Text: claim, Start: text.Len(), End: text.Len() + len(claim)}}}
	text.WriteString(claim)
	if r.IntN(4) == 0 {
		v := float64(r.IntN(50))
		x.Indicators = []truce.Indicator{{Metric: "demining.area_cleared", Value: &v, Unit: "ha", Scope: "increment",
			AsOf: x.Report.Published, Evidence: truce.Span{Text: claim}}}
	}
	x.Report.Text = text.String()
	sum := sha256.Sum256([]byte(x.Report.Text))
	x.Report.Hash = hex.EncodeToString(sum[:])
	return x
}
