package lexicon_test

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/lexicon"
)

func TestLoadBundled(t *testing.T) {
	lx, err := lexicon.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	if len(lx.Patterns) < 20 || len(lx.Countries) < 5 || len(lx.Metrics) < 5 {
		t.Fatalf("bundled lexicon too small: %d patterns, %d countries, %d metrics", len(lx.Patterns), len(lx.Countries), len(lx.Metrics))
	}
}

func TestMatchPatterns(t *testing.T) {
	lx, err := lexicon.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sentence string
		want     string // pattern id of the first match, "" for none
	}{
		{"the azerbaijani armed forces left the area of the armenian sotk gold mine", "retreat.withdraw"},
		{"the armenian armed forces had to withdraw from karvachar", "retreat.withdraw"},
		{"pashinyan spoke over the phone with putin", "consult.phone"},
		{"the azerbaijani side handed over 100 bodies to the armenians", "retreat.release"},
		{"about 80 military of azerbaijan entered the territory of the field", "mobilize.enter"},
		{"units of the armed forces opened fire on the positions", "assault.fire"},
		{"the ministry denied the reports", "reject.deny"},
		{"the weather was fine", ""},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.sentence)
		ms := lx.MatchPatterns(words)
		got := ""
		if len(ms) > 0 {
			got = lx.Patterns[ms[0].ID].ID
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q (all: %v)", tt.sentence, got, tt.want, ms)
		}
	}
}

func TestInflect(t *testing.T) {
	lx, err := lexicon.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ lemma, form string }{
		{"withdraw", "withdrew"}, {"leave", "left"}, {"leave", "leaving"}, {"deny", "denied"},
		{"clear", "cleared"}, {"release", "released"}, {"touch", "touches"},
	}
	for _, tt := range tests {
		if !strings.Contains(" "+strings.Join(lx.Inflect(tt.lemma), " ")+" ", " "+tt.form+" ") {
			t.Errorf("Inflect(%q) = %v, lacks %q", tt.lemma, lx.Inflect(tt.lemma), tt.form)
		}
	}
}
