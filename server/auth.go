package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
)

// publicPath reports whether path is served without a login even when the
// server requires one: the login page, the page's assets and the OpenAPI
// document.
func publicPath(path string) bool {
	return path == "/login" || strings.HasPrefix(path, "/assets/") || path == "/api/openapi.json"
}

// authenticate finds who makes r (API token or session cookie) and returns r
// with the identity in its context (auth.From). It answers the request itself
// and returns false when an API token is not valid (401), or when the server
// requires a login for reading and there is none (401 for the API, a
// redirect to the login page for the web page).
func (s *server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	id, err := auth.Resolve(r.Context(), s.api.st, r)
	if errors.Is(err, auth.ErrBadCredentials) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="truce"`)
		writeError(w, http.StatusUnauthorized, "the API token is not valid: send Authorization: Bearer TOKEN (truce user token NAME)")
		return r, false
	}
	if err != nil {
		s.log.ErrorContext(r.Context(), "authenticate", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
		return r, false
	}
	r = r.WithContext(auth.With(r.Context(), id))
	if id != nil || !s.api.requireAuth || publicPath(r.URL.Path) {
		return r, true
	}
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("WWW-Authenticate", `Bearer realm="truce"`)
		writeError(w, http.StatusUnauthorized, "this server requires a login to read: send Authorization: Bearer TOKEN (truce user token NAME)")
		return r, false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "log in first", http.StatusUnauthorized)
		return r, false
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return r, false
}

// checkRole refuses a request whose identity does not have role: 401 without
// one, 403 with a lesser role.
func checkRole(r *http.Request, role string) error {
	id := auth.From(r.Context())
	if id == nil {
		return &apiError{http.StatusUnauthorized, fmt.Sprintf("log in as %s or admin: send Authorization: Bearer TOKEN (truce user token NAME)", role)}
	}
	if !id.Can(role) {
		return &apiError{http.StatusForbidden, fmt.Sprintf("user %q has the role %s; this needs %s or above", id.User.Name, id.User.Role, role)}
	}
	return nil
}

// authorizeWrite refuses a write unless it comes from an analyst or an admin,
// from this site (http.CrossOriginProtection), and, for a browser session,
// with the session's CSRF token in the X-CSRF-Token header.
func (a *api) authorizeWrite(r *http.Request) error {
	if err := checkRole(r, store.RoleAnalyst); err != nil {
		return err
	}
	if err := a.csrf.Check(r); err != nil {
		return &apiError{http.StatusForbidden, "cross-origin write refused: " + err.Error()}
	}
	if !auth.From(r.Context()).CheckCSRF(r.Header.Get(auth.CSRFHeader)) {
		return &apiError{http.StatusForbidden, "a browser session must send its CSRF token in the " + auth.CSRFHeader + " header"}
	}
	return nil
}
