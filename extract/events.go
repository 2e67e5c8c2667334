package extract

import (
	"slices"
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/lexicon"
	"github.com/truce-monitor/truce/temporal"
)

// eventsOf codes the events of sentence i, and its claim when it is an
// attributed statement without an asserted event.
func (d *doc) eventsOf(i int) {
	st := d.sents[i]
	d.notePlaces(st)
	matches := d.x.lx.MatchPatterns(st.ws)
	if habitual(st.ws) {
		matches = nil // "sappers explode munitions if …": how things are done, not what happened
	}
	asserted := 0
	var claimKind string
	first := -1
	var prev *truce.Actor
	prevAnaphor := false
	prevModal := ""
	disputed := -1 // end of a denial or an accusation: what follows is its content
	for _, m := range matches {
		p := &d.x.lx.Patterns[m.ID]
		if m.Start >= st.speech[0] && m.End <= st.speech[1] && d.x.speech[st.ws[m.Start]] != "" && p.Type != "REJECT" && p.Type != "ACCUSE" {
			continue // the reporting verb itself ("said"); "denied" is also a REJECT
		}
		if m.Verbal && m.Start > 0 && isDeterminer(st.ws[m.Start-1]) {
			continue // "their demands", "of captured servicemen": a noun or an adjective
		}
		if m.Verbal && reducedRelative(st, m.Start) {
			continue // "the territory captured by Azerbaijan": background, not a new event
		}
		if first >= 0 && infinitive(st.ws, m.Start) {
			continue // "agreed to maintain … and to discuss": the infinitive is not an event of its own
		}
		if disputed >= 0 && m.Start > disputed && p.Type != "REJECT" && p.Type != "ACCUSE" {
			continue // "denied that its units fired": the firing is the disputed claim, not an event
		}
		if p.Type == "REJECT" || p.Type == "ACCUSE" {
			disputed = m.End
		}
		if st.topic && p.Type != "CONSULT" && !d.namedAfter(st, m) {
			d.addTopics(i, st)
			continue
		}
		modal, negated := d.modalityBefore(st, m.Start)
		if !m.Verbal {
			if after := d.modalityAfter(st, m.End); after != "" {
				modal = after // "demining … is planned to be completed"
			}
			if len(d.x.disowned.Find(st.ws[m.End:])) > 0 {
				negated = true // "reports of gunfire … were not confirmed"
			}
		}
		coordinated := first >= 0 && coordinatedVerb(st.ws, m.Start)
		ev, meta, ok := d.buildEvent(i, st, m, p, coordinated, prev, prevAnaphor)
		for _, alt := range m.Alt {
			if ok {
				break
			}
			// the best phrase's constraints ruled it out: "people left their houses" is not a troop withdrawal
			m, p = alt, &d.x.lx.Patterns[alt.ID]
			ev, meta, ok = d.buildEvent(i, st, m, p, coordinated, prev, prevAnaphor)
		}
		if coordinated && modal == "" && !negated {
			modal = prevModal // "pledged to continue the pause … and free prisoners": the pledge covers both
		}
		if !ok {
			continue
		}
		if first < 0 {
			first = m.Start
		}
		prev, prevAnaphor, prevModal = ev.Actor, meta.actorAnaphor, modal
		if st.ws[m.End-1] == "to" {
			prevModal = "future" // "pledged to …", "agreed to …": what follows is promised, not done
		}
		ev.Negated = negated
		switch modal {
		case "demanded":
			claimKind = "demand"
			d.addEvent(i, d.demand(st, ev), meta)
			continue
		case "future":
			claimKind = "statement"
			if ev.Type == "RETREAT" {
				ev.Type, ev.Mode, ev.Modality = "CONCEDE", "", "future"
				ev.Rule += "+future"
				d.addEvent(i, ev, meta)
				asserted++
			}
			continue
		case "possible":
			claimKind = "statement"
			continue
		}
		switch ev.Type {
		case "REQUEST":
			claimKind = "demand"
		case "REJECT":
			claimKind = "denial"
		case "ACCUSE":
			claimKind = "allegation"
		}
		d.addEvent(i, ev, meta)
		asserted++
	}
	intro := strings.HasSuffix(strings.TrimSpace(st.s.Text), ":")
	if st.attr != nil && !intro && (asserted == 0 || claimKind != "") {
		if claimKind == "" {
			claimKind = "statement"
		}
		a := *st.attr
		d.claims = append(d.claims, truce.Claim{Text: st.s.Text, Kind: claimKind, Attribution: &a,
			Evidence: d.span(st), Rule: "claim." + claimKind})
	}
}

// leadParagraphs is how many paragraphs at the top of a report take the
// report's lead place when they name none.
const leadParagraphs = 3

// backgroundDays is how long before the report an event must have ended to
// be background history rather than news.
const backgroundDays = 30

// namedAfter reports whether a nominal trigger names its actor after it:
// "the invasion of Azerbaijani units".
func (d *doc) namedAfter(st *sent, m lexicon.Match) bool {
	return !m.Verbal && d.ofActor(st, m) != nil
}

// ofActor returns the actor with a country named right after a nominal
// trigger and "of (the)".
func (d *doc) ofActor(st *sent, m lexicon.Match) *actorMention {
	k := m.Start + 1
	if k >= len(st.ws) || st.ws[k] != "of" {
		return nil
	}
	for j := range st.actors {
		a := &st.actors[j]
		if (a.RoleStart == k+1 || a.RoleStart == k+2 && st.ws[k+1] == "the") && a.Actor.Country != "" {
			return a
		}
	}
	return nil
}

// habitual reports whether a sentence tells how things are usually done.
func habitual(ws []string) bool {
	for k, w := range ws {
		switch w {
		case "if", "whenever", "usually", "regularly", "repeatedly", "routinely", "typically", "normally":
			return true
		case "every":
			if k+1 < len(ws) && (ws[k+1] == "day" || ws[k+1] == "week" || ws[k+1] == "time") {
				return true
			}
		}
	}
	return false
}

// reducedRelative reports whether a participle at k modifies the noun before
// it ("the territory captured by Azerbaijan"), with no auxiliary.
func reducedRelative(st *sent, k int) bool {
	ws := st.ws
	if k >= 2 && ws[k-2] == "of" && strings.HasSuffix(ws[k], "ed") && !isAux(ws[k-1]) && !st.toks[k-1].Cap {
		return true // "the bodies of servicemen killed in Shusha" (but not "80 military of Azerbaijan entered")
	}
	if k == 0 || k+1 >= len(ws) || ws[k+1] != "by" || !strings.HasSuffix(ws[k], "ed") {
		return false
	}
	switch ws[k-1] {
	case "was", "were", "been", "be", "is", "are", "being", "has", "have", "had", "also", "reportedly":
		return false
	}
	return true
}

func isAux(w string) bool {
	switch w {
	case "was", "were", "been", "be", "is", "are", "being", "has", "have", "had":
		return true
	}
	return false
}

// notePlaces remembers the places a sentence names, for later sentences
// that refer back to them ("the city", "this territory").
func (d *doc) notePlaces(st *sent) {
	for k := range st.places {
		if pm := &st.places[k]; !d.inActorRole(st, pm.Start) {
			p := pm.Place
			d.byPrecision[p.Precision] = &p
		}
	}
	if best := d.finestPlace(st); best != nil {
		p := best.Place
		d.lastPlace = &p
	}
}

// finestPlace returns the most precise place a sentence names outside the
// names and roles of its actors, or nil.
func (d *doc) finestPlace(st *sent) *placeMention {
	var best *placeMention
	for k := range st.places {
		pm := &st.places[k]
		if d.inActorRole(st, pm.Start) {
			continue
		}
		if best == nil || rank(pm.Place.Precision) < rank(best.Place.Precision) {
			best = pm
		}
	}
	return best
}

// infinitive reports whether the trigger at k is a to-infinitive ("to
// discuss", "to jointly discuss").
func infinitive(ws []string, k int) bool {
	if k > 0 && ws[k-1] == "to" {
		return true
	}
	return k > 1 && ws[k-2] == "to" && strings.HasSuffix(ws[k-1], "ly")
}

// coordinatedVerb reports whether the trigger at k follows "and" (with
// adverbs between): "warned X …, and also informed Y" shares its subject.
func coordinatedVerb(ws []string, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		switch ws[j] {
		case "and", "then":
			return true
		case "also", "later", "subsequently", "then,", ",":
			continue
		}
		return false
	}
	return false
}

// buildEvent fills an event's actor, recipient, place, date and quantities
// from the sentence around a pattern match.
func (d *doc) buildEvent(i int, st *sent, m lexicon.Match, p *lexicon.Pattern, coordinated bool, prev *truce.Actor, prevAnaphor bool) (truce.Event, evMeta, bool) {
	meta := evMeta{sent: i}
	ev := truce.Event{Type: p.Type, Mode: p.Mode, Contexts: append([]string{}, p.Contexts...), Quantities: []truce.Quantity{},
		Evidence: d.span(st), Rule: "pattern." + p.ID, Confidence: p.Confidence, Modality: "asserted",
		Trigger: truce.Span{Text: d.r.Text[st.toks[m.Start].Start:st.toks[m.End-1].End], Start: st.toks[m.Start].Start, End: st.toks[m.End-1].End}}
	if st.attr != nil {
		a := *st.attr
		ev.Attribution = &a
	}
	actor, anaphor, agentAfter := d.subject(st, m)
	if m.Start >= st.speech[0] && m.End <= st.speech[1] && st.speaker != nil {
		actor, anaphor = st.speaker, false // "the ministry denied …": the speaker denies
	}
	if a := d.ofActor(st, m); a != nil && !m.Verbal {
		actor, anaphor = d.forSubject(st, a), a.Anaphor
	}
	if coordinated && prev != nil {
		actor, anaphor = prev, prevAnaphor
	}
	var ref *truce.Event
	if actor == nil {
		// "the participants in the meeting agreed": the meeting's parties
		if ref = d.eventAnaphor(st); ref != nil && ref.Actor != nil {
			actor, anaphor = ref.Actor, true
		}
	}
	if actor != nil {
		a := *actor
		ev.Actor = &a
	}
	meta.actorAnaphor = anaphor
	if len(p.ActorKinds) > 0 && (ev.Actor == nil || !slices.Contains(p.ActorKinds, ev.Actor.Kind)) {
		return ev, meta, false
	}
	if r := d.object(st, m, agentAfter, ev.Actor); r != nil {
		a := *r
		ev.Recipient = &a
	}
	if pl, anaphoric := d.placeFor(st, m, verbal(p.Type)); pl != nil {
		ev.Place, meta.placeAnaphor = pl, anaphoric
	} else if p.Needs == "place" {
		return ev, meta, false
	}
	ev.Date = d.dateFor(i, st, m, ref, verbal(p.Type))
	if ev.Date != nil && !ev.Date.Unresolved && d.hasRef && daysBetween(ev.Date.End, d.r.Published) > backgroundDays {
		return ev, meta, false // background: what happened long before the report
	}
	// an undated event told as news happened on the story's day, unless it
	// goes on ("continue to") or is a deed told in a quotation, whose time
	// the quote does not give
	meta.storyDated = ev.Date == nil && !ongoing(st.ws, m.Start) && (st.s.Quote == nil || verbal(p.Type))
	for _, q := range st.qty {
		ev.Quantities = append(ev.Quantities, q)
	}
	if p.Needs == "quantity" && len(ev.Quantities) == 0 {
		return ev, meta, false
	}
	if ev.Actor == nil {
		ev.Confidence -= 0.2
	}
	if ev.Place == nil {
		ev.Confidence -= 0.1
	}
	meta.score = d.score(st, ev, meta)
	return ev, meta, true
}

// subject returns the actor of the event matched at m: the nearest actor
// before the trigger in its clause, or the agent of a passive ("by X").
func (d *doc) subject(st *sent, m lexicon.Match) (actor *truce.Actor, anaphor, agentAfter bool) {
	if m.Start > 0 && isPassiveAux(st.ws, m.Start) {
		for j := range st.actors {
			a := &st.actors[j]
			if a.RoleStart >= m.End && st.ws[a.RoleStart-1] == "by" {
				return d.forSubject(st, a), a.Anaphor, true
			}
		}
		// an agentless passive: nobody named
		return nil, false, false
	}
	for j := len(st.actors) - 1; j >= 0; j-- {
		a := &st.actors[j]
		if a.End > m.Start {
			continue
		}
		if st.speech[0] >= 0 && a.RoleStart >= st.speech[0] && a.End <= st.speech[1] {
			continue // the speaker of "X said that …"
		}
		if afterLocative(st.ws, a.RoleStart) && a.Pronoun == "" {
			continue
		}
		return d.forSubject(st, a), a.Anaphor, false
	}
	return nil, false, false
}

// forSubject resolves a subject mention: "we" and "I" are the speaker's side.
func (d *doc) forSubject(st *sent, a *actorMention) *truce.Actor {
	switch a.Pronoun {
	case "we", "i":
		return st.speaker
	case "":
		r := a.Actor
		return &r
	}
	return d.resolvePronoun(a, false)
}

// object returns the first actor after the trigger in its clause.
func (d *doc) object(st *sent, m lexicon.Match, skipAgent bool, actor *truce.Actor) *truce.Actor {
	for j := range st.actors {
		a := &st.actors[j]
		if a.RoleStart <= m.Start || (st.speech[0] >= 0 && a.RoleStart >= st.speech[0] && a.End <= st.speech[1]) {
			continue
		}
		if skipAgent && a.RoleStart > 0 && st.ws[a.RoleStart-1] == "by" {
			continue
		}
		if a.Pronoun != "" {
			continue
		}
		if actor != nil && a.Actor.Name == actor.Name {
			continue
		}
		r := a.Actor
		return &r
	}
	return nil
}

// placeFor returns where the event matched at m happened: the most precise
// place the sentence names after the trigger, else before it, else a place
// the sentence refers back to ("the mine", "the city").
func (d *doc) placeFor(st *sent, m lexicon.Match, verbal bool) (*truce.Place, bool) {
	usable := func(pm *placeMention) bool {
		if d.inActorRole(st, pm.Start) || (st.speech[0] >= 0 && pm.Start >= st.speech[0] && pm.End <= st.speech[1]) {
			return false // "Head of Sotk", "the ministry in Baku said"
		}
		return !verbal || pm.Place.Precision != truce.PrecisionCountry // "Armenia calls on …": a party, not a place
	}
	// the first place after the trigger, and the places chained to it in the
	// same phrase ("the area of the Sotk gold mine in Nagorno-Karabakh"):
	// the most precise of them
	var best *placeMention
	for k := range st.places {
		pm := &st.places[k]
		if pm.Start <= m.Start || !usable(pm) {
			continue
		}
		if best != nil && clauseBreak(st.ws, best.End, pm.Start) {
			break
		}
		if best == nil || rank(pm.Place.Precision) < rank(best.Place.Precision) {
			best = pm
		}
	}
	if best == nil {
		// else the nearest place before it
		for k := len(st.places) - 1; k >= 0; k-- {
			if pm := &st.places[k]; pm.End <= m.Start && usable(pm) {
				best = pm
				break
			}
		}
	}
	if best != nil {
		p := best.Place
		return &p, false
	}
	if verbal {
		return nil, false // talks, demands and accusations happen where the sentence says, or nowhere known
	}
	ref := d.paraPlace(st)
	if prec, ok := refersBack(st.ws); ok {
		ref = d.lastPlace
		if p := d.byPrecision[prec]; p != nil && prec != "" {
			ref = p
		}
	}
	if ref == nil {
		// near the top the story's place is in play; further down, the last one named
		ref = d.lastPlace
		if st.s.Para <= leadParagraphs || ref == nil {
			ref = d.leadPlace
		}
	}
	if ref != nil {
		p := *ref
		p.Name = ""
		return &p, true
	}
	return nil, false
}

// clauseBreak reports whether words [a, b) end a phrase: a comma, a
// semicolon, a reporting verb or a conjunction starting a new clause.
func clauseBreak(ws []string, a, b int) bool {
	if a >= b {
		return false
	}
	for _, w := range ws[a:b] {
		switch w {
		case ",", ";", ":", "said", "says", "while", "but", "whereas", "after", "before", "when":
			return true
		}
	}
	return false
}

// paraPlace returns the most precise place an earlier sentence of the same
// paragraph names, if any.
func (d *doc) paraPlace(st *sent) *truce.Place {
	var best *truce.Place
	for k := st.idx - 1; k >= 0 && d.sents[k].s.Para == st.s.Para; k-- {
		if pm := d.finestPlace(d.sents[k]); pm != nil && (best == nil || rank(pm.Place.Precision) < rank(best.Precision)) {
			best = &pm.Place
		}
	}
	return best
}

// verbal reports whether events of type t are statements and talks rather
// than things done on the ground.
func verbal(t string) bool {
	switch t {
	case "CONSULT", "AGREE", "REQUEST", "ACCUSE", "REJECT", "SUPPORT", "CONCEDE", "THREATEN", "SANCTION":
		return true
	}
	return false
}

// ongoing reports whether the trigger at k describes an activity that goes
// on ("continue to work", "are ensuring"), which has no one date.
func ongoing(ws []string, k int) bool {
	for j := k - 1; j >= 0 && j >= k-8; j-- {
		if strings.HasPrefix(ws[j], "continu") {
			return true
		}
		if ws[j] == "," || ws[j] == ";" {
			break
		}
	}
	return false
}

// inActorRole reports whether token k is part of an actor's name or role ("Head of Sotk").
func (d *doc) inActorRole(st *sent, k int) bool {
	for _, a := range st.actors {
		if k >= a.RoleStart && k < a.End {
			return true
		}
	}
	return false
}

// dateFor returns when the event matched at m happened: the sentence's date
// nearest the trigger; else the date of the event a definite reference points
// back to ("the meeting"); else an earlier date of the paragraph; else the
// report date for a present-perfect or "today" statement.
func (d *doc) dateFor(i int, st *sent, m lexicon.Match, ref *truce.Event, verbal bool) *truce.When {
	var best *temporal.Expr
	trig, end := st.toks[m.Start].Start, st.toks[m.End-1].End
	for k := range st.dates {
		e := &st.dates[k]
		if verbal && e.Start > end+24 {
			continue // "rejected the reports that … fired on 20 July": that date is the claim's
		}
		if best == nil || abs(e.Start-trig) < abs(best.Start-trig) {
			best = e
		}
	}
	if best != nil {
		w := best.When
		return &w
	}
	if ref == nil {
		ref = d.eventAnaphor(st)
	}
	if ref != nil && ref.Date != nil {
		w := *ref.Date
		return &w
	}
	for k := i - 1; k >= 0 && d.sents[k].s.Para == st.s.Para; k-- {
		if n := len(d.sents[k].dates); n > 0 {
			w := d.sents[k].dates[n-1].When
			return &w
		}
	}
	if d.hasRef && presentPerfect(st.ws, m.Start) {
		day := d.r.Published
		return &truce.When{Start: day, End: day, Precision: truce.PrecisionDay, Text: "(report date)"}
	}
	return nil
}

// eventAnaphor returns the last event a definite noun phrase of the
// sentence points back to ("the meeting", "the talks", "the exchange").
func (d *doc) eventAnaphor(st *sent) *truce.Event {
	for k := 1; k < len(st.ws); k++ {
		if st.ws[k-1] != "the" && st.ws[k-1] != "this" {
			continue
		}
		typ := eventNoun(st.ws[k])
		if typ == "" {
			continue
		}
		for e := len(d.events) - 1; e >= 0; e-- {
			if d.events[e].Type == typ {
				return &d.events[e]
			}
		}
	}
	return nil
}

// modalityBefore reads the words before a trigger for modality and negation.
func (d *doc) modalityBefore(st *sent, k int) (string, bool) {
	lo := k - 5
	if lo < 0 {
		lo = 0
	}
	for j := k - 1; j >= lo; j-- {
		if st.toks[j].Punct && st.ws[j] != "'" {
			lo = j + 1
			break
		}
	}
	window := st.ws[lo:k]
	modal := ""
	for _, m := range d.x.modality.Find(window) {
		modal = d.x.modalKinds[m.ID]
	}
	if modal == "obligation" {
		modal = "demanded"
		if len(d.x.realised.Find(st.ws[k:])) > 0 {
			modal = "" // "had to withdraw …, which was done"
		}
	}
	negated := false
	for j, w := range window {
		if d.x.negation[w] && !(w == "no" && j+1 < len(window) && window[j+1] == "longer") {
			negated = true
		}
	}
	return modal, negated
}

// modalityAfter reads the words after a nominal trigger for a future or
// planned verb: "demining of the road is planned to be completed".
func (d *doc) modalityAfter(st *sent, k int) string {
	for j := k; j < len(st.ws) && j < k+6; j++ {
		switch st.ws[j] {
		case "planned", "scheduled", "expected", "due", "will", "shall", "set":
			return "future"
		case ",", ";", ".":
			return ""
		}
	}
	return ""
}

// demand turns an event that someone says should happen into a REQUEST by
// that speaker.
func (d *doc) demand(st *sent, ev truce.Event) truce.Event {
	req := ev
	req.Type, req.Modality = "REQUEST", "demanded"
	req.Mode = ""
	if ev.Type == "RETREAT" || ev.Type == "CONCEDE" {
		req.Mode = "yield"
	}
	req.Rule = ev.Rule + "+demanded"
	req.Actor, req.Recipient = st.speaker, ev.Actor
	if req.Actor == nil {
		req.Actor = ev.Actor
		req.Recipient = nil
	}
	return req
}

// addTopics adds the contexts a sentence about the subjects of talks names
// to the CONSULT events of the few sentences before it: the talks it is about.
func (d *doc) addTopics(i int, st *sent) {
	for e := len(d.events) - 1; e >= 0 && i-d.meta[e].sent <= 3; e-- {
		if d.events[e].Type != "CONSULT" {
			continue
		}
		for _, m := range d.x.topics.Find(st.ws) {
			c := d.x.topicNames[m.ID]
			if !slices.Contains(d.events[e].Contexts, c) {
				d.events[e].Contexts = append(d.events[e].Contexts, c)
			}
		}
	}
}

// addEvent records an event, splitting a repeated one ("twice") over the
// dates the sentence gives.
func (d *doc) addEvent(i int, ev truce.Event, meta evMeta) {
	st := d.sents[i]
	if repeated(st.ws) && len(st.rawDates) >= 2 {
		for _, e := range st.rawDates {
			e2 := ev
			w := e.When
			e2.Date = &w
			e2.Rule = ev.Rule + "+repeated"
			d.events = append(d.events, e2)
			d.meta = append(d.meta, meta)
		}
		return
	}
	d.events = append(d.events, ev)
	d.meta = append(d.meta, meta)
}

// score rates how explicitly a sentence states an event, to choose the
// evidence among restatements.
func (d *doc) score(st *sent, ev truce.Event, meta evMeta) int {
	s := int(ev.Confidence * 10)
	for _, q := range ev.Quantities {
		if abs(q.Start-ev.Trigger.Start) <= nearTrigger {
			s += 3 // a count that goes with the deed ("about 80 military … entered")
			break
		}
	}
	if ev.Actor != nil && ev.Actor.Country != "" && !meta.actorAnaphor {
		s += 3
	}
	if ev.Place != nil && !meta.placeAnaphor {
		s += 3
	}
	return s
}

// nearTrigger is how many bytes from its trigger a quantity may stand to
// count as the event's own.
const nearTrigger = 60

func (d *doc) span(st *sent) truce.Span {
	return truce.Span{Text: st.s.Text, Start: st.s.Start, End: st.s.End}
}

func isPassiveAux(ws []string, k int) bool {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		switch ws[j] {
		case "was", "were", "been", "being", "be", "is", "are":
			return true
		case "also", "not", "reportedly", "successfully", "already":
			continue
		}
		return false
	}
	return false
}

func presentPerfect(ws []string, k int) bool {
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		switch ws[j] {
		case "has", "have":
			return true
		case "today", "tonight":
			return true
		}
	}
	for _, w := range ws {
		if w == "today" {
			return true
		}
	}
	return false
}

// refersBack reports whether the sentence points back to a place named
// earlier ("the mine", "this territory"), and the precision of the place
// the noun names ("" when any will do).
func refersBack(ws []string) (string, bool) {
	prec, found := "", false
	for k := 1; k < len(ws); k++ {
		if ws[k-1] != "the" && ws[k-1] != "this" && ws[k-1] != "that" {
			continue
		}
		p := ""
		switch ws[k] {
		case "mine", "field", "site", "bridge", "checkpoint":
			p = truce.PrecisionSite
		case "city", "town", "village", "settlement", "capital":
			p = truce.PrecisionSettlement
		case "district":
			p = truce.PrecisionDistrict
		case "territory", "area", "region", "zone":
		default:
			continue
		}
		if !found || p != "" && rank(p) < rank(prec) {
			prec, found = p, true
		}
	}
	return prec, found
}

// eventNoun maps a noun that names a happening to the event type it refers back to.
func eventNoun(w string) string {
	switch w {
	case "meeting", "talks", "call", "conversation", "conversations", "visit", "negotiations":
		return "CONSULT"
	case "exchange", "swap", "handover", "withdrawal", "release":
		return "RETREAT"
	case "attack", "shelling", "incident", "strike", "violation":
		return "ASSAULT"
	}
	return ""
}

func repeated(ws []string) bool {
	for k, w := range ws {
		if w == "twice" || (w == "two" && k+1 < len(ws) && ws[k+1] == "times") {
			return true
		}
	}
	return false
}

func rank(precision string) int {
	switch precision {
	case truce.PrecisionSite:
		return 0
	case truce.PrecisionSettlement:
		return 1
	case truce.PrecisionDistrict:
		return 2
	case truce.PrecisionProvince:
		return 3
	case truce.PrecisionRegion:
		return 4
	case truce.PrecisionCountry:
		return 5
	}
	return 6
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
