package extract_test

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce"
)

// TestRules checks the extraction rules one by one on short reports written
// for the purpose: each case names the event it must (or must not) yield.
func TestRules(t *testing.T) {
	x := newExtractor(t)
	tests := []struct {
		name string
		text string
		want []eventWant // each must match some event
		not  []eventWant // none may match any asserted event
	}{
		{
			name: "demonym force withdraws, dated by the sentence",
			text: "On 3 March, Armenian troops withdrew from the village of Shurnukh.",
			want: []eventWant{{types: []string{"RETREAT"}, country: "ARM", place: "shurnukh", date: "2021-03-03"}},
		},
		{
			name: "a demand is a REQUEST, not the handover it demands",
			text: "The ministry said that Lachin district should be handed over to Azerbaijan.",
			want: []eventWant{{types: []string{"REQUEST"}}},
			not:  []eventWant{{types: []string{"RETREAT"}}},
		},
		{
			name: "an announced handover is a CONCEDE",
			text: "Armenia will hand over the Lachin district to Azerbaijan.",
			want: []eventWant{{types: []string{"CONCEDE"}}},
			not:  []eventWant{{types: []string{"RETREAT"}}},
		},
		{
			name: "negated events are marked, not asserted",
			text: "Azerbaijani forces did not open fire near Sotk on Tuesday.",
			not:  []eventWant{{types: []string{"ASSAULT"}}},
		},
		{
			name: "attribution after a quote and a lone surname",
			text: "Defence Minister Vagharshak Harutyunyan visited the border.\n\n\"Our troops opened fire only in response,\" Harutyunyan said.",
			want: []eventWant{{types: []string{"ASSAULT"}, speaker: "Vagharshak Harutyunyan"}},
		},
		{
			name: "according to him takes the last speaker",
			text: "Head of Sotk Hakob Avetyan said the situation was tense.\n\nAccording to him, Azerbaijani soldiers entered the mine area yesterday.",
			want: []eventWant{{types: []string{"MOBILIZE"}, country: "AZE", speaker: "Hakob Avetyan", date: "2021-03-09"}},
		},
		{
			name: "two calls on two days are two events",
			text: "Nikol Pashinyan spoke over the phone with Vladimir Putin twice, on 8 March and on 9 March.",
			want: []eventWant{
				{types: []string{"CONSULT"}, mode: "phone", date: "2021-03-08"},
				{types: []string{"CONSULT"}, mode: "phone", date: "2021-03-09"},
			},
		},
		{
			name: "the topics of talks are contexts, not events",
			text: "Ilham Aliyev held talks with Vladimir Putin on Tuesday.\n\nThe discussions focused on the exchange of prisoners and the unblocking of transport links.",
			want: []eventWant{{types: []string{"CONSULT"}, contexts: []string{"prisoners", "transport"}}},
			not:  []eventWant{{types: []string{"RETREAT"}}},
		},
		{
			name: "a restatement is one event",
			text: "Azerbaijani troops entered the Aghdam district on 8 March.\n\nThe Azerbaijani army entered Aghdam district on Monday, the ministry said.",
			want: []eventWant{{types: []string{"MOBILIZE"}, country: "AZE", place: "aghdam"}},
		},
		{
			name: "habitual statements are not events",
			text: "Sappers usually destroy unexploded shells on the spot if they cannot be moved.",
			not:  []eventWant{{types: []string{"AID", "ASSAULT"}}},
		},
		{
			name: "background long before the report is not news",
			text: "In October 2020, Azerbaijani forces shelled Stepanakert.",
			not:  []eventWant{{types: []string{"ASSAULT"}}},
		},
		{
			name: "a participle describing a noun is not a new event",
			text: "The exchange of the bodies of servicemen killed near Shusha began on 9 March.",
			not:  []eventWant{{types: []string{"ASSAULT"}}},
		},
		{
			name: "a pledge covers the verbs coordinated with it",
			text: "Armenia pledged to withdraw its troops from the border and release ten detainees.",
			not:  []eventWant{{types: []string{"RETREAT"}}},
		},
		{
			name: "a denied attack is not an attack",
			text: "The Armenian defence ministry denied that its units opened fire on Azerbaijani positions.",
			want: []eventWant{{types: []string{"REJECT"}, country: "ARM"}},
			not:  []eventWant{{types: []string{"ASSAULT"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := x.Extract(truce.Report{Published: "2021-03-10", Text: tt.text})
			for _, w := range tt.want {
				found := false
				for _, e := range x.Events {
					if w.matches(e) {
						found = true
					}
				}
				if !found {
					t.Errorf("no event like %+v in\n%s", w, describe(x.Events))
				}
			}
			for _, w := range tt.not {
				for _, e := range x.Events {
					if w.matches(e) {
						t.Errorf("unwanted event %s: %q", e.Type, e.Evidence.Text)
					}
				}
			}
		})
	}
}

// TestRepeatedCount checks that the number of events of the repeated-call
// case is exactly two, not three (the quote restating them merges).
func TestRepeatedCount(t *testing.T) {
	x := newExtractor(t).Extract(truce.Report{Published: "2021-03-10",
		Text: "Nikol Pashinyan spoke over the phone with Vladimir Putin twice, on 8 March and on 9 March."})
	n := 0
	for _, e := range x.Events {
		if e.Type == "CONSULT" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d CONSULT events, want 2:\n%s", n, describe(x.Events))
	}
}

// TestNoReportDate checks that a report without a date is still extracted,
// with relative dates left unresolved rather than guessed.
func TestNoReportDate(t *testing.T) {
	x := newExtractor(t).Extract(truce.Report{Text: "Azerbaijani soldiers entered the Sotk mine area yesterday."})
	if len(x.Events) == 0 {
		t.Fatal("no event")
	}
	for _, e := range x.Events {
		if e.Date != nil && !e.Date.Unresolved {
			t.Errorf("date %+v guessed without a report date", e.Date)
		}
	}
}

func describe(evs []truce.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(e.Type + "/" + e.Mode)
		if e.Actor != nil {
			b.WriteString(" actor=" + e.Actor.Name + "[" + e.Actor.Country + "]")
		}
		if e.Place != nil {
			b.WriteString(" place=" + e.Place.ID)
		}
		if e.Date != nil {
			b.WriteString(" date=" + e.Date.Start)
		}
		if e.Attribution != nil {
			b.WriteString(" by=" + e.Attribution.Speaker)
		}
		b.WriteString(" neg=" + map[bool]string{true: "y", false: "n"}[e.Negated] + " " + e.Rule + "\n")
	}
	return b.String()
}

// FuzzExtract checks that extraction never panics and that every evidence
// span points into the text it came from.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"On November 27th, the Azerbaijani Armed Forces left the area of the Sotk gold mine.",
		"\"We warned them,\" he said. According to him, 80 soldiers came.",
		"Head of Sotk Hakob Avetyan said that about 80 military of Azerbaijan entered the territory.",
		"• twice • in the late hours of November 26th, and early hours of November 27th",
		"", "\"", "the the the", "Armenia Azerbaijan Russia, said, according to",
	} {
		f.Add(s, "2020-11-27")
	}
	x := newExtractor(f)
	f.Fuzz(func(t *testing.T, text, published string) {
		out := x.Extract(truce.Report{Text: text, Published: published})
		check := func(s truce.Span) {
			if s.Start < 0 || s.End > len(text) || s.Start > s.End || text[s.Start:s.End] != s.Text {
				t.Fatalf("span %+v does not point into the text", s)
			}
		}
		for _, e := range out.Events {
			check(e.Evidence)
			check(e.Trigger)
		}
		for _, c := range out.Claims {
			check(c.Evidence)
		}
		for _, i := range out.Indicators {
			check(i.Evidence)
		}
	})
}
