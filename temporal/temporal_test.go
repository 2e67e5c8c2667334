package temporal

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// show renders expressions as "text=start/end/precision" for comparison.
func show(es []Expr) string {
	var parts []string
	for _, e := range es {
		if e.When.Unresolved {
			parts = append(parts, fmt.Sprintf("%s=?%s/%s", e.Text, e.When.Start, e.When.Precision))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s=%s/%s/%s", e.Text, e.When.Start, e.When.End, e.When.Precision))
	}
	return strings.Join(parts, "; ")
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFind(t *testing.T) {
	// 2020-11-27 is a Friday.
	const ref = "2020-11-27"
	tests := []struct {
		name, ref, text, want string
	}{
		{"ordinal month first", ref, "On November 27th, the forces left the area.", "November 27th=2020-11-27/2020-11-27/day"},
		{"month day", ref, "They arrived on November 26 at dawn.", "November 26=2020-11-26/2020-11-26/day"},
		{"day month year", ref, "Signed on 26 November 2020 in Moscow.", "26 November 2020=2020-11-26/2020-11-26/day"},
		{"abbrev with dot", ref, "Reported Nov. 27 by the ministry.", "Nov. 27=2020-11-27/2020-11-27/day"},
		{"day abbrev", ref, "The talks of 27 Nov went well.", "27 Nov=2020-11-27/2020-11-27/day"},
		{"dotted", ref, "Statement of 27.11.2020 follows.", "27.11.2020=2020-11-27/2020-11-27/day"},
		{"iso", ref, "Updated 2020-11-27.", "2020-11-27=2020-11-27/2020-11-27/day"},
		{"us slash", ref, "Filed 12/15/2020 in court.", "12/15/2020=2020-12-15/2020-12-15/day"},
		{"european slash", ref, "Filed 15/12/2020 in court.", "15/12/2020=2020-12-15/2020-12-15/day"},
		{"ambiguous slash nearest ref", ref, "Filed 11/10/2020 in court.", "11/10/2020=2020-11-10/2020-11-10/day"},
		{"yesterday", ref, "Soldiers came yesterday, calmly.", "yesterday=2020-11-26/2020-11-26/day"},
		{"yesterday evening", ref, "It began yesterday evening.", "yesterday evening=2020-11-26/2020-11-26/day"},
		{"today", ref, "Today the side handed over the bodies.", "Today=2020-11-27/2020-11-27/day"},
		{"tonight", ref, "A convoy leaves tonight.", "tonight=2020-11-27/2020-11-27/day"},
		{"last night", ref, "Shelling was heard last night.", "last night=2020-11-26/2020-11-27/day"},
		{"this morning", ref, "The road reopened this morning.", "this morning=2020-11-27/2020-11-27/day"},
		{"on weekday before", ref, "The ministry said on Tuesday that it was calm.", "Tuesday=2020-11-24/2020-11-24/day"},
		{"weekday same day", ref, "The ministry said on Friday that it was calm.", "Friday=2020-11-27/2020-11-27/day"},
		{"late weekday", ref, "The exchange concluded late Monday.", "late Monday=2020-11-23/2020-11-23/day"},
		{"last weekday", ref, "They met last Friday.", "last Friday=2020-11-20/2020-11-20/day"},
		{"weekday with date", ref, "On Tuesday, November 24, they met.", "Tuesday, November 24=2020-11-24/2020-11-24/day"},
		{"last week", ref, "As part of last week's deal, troops left.", "last week=2020-11-16/2020-11-22/week"},
		{"this week", ref, "Talks resume this week.", "this week=2020-11-23/2020-11-29/week"},
		{"earlier this month", ref, "Fighting stopped earlier this month.", "earlier this month=2020-11-01/2020-11-27/month"},
		{"last month", ref, "The deal signed last month holds.", "last month=2020-10-01/2020-10-31/month"},
		{"in month", ref, "The deal was signed in November.", "November=2020-11-01/2020-11-30/month"},
		{"month year", ref, "Since the war of October 2020 ended.", "October 2020=2020-10-01/2020-10-31/month"},
		{"late hours two days", ref, "He called twice in the late hours of November 26th, and early hours of November 27th.",
			"the late hours of November 26th=2020-11-26/2020-11-26/day; early hours of November 27th=2020-11-27/2020-11-27/day"},
		{"from to", ref, "Talks ran from 10 to 12 November.", "from 10 to 12 November=2020-11-10/2020-11-12/day"},
		{"between and", ref, "Talks ran between November 10 and 15.", "between November 10 and 15=2020-11-10/2020-11-15/day"},
		{"dash range", ref, "Talks ran 10-12 November in Geneva.", "10-12 November=2020-11-10/2020-11-12/day"},
		{"night of range", ref, "On the night of 26-27 November shots were fired.", "the night of 26-27 November=2020-11-26/2020-11-27/day"},
		{"since", ref, "Since November 10 no shots were fired.", "Since November 10=2020-11-10/2020-11-27/day"},
		{"days ago", ref, "They left three days ago.", "three days ago=2020-11-24/2020-11-24/day"},
		{"weeks ago", ref, "They left two weeks ago.", "two weeks ago=2020-11-09/2020-11-15/week"},
		{"digit days ago", ref, "They left 10 days ago.", "10 days ago=2020-11-17/2020-11-17/day"},
		{"comma year", ref, "It was reported that on December 24, 2020, officials came.", "December 24, 2020=2020-12-24/2020-12-24/day"},
		{"date range words", ref, "from November 10 to November 15 the road was shut", "from November 10 to November 15=2020-11-10/2020-11-15/day"},
		{"year after in", ref, "Borders drawn in 1991 still hold.", "1991=1991-01-01/1991-12-31/year"},
		{"day of month", ref, "On the 27th of November they left.", "27th of November=2020-11-27/2020-11-27/day"},
		{"date with time", ref, "04 January 2021, 23:02", "04 January 2021=2021-01-04/2021-01-04/day"},
		{"deadline ahead", "2021-01-04", "They were ordered to move out by January 5.", "January 5=2021-01-05/2021-01-05/day"},
		{"past across new year", "2021-01-04", "Officials came on December 24.", "December 24=2020-12-24/2020-12-24/day"},
		{"month across new year", "2021-01-04", "Talks began in December.", "December=2020-12-01/2020-12-31/month"},
		{"far ahead goes back", "2020-03-01", "The fighting of November 27 ended.", "November 27=2019-11-27/2019-11-27/day"},
		{"leap day", "2021-03-10", "Troops came on February 29.", "February 29=2020-02-29/2020-02-29/day"},
		{"in May with preposition", ref, "The road was built in May.", "May=2020-05-01/2020-05-31/month"},
		{"mid month", ref, "Shelling resumed in mid-October.", "October=2020-10-01/2020-10-31/month"},
		{"day before yesterday", ref, "They met the day before yesterday.", "the day before yesterday=2020-11-25/2020-11-25/day"},
		{"since looks back", ref, "Closed since December 5.", "since December 5=2019-12-05/2020-11-27/day"},
		{"since weekday", ref, "No shots since Tuesday.", "since Tuesday=2020-11-24/2020-11-27/day"},
		{"earlier today", ref, "A statement issued earlier today said so.", "earlier today=2020-11-27/2020-11-27/day"},
		{"caps month", ref, "27 NOVEMBER 2020 BULLETIN", "27 NOVEMBER 2020=2020-11-27/2020-11-27/day"},
		{"two separate days", ref, "They met on November 10 and November 20.", "November 10=2020-11-10/2020-11-10/day; November 20=2020-11-20/2020-11-20/day"},

		// Negative cases.
		{"may modal", ref, "Azerbaijan may withdraw its troops.", ""},
		{"May sentence start", ref, "May God help them, he said.", ""},
		{"march noun", ref, "A march was held; they march again.", ""},
		{"March alone", ref, "Thousands joined the March for Peace.", ""},
		{"we sat sun", ref, "We sat in the Sun. Sat and Sun are not dates.", ""},
		{"thousands troops", ref, "In 1,960 troops were moved.", ""},
		{"thousand sep", ref, "About 1,000 shells and 2,020 mines.", ""},
		{"time", ref, "At 00:00 the ceasefire began.", ""},
		{"version", ref, "Version 1.2.3 released; see 10.11.12.13 and 1.2.2020.3.", ""},
		{"fifth day", ref, "The ceasefire extends into a fifth day.", ""},
		{"last hour", ref, "In the last hour, I had two calls.", ""},
		{"year inside count", ref, "They counted 2020 shells.", ""},
		{"lower month", ref, "the october group met", ""},
		{"invalid day", ref, "on February 30 nothing", ""},
		{"24/7", ref, "A 24/7 hotline opened.", ""},
		{"month in number", ref, "By November 100 soldiers left.", "November=2020-11-01/2020-11-30/month"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := show(Find(tc.text, day(tc.ref), true))
			if got != tc.want {
				t.Errorf("Find(%q)\n got %s\nwant %s", tc.text, got, tc.want)
			}
		})
	}
}

func TestFindNoRef(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Signed on 26 November 2020.", "26 November 2020=2020-11-26/2020-11-26/day"},
		{"Signed on November 26.", "November 26=?/day"},
		{"They came yesterday.", "yesterday=?/day"},
		{"Since November 10, 2020 it is calm.", "Since November 10, 2020=?2020-11-10/day"},
		{"Filed 11/10/2020.", "11/10/2020=?/day"},
		{"from 10 to 12 November 2020", "from 10 to 12 November 2020=2020-11-10/2020-11-12/day"},
		{"on Tuesday", "Tuesday=?/day"},
		{"last week", "last week=?/week"},
	}
	for _, tc := range tests {
		if got := show(Find(tc.text, time.Time{}, false)); got != tc.want {
			t.Errorf("Find(%q) no ref\n got %s\nwant %s", tc.text, got, tc.want)
		}
	}
}

func TestFindRelativeFlag(t *testing.T) {
	es := Find("On 26 November 2020 and yesterday.", day("2020-11-27"), true)
	if len(es) != 2 || es[0].Relative || !es[1].Relative {
		t.Fatalf("Relative flags wrong: %+v", es)
	}
}

func TestMerge(t *testing.T) {
	ref := day("2020-11-27")
	tests := []struct{ text, want string }{
		{"in the late hours of November 26th, and early hours of November 27th.",
			"the late hours of November 26th, and early hours of November 27th=2020-11-26/2020-11-27/day"},
		{"on November 10 and November 20", "November 10=2020-11-10/2020-11-10/day; November 20=2020-11-20/2020-11-20/day"},
		{"yesterday and today", "yesterday and today=2020-11-26/2020-11-27/day"},
		{"November 26 - November 29", "November 26 - November 29=2020-11-26/2020-11-29/day"},
		{"14 November 2020\n\nToday", "14 November 2020=2020-11-14/2020-11-14/day; Today=2020-11-27/2020-11-27/day"},
		{"November 26 November 27", "November 26=2020-11-26/2020-11-26/day; November 27=2020-11-27/2020-11-27/day"},
		{"November 26 in Shusha and November 27", "November 26=2020-11-26/2020-11-26/day; November 27=2020-11-27/2020-11-27/day"},
	}
	for _, tc := range tests {
		if got := show(Merge(tc.text, Find(tc.text, ref, true))); got != tc.want {
			t.Errorf("Merge(%q)\n got %s\nwant %s", tc.text, got, tc.want)
		}
	}
	if got := Merge("x", nil); len(got) != 0 {
		t.Errorf("Merge(nil) = %v", got)
	}
	// Bad offsets never panic.
	_ = Merge("short", []Expr{{Start: 0, End: 3, When: Find("November 26", ref, true)[0].When}, {Start: 90, End: 99, When: Find("November 27", ref, true)[0].When}})
}

func TestSeed(t *testing.T) {
	text := "On November 27th, the forces left. Azerbaijanis came yesterday, behaved calmly. " +
		"Twice in the late hours of November 26th, and early hours of November 27th. On November 26th, he met them."
	got := show(Find(text, day("2020-11-27"), true))
	want := "November 27th=2020-11-27/2020-11-27/day; yesterday=2020-11-26/2020-11-26/day; " +
		"the late hours of November 26th=2020-11-26/2020-11-26/day; early hours of November 27th=2020-11-27/2020-11-27/day; " +
		"November 26th=2020-11-26/2020-11-26/day"
	if got != want {
		t.Errorf("seed\n got %s\nwant %s", got, want)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"On November 27th", "27.11.2020", "12/15/2020", "from 10 to 12 November", "since Tuesday",
		"three days ago", "1,960", "the night of 26-27 November", "May", "31 February 2021", "9999-99-99", "\xff\xfe Nov. 3"} {
		f.Add(s, int64(1606435200), true)
	}
	f.Fuzz(func(t *testing.T, text string, unix int64, hasRef bool) {
		ref := time.Unix(unix%(1<<34), 0).UTC()
		es := Find(text, ref, hasRef)
		bound := map[int]bool{len(text): true}
		for i := range text {
			bound[i] = true
		}
		prev := 0
		for _, e := range es {
			if e.Start < prev || e.Start > e.End || e.End > len(text) {
				t.Fatalf("bad offsets %d..%d (prev %d, len %d)", e.Start, e.End, prev, len(text))
			}
			if !bound[e.Start] || !bound[e.End] {
				t.Fatalf("offsets not on rune boundaries: %d..%d", e.Start, e.End)
			}
			if e.Text != text[e.Start:e.End] {
				t.Fatalf("text %q != span %q", e.Text, text[e.Start:e.End])
			}
			if !e.When.Unresolved && (e.When.Start == "" || e.When.End < e.When.Start) {
				t.Fatalf("bad when %+v", e.When)
			}
			prev = e.End
		}
		_ = Merge(text, es)
	})
}

func BenchmarkFind(b *testing.B) {
	para := "On November 27th, the forces left the area of the mine. Soldiers came yesterday and behaved calmly. " +
		"About 80 military entered the territory on Tuesday. He spoke twice in the late hours of November 26th, and early " +
		"hours of November 27th. Since November 10, engineers cleared more than two hectares and 1,960 objects; talks ran " +
		"from 10 to 12 November 2020 and resume next week. Azerbaijan may withdraw by 01.12.2020 at 00:00."
	ref := day("2020-11-27")
	b.SetBytes(int64(len(para)))
	b.ReportAllocs()
	for b.Loop() {
		Find(para, ref, true)
	}
}
