package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
)

// maxReviewBody bounds the body of a review request.
const maxReviewBody = 64 << 10

// includeRejected reads the include_rejected parameter (true, false, 1, 0):
// only analysts and admins may list rejected events.
func includeRejected(r *http.Request, q query) (bool, error) {
	v, err := q.one("include_rejected")
	if err != nil || v == "" {
		return false, err
	}
	var on bool
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		on = true
	case "false", "0", "no":
		return false, nil
	default:
		return false, badParam("include_rejected", "want true or false, got %q", show(v))
	}
	if err := checkRole(r, store.RoleAnalyst); err != nil {
		return false, err
	}
	return on, nil
}

// reviewRequest is the body of POST /api/events/{id}/review.
type reviewRequest struct {
	// Action is accept, reject or correct.
	Action string `json:"action"`
	// Reason says why; required to reject or correct.
	Reason string `json:"reason"`
	// Correction holds the corrected fields (for correct).
	auth.Correction
}

// reviewResponse answers a review request.
type reviewResponse struct {
	Event store.StoredEvent `json:"event"`
}

// reviewEvent accepts, rejects or corrects an event (analysts and admins).
func (a *api) reviewEvent(w http.ResponseWriter, r *http.Request) error {
	if err := a.checkWrite(r); err != nil {
		return err
	}
	id, err := parseID("id", r.PathValue("id"))
	if err != nil {
		return err
	}
	var req reviewRequest
	if err := readJSON(w, r, &req, "action, reason, type, mode, actor, recipient, place_id, date and quantities"); err != nil {
		return err
	}
	rv := store.Review{EventID: id, Action: req.Action, Reason: strings.TrimSpace(req.Reason), User: auth.From(r.Context()).User.Name}
	switch req.Action {
	case store.ReviewAccept, store.ReviewReject, store.ReviewCorrect:
	default:
		return badBody(`field "action": want accept, reject or correct, got %q`, show(req.Action))
	}
	if rv.Action != store.ReviewAccept && rv.Reason == "" {
		return badBody(`field "reason": say why the event is %sed`, strings.TrimSuffix(rv.Action, "e"))
	}
	if rv.Action == store.ReviewCorrect {
		if rv.Patch, err = req.Correction.Patch(a.gaz, PloverTypes); err != nil {
			var fe *auth.FieldError
			if errors.As(err, &fe) {
				return badBody("%s", fe.Error())
			}
			return err
		}
		if rv.Patch.Empty() {
			return badBody("a correction changes at least one of type, mode, actor, recipient, place_id, date, quantities")
		}
	} else if req.Correction != (auth.Correction{}) {
		return badBody("only a correction (action correct) may change fields")
	}
	ev, err := a.st.ReviewEvent(r.Context(), rv)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("there is no event %d", id)
	}
	if errors.Is(err, store.ErrInvalid) {
		return badBody("%v", err)
	}
	if err != nil {
		return err
	}
	a.log.InfoContext(r.Context(), "event reviewed", "event", id, "action", rv.Action, "user", rv.User)
	return writeJSON(w, http.StatusOK, reviewResponse{Event: ev})
}

// auditResponse is the answer of GET /api/audit.
type auditResponse struct {
	Entries []store.AuditEntry `json:"entries"`
}

// auditLog lists the audit log, newest first (any logged-in user).
func (a *api) auditLog(w http.ResponseWriter, r *http.Request) error {
	if err := checkRole(r, store.RoleViewer); err != nil {
		return err
	}
	q := queryOf(r)
	var f store.AuditFilter
	var err error
	if f.User, err = q.text("user", maxText); err != nil {
		return err
	}
	if f.Report, err = q.text("report", 64); err != nil {
		return err
	}
	if f.Limit, err = q.intIn("limit", 1, maxLimit, defaultLimit); err != nil {
		return err
	}
	if f.Offset, err = q.intIn("offset", 0, maxOffset, 0); err != nil {
		return err
	}
	entries, err := a.st.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, auditResponse{Entries: entries})
}

// readJSON reads a JSON object body into v: application/json, at most
// maxReviewBody bytes, no unknown fields (fields names them for the error).
func readJSON(w http.ResponseWriter, r *http.Request, v any, fields string) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return &apiError{http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send application/json", show(ct))}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxReviewBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body: larger than %d bytes", maxReviewBody)}
		}
		return badBody("could not be read")
	}
	if !utf8.Valid(body) {
		return badBody("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			return badBody("field %q: want %s, got %s", te.Field, te.Type, te.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return badBody("%s; the fields are %s", strings.TrimPrefix(err.Error(), "json: "), fields)
		case errors.Is(err, io.EOF):
			return badBody("empty")
		}
		return badBody("not a JSON object: %v", err)
	}
	if dec.More() {
		return badBody("more than one JSON value")
	}
	return nil
}
