package extract

import (
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/temporal"
	"github.com/truce-monitor/truce/text"
)

// analyse splits the report into sentences and finds in each its actors,
// places, dates, quantities and attribution.
func (d *doc) analyse() {
	d.byKind = map[string]truce.Actor{}
	ss := text.Sentences(d.r.Text)
	d.sents = make([]*sent, 0, len(ss))
	// first pass: places of the whole report, for disambiguation hints
	for _, s := range ss {
		st := &sent{s: s, idx: len(d.sents), toks: tokenize(s.Text, s.Start), speech: [2]int{-1, -1}}
		st.ws = words(st.toks)
		d.sents = append(d.sents, st)
	}
	for _, st := range d.sents {
		d.findPlaces(st)
	}
	d.byPrecision = map[string]*truce.Place{}
	for i, st := range d.sents {
		inPlace := make([]bool, len(st.toks))
		for _, p := range st.places {
			for k := p.Start; k < p.End; k++ {
				inPlace[k] = true
			}
		}
		st.actors = d.x.actors.find(st.toks, st.ws, func(k int) bool { return inPlace[k] }, d.r.Published)
		d.resolveActors(st)
		raw := temporal.Find(st.s.Text, d.ref, d.hasRef)
		for _, e := range temporal.Merge(st.s.Text, raw) {
			e.Start += st.s.Start
			e.End += st.s.Start
			st.dates = append(st.dates, e)
		}
		for _, e := range raw {
			e.Start += st.s.Start
			e.End += st.s.Start
			st.rawDates = append(st.rawDates, e)
		}
		for _, q := range d.x.qp.FindWith(st.s.Text, raw) {
			q.Start += st.s.Start
			q.End += st.s.Start
			if !d.insideDate(st, q.Start, q.End) {
				st.qty = append(st.qty, q)
			}
		}
		st.topic = len(d.x.topicCues.Find(st.ws)) > 0
		d.attribute(i, st)
		if st.speaker != nil && st.speaker.Name != "" {
			d.lastSpeaker, d.speakerSent = st.speaker, i
		}
		if st.firstPerson != nil {
			d.lastPerson, d.personSent = st.firstPerson, i
		}
	}
	d.attributeQuotes()
	d.setLead()
}

// setLead finds the report's lead place and story day: what its first
// sentences name.
func (d *doc) setLead() {
	var best *placeMention
	for _, st := range d.sents {
		if st.s.Para > 1 || st.idx > 2 {
			break
		}
		if pm := d.finestPlace(st); pm != nil && (best == nil || rank(pm.Place.Precision) < rank(best.Place.Precision)) {
			best = pm
		}
		if d.story == nil {
			for _, e := range st.dates {
				w := e.When
				if !w.Unresolved && w.Precision == truce.PrecisionDay && w.Start <= d.r.Published && daysBetween(w.Start, d.r.Published) <= 7 {
					d.story = &w
					break
				}
			}
		}
	}
	if best != nil && best.Place.Precision != truce.PrecisionCountry {
		p := best.Place
		d.leadPlace = &p
	}
	if d.story == nil && d.hasRef {
		d.story = &truce.When{Start: d.r.Published, End: d.r.Published, Precision: truce.PrecisionDay, Text: "(report date)"}
	}
}

// daysBetween returns the days from a to b (YYYY-MM-DD), or a large number
// when either does not parse.
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(truce.DateLayout, a)
	tb, err2 := time.Parse(truce.DateLayout, b)
	if err1 != nil || err2 != nil {
		return 1 << 30
	}
	return int(tb.Sub(ta).Hours() / 24)
}

func (d *doc) insideDate(st *sent, a, b int) bool {
	for _, e := range st.dates {
		if a < e.End && e.Start < b {
			return true
		}
	}
	return false
}

// findPlaces resolves the gazetteer mentions of a sentence.
func (d *doc) findPlaces(st *sent) {
	for _, m := range d.x.gz.Find(st.s.Text) {
		p, _ := d.x.gz.Resolve(m, gazetteer.Hints{Countries: d.countries, Places: d.placeIDs})
		if p == nil {
			continue
		}
		a, b := d.tokenRange(st, m.Start+st.s.Start, m.End+st.s.Start)
		if a >= b {
			continue
		}
		tp := p.Truce(m.Text, d.x.conv)
		st.places = append(st.places, placeMention{Start: a, End: b, Place: tp, pl: p})
		d.placeIDs = append(d.placeIDs, p.ID)
	}
}

// tokenRange returns the tokens of st covering the byte range [a, b).
func (d *doc) tokenRange(st *sent, a, b int) (int, int) {
	s, e := -1, -1
	for i, t := range st.toks {
		if t.End > a && t.Start < b {
			if s < 0 {
				s = i
			}
			e = i + 1
		}
	}
	if s < 0 {
		return 0, 0
	}
	return s, e
}

// resolveActors fills in anaphors from the actors seen so far and records
// the sentence's explicit actors for the sentences after it.
func (d *doc) resolveActors(st *sent) {
	for i := range st.actors {
		m := &st.actors[i]
		switch {
		case m.Pronoun == "it" || m.Pronoun == "they" || m.Pronoun == "them":
			if d.lastActor != nil {
				a := *d.lastActor // the actor named last before the pronoun, not at the end of the report
				m.Antecedent = &a
			}
		case m.Pronoun != "":
			// he, she, we: resolved per use (speaker or subject), see resolvePronoun
		case m.Person && m.End-m.Start == 1 && !m.Anaphor:
			// a lone surname the lexicon knows may still be someone named in full earlier
			for k := len(d.persons) - 1; k >= 0; k-- {
				if lastWord(d.persons[k].Name) == st.toks[m.Start].Text && d.persons[k].Name != m.Actor.Name {
					m.Actor = d.persons[k]
					break
				}
			}
		case m.Person && m.Anaphor:
			// a lone surname: the person named in full earlier
			for k := len(d.persons) - 1; k >= 0; k-- {
				if lastWord(d.persons[k].Name) == m.Actor.Name {
					m.Actor = d.persons[k]
					m.Anaphor = false
					break
				}
			}
		case m.Anaphor && m.Actor.Country == "":
			definite := m.Start > 0 && isDeterminer(st.ws[m.Start-1])
			if a, ok := d.byKind[m.Actor.Kind]; ok && definite && a.Country != "" {
				name := m.Actor.Name
				m.Actor = a
				m.Actor.Name = name
				if a.Name != "" && !strings.EqualFold(a.Name, name) {
					m.Actor.Name = a.Name
				}
			}
		}
		if m.Actor.Kind == "civilians" && m.Actor.Country != "" {
			// "the Azerbaijanis": the country's forces where they were last in play
			if a, ok := d.byKind["armed_forces"]; ok && a.Country == m.Actor.Country {
				m.Actor.Kind = "armed_forces"
			}
		}
		if m.Pronoun == "" && m.Actor.Name != "" {
			a := m.Actor
			if a.Country != "" {
				d.byKind[a.Kind] = a
				d.addCountry(a.Country)
			}
			if m.Person && !m.Anaphor {
				d.persons = append(d.persons, a)
			}
			if m.Person && st.s.Quote == nil && st.firstPerson == nil {
				st.firstPerson = &st.actors[i].Actor
			}
			if a.Country != "" || m.Person {
				d.lastActor = &st.actors[i].Actor
			}
		}
	}
}

func (d *doc) addCountry(c string) {
	for _, x := range d.countries {
		if x == c {
			return
		}
	}
	d.countries = append(d.countries, c)
}

// attribute finds who a sentence is attributed to: "X said (that)",
// "…, X said.", "said X", "according to X", "he said".
func (d *doc) attribute(i int, st *sent) {
	ws := st.ws
	// according to X
	for _, m := range d.x.according.Find(ws) {
		a, clauseEnd := d.speakerAfter(st, m.End)
		st.speech = [2]int{m.Start, clauseEnd}
		st.attr = &truce.Attribution{Speaker: a.Name, Role: a.Role, Verb: "according to", Country: a.Country}
		if a.Kind != "" || a.Country != "" {
			st.speaker = &a
		}
		return
	}
	for k, w := range ws {
		verb, ok := d.x.speech[w]
		if !ok || (k > 0 && isDeterminer(ws[k-1])) {
			continue
		}
		// subject right before the verb (allowing an auxiliary or adverb)
		if m := d.mentionEndingNear(st, k); m != nil {
			a := d.resolvePronoun(m, true)
			if a == nil {
				continue
			}
			st.attr = &truce.Attribution{Speaker: a.Name, Role: a.Role, Verb: verb, Country: a.Country}
			st.speaker = a
			end := k + 1
			if end < len(ws) && ws[end] == "that" {
				end++
			}
			st.speech = [2]int{m.RoleStart, end}
			return
		}
		// inverted: `…," said X` / `…, said X.`
		if k > 0 && (ws[k-1] == "," || ws[k-1] == "\"") {
			for j := range st.actors {
				m := &st.actors[j]
				if m.RoleStart == k+1 || (m.RoleStart == k+2 && ws[k+1] == "the") {
					a := d.resolvePronoun(m, true)
					if a != nil {
						st.attr = &truce.Attribution{Speaker: a.Name, Role: a.Role, Verb: verb, Country: a.Country}
						st.speaker = a
						st.speech = [2]int{k, m.End}
						return
					}
				}
			}
		}
	}
}

// speakerAfter returns the actor named after "according to" and the token
// where that clause ends (the next comma).
func (d *doc) speakerAfter(st *sent, k int) (truce.Actor, int) {
	end := k
	for end < len(st.ws) && st.ws[end] != "," {
		end++
	}
	for j := range st.actors {
		m := &st.actors[j]
		if m.RoleStart >= k && m.End <= end {
			if a := d.resolvePronoun(m, true); a != nil {
				return *a, end
			}
		}
	}
	return truce.Actor{Name: joinText(st.toks, k, end)}, end
}

// mentionEndingNear returns the actor mention that ends at token k or one
// or two auxiliary or adverb words before it.
func (d *doc) mentionEndingNear(st *sent, k int) *actorMention {
	for j := len(st.actors) - 1; j >= 0; j-- {
		m := &st.actors[j]
		if m.End > k {
			continue
		}
		gap := st.ws[m.End:k]
		if len(gap) > 2 {
			return nil
		}
		for _, w := range gap {
			if !isAuxOrAdverb(w) {
				return nil
			}
		}
		return m
	}
	return nil
}

// resolvePronoun returns the actor a mention stands for. For speakers, he
// and she are the last named person; we and I are resolved by the caller.
func (d *doc) resolvePronoun(m *actorMention, speaker bool) *truce.Actor {
	switch m.Pronoun {
	case "":
		a := m.Actor
		return &a
	case "he", "she", "him", "her":
		// a speaker is the last one quoted, unless a person became the subject since
		if speaker && d.lastSpeaker != nil && (d.lastPerson == nil || d.speakerSent >= d.personSent) {
			return d.lastSpeaker
		}
		return d.lastPerson
	case "they", "them", "it":
		if speaker {
			return nil
		}
		return m.Antecedent
	}
	return nil
}

// attributeQuotes gives the sentences of a quotation the attribution of the
// sentence that closes or introduces it, or of the last person named.
func (d *doc) attributeQuotes() {
	for i := 0; i < len(d.sents); {
		q := d.sents[i].s.Quote
		if q == nil {
			i++
			continue
		}
		j := i
		for j < len(d.sents) && d.sents[j].s.Quote != nil && *d.sents[j].s.Quote == *q {
			j++
		}
		var attr *truce.Attribution
		var sp *truce.Actor
		for k := i; k < j && attr == nil; k++ {
			attr, sp = d.sents[k].attr, d.sents[k].speaker
		}
		if attr == nil && j < len(d.sents) && d.sents[j].attr != nil && d.sents[j].s.Start-q.End < 40 {
			attr, sp = d.sents[j].attr, d.sents[j].speaker
		}
		if attr == nil && i > 0 && strings.HasSuffix(strings.TrimSpace(d.sents[i-1].s.Text), ":") {
			prev := d.sents[i-1]
			for k := len(prev.actors) - 1; k >= 0; k-- {
				if a := d.resolvePronoun(&prev.actors[k], true); a != nil {
					attr = &truce.Attribution{Speaker: a.Name, Role: a.Role, Verb: "said", Country: a.Country}
					sp = a
					break
				}
			}
		}
		if attr == nil && i > 0 {
			// the person who was the subject just before the quote
			for k := i - 1; k >= 0 && k >= i-3 && attr == nil; k-- {
				for _, m := range d.sents[k].actors {
					if m.Person && m.Pronoun == "" && !m.Anaphor {
						a := m.Actor
						attr = &truce.Attribution{Speaker: a.Name, Role: a.Role, Verb: "said", Country: a.Country}
						sp = &a
						break
					}
				}
			}
		}
		for k := i; k < j; k++ {
			if d.sents[k].attr == nil {
				d.sents[k].attr, d.sents[k].speaker = attr, sp
			}
		}
		i = j
	}
}

func lastWord(s string) string {
	if k := strings.LastIndexByte(s, ' '); k >= 0 {
		return s[k+1:]
	}
	return s
}

func isDeterminer(w string) bool {
	switch w {
	case "the", "a", "an", "their", "his", "her", "its", "our", "my", "your", "these", "those", "this", "that", "of", "such", "any", "'s":
		return true
	}
	return false
}

func isAuxOrAdverb(w string) bool {
	switch w {
	case "has", "have", "had", "also", "later", "further", "then", "again", "officially", "previously", "earlier", "reportedly", "publicly", "repeatedly", "once", "recently", "today", "yesterday", ",", "was", "were", "is", "are", "did", "does", "do", "not":
		return true
	}
	return false
}
