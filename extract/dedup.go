package extract

import (
	"slices"

	"github.com/truce-monitor/truce"
)

// dedup merges restatements of one happening within the report: events of
// the same type whose actors, places and dates do not disagree. The kept
// event takes the most explicit evidence (the first, among equals) and fills
// what it lacks from the others, which are listed as restatements.
func (d *doc) dedup() {
	var out []truce.Event
	var meta []evMeta
	for k, ev := range d.events {
		merged := false
		for j := range out {
			if !d.sameHappening(&out[j], meta[j], &ev, d.meta[k]) {
				continue
			}
			other, om := ev, d.meta[k]
			if om.score > meta[j].score+3 {
				out[j], other = other, out[j]
				meta[j], om = om, meta[j]
			}
			fill(&out[j], &meta[j], &other, om)
			merged = true
			break
		}
		if !merged {
			out = append(out, ev)
			meta = append(meta, d.meta[k])
		}
	}
	d.events, d.meta = out, meta
}

// sameHappening reports whether two events of the report tell one happening.
func (d *doc) sameHappening(a *truce.Event, am evMeta, b *truce.Event, bm evMeta) bool {
	if a.Type != b.Type || a.Negated != b.Negated || a.Modality != b.Modality {
		return false
	}
	if !agree(country(a.Recipient), country(b.Recipient)) {
		return false
	}
	if am.sent == bm.sent {
		// one sentence, one happening per actor and date ("twice" splits by date)
		return agree(country(a.Actor), country(b.Actor)) && datesAgree(a.Date, b.Date, true)
	}
	if a.Mode != b.Mode || differentPeople(a.Actor, b.Actor) || differentPeople(a.Recipient, b.Recipient) {
		return false
	}
	ca, cb := country(a.Actor), country(b.Actor)
	if verbal(a.Type) && (ca == "" || cb == "") {
		return false // two statements are one only when the same side makes them
	}
	if ca == "" || cb == "" {
		// without two known actors, only an explicit same place and mode will do
		if a.Place == nil || b.Place == nil || a.Place.ID != b.Place.ID || am.placeAnaphor || bm.placeAnaphor || a.Mode != b.Mode {
			return false
		}
	} else if ca != cb {
		return false
	}
	if !am.placeAnaphor && !bm.placeAnaphor && !d.placesAgree(a.Place, b.Place) {
		return false
	}
	return datesAgree(a.Date, b.Date, false)
}

// placesAgree reports whether two places may be one: equal, one inside the
// other, or one unknown.
func (d *doc) placesAgree(a, b *truce.Place) bool {
	if a == nil || b == nil || a.ID == b.ID {
		return true
	}
	pa, pb := d.x.gz.Get(a.ID), d.x.gz.Get(b.ID)
	if pa == nil || pb == nil {
		return false
	}
	return d.x.gz.Within(pa, pb) || d.x.gz.Within(pb, pa)
}

// differentPeople reports whether two actors are both named people, and not the same.
func differentPeople(a, b *truce.Actor) bool {
	if a == nil || b == nil || a.Kind != "official" || b.Kind != "official" {
		return false
	}
	if a.ID != "" && b.ID != "" {
		return a.ID != b.ID
	}
	return lastWord(a.Name) != lastWord(b.Name)
}

func country(a *truce.Actor) string {
	if a == nil {
		return ""
	}
	return a.Country
}

func agree(a, b string) bool { return a == "" || b == "" || a == b }

func datesAgree(a, b *truce.When, strict bool) bool {
	if a == nil || b == nil {
		return !strict || a == b
	}
	return a.Start <= b.End && b.Start <= a.End
}

// fill completes keep with what other knows and keep does not.
func fill(keep *truce.Event, km *evMeta, other *truce.Event, om evMeta) {
	if keep.Actor == nil || keep.Actor.Country == "" && other.Actor != nil && other.Actor.Country != "" {
		keep.Actor = other.Actor
	}
	if keep.Recipient == nil {
		keep.Recipient = other.Recipient
	}
	if other.Place != nil && (keep.Place == nil || km.placeAnaphor && !om.placeAnaphor) {
		keep.Place, km.placeAnaphor = other.Place, om.placeAnaphor
	}
	if keep.Date == nil {
		keep.Date = other.Date
		km.storyDated = km.storyDated && om.storyDated
	}
	if len(keep.Quantities) == 0 {
		keep.Quantities = other.Quantities
	}
	if keep.Attribution == nil {
		keep.Attribution = other.Attribution
	}
	for _, c := range other.Contexts {
		if !slices.Contains(keep.Contexts, c) {
			keep.Contexts = append(keep.Contexts, c)
		}
	}
	if other.Evidence.Start != keep.Evidence.Start {
		keep.Restated = append(keep.Restated, other.Evidence)
	}
	keep.Restated = append(keep.Restated, other.Restated...)
	if keep.Confidence < 0.95 {
		keep.Confidence += 0.05
	}
}

// inheritDates dates an undated event whose actor was referred back to
// ("the military did give …") with the date of the last dated event of that
// actor a few sentences before: the story is still telling that happening.
func (d *doc) inheritDates() {
	for k := range d.events {
		ev := &d.events[k]
		if ev.Date != nil || !d.meta[k].actorAnaphor || ev.Actor == nil || ev.Actor.Country == "" {
			continue
		}
		for j := k - 1; j >= 0; j-- {
			if d.meta[k].sent-d.meta[j].sent > 3 {
				break
			}
			o := &d.events[j]
			if o.Date != nil && o.Actor != nil && o.Actor.Country == ev.Actor.Country && o.Actor.Kind == ev.Actor.Kind {
				w := *o.Date
				ev.Date = &w
				break
			}
		}
	}
}

// storyDates gives the story's day to the undated events told as news.
func (d *doc) storyDates() {
	if d.story == nil {
		return
	}
	for k := range d.events {
		if d.events[k].Date == nil && d.meta[k].storyDated {
			w := *d.story
			d.events[k].Date = &w
		}
	}
}
