package auth

import (
	"strings"
	"testing"

	"github.com/truce-monitor/truce/data"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

func TestPasswords(t *testing.T) {
	if _, err := HashPassword("short"); err == nil {
		t.Error("a short password was hashed")
	}
	h, err := HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("a long enough password")
	if h == h2 || strings.Contains(h, "password") || !strings.HasPrefix(h, "pbkdf2-sha256$600000$") {
		t.Errorf("hashes %q, %q: want salted PBKDF2", h, h2)
	}
	tests := []struct {
		hash, pw string
		want     bool
	}{
		{h, "a long enough password", true},
		{h, "a long enough passworD", false},
		{h, "", false},
		{"", "", false},
		{"pbkdf2-sha256$x$a$b", "a", false},
		{"bcrypt$1$a$b", "a", false},
		{"pbkdf2-sha256$99999999$c2FsdA$aGFzaA", "a", false},
		{dummyHash, "anything", false},
	}
	for _, tc := range tests {
		if got := CheckPassword(tc.hash, tc.pw); got != tc.want {
			t.Errorf("CheckPassword(%q, %q) = %v", tc.hash, tc.pw, got)
		}
	}
}

func TestSecrets(t *testing.T) {
	a, _ := NewToken()
	b, _ := NewToken()
	if a == b || !strings.HasPrefix(a, "truce_") || len(a) != 6+43 {
		t.Errorf("tokens %q %q", a, b)
	}
	if h := HashSecret(a); len(h) != 64 || strings.Contains(h, a) {
		t.Errorf("hash %q", h)
	}
	var none *Identity
	if none.Can(store.RoleViewer) || none.CheckCSRF("x") || none.CSRF() != "" {
		t.Error("a nil identity may do something")
	}
	tok := &Identity{User: store.User{Role: store.RoleAnalyst}}
	if !tok.Can(store.RoleAnalyst) || tok.Can(store.RoleAdmin) || !tok.CheckCSRF("") {
		t.Error("an analyst's API token")
	}
	sess := &Identity{User: store.User{Role: store.RoleViewer}, Session: &store.Session{CSRF: "abc"}}
	if sess.Can(store.RoleAnalyst) || sess.CheckCSRF("") || sess.CheckCSRF("abd") || !sess.CheckCSRF("abc") {
		t.Error("a viewer's session")
	}
}

func TestCorrectionPatch(t *testing.T) {
	g, err := gazetteer.Load(data.Bundled())
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string) *string { return &v }
	types := []string{"AID", "ASSAULT"}
	tests := []struct {
		name string
		c    Correction
		err  string
	}{
		{"type", Correction{Type: s(" assault ")}, ""},
		{"bad type", Correction{Type: s("BOMB")}, `field "type"`},
		{"bad mode", Correction{Mode: s("Drop Tables;")}, `field "mode"`},
		{"place", Correction{PlaceID: s("shusha")}, ""},
		{"bad place", Correction{PlaceID: s("atlantis")}, `field "place_id"`},
		{"date", Correction{Date: &DateRange{Start: "2020-11-26"}}, ""},
		{"bad date", Correction{Date: &DateRange{Start: "2020-11-31"}}, `field "date"`},
	}
	for _, tc := range tests {
		p, err := tc.c.Patch(g, types)
		if (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
		}
		if err == nil && p.Empty() {
			t.Errorf("%s: empty patch", tc.name)
		}
	}
	p, _ := Correction{Type: s("assault"), PlaceID: s("shusha"), Date: &DateRange{Start: "2020-11-26"}}.Patch(g, types)
	if *p.Type != "ASSAULT" || p.Place.ID != "shusha" || p.Place.Lat == 0 || p.Date.End != "2020-11-26" || p.Date.Precision != "day" {
		t.Errorf("patch %+v %+v %+v", *p.Type, p.Place, p.Date)
	}
	if _, err := (Correction{PlaceID: s("shusha")}).Patch(nil, types); err == nil {
		t.Error("a place without a gazetteer")
	}
}
