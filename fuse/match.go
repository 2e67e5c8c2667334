package fuse

import (
	"math"
	"strings"

	"github.com/truce-monitor/truce"
)

// matchIncident scores how well a new member fits inc: the best pair score
// with any member, provided no member of the same report has the same type
// (the extractor already merged restatements, so those are different
// happenings) and no member's date is out of reach (no drift along a chain).
func (f *Fuser) matchIncident(m *Member, info *memberInfo, inc *Incident) (float64, bool, bool) {
	best, bestSwap, found := 0.0, false, false
	slack := int32(f.rules.DateSlackDays)
	for k := range inc.Members {
		om, oi := &inc.Members[k], &inc.info[k]
		if !oi.fusable {
			continue
		}
		if om.Report.ID == m.Report.ID && om.Event.Type == m.Event.Type {
			return 0, false, false
		}
		if gap(info, oi) > slack+1 {
			return 0, false, false
		}
		if s, swap, ok := f.pair(m, info, om, oi); ok && (!found || s > best) {
			best, bestSwap, found = s, swap, true
		}
	}
	return best, bestSwap, found
}

func gap(a, b *memberInfo) int32 {
	return max(a.start-b.end, b.start-a.end, 0)
}

// pair scores two members as tellings of one happening; ok is false when they cannot be.
// Type, modality, date, place and actors must be compatible, and at least two
// of place, actors and evidence wording must positively agree.
func (f *Fuser) pair(a *Member, ai *memberInfo, b *Member, bi *memberInfo) (score float64, swap, ok bool) {
	ts := f.rules.typeScore(a.Event.Type, b.Event.Type)
	if ts == 0 || ai.asserted != bi.asserted {
		return 0, false, false
	}
	g := gap(ai, bi)
	if g > int32(f.rules.DateSlackDays) {
		return 0, false, false
	}
	ds := 1.0
	if g > 0 {
		ds = 0.5
	}
	ps, placeAgree, ok := f.placeScore(a.Event.Place, ai, b.Event.Place, bi)
	if !ok {
		return 0, false, false
	}
	as, actorAgree, swap, ok := f.actorScore(a, ai, b, bi)
	if !ok {
		return 0, false, false
	}
	ev := overlap(ai.words, bi.words)
	agree := 0
	for _, x := range []bool{placeAgree, actorAgree, ev >= f.rules.MinEvidence} {
		if x {
			agree++
		}
	}
	if agree < 2 {
		return 0, false, false
	}
	return ts + ds + ps + as + 0.5*ev, swap, true
}

// placeScore compares two places: same place 1, one inside the other 0.7,
// near by the coarser precision's radius up to 0.8; unknown is neutral.
func (f *Fuser) placeScore(a *truce.Place, ai *memberInfo, b *truce.Place, bi *memberInfo) (float64, bool, bool) {
	if !ai.hasPlace || !bi.hasPlace {
		return 0, false, true
	}
	if a.ID != "" && a.ID == b.ID {
		return 1, true, true
	}
	if f.gz != nil && a.ID != "" && b.ID != "" {
		pa, pb := f.gz.Get(a.ID), f.gz.Get(b.ID)
		if pa != nil && pb != nil && (f.gz.Within(pa, pb) || f.gz.Within(pb, pa)) {
			if a.Precision == truce.PrecisionCountry || b.Precision == truce.PrecisionCountry {
				return 0.2, false, true // inside a country says little
			}
			return 0.7, true, true
		}
	}
	coarse := coarser(a.Precision, b.Precision)
	if coarse == truce.PrecisionCountry || coarse == "" {
		if a.Country != "" && a.Country == b.Country {
			return 0.2, false, true
		}
		return 0, false, false
	}
	r := f.rules.RadiusKM[coarse]
	d := haversine(ai.lat, ai.lon, bi.lat, bi.lon)
	if r == 0 || d > r {
		return 0, false, false
	}
	return 0.8 * (1 - d/r), true, true
}

var precisionRank = map[string]int{truce.PrecisionSite: 1, truce.PrecisionSettlement: 2,
	truce.PrecisionDistrict: 3, truce.PrecisionProvince: 4, truce.PrecisionRegion: 5, truce.PrecisionCountry: 6}

// coarser returns the less precise of two place precisions; an unknown precision counts as a country.
func coarser(a, b string) string {
	ra, rb := precisionRank[a], precisionRank[b]
	if ra == 0 || rb == 0 {
		return truce.PrecisionCountry
	}
	if ra > rb {
		return a
	}
	return b
}

// haversine returns the great-circle distance in km between two points.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(min(1, h)))
}

// actorScore compares the acting and acted-upon sides by country. Known and
// equal agrees; unknown is neutral; different is incompatible, except for a
// mutual accusation: two parties' claims, each naming the other side as the
// one that acted, which join as one happening with responsibility disputed.
func (f *Fuser) actorScore(a *Member, ai *memberInfo, b *Member, bi *memberInfo) (score float64, agree, swap, ok bool) {
	clash := func(x, y string) bool { return x != "" && y != "" && x != y }
	same := func(x, y string) bool { return x != "" && x == y }
	if !clash(ai.actor, bi.actor) && !clash(ai.recipient, bi.recipient) {
		for _, s := range []bool{same(ai.actor, bi.actor), same(ai.recipient, bi.recipient)} {
			if s {
				score += 0.5
				agree = true
			}
		}
		return score, agree, false, true
	}
	if a.PartyClaim && b.PartyClaim && ai.side != "" && bi.side != "" && ai.side != bi.side &&
		f.reg.Side(ai.actor) != "" && f.reg.Side(bi.actor) != "" && f.reg.Side(ai.actor) != f.reg.Side(bi.actor) {
		return 0, false, true, true
	}
	return 0, false, false, false
}

// contentWords returns the lowercased words of s that carry meaning.
func (f *Fuser) contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range wordsOf(s) {
		if len(w) < 3 && !isDigits(w) || f.rules.stop[w] {
			continue
		}
		w = strings.TrimSuffix(w, "s")
		out[w] = true
	}
	return out
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// overlap is the Jaccard similarity of two word sets.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

// originator is who asserts e: the registered or named speaker, else the report's outlet.
func (f *Fuser) originator(r truce.Report, e truce.Event) Originator {
	if at := e.Attribution; at != nil && strings.TrimSpace(at.Speaker) != "" {
		if s := f.reg.Lookup(at.Speaker); s != nil {
			return fromSource(s)
		}
		aff := at.Country
		if aff == "" {
			aff = "none"
		}
		return Originator{Name: at.Speaker, Affiliation: aff, Reliability: ReliabilityF}
	}
	if s := f.reg.Lookup(r.Source); s != nil {
		return fromSource(s)
	}
	return Originator{Name: r.Source, Kind: "outlet", Affiliation: "none", Reliability: ReliabilityF}
}

func fromSource(s *Source) Originator {
	return Originator{Name: s.Name, Kind: s.Kind, Affiliation: s.Affiliation, Reliability: s.Reliability, Registered: true}
}

// partyClaim reports whether o, a party, says the other side acted (against o's side, when a target is named).
func (f *Fuser) partyClaim(o Originator, e truce.Event) bool {
	side := f.reg.Side(o.Affiliation)
	if side == "" {
		return false
	}
	act, rec := country(e.Actor), country(e.Recipient)
	if e.Type == "ACCUSE" {
		act, rec = rec, act
	}
	as := f.reg.Side(act)
	if as == "" || as == side {
		return false
	}
	return rec == "" || f.reg.Side(rec) == side || f.reg.Side(rec) == ""
}
