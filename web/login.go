package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/truce-monitor/truce/server/auth"
)

// addAuthPages parses the templates of the login, review and audit pages
// and registers their routes on mux.
func (s *site) addAuthPages(mux *http.ServeMux) error {
	for _, p := range []string{"login.html", "review.html", "audit.html"} {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/auditlist.html", "templates/"+p)
		if err != nil {
			return err
		}
		s.pages[p] = t
	}
	s.csrf = http.NewCrossOriginProtection()
	mux.HandleFunc("GET /login", s.handleLoginForm)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)
	mux.HandleFunc("GET /events/{id}/review", s.handleReviewForm)
	mux.HandleFunc("POST /events/{id}/review", s.handleReview)
	mux.HandleFunc("GET /audit", s.handleAudit)
	return nil
}

// loginData is the data of the login page.
type loginData struct {
	Next  string
	Name  string
	Error string
}

// safeNext is a local path to go to after logging in, "/" for anything else
// (no open redirect to another site).
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (s *site) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login.html", page{Title: "Log in", Nav: "login", Data: loginData{Next: safeNext(r.URL.Query().Get("next"))}})
}

// handleLogin checks the name and password of the login form and starts a
// session. The password is neither logged nor kept.
func (s *site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := s.csrf.Check(r); err != nil {
		s.fail(w, r, http.StatusForbidden, "A login form of another site was refused.", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, "The form could not be read.", nil)
		return
	}
	name, next := strings.TrimSpace(r.PostForm.Get("name")), safeNext(r.PostForm.Get("next"))
	value, sess, err := auth.Login(r.Context(), s.st, name, r.PostForm.Get("password"))
	if errors.Is(err, auth.ErrBadCredentials) {
		s.log.WarnContext(r.Context(), "login failed", "user", name, "remote", r.RemoteAddr)
		s.render(w, r, http.StatusUnauthorized, "login.html", page{Title: "Log in", Nav: "login",
			Data: loginData{Next: next, Name: name, Error: "Wrong name or password."}})
		return
	}
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "The login could not be recorded.", err)
		return
	}
	s.log.InfoContext(r.Context(), "login", "user", name)
	auth.SetCookie(w, r, value, sess.Expires, s.opt.SecureCookies)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// handleLogout ends the session of the request (form with its CSRF token).
func (s *site) handleLogout(w http.ResponseWriter, r *http.Request) {
	id := auth.From(r.Context())
	if err := s.csrf.Check(r); err != nil || id == nil || !id.CheckCSRF(r.PostFormValue(auth.CSRFField)) {
		s.fail(w, r, http.StatusForbidden, "The logout form was refused: reload the page and try again.", nil)
		return
	}
	if id.Session != nil {
		if err := s.st.DeleteSession(r.Context(), id.Session.Hash); err != nil {
			s.fail(w, r, http.StatusInternalServerError, "The logout could not be recorded.", err)
			return
		}
	}
	auth.ClearCookie(w, r, s.opt.SecureCookies)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// needRole answers a page request that lacks role: a redirect to the login
// page without a login, a 403 page with a lesser role. It reports whether
// the request may go on.
func (s *site) needRole(w http.ResponseWriter, r *http.Request, role string) (*auth.Identity, bool) {
	id := auth.From(r.Context())
	if id == nil {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		} else {
			s.fail(w, r, http.StatusUnauthorized, "Log in first.", nil)
		}
		return nil, false
	}
	if !id.Can(role) {
		s.fail(w, r, http.StatusForbidden, "User "+id.User.Name+" has the role "+id.User.Role+"; this page needs "+role+" or above.", nil)
		return nil, false
	}
	return id, true
}
