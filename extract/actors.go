package extract

import (
	"strings"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/lexicon"
)

// actorIndex finds actors in tokenised sentences: named actors from the
// lexicon, country forces ("Azerbaijani armed forces"), people introduced
// by a title ("Head of Sotk Hakob Avetyan") and anaphors ("the soldiers").
type actorIndex struct {
	lx        *lexicon.Lexicon
	named     *lexicon.Matcher // id indexes lx.Actors
	countries *lexicon.Matcher // id indexes lx.Countries; demonyms at id+demonymBase
	kinds     *lexicon.Matcher // id indexes kindNames
	titles    *lexicon.Matcher // id indexes lx.Titles
	kindNames []string
	pronouns  map[string]bool
	speech    map[string]bool // every form of the reporting verbs
}

const demonymBase = 1 << 20

func newActorIndex(lx *lexicon.Lexicon) (*actorIndex, error) {
	ai := &actorIndex{lx: lx, named: lexicon.NewMatcher(), countries: lexicon.NewMatcher(),
		kinds: lexicon.NewMatcher(), titles: lexicon.NewMatcher(), pronouns: map[string]bool{}, speech: map[string]bool{}}
	for v := range lx.Speech.Verbs {
		for _, f := range lx.Inflect(strings.TrimSuffix(v, "+")) {
			ai.speech[f] = true
		}
	}
	for i, a := range lx.Actors {
		for _, al := range append([]string{a.Name}, a.Aliases...) {
			if err := ai.named.Add(i, phraseWords(al), nil); err != nil {
				return nil, err
			}
		}
	}
	for i, c := range lx.Countries {
		for _, n := range c.Names {
			if err := ai.countries.Add(i, phraseWords(n), nil); err != nil {
				return nil, err
			}
		}
		for _, d := range c.Demonyms {
			if err := ai.countries.Add(demonymBase+i, phraseWords(d), nil); err != nil {
				return nil, err
			}
		}
	}
	for k := range lx.Kinds {
		ai.kindNames = append(ai.kindNames, k)
	}
	sortStrings(ai.kindNames)
	for i, k := range ai.kindNames {
		for _, n := range lx.Kinds[k] {
			if err := ai.kinds.Add(i, phraseWords(n), nil); err != nil {
				return nil, err
			}
		}
	}
	for i, t := range lx.Titles {
		if err := ai.titles.Add(i, phraseWords(t), nil); err != nil {
			return nil, err
		}
	}
	for _, p := range lx.Speech.Pronouns {
		ai.pronouns[p] = true
	}
	return ai, nil
}

// phraseWords splits a name into the lowercased words tokenize would produce.
func phraseWords(s string) []string {
	toks := tokenize(s, 0)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		out = append(out, t.Lower)
	}
	return out
}

// actorMention is an actor found at tokens [Start, End) of a sentence.
type actorMention struct {
	Start, End int
	Actor      truce.Actor
	// Anaphor marks a mention to resolve from context: "the soldiers", "he", "we".
	Anaphor bool
	Pronoun string
	// Person marks a named person (from the lexicon or introduced by a title).
	Person bool
	// RoleStart is the first token of the role words before the name, or Start.
	RoleStart int
	// Antecedent is what "it" or "they" stood for where the pronoun was read.
	Antecedent *truce.Actor
}

// find returns the actor mentions of a sentence, left to right, non-overlapping.
func (ai *actorIndex) find(toks []token, ws []string, isPlace func(i int) bool, day string) []actorMention {
	used := make([]bool, len(toks))
	var out []actorMention
	mark := func(m actorMention) {
		for i := m.RoleStart; i < m.End; i++ {
			used[i] = true
		}
		out = append(out, m)
	}
	free := func(a, b int) bool {
		for i := a; i < b; i++ {
			if used[i] {
				return false
			}
		}
		return true
	}
	capital := func(m lexicon.Match) bool {
		return toks[m.Start].Cap || toks[m.Start].Text == strings.ToUpper(toks[m.Start].Text)
	}

	// 1. named actors, with the title words and demonyms before them as their role
	for _, m := range ai.named.Find(ws) {
		if !capital(m) || !free(m.Start, m.End) {
			continue
		}
		if m.End-m.Start == 1 && m.Start > 0 && toks[m.Start-1].Cap && ai.givenName(ws[m.Start-1]) {
			continue // "Vagharshak Harutyunyan" is not the lexicon's Harutyunyan
		}
		a := ai.lx.Actors[m.ID]
		kind := a.Kind
		if kind == "official" {
			kind = "government"
		}
		am := actorMention{Start: m.Start, End: m.End, RoleStart: m.Start, Person: a.Kind == "official" || len(a.Roles) > 0,
			Actor: truce.Actor{Name: a.Name, Country: a.Country, Kind: kind, ID: a.ID, Role: a.RoleOn(day)}}
		if rs, role := ai.roleBefore(toks, ws, m.Start, used); rs < m.Start {
			am.RoleStart = rs
			if role != "" {
				am.Actor.Role = role
			}
		}
		mark(am)
	}
	kindAt := map[int]lexicon.Match{}
	for _, m := range ai.kinds.Find(ws) {
		kindAt[m.Start] = m
	}
	// 2. people introduced by a title: "Head of Sotk Hakob Avetyan", "Deputy ..., Babayan said"
	for _, m := range ai.titles.Find(ws) {
		if !free(m.Start, m.End) {
			continue
		}
		end := m.End
		// role complement: of (the) Capitalised words / places
		for end < len(ws) && (ws[end] == "of" || ws[end] == "the" || ws[end] == "and" || toks[end].Cap || (ws[end] == "staff" || ws[end] == "ministry")) && !used[end] {
			end++
		}
		// the name is the trailing run of capitalised tokens that are not places or countries
		ns := end
		for ns > m.End && toks[ns-1].Cap && !isPlace(ns-1) && !ai.isCountryWord(ws[ns-1]) && !isInstitutionWord(ws[ns-1]) && end-ns < 3 {
			ns--
		}
		roleEnd := ns
		if ns == end && end+1 < len(ws) && ws[end] == "," && toks[end+1].Cap && free(end+1, end+2) {
			// appositive: "The Deputy of Parliament of Armenia, Babayan said"
			ns = end + 1
			end = ns
			for end < len(ws) && toks[end].Cap && end-ns < 3 && !isPlace(end) {
				end++
			}
		}
		if ns >= end {
			continue
		}
		role := joinText(toks, m.Start, roleEnd)
		rs := m.Start
		if rs > 0 && toks[rs-1].Cap && ai.isCountryWord(ws[rs-1]) {
			rs-- // "Armenian Deputy Prime Minister Tigran Avinyan"
			role = joinText(toks, rs, roleEnd)
		}
		mark(actorMention{Start: ns, End: end, RoleStart: rs, Person: true,
			Actor: truce.Actor{Name: joinText(toks, ns, end), Kind: "official", Role: role, Country: ai.countryIn(ws, rs, roleEnd)}})
	}
	// 3. country forces: "Azerbaijani armed forces", "army of Armenia", "Azerbaijan's army"
	for _, m := range ai.countries.Find(ws) {
		if !capital(m) || !free(m.Start, m.End) {
			continue
		}
		c := ai.lx.Countries[m.ID%demonymBase]
		demonym := m.ID >= demonymBase
		// country + kind, allowing "'s" and up to two words between
		j := m.End
		if j < len(ws) && (ws[j] == "'s" || ws[j] == "'") {
			j++
		}
		found := false
		for k := j; k <= j+2 && k < len(ws); k++ {
			if km, ok := kindAt[k]; ok && free(k, km.End) {
				if k > j && !toks[j].Cap && !isModifier(ws[j]) {
					break
				}
				name := joinText(toks, m.Start, km.End)
				mark(actorMention{Start: m.Start, End: km.End, RoleStart: m.Start,
					Actor: truce.Actor{Name: name, Country: c.Code, Kind: ai.kindNames[km.ID]}})
				found = true
				break
			}
			if toks[k].Punct {
				break
			}
		}
		if found {
			continue
		}
		// kind + of + (the) + country
		b := m.Start - 1
		if b >= 0 && ws[b] == "the" {
			b--
		}
		if b >= 1 && ws[b] == "of" {
			for s, km := range kindAt {
				if km.End == b && free(s, m.End) {
					mark(actorMention{Start: s, End: m.End, RoleStart: s,
						Actor: truce.Actor{Name: joinText(toks, s, m.End), Country: c.Code, Kind: ai.kindNames[km.ID]}})
					found = true
					break
				}
			}
		}
		if found {
			continue
		}
		switch {
		case demonym && strings.HasSuffix(ws[m.End-1], "s") && !strings.HasSuffix(ws[m.End-1], "'s"):
			// "the Azerbaijanis", "Armenians": the people or forces of a country
			mark(actorMention{Start: m.Start, End: m.End, RoleStart: m.Start, Actor: truce.Actor{Name: joinText(toks, m.Start, m.End), Country: c.Code, Kind: "civilians"}})
		case !demonym && !afterLocative(ws, m.Start):
			mark(actorMention{Start: m.Start, End: m.End, RoleStart: m.Start, Actor: truce.Actor{Name: joinText(toks, m.Start, m.End), Country: c.Code, Kind: "government"}})
		}
	}
	// 4. kind nouns on their own: "the soldiers", "engineering units", "the prime minister"
	for s, km := range kindAt {
		if !free(s, km.End) {
			continue
		}
		mark(actorMention{Start: s, End: km.End, RoleStart: s, Anaphor: true, Actor: truce.Actor{Name: joinText(toks, s, km.End), Kind: ai.kindNames[km.ID]}})
	}
	// 5. pronouns, and a lone capitalised surname before a speech verb
	for i, w := range ws {
		if used[i] {
			continue
		}
		if ai.pronouns[w] || w == "we" || w == "i" {
			mark(actorMention{Start: i, End: i + 1, RoleStart: i, Anaphor: true, Pronoun: w})
			continue
		}
		if toks[i].Cap && i+1 < len(ws) && ai.isSpeechVerb(ws[i+1]) && !isPlace(i) && !isFunctionWord(w) {
			s := i
			for s > 0 && toks[s-1].Cap && !used[s-1] && !isFunctionWord(ws[s-1]) && i-s < 2 {
				s--
			}
			mark(actorMention{Start: s, End: i + 1, RoleStart: s, Person: true, Anaphor: s == i, Actor: truce.Actor{Name: joinText(toks, s, i+1), Kind: "official"}})
		}
	}
	sortMentions(out)
	return joinOf(mergeSame(out), ws)
}

// mergeSame joins adjacent mentions of one lexicon actor: "Armenian Prime
// Minister" and "Nikol Pashinyan" are one mention of Nikol Pashinyan.
func mergeSame(ms []actorMention) []actorMention {
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.Actor.ID != "" && out[n-1].Actor.ID == m.Actor.ID && out[n-1].End == m.RoleStart {
			out[n-1].End = m.End
			continue
		}
		out = append(out, m)
	}
	return out
}

// joinOf merges a kind noun without a country and the actor with a country
// that follows it after "of (the)": "units of the Russian contingent",
// "military personnel of the Russian Defense Ministry".
func joinOf(ms []actorMention, ws []string) []actorMention {
	out := ms[:0]
	for i := 0; i < len(ms); i++ {
		m := ms[i]
		if m.Anaphor && m.Pronoun == "" && m.Actor.Country == "" && i+1 < len(ms) && m.End < len(ws) && ws[m.End] == "of" {
			n := ms[i+1]
			gap := n.RoleStart - m.End
			if n.Actor.Country != "" && (gap == 1 || gap == 2 && ws[m.End+1] == "the") {
				n.Start, n.RoleStart = m.Start, m.RoleStart
				out = append(out, n)
				i++
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// roleBefore returns where the title words before a named actor start,
// and the role they spell ("Armenian Prime Minister").
func (ai *actorIndex) roleBefore(toks []token, ws []string, start int, used []bool) (int, string) {
	s := start
	for s > 0 && !used[s-1] && (toks[s-1].Cap || ws[s-1] == "of" || ws[s-1] == "the") && !toks[s-1].Punct {
		s--
	}
	for s < start && (ws[s] == "of" || ws[s] == "the") {
		s++
	}
	if s == start {
		return start, ""
	}
	return s, joinText(toks, s, start)
}

// givenName reports whether a capitalised word before a surname looks like
// a given name: not a title, a country word, a day or month, or a function word.
func (ai *actorIndex) givenName(w string) bool {
	if isFunctionWord(w) || ai.isCountryWord(w) || isInstitutionWord(w) || len(ai.titles.Find([]string{w})) > 0 {
		return false
	}
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
		"mr", "mrs", "ms", "dr", "president", "minister", "premier", "leader", "general", "commander":
		return false
	}
	return true
}

func (ai *actorIndex) isCountryWord(w string) bool {
	return len(ai.countries.Find([]string{w})) > 0
}

// countryIn returns the country named by words [a, b), or "".
func (ai *actorIndex) countryIn(ws []string, a, b int) string {
	for _, m := range ai.countries.Find(ws[a:b]) {
		return ai.lx.Countries[m.ID%demonymBase].Code
	}
	return ""
}

func (ai *actorIndex) isSpeechVerb(w string) bool { return ai.speech[w] }

// afterLocative reports whether the word at i follows a preposition of place.
func afterLocative(ws []string, i int) bool {
	j := i - 1
	if j >= 0 && ws[j] == "the" {
		j--
	}
	if j < 0 {
		return false
	}
	switch ws[j] {
	case "in", "into", "to", "from", "across", "near", "inside", "of", "at", "towards", "toward", "on", "within", "between", "and", "through", "via":
		return true
	}
	return false
}

func isModifier(w string) bool {
	switch w {
	case "armed", "military", "peacekeeping", "defense", "defence", "border", "special", "foreign", "state", "de", "facto", "local":
		return true
	}
	return false
}

func isInstitutionWord(w string) bool {
	switch w {
	case "ministry", "staff", "general", "parliament", "forces", "defense", "defence", "federation", "republic", "affairs", "office", "committee", "council", "service", "centre", "center", "prime", "minister", "president", "government", "assembly", "security", "of", "the", "and", "foreign":
		return true
	}
	return false
}

func isFunctionWord(w string) bool {
	switch w {
	case "the", "a", "an", "this", "that", "it", "he", "she", "they", "we", "i", "and", "but", "on", "in", "at", "as", "after", "before", "when", "earlier", "later", "today", "yesterday", "also", "then", "so", "there", "according", "meanwhile", "however":
		return true
	}
	return false
}

func joinText(toks []token, a, b int) string {
	if a >= b {
		return ""
	}
	var sb strings.Builder
	for i := a; i < b; i++ {
		if i > a && toks[i].Start > toks[i-1].End {
			sb.WriteByte(' ')
		}
		sb.WriteString(toks[i].Text)
	}
	return sb.String()
}
