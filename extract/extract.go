// Package extract turns a report into sourced events, claims and
// indicators: the core of truce. It is a pure function of the report, the
// lexicon and the gazetteer: no I/O, deterministic, safe for concurrent use.
package extract

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/lexicon"
	"github.com/truce-monitor/truce/quantity"
	"github.com/truce-monitor/truce/temporal"
	"github.com/truce-monitor/truce/text"
)

// Extractor extracts events, claims and indicators from reports.
type Extractor struct {
	lx         *lexicon.Lexicon
	gz         *gazetteer.Gazetteer
	qp         *quantity.Parser
	actors     *actorIndex
	speech     map[string]string // word form → attribution verb
	according  *lexicon.Matcher
	modality   *lexicon.Matcher // id indexes modalityKinds
	modalKinds []string
	realised   *lexicon.Matcher
	disowned   *lexicon.Matcher
	scope      *lexicon.Matcher // id indexes scopeNames
	scopeNames []string
	topicCues  *lexicon.Matcher
	topics     *lexicon.Matcher // id indexes topicNames
	topicNames []string
	negation   map[string]bool
	conv       gazetteer.Convention
}

// New loads the lexicon and the gazetteer from fsys (see package data).
func New(fsys fs.FS) (*Extractor, error) {
	lx, err := lexicon.Load(fsys)
	if err != nil {
		return nil, err
	}
	gz, err := gazetteer.Load(fsys)
	if err != nil {
		return nil, err
	}
	qp, err := quantity.Load(fsys)
	if err != nil {
		return nil, err
	}
	x := &Extractor{lx: lx, gz: gz, qp: qp, speech: map[string]string{}, negation: map[string]bool{},
		according: lexicon.NewMatcher(), modality: lexicon.NewMatcher(), realised: lexicon.NewMatcher(), disowned: lexicon.NewMatcher(),
		scope: lexicon.NewMatcher(), topicCues: lexicon.NewMatcher(), topics: lexicon.NewMatcher(), conv: gazetteer.Both}
	if x.actors, err = newActorIndex(lx); err != nil {
		return nil, fmt.Errorf("lexicon/actors.yaml: %w", err)
	}
	for v, verb := range lx.Speech.Verbs {
		for _, f := range lx.Inflect(strings.TrimSuffix(v, "+")) {
			x.speech[f] = verb
		}
	}
	add := func(m *lexicon.Matcher, id int, phrase, file string) error {
		if err := m.Add(id, phraseWords(phrase), nil); err != nil {
			return fmt.Errorf("%s: %q: %w", file, phrase, err)
		}
		return nil
	}
	for _, p := range lx.Speech.AccordingTo {
		if err := add(x.according, 0, p, "lexicon/speech.yaml"); err != nil {
			return nil, err
		}
	}
	for _, p := range lx.Speech.Realised {
		if err := add(x.realised, 0, p, "lexicon/speech.yaml"); err != nil {
			return nil, err
		}
	}
	for _, p := range lx.Speech.Disowned {
		if err := add(x.disowned, 0, p, "lexicon/speech.yaml"); err != nil {
			return nil, err
		}
	}
	for _, cue := range sortedKeys(lx.Speech.Modality) {
		x.modalKinds = append(x.modalKinds, lx.Speech.Modality[cue])
		if err := add(x.modality, len(x.modalKinds)-1, cue, "lexicon/speech.yaml"); err != nil {
			return nil, err
		}
	}
	for _, n := range lx.Speech.Negation {
		x.negation[n] = true
	}
	for _, name := range sortedKeys(lx.Scope) {
		x.scopeNames = append(x.scopeNames, name)
		for _, p := range lx.Scope[name] {
			if err := add(x.scope, len(x.scopeNames)-1, p, "lexicon/indicators.yaml"); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range lx.Vocab.TopicCues {
		if err := add(x.topicCues, 0, p, "lexicon/vocabulary.yaml"); err != nil {
			return nil, err
		}
	}
	for _, name := range sortedKeys(lx.Vocab.Topics) {
		x.topicNames = append(x.topicNames, name)
		for _, p := range lx.Vocab.Topics[name] {
			if err := add(x.topics, len(x.topicNames)-1, p, "lexicon/vocabulary.yaml"); err != nil {
				return nil, err
			}
		}
	}
	return x, nil
}

// SetConvention sets the naming convention of canonical place names.
func (x *Extractor) SetConvention(c gazetteer.Convention) { x.conv = c }

// Gazetteer returns the gazetteer the extractor places events with.
func (x *Extractor) Gazetteer() *gazetteer.Gazetteer { return x.gz }

// Lexicon returns the lexicon the extractor codes with.
func (x *Extractor) Lexicon() *lexicon.Lexicon { return x.lx }

// Extract returns the events, claims and indicators of a report.
func (x *Extractor) Extract(r truce.Report) *truce.Extraction {
	out := &truce.Extraction{Report: r, Events: []truce.Event{}, Claims: []truce.Claim{}, Indicators: []truce.Indicator{}}
	ref, hasRef := r.PublishedTime()
	d := &doc{x: x, r: r, ref: ref, hasRef: hasRef}
	d.analyse()
	for i := range d.sents {
		d.eventsOf(i)
	}
	for i := range d.sents {
		d.indicatorsOf(i)
	}
	d.dedup()
	d.inheritDates()
	d.storyDates()
	out.Events = append(out.Events, d.events...)
	out.Claims = append(out.Claims, d.claims...)
	out.Indicators = append(out.Indicators, d.indicators...)
	return out
}

// doc is the working state of one extraction.
type doc struct {
	x      *Extractor
	r      truce.Report
	ref    time.Time
	hasRef bool
	sents  []*sent

	events     []truce.Event
	meta       []evMeta // parallel to events
	claims     []truce.Claim
	indicators []truce.Indicator

	persons     []truce.Actor // named people so far, for "Khachatryan said"
	lastPerson  *truce.Actor  // the first person named in the last sentence outside quotes naming one
	personSent  int
	lastSpeaker *truce.Actor // the last speaker an attribution named
	speakerSent int
	lastActor   *truce.Actor
	byKind      map[string]truce.Actor
	lastPlace   *truce.Place            // the most precise place of the last sentence naming one
	byPrecision map[string]*truce.Place // the last place named, per precision
	placeIDs    []string
	leadPlace   *truce.Place // the most precise place of the title and first paragraph
	story       *truce.When  // the day the report tells of: a day named in its lead, else its date
	countries   []string
}

// sent is one analysed sentence.
type sent struct {
	idx      int
	s        text.Sentence
	toks     []token
	ws       []string
	actors   []actorMention
	places   []placeMention
	dates    []temporal.Expr // merged into ranges
	rawDates []temporal.Expr // as found, before merging
	qty      []truce.Quantity
	attr     *truce.Attribution
	speaker  *truce.Actor
	// firstPerson is the first person the sentence names outside a quote: the
	// one "he" most likely means in the sentences after it.
	firstPerson *truce.Actor
	// speech is the token range of the attribution clause ("X said that"),
	// which holds no event.
	speech [2]int
	topic  bool
}

// evMeta is what extraction knows of an event beyond the event itself.
type evMeta struct {
	sent  int // sentence index
	score int // how explicit the sentence is, to choose among restatements
	// actorAnaphor marks an actor found through "the military", "they";
	// placeAnaphor a place found through "the mine", "this territory".
	actorAnaphor, placeAnaphor bool
	// storyDated marks an undated event to date with the story's day once
	// restatements have been merged.
	storyDated bool
}

type placeMention struct {
	Start, End int // tokens
	Place      truce.Place
	pl         *gazetteer.Place
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortStrings(s []string) { sort.Strings(s) }

func sortMentions(ms []actorMention) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
}
