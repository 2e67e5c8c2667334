package storetest

import (
	"errors"
	"testing"

	"github.com/truce-monitor/truce/store"
)

func testProvisionLinks(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := save(t, s, ReportA())
	save(t, s, ReportB())
	evs := events(t, s, store.EventFilter{})
	if len(evs) < 2 {
		t.Fatalf("want at least 2 events, got %d", len(evs))
	}
	e1, e2 := evs[0].ID, evs[len(evs)-1].ID

	invalid := []store.ProvisionLink{
		{Provision: "", EventID: e1},
		{Provision: "nk-2020-11-10", EventID: e1},
		{Provision: "nk-2020-11-10/", EventID: e1},
		{Provision: "nk 2020/1", EventID: e1},
		{Provision: "nk-2020-11-10/1", EventID: 0},
		{Provision: "nk-2020-11-10/1", EventID: e1, Role: "endorses"},
	}
	for _, l := range invalid {
		if _, err := s.LinkEvent(ctx, l); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("LinkEvent(%+v) = %v, want ErrInvalid", l, err)
		}
	}
	if _, err := s.LinkEvent(ctx, store.ProvisionLink{Provision: "nk-2020-11-10/1", EventID: 1 << 40}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LinkEvent(unknown event) = %v, want ErrNotFound", err)
	}

	l1, err := s.LinkEvent(ctx, store.ProvisionLink{Provision: "nk-2020-11-10/1", EventID: e1, Role: store.LinkViolates, Note: "shelling after the ceasefire"})
	if err != nil {
		t.Fatalf("LinkEvent: %v", err)
	}
	if l1.ID == 0 || l1.CreatedAt.IsZero() || l1.Role != store.LinkViolates {
		t.Errorf("LinkEvent returned %+v", l1)
	}
	l2, err := s.LinkEvent(ctx, store.ProvisionLink{Provision: "nk-2020-11-10/8", EventID: e2})
	if err != nil {
		t.Fatalf("LinkEvent: %v", err)
	}
	if l2.Role != store.LinkImplements {
		t.Errorf("default role = %q, want %q", l2.Role, store.LinkImplements)
	}
	// Linking the same pair again replaces role and note, keeping the link.
	again, err := s.LinkEvent(ctx, store.ProvisionLink{Provision: "nk-2020-11-10/1", EventID: e1, Role: store.LinkDisputes, Note: "denied"})
	if err != nil {
		t.Fatalf("LinkEvent again: %v", err)
	}
	if again.ID != l1.ID {
		t.Errorf("relink id = %d, want %d", again.ID, l1.ID)
	}

	tests := []struct {
		provision string
		want      []store.ProvisionLink
	}{
		{"nk-2020-11-10/1", []store.ProvisionLink{{ID: l1.ID, Provision: "nk-2020-11-10/1", EventID: e1, Role: store.LinkDisputes, Note: "denied"}}},
		{"nk-2020-11-10/8", []store.ProvisionLink{{ID: l2.ID, Provision: "nk-2020-11-10/8", EventID: e2, Role: store.LinkImplements}}},
		{"", []store.ProvisionLink{
			{ID: l1.ID, Provision: "nk-2020-11-10/1", EventID: e1, Role: store.LinkDisputes, Note: "denied"},
			{ID: l2.ID, Provision: "nk-2020-11-10/8", EventID: e2, Role: store.LinkImplements},
		}},
		{"nk-2020-11-10/9", nil},
	}
	for _, tc := range tests {
		t.Run(tc.provision, func(t *testing.T) {
			got, err := s.ProvisionLinks(ctx, tc.provision)
			if err != nil {
				t.Fatalf("ProvisionLinks: %v", err)
			}
			if got == nil {
				t.Errorf("ProvisionLinks = nil, want an empty slice")
			}
			if len(got) != len(tc.want) {
				t.Fatalf("ProvisionLinks = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].CreatedAt.IsZero() {
					t.Errorf("link %d has no created_at", got[i].ID)
				}
				got[i].CreatedAt = tc.want[i].CreatedAt
				if got[i] != tc.want[i] {
					t.Errorf("link %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}

	if err := s.UnlinkEvent(ctx, "nk-2020-11-10/8", e2); err != nil {
		t.Errorf("UnlinkEvent: %v", err)
	}
	if err := s.UnlinkEvent(ctx, "nk-2020-11-10/8", e2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UnlinkEvent twice = %v, want ErrNotFound", err)
	}
	// A link goes with its event when the report is re-extracted.
	if evs[0].ReportID == a {
		if err := s.ReplaceExtraction(ctx, a, ReportA()); err != nil {
			t.Fatalf("ReplaceExtraction: %v", err)
		}
		if got, err := s.ProvisionLinks(ctx, "nk-2020-11-10/1"); err != nil || len(got) != 0 {
			t.Errorf("links after the event was replaced = %+v, %v; want none", got, err)
		}
	}
}
