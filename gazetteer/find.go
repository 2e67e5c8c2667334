package gazetteer

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mention is a place name found in a text.
type Mention struct {
	Start, End int      // byte offsets [Start, End) in the text
	Text       string   // the words as written
	Candidates []*Place // every place the name can stand for
	Cue        string   // the words around the mention that say what kind of place it is, or ""
	// Weak marks a short name or one that is also a common word: Resolve needs a cue or a hint for it.
	Weak bool
}

// node is one step of the name trie; children are keyed by folded tokens.
type node struct {
	children  map[string]*node
	places    []*Place
	lowerOK   bool // some name ending here starts with a lower-case letter
	acronym   bool // every name ending here is written in capitals
	acronyms  map[string]bool
	weak      bool
	hasPlaces bool
}

func (g *Gazetteer) index() {
	g.root = &node{}
	g.exact = map[string][]*Place{}
	g.skel = map[string][]*Place{}
	for _, p := range g.places {
		for _, name := range p.AllNames() {
			toks := tokens(name)
			if len(toks) == 0 {
				continue
			}
			n := g.root
			parts := make([]string, len(toks))
			for i, t := range toks {
				parts[i] = t.fold
				if n.children == nil {
					n.children = map[string]*node{}
				}
				c := n.children[t.fold]
				if c == nil {
					c = &node{acronym: true}
					n.children[t.fold] = c
				}
				n = c
			}
			if !n.hasPlaces {
				n.hasPlaces = true
			}
			n.places = addPlace(n.places, p)
			r, _ := utf8.DecodeRuneInString(name)
			if unicode.IsLower(r) {
				n.lowerOK = true
			}
			if isAcronym(name) {
				if n.acronyms == nil {
					n.acronyms = map[string]bool{}
				}
				n.acronyms[name] = true
			} else {
				n.acronym = false
			}
			key := strings.Join(parts, " ")
			if len([]rune(strings.ReplaceAll(key, " ", ""))) <= 3 && !isAcronym(name) || g.common[key] {
				n.weak = true
			}
			g.exact[key] = addPlace(g.exact[key], p)
			sk := skeleton(key)
			g.skel[sk] = addPlace(g.skel[sk], p)
		}
	}
}

func addPlace(list []*Place, p *Place) []*Place {
	for _, q := range list {
		if q == p {
			return list
		}
	}
	return append(list, p)
}

// Find returns the place names in text, longest match first, in text order.
func (g *Gazetteer) Find(text string) []Mention {
	if g == nil || g.root == nil || text == "" {
		return nil
	}
	toks := tokens(text)
	var out []Mention
	var sides []cueSide
	for i := 0; i < len(toks); {
		if inURL(text, toks[i].start) {
			i++
			continue
		}
		n := g.root
		best, bestEnd := (*node)(nil), -1
		for j := i; j < len(toks); j++ {
			if j > i && !joinGap(text[toks[j-1].end:toks[j].start]) {
				break
			}
			c := n.children[toks[j].fold]
			if c == nil {
				break
			}
			n = c
			if n.hasPlaces && g.caseOK(n, text, toks[i].start, toks[j].end) {
				best, bestEnd = n, j
			}
		}
		if best == nil {
			i++
			continue
		}
		m := Mention{Start: toks[i].start, End: toks[bestEnd].end, Text: text[toks[i].start:toks[bestEnd].end],
			Candidates: append([]*Place(nil), best.places...), Weak: best.weak}
		cue, side := findCue(text, m.Start, m.End)
		m.Cue = cue
		out = append(out, m)
		sides = append(sides, side)
		i = bestEnd + 1
	}
	propagateCues(text, out, sides)
	return out
}

// caseOK applies the capitalisation rules to the text span [start, end).
func (g *Gazetteer) caseOK(n *node, text string, start, end int) bool {
	if n.acronym && len(n.acronyms) > 0 {
		// acronyms match only as written, letters and separators aside
		span := text[start:end]
		for a := range n.acronyms {
			if fold(a) == fold(span) && strings.EqualFold(a, span) && span == strings.ToUpper(span) {
				return true
			}
		}
		return false
	}
	if n.lowerOK {
		return true
	}
	r, _ := utf8.DecodeRuneInString(text[start:])
	return !unicode.IsLower(r)
}

// inURL reports whether the word at offset i lies in a URL, e-mail address or path.
func inURL(text string, i int) bool {
	s := strings.LastIndexFunc(text[:i], unicode.IsSpace) + 1
	e := strings.IndexFunc(text[i:], unicode.IsSpace)
	if e < 0 {
		e = len(text)
	} else {
		e += i
	}
	chunk := text[s:e]
	if strings.Contains(chunk, "://") || strings.Contains(chunk, "www.") || strings.Contains(chunk, "@") {
		return true
	}
	return strings.Contains(chunk, "/") && strings.Contains(chunk, ".") && len(chunk) > 12
}

type cueSide int

const (
	noCue cueSide = iota
	leftCue
	rightCue
)

var (
	rightCues = []*regexp.Regexp{
		regexp.MustCompile(`^(?:\s+|-)((?:administrative\s+)?(?:districts?|regions?|provinces?|rayons?|raions?|marz|governorates?|oblasts?|municipality|municipalities))\b`),
		regexp.MustCompile(`^\s+((?:gold\s+|copper\s+|molybdenum\s+)?(?:mines?|deposits?))\b`),
		regexp.MustCompile(`^\s+((?:is|was)\s+(?:the|a|an)\s+(?:[\pL-]+\s+){0,3}?(?:mine|deposit))\b`),
		regexp.MustCompile(`^\s+((?:city|cities|town|towns|village|villages|settlement|settlements))\b`),
		regexp.MustCompile(`^\s+(corridor)\b`),
		regexp.MustCompile(`^\s+((?:border\s+)?(?:checkpoint|crossing|bridge))\b`),
		regexp.MustCompile(`^\s+(area)\b`),
	}
	listGap   = regexp.MustCompile(`^\s*(?:,\s*(?:and\s+|or\s+)?(?:the\s+)?|\s(?:and|or)\s+(?:the\s+)?)$`)
	borderAnd = regexp.MustCompile(`^\s+and\s+(?:the\s+)?$`)
)

// findCue returns the cue words around text[start:end] and on which side they stand.
func findCue(text string, start, end int) (string, cueSide) {
	right := text[end:]
	if len(right) > 60 {
		right = right[:60]
	}
	right = strings.ToLower(right)
	if w := firstWord(right); rightCueStart[w] || strings.HasPrefix(w, "district") || strings.HasPrefix(w, "region") ||
		strings.HasPrefix(w, "province") || strings.HasPrefix(w, "municipal") {
		for _, re := range rightCues {
			if m := re.FindStringSubmatch(right); m != nil {
				return m[1], rightCue
			}
		}
	}
	from := start - 40
	if from < 0 {
		from = 0
	}
	for from < start && !utf8.RuneStart(text[from]) {
		from++
	}
	left := strings.ToLower(text[from:start])
	if !leftCueEnd[lastWord(left)] {
		return "", noCue
	}
	if cue := leftCueOf(strings.Fields(left)); cue != "" {
		return cue, leftCue
	}
	return "", noCue
}

// leftCueHeads are the nouns that, followed by "of", introduce a place
// ("the city of X", "the area of X", "head of X").
var leftCueHeads = map[string]bool{
	"city": true, "town": true, "village": true, "settlement": true, "hamlet": true, "community": true,
	"district": true, "region": true, "province": true, "governorate": true, "rayon": true, "marz": true,
	"head": true, "mayor": true, "residents": true, "villagers": true, "inhabitants": true, "outskirts": true,
	"centre": true, "center": true, "streets": true,
	"area": true, "vicinity": true, "surroundings": true, "environs": true, "direction": true,
}

// leftCueOf returns the cue the words before a name end with ("city of",
// "near", "close to", "border between"), allowing a final "the", or "".
func leftCueOf(ws []string) string {
	if n := len(ws); n > 0 && ws[n-1] == "the" {
		ws = ws[:n-1]
	}
	n := len(ws)
	if n == 0 {
		return ""
	}
	switch last := ws[n-1]; last {
	case "near", "nearby", "outside", "toward", "towards":
		return last
	case "to":
		if n >= 2 && ws[n-2] == "close" {
			return "close to"
		}
	case "of", "between", "with":
		if n >= 2 && ws[n-2] == "border" {
			return "border " + last
		}
		if last == "of" && n >= 2 && leftCueHeads[ws[n-2]] {
			return ws[n-2] + " of"
		}
	}
	return ""
}

// rightCueStart and leftCueEnd are the words a cue can start after a name or end before it with.
var (
	rightCueStart = map[string]bool{"rayon": true, "rayons": true, "raion": true, "raions": true, "marz": true,
		"governorate": true, "governorates": true, "oblast": true, "oblasts": true, "administrative": true,
		"gold": true, "copper": true, "molybdenum": true, "mine": true, "mines": true, "deposit": true, "deposits": true,
		"is": true, "was": true, "city": true, "cities": true, "town": true, "towns": true, "village": true,
		"villages": true, "settlement": true, "settlements": true, "corridor": true, "border": true,
		"checkpoint": true, "crossing": true, "bridge": true, "area": true}
	leftCueEnd = map[string]bool{"of": true, "the": true, "near": true, "nearby": true, "outside": true,
		"toward": true, "towards": true, "to": true, "between": true, "with": true}
)

// firstWord returns the first word of s after leading spaces or a hyphen.
func firstWord(s string) string {
	s = strings.TrimLeft(s, " \t\r\n-")
	if i := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) }); i >= 0 {
		return s[:i]
	}
	return s
}

// lastWord returns the last word of s before trailing spaces.
func lastWord(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	i := strings.LastIndexFunc(s, func(r rune) bool { return !isWordRune(r) })
	return s[i+1:]
}

// propagateCues spreads a plural right cue over a preceding list and a border cue over "X and Y".
func propagateCues(text string, ms []Mention, sides []cueSide) {
	for i := len(ms) - 2; i >= 0; i-- {
		next := ms[i+1]
		if ms[i].Cue == "" && sides[i+1] == rightCue && strings.HasSuffix(next.Cue, "s") &&
			listGap.MatchString(text[ms[i].End:next.Start]) {
			ms[i].Cue = next.Cue
			sides[i] = rightCue
		}
	}
	for i := 0; i+1 < len(ms); i++ {
		if sides[i] == leftCue && strings.HasPrefix(ms[i].Cue, "border") && ms[i+1].Cue == "" &&
			borderAnd.MatchString(text[ms[i].End:ms[i+1].Start]) {
			ms[i+1].Cue = ms[i].Cue
			sides[i+1] = leftCue
		}
	}
}

// cue classes
const (
	cueAdmin      = "admin"
	cueSettlement = "settlement"
	cueSite       = "site"
	cueCorridor   = "corridor"
	cueCrossing   = "crossing"
	cueLocal      = "local"
	cueNear       = "near"
	cueBorder     = "border"
)

var cueWords = []struct {
	class string
	words []string
}{
	{cueSite, []string{"mine", "deposit"}},
	{cueCorridor, []string{"corridor"}},
	{cueCrossing, []string{"checkpoint", "crossing", "bridge"}},
	{cueBorder, []string{"border"}},
	{cueAdmin, []string{"district", "region", "province", "rayon", "raion", "marz", "governorate", "oblast", "municipalit"}},
	{cueSettlement, []string{"city", "cities", "town", "village", "settlement", "hamlet", "community"}},
	{cueLocal, []string{"head", "mayor", "residents", "villagers", "inhabitants", "outskirts", "centre", "center", "streets"}},
	{cueNear, []string{"near", "outside", "toward", "close", "area", "vicinity", "surroundings", "environs", "direction"}},
}

// cueClass maps cue words to the class of place they call for.
func cueClass(cue string) string {
	cue = strings.ToLower(cue)
	if cue == "" {
		return ""
	}
	for _, cw := range cueWords {
		for _, w := range cw.words {
			if strings.Contains(cue, w) {
				return cw.class
			}
		}
	}
	return ""
}

// cueKinds lists the kinds each cue class prefers.
var cueKinds = map[string][]string{
	cueAdmin:      {"region", "province", "district"},
	cueSettlement: {"settlement"},
	cueSite:       {"mine", "site"},
	cueCorridor:   {"corridor", "route"},
	cueCrossing:   {"crossing", "site"},
	cueLocal:      {"settlement", "district", "province", "region", "country"},
	cueNear:       {"settlement", "site", "mine", "crossing", "mountain", "lake"},
	cueBorder:     {"country", "region", "province", "district"},
}

func sortPlaces(ps []*Place) {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
}
