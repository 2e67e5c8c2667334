package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/server/auth"
	"github.com/truce-monitor/truce/store"
)

// reviewData is the data of an event's review page.
type reviewData struct {
	Event     store.StoredEvent
	CSRF      string
	Types     []string
	PlaceName string
	Places    []option
	Error     string
	Audit     []auditRow
}

// auditRow is an audit entry as the pages show it.
type auditRow struct {
	store.AuditEntry
	At      string
	Changes []string // "type: ASSAULT → COERCE"
}

// auditRows describes what each entry changed.
func auditRows(es []store.AuditEntry) []auditRow {
	out := make([]auditRow, 0, len(es))
	for _, e := range es {
		row := auditRow{AuditEntry: e, At: e.At.UTC().Format(time.DateTime)}
		var b, a store.ReviewedFields
		if json.Unmarshal(e.Before, &b) == nil && json.Unmarshal(e.After, &a) == nil {
			row.Changes = changes(b, a)
		}
		out = append(out, row)
	}
	return out
}

// changes lists the fields that differ between two versions of an event.
func changes(b, a store.ReviewedFields) []string {
	var out []string
	add := func(field, x, y string) {
		if x != y {
			if x == "" {
				x = "—"
			}
			if y == "" {
				y = "—"
			}
			out = append(out, field+": "+x+" → "+y)
		}
	}
	actor := func(x *truce.Actor) string {
		if x == nil {
			return ""
		}
		return strings.TrimSpace(x.Name + " " + x.Country)
	}
	place := func(p *truce.Place) string {
		if p == nil {
			return ""
		}
		if p.ID != "" {
			return p.ID
		}
		return p.Name
	}
	qs := func(q []truce.Quantity) string {
		j, _ := json.Marshal(q)
		return string(j)
	}
	add("review", b.Review, a.Review)
	add("type", b.Type, a.Type)
	add("mode", b.Mode, a.Mode)
	add("actor", actor(b.Actor), actor(a.Actor))
	add("recipient", actor(b.Recipient), actor(a.Recipient))
	add("place", place(b.Place), place(a.Place))
	add("date", whenText(b.Date), whenText(a.Date))
	if qs(b.Quantities) != qs(a.Quantities) {
		out = append(out, "quantities changed")
	}
	return out
}

// reviewPage loads what the review page of event id shows.
func (s *site) reviewPage(r *http.Request, id int64, csrf string) (reviewData, error) {
	ctx := r.Context()
	e, err := s.st.Event(ctx, id)
	if err != nil {
		return reviewData{}, err
	}
	rep, err := s.st.Report(ctx, e.ReportID)
	if err != nil {
		return reviewData{}, err
	}
	log, err := s.st.AuditLog(ctx, store.AuditFilter{Report: rep.Hash})
	if err != nil {
		return reviewData{}, err
	}
	d := reviewData{Event: e, CSRF: csrf, Types: truceTypes, PlaceName: s.placeName(e.Place), Audit: auditRows(log)}
	places, _, err := s.lists(ctx)
	if err != nil {
		return reviewData{}, err
	}
	for _, p := range places {
		if p.ID != "" {
			d.Places = append(d.Places, option{Value: p.ID, Label: s.placeName(&p.Place)})
		}
	}
	return d, nil
}

func (s *site) handleReviewForm(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "There is no event "+r.PathValue("id")+".", nil)
		return
	}
	who, ok := s.needRole(w, r, store.RoleAnalyst)
	if !ok {
		return
	}
	d, err := s.reviewPage(r, id, who.CSRF())
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Event %d", id), err)
		return
	}
	s.render(w, r, http.StatusOK, "review.html", page{Title: fmt.Sprintf("Review event %d", id), Nav: "map", Data: d})
}

// formCorrection reads the corrected fields of the review form: only the
// fields present in the form whose value differs from the event's are
// corrected; an empty actor, place or date leaves the event's as it is.
func formCorrection(f url.Values, e *truce.Event) auth.Correction {
	var c auth.Correction
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	if t := get("type"); t != "" && t != e.Type {
		c.Type = &t
	}
	if m := get("mode"); f.Has("mode") && m != e.Mode {
		c.Mode = &m
	}
	for _, a := range []struct {
		name string
		cur  *truce.Actor
		out  **truce.Actor
	}{{"actor", e.Actor, &c.Actor}, {"recipient", e.Recipient, &c.Recipient}} {
		name, country := get(a.name), strings.ToUpper(get(a.name+"_country"))
		var curName, curCountry string
		if a.cur != nil {
			curName, curCountry = a.cur.Name, a.cur.Country
		}
		if name != "" && (name != curName || country != curCountry) {
			x := truce.Actor{Name: name, Country: country}
			if a.cur != nil && name == curName {
				x.Kind, x.ID, x.Role = a.cur.Kind, a.cur.ID, a.cur.Role
			}
			*a.out = &x
		}
	}
	var curPlace string
	if e.Place != nil {
		curPlace = e.Place.ID
	}
	if p := get("place_id"); p != "" && p != curPlace {
		c.PlaceID = &p
	}
	var curStart, curEnd string
	if e.Date != nil {
		curStart, curEnd = e.Date.Start, e.Date.End
	}
	start, end := get("date_start"), get("date_end")
	if end == "" {
		end = start
	}
	if start != "" && (start != curStart || end != curEnd) {
		c.Date = &auth.DateRange{Start: start, End: end}
	}
	return c
}

// handleReview stores the decision of the review form (analysts and admins;
// the form must carry the session's CSRF token and come from this site).
func (s *site) handleReview(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "There is no event "+r.PathValue("id")+".", nil)
		return
	}
	who, ok := s.needRole(w, r, store.RoleAnalyst)
	if !ok {
		return
	}
	if err := s.csrf.Check(r); err != nil {
		s.fail(w, r, http.StatusForbidden, "A review form of another site was refused.", nil)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, "The form could not be read.", nil)
		return
	}
	if !who.CheckCSRF(r.PostForm.Get(auth.CSRFField)) {
		s.fail(w, r, http.StatusForbidden, "The form's token is missing or stale: reload the page and try again.", nil)
		return
	}
	e, err := s.st.Event(r.Context(), id)
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Event %d", id), err)
		return
	}
	rv := store.Review{EventID: id, Action: r.PostForm.Get("action"), Reason: strings.TrimSpace(r.PostForm.Get("reason")), User: who.User.Name}
	var msg string
	if rv.Action == store.ReviewCorrect {
		rv.Patch, err = formCorrection(r.PostForm, &e.Event).Patch(s.opt.Gazetteer, truceTypes)
		var fe *auth.FieldError
		if errors.As(err, &fe) {
			msg = "The " + strings.ReplaceAll(fe.Field, "_", " ") + " cannot be used: " + fe.Msg + "."
		} else if err != nil {
			msg = err.Error()
		}
	}
	if msg == "" {
		if err := rv.Validate(); err != nil {
			msg = reviewMessage(rv)
		}
	}
	if msg == "" {
		if _, err := s.st.ReviewEvent(r.Context(), rv); err != nil {
			s.storeErr(w, r, fmt.Sprintf("Event %d", id), err)
			return
		}
		s.log.InfoContext(r.Context(), "event reviewed", "event", id, "action", rv.Action, "user", rv.User)
		http.Redirect(w, r, "/events/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return
	}
	d, err := s.reviewPage(r, id, who.CSRF())
	if err != nil {
		s.storeErr(w, r, fmt.Sprintf("Event %d", id), err)
		return
	}
	d.Error = msg
	s.render(w, r, http.StatusBadRequest, "review.html", page{Title: fmt.Sprintf("Review event %d", id), Nav: "map", Data: d})
}

// reviewMessage says what is missing from a review that does not validate.
func reviewMessage(rv store.Review) string {
	switch {
	case !slices.Contains([]string{store.ReviewAccept, store.ReviewReject, store.ReviewCorrect}, rv.Action):
		return "Choose an action: correct, accept or reject."
	case rv.Action == store.ReviewCorrect && rv.Patch.Empty():
		return "Nothing was changed: change a field, or accept the event as it is."
	case rv.Action != store.ReviewAccept && rv.Reason == "":
		return "Say why."
	}
	return "The review cannot be stored: the reason is too long or not text."
}

// auditData is the data of the audit page.
type auditData struct {
	Entries []auditRow
	More    string
}

// handleAudit shows the audit log to logged-in users, newest first.
func (s *site) handleAudit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.needRole(w, r, store.RoleViewer); !ok {
		return
	}
	const per = 100
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	off = max(0, min(off, 1_000_000))
	es, err := s.st.AuditLog(r.Context(), store.AuditFilter{User: r.URL.Query().Get("user"), Limit: per + 1, Offset: off})
	if err != nil {
		s.storeErr(w, r, "The audit log", err)
		return
	}
	d := auditData{}
	if len(es) > per {
		es = es[:per]
		d.More = "/audit?offset=" + strconv.Itoa(off+per)
	}
	d.Entries = auditRows(es)
	s.render(w, r, http.StatusOK, "audit.html", page{Title: "Audit log", Nav: "audit", Data: d})
}
