package contact

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/matchkey"
)

// memStore is an in-memory Store for ingestion tests.
type memStore struct{ byID map[string]Contact }

func (m *memStore) GetContact(_ context.Context, id string) (Contact, error) {
	c, ok := m.byID[id]
	if !ok {
		return Contact{}, ErrNotFound
	}
	return c, nil
}

func (m *memStore) find(match func(Contact) bool) []Contact {
	var out []Contact
	for _, c := range m.byID {
		if match(c) {
			out = append(out, c)
		}
	}
	return out
}

func (m *memStore) ContactsByEmailKey(_ context.Context, k string) ([]Contact, error) {
	return m.find(func(c Contact) bool { return c.EmailKey == k }), nil
}

func (m *memStore) ContactsByPhoneKey(_ context.Context, k string) ([]Contact, error) {
	return m.find(func(c Contact) bool { return c.PhoneKey == k }), nil
}

func (m *memStore) PutContact(_ context.Context, c Contact) error {
	m.byID[c.ID] = c
	return nil
}

func (m *memStore) DeleteContact(_ context.Context, id string) error {
	delete(m.byID, id)
	return nil
}

func (m *memStore) SetRestricted(_ context.Context, id string, r bool) error {
	c := m.byID[id]
	c.Restricted = r
	m.byID[id] = c
	return nil
}

// memSuppressions is an in-memory SuppressionList.
type memSuppressions map[string]bool

func (m memSuppressions) AnySuppressed(_ context.Context, hs []string) (bool, error) {
	for _, h := range hs {
		if m[h] {
			return true, nil
		}
	}
	return false, nil
}

func (m memSuppressions) Suppress(_ context.Context, es []Suppression) error {
	for _, e := range es {
		m[e.Hash] = true
	}
	return nil
}

func TestIngest(t *testing.T) {
	h, err := matchkey.NewHasher([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	src := Source{Kind: Partner, Name: "feed", CollectedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
	zoe := Candidate{FirstName: "Zoë", LastName: "Ångström", Email: "zoe@northwind.example",
		Phone: "+46 8 501 234 56", Country: "SE", Title: "CTO", Source: src}
	phoneOnly := Candidate{FirstName: "Ana", Phone: "+34 612 34 56 78", Country: "ES", Source: src}
	erasedEmail, _ := matchkey.Email("gone@example.com")
	erasedPhone, _ := matchkey.Phone("+49 151 23456789", "DE")

	tests := []struct {
		name    string
		in      Candidate
		want    Outcome
		wantErr bool
	}{
		{"new", zoe, Added, false},
		{"same email in other case and with a tag merges", func() Candidate {
			c := zoe
			c.Email, c.Title = "ZOE+crm@Northwind.example", "CEO"
			return c
		}(), Merged, false},
		{"phone only is new", phoneOnly, Added, false},
		{"the same phone in another format merges", func() Candidate {
			c := phoneOnly
			c.Phone = "612345678"
			return c
		}(), Merged, false},
		{"erased email", Candidate{Email: "Gone+x@example.com", Source: src}, Suppressed, false},
		{"erased phone with a new email", Candidate{Email: "new@example.com",
			Phone: "0151 23456789", Country: "DE", Source: src}, Suppressed, false},
		{"neither email nor phone", Candidate{FirstName: "X", Source: src}, Rejected, true},
		{"invalid email", Candidate{Email: "not an email", Source: src}, Rejected, true},
		{"invalid phone", Candidate{Phone: "12", Country: "DE", Source: src}, Rejected, true},
		{"unknown source kind", Candidate{Email: "a@example.com",
			Source: Source{Kind: "scraped"}}, Rejected, true},
	}
	store := &memStore{byID: map[string]Contact{}}
	sup := memSuppressions{h.Hash(matchkey.KindEmail, erasedEmail): true,
		h.Hash(matchkey.KindPhone, erasedPhone): true}
	in := &Ingester{Store: store, Suppressions: sup, Hasher: h}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := in.Ingest(context.Background(), tt.in)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Fatalf("Ingest() = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
			if tt.wantErr && !errors.Is(err, ErrRejected) {
				t.Errorf("error %v does not wrap ErrRejected", err)
			}
		})
	}
	if len(store.byID) != 2 {
		t.Fatalf("stored %d contacts, want 2", len(store.byID))
	}
	key, _ := matchkey.Email(zoe.Email)
	got, _ := store.ContactsByEmailKey(context.Background(), key)
	if len(got) != 1 || got[0].Get(Title) != "CEO" || got[0].Get(FirstName) != "Zoë" ||
		got[0].Get(SeniorityField) != string(CLevel) || got[0].Values[Title].Source != src {
		t.Errorf("merged contact = %+v", got)
	}
}

// erasingMidway is a suppression list on which an erasure lands between an
// ingestion's first check and its write.
type erasingMidway struct{ checks int }

func (e *erasingMidway) AnySuppressed(context.Context, []string) (bool, error) {
	e.checks++
	return e.checks > 1, nil
}

func (e *erasingMidway) Suppress(context.Context, []Suppression) error { return nil }

func TestIngestTakesBackWhatAnErasureOvertook(t *testing.T) {
	h, _ := matchkey.NewHasher([]byte(strings.Repeat("k", 32)))
	store := &memStore{byID: map[string]Contact{}}
	in := &Ingester{Store: store, Suppressions: &erasingMidway{}, Hasher: h}
	got, err := in.Ingest(context.Background(), Candidate{
		Email: "late@example.com", Source: Source{Kind: Partner, Name: "feed"}})
	if err != nil || got != Suppressed {
		t.Fatalf("Ingest() = %q, %v; want suppressed", got, err)
	}
	if len(store.byID) != 0 {
		t.Errorf("the contact stayed: %+v", store.byID)
	}
}
