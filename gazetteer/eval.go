package gazetteer

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Case is one line of a place test set (testdata/places/mentions.txt): a
// mention in a sentence and the place it stands for.
type Case struct {
	Line      int      // line number in the file
	Want      string   // place id; "?" for ambiguous; "-" for not a place
	WantCands []string // for "?": candidates that must be reported
	Mention   string   // the words of the sentence, as written
	Countries []string // hints: the report's and its actors' countries
	Sentence  string
}

// ReadCases reads a place test set: lines "EXPECTED | MENTION | COUNTRIES |
// SENTENCE" (see testdata/places/mentions.txt); blank lines and lines
// starting with # are skipped. Errors name the file and line.
func ReadCases(r io.Reader, file string) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "|", 4)
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d: want EXPECTED | MENTION | COUNTRIES | SENTENCE", file, n)
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		c := Case{Line: n, Want: f[0], Mention: f[1], Sentence: f[3]}
		if strings.HasPrefix(c.Want, "?") {
			if rest := strings.TrimPrefix(c.Want, "?"); rest != "" {
				c.WantCands = strings.Split(rest, ",")
			}
			c.Want = "?"
		}
		if c.Want == "" || c.Mention == "" || c.Sentence == "" {
			return nil, fmt.Errorf("%s:%d: empty field", file, n)
		}
		if !strings.Contains(c.Sentence, c.Mention) {
			return nil, fmt.Errorf("%s:%d: mention %q is not in the sentence", file, n, c.Mention)
		}
		for _, cc := range strings.Split(f[2], ",") {
			if cc = strings.TrimSpace(cc); cc != "" {
				c.Countries = append(c.Countries, cc)
			}
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", file, n+1, err)
	}
	return out, nil
}

// Outcome is the result of one Case.
type Outcome struct {
	Case
	Found bool     // Find reported the mention
	Got   string   // resolved id, "?" when ambiguous, "-" when not found or unresolved with no candidates
	Cands []string // candidates when ambiguous
	OK    bool
}

// EvalReport is the result of a test set.
type EvalReport struct {
	Outcomes []Outcome
	Correct  int
}

// Accuracy is the share of correct cases, 0 for none.
func (r EvalReport) Accuracy() float64 {
	if len(r.Outcomes) == 0 {
		return 0
	}
	return float64(r.Correct) / float64(len(r.Outcomes))
}

// Eval resolves every case's sentence with ResolveText and scores the
// mention found over the case's words (it may be longer: "Syunik province"
// for "Syunik"): an id is right when the mention resolves to it; "?" when it is
// reported ambiguous with the listed candidates among the others; "-" when it
// is not resolved to a place.
func (g *Gazetteer) Eval(cases []Case) EvalReport {
	var rep EvalReport
	for _, c := range cases {
		o := Outcome{Case: c, Got: "-"}
		start := strings.Index(c.Sentence, c.Mention)
		end := start + len(c.Mention)
		for _, r := range g.ResolveText(c.Sentence, Hints{Countries: c.Countries}) {
			if r.End <= start || r.Start >= end {
				continue // the mention found must overlap the words of the case
			}
			o.Found = true
			switch {
			case r.Place != nil:
				o.Got = r.Place.ID
			case len(r.Ambiguous) > 1:
				o.Got = "?"
				for _, p := range r.Ambiguous {
					o.Cands = append(o.Cands, p.ID)
				}
			}
			break
		}
		switch c.Want {
		case "?":
			o.OK = o.Got == "?"
			for _, w := range c.WantCands {
				if !slices.Contains(o.Cands, w) {
					o.OK = false
				}
			}
		default:
			o.OK = o.Got == c.Want
		}
		if o.OK {
			rep.Correct++
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	return rep
}
