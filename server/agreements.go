package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/truce-monitor/truce"
	"github.com/truce-monitor/truce/agreement"
	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/sitrep"
	"github.com/truce-monitor/truce/store"
)

// Limits of the agreement routes.
const (
	maxLinkBody   = 16 << 10 // bytes of a link's JSON body
	maxNote       = 1000     // bytes of a link's note
	maxSitrepDays = 366      // days one situation report may cover
)

// agreementInfo is an agreement without its provisions' texts and signatures:
// the header of the list and of a board.
type agreementInfo struct {
	ID          string                `json:"id"`
	Title       string                `json:"title"`
	Short       string                `json:"short,omitempty"`
	Date        string                `json:"date"`
	Dates       map[string]string     `json:"dates,omitempty"`
	Parties     []string              `json:"parties"`
	Signatories []agreement.Signatory `json:"signatories"`
	Source      string                `json:"source,omitempty"`
	Note        string                `json:"note,omitempty"`
	Area        []string              `json:"area,omitempty"`
	Implements  []string              `json:"implements,omitempty"`
	Provisions  int                   `json:"provisions"`
	// Counts is the number of provisions in each status as of the day asked for.
	Counts map[agreement.Status]int `json:"counts"`
	URL    string                   `json:"url"`  // the board in this API
	Page   string                   `json:"page"` // the board on the web page
}

func newAgreementInfo(b agreement.AgreementBoard) agreementInfo {
	a := b.Agreement
	out := agreementInfo{ID: a.ID, Title: a.Title, Short: a.Short, Date: a.Date, Dates: a.Dates, Parties: a.Parties,
		Signatories: a.Signatories, Source: a.Source, Note: a.Note, Area: a.Area, Implements: a.Implements,
		Provisions: len(a.Provisions), Counts: b.Counts,
		URL: "/api/agreements/" + url.PathEscape(a.ID), Page: "/agreements/" + url.PathEscape(a.ID)}
	if out.Parties == nil {
		out.Parties = []string{}
	}
	if out.Signatories == nil {
		out.Signatories = []agreement.Signatory{}
	}
	if out.Counts == nil {
		out.Counts = map[agreement.Status]int{}
	}
	return out
}

// deadlineInfo is a provision's deadline with its history.
type deadlineInfo struct {
	// Original is the date the agreement set.
	Original string `json:"original"`
	// InForce is the deadline in force on the day asked for.
	InForce string `json:"in_force"`
	// Amendments move the deadline, in the order agreed.
	Amendments []agreement.Amendment `json:"amendments"`
}

func newDeadlineInfo(d *agreement.Deadline, asOf string) *deadlineInfo {
	if d == nil {
		return nil
	}
	out := &deadlineInfo{Original: d.Date, InForce: d.At(asOf), Amendments: d.Amendments}
	if out.Amendments == nil {
		out.Amendments = []agreement.Amendment{}
	}
	return out
}

// boardRow is one provision of an agreement board.
type boardRow struct {
	Ref         string           `json:"ref"`
	ID          string           `json:"id"`
	Point       int              `json:"point,omitempty"`
	Title       string           `json:"title"`
	Category    string           `json:"category"`
	Status      agreement.Status `json:"status"`
	StatusLabel string           `json:"status_label"`
	Since       string           `json:"since,omitempty"`
	Effective   string           `json:"effective,omitempty"`
	Deadline    *deadlineInfo    `json:"deadline"`
	// LastEvidence is the latest event bearing on the provision, null when none does.
	LastEvidence *agreement.Evidence `json:"last_evidence"`
	// EvidenceCount is the number of events bearing on the provision.
	EvidenceCount int    `json:"evidence_count"`
	URL           string `json:"url"`  // the provision in this API
	Page          string `json:"page"` // the provision on the web page
}

// provisionPath is the path of a provision under a prefix ("/api/provisions").
func provisionPath(prefix, ref string) string {
	a, p, _ := strings.Cut(ref, "/")
	return prefix + "/" + url.PathEscape(a) + "/" + url.PathEscape(p)
}

func newBoardRow(ps agreement.ProvisionStatus, asOf string) boardRow {
	p := ps.Provision
	r := boardRow{Ref: ps.Ref, ID: p.ID, Point: p.Point, Title: p.Title, Category: p.Category, Status: ps.Status,
		StatusLabel: ps.Status.Label(), Since: ps.Since, Effective: p.Effective, Deadline: newDeadlineInfo(p.Deadline, asOf),
		EvidenceCount: len(ps.Evidence), URL: provisionPath("/api/provisions", ps.Ref), Page: provisionPath("/provisions", ps.Ref)}
	if n := len(ps.Evidence); n > 0 {
		e := ps.Evidence[n-1]
		r.LastEvidence = &e
	}
	return r
}

// agreementsResponse is /api/agreements.
type agreementsResponse struct {
	AsOf       string          `json:"as_of"`
	Agreements []agreementInfo `json:"agreements"`
}

// boardResponse is /api/agreements/{id}: the agreement board.
type boardResponse struct {
	AsOf       string        `json:"as_of"`
	Agreement  agreementInfo `json:"agreement"`
	Provisions []boardRow    `json:"provisions"`
}

// placeInfo is a gazetteer place a provision names.
type placeInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"` // "" when the gazetteer does not know the id
}

// provisionResponse is /api/provisions/{agreement}/{provision}.
type provisionResponse struct {
	AsOf      string               `json:"as_of"`
	Ref       string               `json:"ref"`
	Agreement provisionAgreement   `json:"agreement"`
	Provision provisionDetail      `json:"provision"`
	Status    agreement.Status     `json:"status"`
	Label     string               `json:"status_label"`
	Since     string               `json:"since,omitempty"`
	Timeline  []agreement.Change   `json:"timeline"`
	Evidence  []agreement.Evidence `json:"evidence"`
	// Links are the analyst's links to this provision.
	Links []store.ProvisionLink `json:"links"`
	Page  string                `json:"page"`
}

// provisionAgreement names the agreement of a provision.
type provisionAgreement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Short string `json:"short,omitempty"`
	URL   string `json:"url"`
}

// provisionDetail is what the agreement says of a provision.
type provisionDetail struct {
	ID         string               `json:"id"`
	Point      int                  `json:"point,omitempty"`
	Title      string               `json:"title"`
	Text       string               `json:"text"`
	Category   string               `json:"category"`
	Parties    []string             `json:"parties"` // the parties it binds
	Places     []placeInfo          `json:"places"`
	Except     []placeInfo          `json:"except"`
	Effective  string               `json:"effective,omitempty"`
	Deadline   *deadlineInfo        `json:"deadline"`
	Term       *agreement.Term      `json:"term,omitempty"`
	Quantities []agreement.Quantity `json:"quantities,omitempty"`
	Note       string               `json:"note,omitempty"`
}

// asOf reads the as_of parameter; the default is today (UTC).
func asOf(r *http.Request) (string, error) {
	d, err := queryOf(r).date("as_of")
	if err != nil || d != "" {
		return d, err
	}
	return time.Now().UTC().Format(truce.DateLayout), nil
}

// evaluate reads the record and evaluates every provision as of day.
func (a *api) evaluate(r *http.Request, day string) ([]agreement.ProvisionStatus, error) {
	sts, err := agreement.EvaluateStore(r.Context(), a.st, a.agreements, a.gaz, day)
	if err != nil {
		return nil, fmt.Errorf("evaluate agreements: %w", err)
	}
	return sts, nil
}

func (a *api) agreementList(w http.ResponseWriter, r *http.Request) error {
	day, err := asOf(r)
	if err != nil {
		return err
	}
	sts, err := a.evaluate(r, day)
	if err != nil {
		return err
	}
	out := agreementsResponse{AsOf: day, Agreements: []agreementInfo{}}
	for _, b := range agreement.Board(a.agreements, sts, day) {
		out.Agreements = append(out.Agreements, newAgreementInfo(b))
	}
	return writeJSON(w, http.StatusOK, out)
}

// findAgreement returns the agreement of the {id} or {agreement} path value, or a 404.
func (a *api) findAgreement(id string) (*agreement.Agreement, error) {
	ag := a.agreements.Get(id)
	if ag == nil {
		var ids []string
		for _, x := range a.agreements.Agreements {
			ids = append(ids, x.ID)
		}
		if len(ids) == 0 {
			return nil, notFound("no agreement %q: no agreements are loaded", show(id))
		}
		return nil, notFound("no agreement %q; the agreements are %s", show(id), strings.Join(ids, ", "))
	}
	return ag, nil
}

// findProvision returns the provision of the {agreement} and {provision} path values, or a 404.
func (a *api) findProvision(r *http.Request) (*agreement.Provision, error) {
	ag, err := a.findAgreement(r.PathValue("agreement"))
	if err != nil {
		return nil, err
	}
	p := ag.Provision(r.PathValue("provision"))
	if p == nil {
		var ids []string
		for _, x := range ag.Provisions {
			ids = append(ids, x.ID)
		}
		return nil, notFound("agreement %s has no provision %q; its provisions are %s", ag.ID, show(r.PathValue("provision")), strings.Join(ids, ", "))
	}
	return p, nil
}

func (a *api) agreementBoard(w http.ResponseWriter, r *http.Request) error {
	ag, err := a.findAgreement(r.PathValue("id"))
	if err != nil {
		return err
	}
	day, err := asOf(r)
	if err != nil {
		return err
	}
	sts, err := a.evaluate(r, day)
	if err != nil {
		return err
	}
	for _, b := range agreement.Board(a.agreements, sts, day) {
		if b.Agreement != ag {
			continue
		}
		out := boardResponse{AsOf: day, Agreement: newAgreementInfo(b), Provisions: []boardRow{}}
		for _, ps := range b.Provisions {
			out.Provisions = append(out.Provisions, newBoardRow(ps, day))
		}
		return writeJSON(w, http.StatusOK, out)
	}
	return notFound("no agreement %q", show(ag.ID))
}

// places names gazetteer ids.
func (a *api) placeInfos(ids []string) []placeInfo {
	out := []placeInfo{}
	for _, id := range ids {
		out = append(out, placeInfo{ID: id, Name: a.gaz.Get(id).Name(gazetteer.Both)})
	}
	return out
}

func (a *api) provision(w http.ResponseWriter, r *http.Request) error {
	p, err := a.findProvision(r)
	if err != nil {
		return err
	}
	day, err := asOf(r)
	if err != nil {
		return err
	}
	sts, err := a.evaluate(r, day)
	if err != nil {
		return err
	}
	ps, ok := agreement.Find(sts, p.Ref())
	if !ok {
		return notFound("provision %s was not evaluated", p.Ref())
	}
	links, err := a.st.ProvisionLinks(r.Context(), p.Ref())
	if err != nil {
		return fmt.Errorf("provision links %s: %w", p.Ref(), err)
	}
	if links == nil {
		links = []store.ProvisionLink{}
	}
	ag := p.Agreement()
	out := provisionResponse{AsOf: day, Ref: ps.Ref, Status: ps.Status, Label: ps.Status.Label(), Since: ps.Since,
		Timeline: ps.Timeline, Evidence: ps.Evidence, Links: links, Page: provisionPath("/provisions", ps.Ref),
		Agreement: provisionAgreement{ID: ag.ID, Title: ag.Title, Short: ag.Short, URL: "/api/agreements/" + url.PathEscape(ag.ID)},
		Provision: provisionDetail{ID: p.ID, Point: p.Point, Title: p.Title, Text: strings.TrimSpace(p.Text), Category: p.Category,
			Parties: p.Binds, Places: a.placeInfos(p.Places), Except: a.placeInfos(p.Except), Effective: p.Effective,
			Deadline: newDeadlineInfo(p.Deadline, day), Term: p.Term, Quantities: p.Quantities, Note: p.Note}}
	if out.Provision.Parties == nil {
		out.Provision.Parties = []string{}
	}
	for i := range out.Timeline {
		if out.Timeline[i].Evidence == nil {
			out.Timeline[i].Evidence = []agreement.Evidence{}
		}
	}
	return writeJSON(w, http.StatusOK, out)
}

// linkRequest is the body of POST /api/provisions/{agreement}/{provision}/links.
type linkRequest struct {
	EventID  int64  `json:"event_id"`
	Relation string `json:"relation"`
	Note     string `json:"note"`
}

// linkResponse answers a link request.
type linkResponse struct {
	Link store.ProvisionLink `json:"link"`
	// Replaced is true when the link replaced an earlier link of the event.
	Replaced bool `json:"replaced"`
}

// badBody is a 400 about the request body.
func badBody(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, "request body: " + fmt.Sprintf(format, args...)}
}

// checkWrite refuses a write without the analyst or admin role, or from
// another site's page (see authorizeWrite).
func (a *api) checkWrite(r *http.Request) error {
	return a.authorizeWrite(r)
}

// readLink reads and validates a link request's body.
func readLink(w http.ResponseWriter, r *http.Request) (linkRequest, error) {
	var req linkRequest
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return req, &apiError{http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q: send the link as application/json", show(ct))}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxLinkBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return req, &apiError{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body: larger than %d bytes", maxLinkBody)}
		}
		return req, badBody("could not be read")
	}
	if !utf8.Valid(body) {
		return req, badBody("not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te) && te.Field != "":
			return req, badBody("field %q: want %s, got %s", te.Field, te.Type, te.Value)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return req, badBody("%s; the fields are event_id, relation and note", strings.TrimPrefix(err.Error(), "json: "))
		case errors.Is(err, io.EOF):
			return req, badBody(`empty; send {"event_id": 123, "relation": "implements", "note": "..."}`)
		}
		return req, badBody("not a JSON object: %v", err)
	}
	if dec.More() {
		return req, badBody("more than one JSON value")
	}
	if req.EventID <= 0 {
		return req, badBody(`field "event_id": want the positive id of a stored event`)
	}
	if !slices.Contains(store.LinkRoles, req.Relation) {
		return req, badBody(`field "relation": want one of %s, got %q`, strings.Join(store.LinkRoles, ", "), show(req.Relation))
	}
	req.Note = strings.TrimSpace(req.Note)
	if len(req.Note) > maxNote {
		return req, badBody(`field "note": longer than %d bytes`, maxNote)
	}
	if strings.ContainsFunc(req.Note, func(c rune) bool { return unicode.IsControl(c) && c != '\n' && c != '\t' }) {
		return req, badBody(`field "note": contains control characters`)
	}
	return req, nil
}

func (a *api) linkEvent(w http.ResponseWriter, r *http.Request) error {
	if err := a.checkWrite(r); err != nil {
		return err
	}
	p, err := a.findProvision(r)
	if err != nil {
		return err
	}
	req, err := readLink(w, r)
	if err != nil {
		return err
	}
	if _, err := a.st.Event(r.Context(), req.EventID); errors.Is(err, store.ErrNotFound) {
		return badBody(`field "event_id": there is no event %d`, req.EventID)
	} else if err != nil {
		return fmt.Errorf("link: event %d: %w", req.EventID, err)
	}
	old, err := a.st.ProvisionLinks(r.Context(), p.Ref())
	if err != nil {
		return fmt.Errorf("link: links of %s: %w", p.Ref(), err)
	}
	replaced := slices.ContainsFunc(old, func(l store.ProvisionLink) bool { return l.EventID == req.EventID })
	l, err := a.st.LinkEvent(r.Context(), store.ProvisionLink{Provision: p.Ref(), EventID: req.EventID, Role: req.Relation, Note: req.Note})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return badBody(`field "event_id": there is no event %d`, req.EventID)
	case errors.Is(err, store.ErrInvalid):
		return badBody("%v", err)
	case err != nil:
		return fmt.Errorf("link %s %d: %w", p.Ref(), req.EventID, err)
	}
	a.log.InfoContext(r.Context(), "provision link", "provision", l.Provision, "event", l.EventID, "relation", l.Role, "replaced", replaced)
	status := http.StatusCreated
	if replaced {
		status = http.StatusOK
	}
	w.Header().Set("Location", fmt.Sprintf("%s/links/%d", provisionPath("/api/provisions", p.Ref()), l.EventID))
	return writeJSON(w, status, linkResponse{Link: l, Replaced: replaced})
}

func (a *api) unlinkEvent(w http.ResponseWriter, r *http.Request) error {
	if err := a.checkWrite(r); err != nil {
		return err
	}
	p, err := a.findProvision(r)
	if err != nil {
		return err
	}
	id, err := parseID("event_id", r.PathValue("event_id"))
	if err != nil {
		return err
	}
	err = a.st.UnlinkEvent(r.Context(), p.Ref(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("event %d is not linked to %s by hand (links made by signature cannot be removed)", id, p.Ref())
	}
	if err != nil {
		return fmt.Errorf("unlink %s %d: %w", p.Ref(), id, err)
	}
	a.log.InfoContext(r.Context(), "provision unlink", "provision", p.Ref(), "event", id)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// SitrepFormats are the formats of /api/sitrep: the report's data as JSON, or
// rendered by package sitrep.
var SitrepFormats = []string{"json", "md", "html"}

func (a *api) sitrep(w http.ResponseWriter, r *http.Request) error {
	q := queryOf(r)
	from, to, err := q.dateRange()
	if err != nil {
		return err
	}
	if from == "" {
		return badParam("from", "required: the first day of the report, YYYY-MM-DD")
	}
	if to == "" {
		to = from
	}
	f, _ := time.Parse(truce.DateLayout, from)
	t, _ := time.Parse(truce.DateLayout, to)
	if days := int(t.Sub(f).Hours()/24) + 1; days > maxSitrepDays {
		return badParam("to", "the report covers %d days; at most %d", days, maxSitrepDays)
	}
	area, err := q.text("area", maxText)
	if err != nil {
		return err
	}
	if area != "" && a.gaz.Get(area) == nil {
		return badParam("area", "%q is not a gazetteer place id (see truce gazetteer search)", show(area))
	}
	format, err := q.one("format")
	if err != nil {
		return err
	}
	if format == "" {
		format = "json"
	}
	if !slices.Contains(SitrepFormats, format) {
		return badParam("format", "want one of %s, got %q", strings.Join(SitrepFormats, ", "), show(format))
	}
	rep, err := sitrep.Build(r.Context(), a.st, sitrep.Options{From: from, To: to, Area: area, Agreements: a.agreements, Gazetteer: a.gaz})
	if err != nil {
		return fmt.Errorf("sitrep: %w", err)
	}
	if format == "json" {
		return writeJSON(w, http.StatusOK, rep)
	}
	var buf bytes.Buffer
	if err := rep.Render(&buf, format); err != nil {
		return fmt.Errorf("sitrep: %w", err)
	}
	h := w.Header()
	name := "sitrep-" + from + "-" + to
	if format == "html" {
		h.Set("Content-Type", "text/html; charset=utf-8")
		// The report carries its own stylesheet and no script.
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
		h.Set("Content-Disposition", `inline; filename="`+name+`.html"`)
	} else {
		h.Set("Content-Type", "text/markdown; charset=utf-8")
		h.Set("Content-Disposition", `inline; filename="`+name+`.md"`)
	}
	_, _ = w.Write(buf.Bytes())
	return nil
}
