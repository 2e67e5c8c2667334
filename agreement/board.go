package agreement

import (
	"context"
	"fmt"

	"github.com/truce-monitor/truce/gazetteer"
	"github.com/truce-monitor/truce/store"
)

// Record reads what Evaluate needs from a store: every stored event and
// every analyst's link. It is the one place this package touches a store.
func Record(ctx context.Context, st store.Store) ([]store.StoredEvent, []store.ProvisionLink, error) {
	page, err := st.Events(ctx, store.EventFilter{NoLimit: true})
	if err != nil {
		return nil, nil, fmt.Errorf("agreement: read events: %w", err)
	}
	links, err := st.ProvisionLinks(ctx, "")
	if err != nil {
		return nil, nil, fmt.Errorf("agreement: read links: %w", err)
	}
	return page.Events, links, nil
}

// EvaluateStore evaluates every provision against a store's record as of asOf.
func EvaluateStore(ctx context.Context, st store.Store, s *Set, g *gazetteer.Gazetteer, asOf string) ([]ProvisionStatus, error) {
	evs, links, err := Record(ctx, st)
	if err != nil {
		return nil, err
	}
	return Evaluate(Input{Set: s, Events: evs, Links: links, Gazetteer: g, AsOf: asOf}), nil
}

// AgreementBoard is one agreement with the status of each provision: the
// data of the agreement board and of its JSON API.
type AgreementBoard struct {
	Agreement  *Agreement        `json:"agreement"`
	AsOf       string            `json:"as_of,omitempty"`
	Provisions []ProvisionStatus `json:"provisions"`
	// Counts is the number of provisions in each status.
	Counts map[Status]int `json:"counts"`
}

// Board groups evaluated provisions by agreement, in the set's order.
func Board(s *Set, statuses []ProvisionStatus, asOf string) []AgreementBoard {
	out := []AgreementBoard{}
	for _, a := range s.Agreements {
		b := AgreementBoard{Agreement: a, AsOf: asOf, Provisions: []ProvisionStatus{}, Counts: map[Status]int{}}
		for _, ps := range statuses {
			if ps.Provision.Agreement() == a {
				b.Provisions = append(b.Provisions, ps)
				b.Counts[ps.Status]++
			}
		}
		out = append(out, b)
	}
	return out
}

// Find returns the evaluated provision with the given reference.
func Find(statuses []ProvisionStatus, ref string) (ProvisionStatus, bool) {
	for _, ps := range statuses {
		if ps.Ref == ref {
			return ps, true
		}
	}
	return ProvisionStatus{}, false
}
