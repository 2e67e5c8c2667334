// Package auth holds what the API (package server) and the web page (package
// web) share about users: password hashing, random secrets for API tokens and
// session cookies (stored only as hashes), the identity of a request and the
// checks of its role and of a form's CSRF token. See docs/review.md.
package auth

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce/store"
)

// Iterations is the PBKDF2-HMAC-SHA256 work factor of new password hashes
// (OWASP's 2023 recommendation). Each hash records its own count, so raising
// it later keeps old hashes valid.
var Iterations = 600_000

// MinPassword is the shortest password accepted.
const MinPassword = 10

// CookieName is the name of the session cookie.
const CookieName = "truce_session"

// CSRFField is the form field, and CSRFHeader the request header, that carry
// a session's CSRF token.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// ErrBadCredentials is returned for an unknown, expired or malformed token
// or session, and for a wrong password.
var ErrBadCredentials = errors.New("bad credentials")

// HashPassword returns the encoded PBKDF2 hash of pw:
// "pbkdf2-sha256$ITERATIONS$SALT$HASH" (salt and hash in unpadded base64url).
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPassword {
		return "", fmt.Errorf("password: want at least %d characters", MinPassword)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, pw, salt, Iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return "pbkdf2-sha256$" + strconv.Itoa(Iterations) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key), nil
}

// CheckPassword reports whether pw matches the encoded hash, in time that
// does not depend on where they differ. An empty or malformed hash matches
// nothing.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 || n > 10_000_000 {
		return false
	}
	enc := base64.RawURLEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got, err := pbkdf2.Key(sha256.New, pw, salt, n, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// NewSecret returns 32 random bytes in base64url: an API token (prefixed
// "truce_"), a session cookie or a CSRF token.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewToken returns a new API token; only its HashSecret is stored.
func NewToken() (string, error) {
	s, err := NewSecret()
	return "truce_" + s, err
}

// HashSecret is the hex SHA-256 of a token or cookie value: what the store
// keeps. The secrets are 256 random bits, so a fast hash is enough.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Identity is who makes a request.
type Identity struct {
	User store.User
	// Session is the login of a request authenticated by its cookie; nil for
	// an API token.
	Session *store.Session
}

// Can reports whether the identity has at least role; a nil identity can nothing.
func (id *Identity) Can(role string) bool {
	return id != nil && store.RoleAtLeast(id.User.Role, role)
}

// CSRF returns the session's form token, "" without a session.
func (id *Identity) CSRF() string {
	if id == nil || id.Session == nil {
		return ""
	}
	return id.Session.CSRF
}

// CheckCSRF reports whether token is the session's CSRF token. Requests
// authenticated by an API token carry no cookie a foreign site could use and
// need none.
func (id *Identity) CheckCSRF(token string) bool {
	if id == nil {
		return false
	}
	if id.Session == nil {
		return true
	}
	return token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(id.Session.CSRF)) == 1
}

type ctxKey struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identity of ctx, nil for an anonymous request.
func From(ctx context.Context) *Identity {
	id, _ := ctx.Value(ctxKey{}).(*Identity)
	return id
}

// Resolve finds who makes r: an "Authorization: Bearer TOKEN" header, else
// the session cookie. It returns nil, nil for an anonymous request, and
// ErrBadCredentials for a token that is not valid. A stale cookie is treated
// as no cookie.
func Resolve(ctx context.Context, st store.ReviewStore, r *http.Request) (*Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || tok == "" {
			return nil, ErrBadCredentials
		}
		u, err := st.UserByToken(ctx, HashSecret(strings.TrimSpace(tok)))
		if errors.Is(err, store.ErrNotFound) {
			return nil, ErrBadCredentials
		}
		if err != nil {
			return nil, err
		}
		return &Identity{User: u}, nil
	}
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	s, u, err := st.SessionByHash(ctx, HashSecret(c.Value))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Identity{User: u, Session: &s}, nil
}

// Login checks a user's password and starts a session; it returns the
// cookie value. A wrong name or password gives ErrBadCredentials (after
// hashing, so that the time does not tell whether the name exists).
func Login(ctx context.Context, st store.ReviewStore, name, password string) (string, store.Session, error) {
	u, err := st.UserByName(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", store.Session{}, err
	}
	if err != nil || u.PasswordHash == "" {
		CheckPassword(dummyHash, password)
		return "", store.Session{}, ErrBadCredentials
	}
	if !CheckPassword(u.PasswordHash, password) {
		return "", store.Session{}, ErrBadCredentials
	}
	value, err := NewSecret()
	if err != nil {
		return "", store.Session{}, err
	}
	csrf, err := NewSecret()
	if err != nil {
		return "", store.Session{}, err
	}
	s := store.Session{Hash: HashSecret(value), UserID: u.ID, CSRF: csrf, Expires: time.Now().Add(SessionTTL)}
	if err := st.CreateSession(ctx, s); err != nil {
		return "", s, err
	}
	return value, s, nil
}

// dummyHash is checked against when the user does not exist.
var dummyHash = "pbkdf2-sha256$" + strconv.Itoa(Iterations) + "$c2FsdHNhbHRzYWx0c2FsdA$" + strings.Repeat("A", 43)

// SetCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure when the
// request came over TLS or secure is set (behind a TLS proxy).
func SetCookie(w http.ResponseWriter, r *http.Request, value string, expires time.Time, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: value, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: secure || r.TLS != nil})
}

// ClearCookie removes the session cookie.
func ClearCookie(w http.ResponseWriter, r *http.Request, secure bool) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure || r.TLS != nil})
}
