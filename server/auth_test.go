package server

import (
	"net/http"
	"testing"

	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
)

// addUser stores a user without a password and returns a new API token of it.
func addUser(t testing.TB, st store.Store, name, role string) string {
	t.Helper()
	u, err := st.CreateUser(t.Context(), name, role, "")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddToken(t.Context(), u.ID, auth.HashSecret(tok)); err != nil {
		t.Fatal(err)
	}
	return tok
}

// withToken sends every request to h with the API token tok, unless it
// has an Authorization header of its own.
func withToken(h http.Handler, tok string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer "+tok)
		}
		h.ServeHTTP(w, r)
	})
}
