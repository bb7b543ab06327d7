package dynamo

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/id"
)

func newContact(now time.Time, emailKey, phoneKey string) contact.Contact {
	src := contact.Source{
		Kind: contact.Partner, Name: "feed", URL: "https://example.com/p",
		CollectedAt: now.Add(-time.Hour),
	}
	return contact.Contact{
		ID: id.New("con"), EmailKey: emailKey, PhoneKey: phoneKey, NameKey: "anna|aero",
		Values: map[contact.Field]contact.Value{
			contact.FirstName: {Value: "Anna", Source: src},
			contact.LastName:  {Value: "Ærø", Source: src},
			contact.Email:     {Value: "Anna@Example.com", Source: src},
		},
		CreatedAt: now, UpdatedAt: now,
	}
}

func ids(cs []contact.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	sort.Strings(out)
	return out
}

func sorted(ss ...string) []string {
	sort.Strings(ss)
	return ss
}

func mustPutContact(t *testing.T, s *Store, c contact.Contact) {
	t.Helper()
	if err := s.PutContact(context.Background(), c); err != nil {
		t.Fatalf("PutContact: %v", err)
	}
}

func TestGetContact(t *testing.T) {
	env := newEnv(t, Options{ContactRetention: 24 * time.Hour})
	ctx := context.Background()
	c := newContact(env.now, "anna@example.com", "+4512345678")
	mustPutContact(t, env.store, c)
	later := newContact(env.now, "", "")
	later.ExpiresAt = env.now.Add(72 * time.Hour).Truncate(time.Second)
	mustPutContact(t, env.store, later)

	// The stored contact tells when it expires.
	want := c
	want.ExpiresAt = c.UpdatedAt.Add(24 * time.Hour).Truncate(time.Second)

	tests := []struct {
		name    string
		id      string
		advance time.Duration
		want    contact.Contact
		wantErr error
	}{
		{name: "round trip", id: c.ID, want: want},
		{name: "own expiry", id: later.ID, want: later},
		{name: "unknown", id: id.New("con"), wantErr: contact.ErrNotFound},
		{name: "retention over", id: c.ID, advance: 25 * time.Hour,
			wantErr: contact.ErrNotFound},
		{name: "own expiry not over", id: later.ID, want: later},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.now = env.now.Add(tt.advance)
			got, err := env.store.GetContact(ctx, tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestContactsByKey(t *testing.T) {
	env := newEnv(t, Options{ContactRetention: 24 * time.Hour})
	ctx := context.Background()
	a := newContact(env.now, "anna@example.com", "+4511111111")
	b := newContact(env.now, "anna@example.com", "+4522222222")
	other := newContact(env.now, "bo@example.com", "+4511111111")
	old := newContact(env.now.Add(-48*time.Hour), "anna@example.com", "")
	none := newContact(env.now, "", "")
	for _, c := range []contact.Contact{a, b, other, old, none} {
		mustPutContact(t, env.store, c)
	}

	tests := []struct {
		name string
		by   func(context.Context, string) ([]contact.Contact, error)
		key  string
		want []string
	}{
		{"email, expired left out", env.store.ContactsByEmailKey, "anna@example.com",
			sorted(a.ID, b.ID)},
		{"phone", env.store.ContactsByPhoneKey, "+4511111111", sorted(a.ID, other.ID)},
		{"unknown email", env.store.ContactsByEmailKey, "x@example.com", []string{}},
		{"empty key", env.store.ContactsByEmailKey, "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := tt.by(ctx, tt.key)
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if got := ids(cs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// Index queries follow every page: four contacts of about 300 KB under one
// key make more than the 1 MB a page holds.
func TestContactsByKeyPages(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	var want []string
	for range 4 {
		c := newContact(env.now, "big@example.com", "")
		c.Values[contact.Title] = contact.Value{Value: strings.Repeat("t", 300<<10)}
		mustPutContact(t, env.store, c)
		want = append(want, c.ID)
	}
	before := env.calls.Load()
	cs, err := env.store.ContactsByEmailKey(ctx, "big@example.com")
	if err != nil {
		t.Fatalf("ContactsByEmailKey: %v", err)
	}
	if got := ids(cs); !reflect.DeepEqual(got, sorted(want...)) {
		t.Errorf("got %v, want %v", got, sorted(want...))
	}
	if calls := env.calls.Load() - before; calls < 2 {
		t.Errorf("got %d Query calls, want at least 2 (one per page)", calls)
	}
}

func TestRestrictAndDeleteContact(t *testing.T) {
	env := newEnv(t, Options{ContactRetention: time.Hour})
	ctx := context.Background()
	c := newContact(env.now, "anna@example.com", "")
	mustPutContact(t, env.store, c)
	expired := newContact(env.now.Add(-2*time.Hour), "", "")
	mustPutContact(t, env.store, expired)

	tests := []struct {
		name           string
		call           func() error
		wantErr        error
		wantRestricted bool
		wantGone       bool
	}{
		{name: "restrict", call: func() error {
			return env.store.SetRestricted(ctx, c.ID, true)
		}, wantRestricted: true},
		{name: "restrict again", call: func() error {
			return env.store.SetRestricted(ctx, c.ID, true)
		}, wantRestricted: true},
		{name: "lift", call: func() error {
			return env.store.SetRestricted(ctx, c.ID, false)
		}},
		{name: "restrict an unknown contact", call: func() error {
			return env.store.SetRestricted(ctx, id.New("con"), true)
		}, wantErr: contact.ErrNotFound},
		{name: "restrict an expired contact", call: func() error {
			return env.store.SetRestricted(ctx, expired.ID, true)
		}, wantErr: contact.ErrNotFound},
		{name: "delete", call: func() error {
			return env.store.DeleteContact(ctx, c.ID)
		}, wantGone: true},
		{name: "delete again", call: func() error {
			return env.store.DeleteContact(ctx, c.ID)
		}, wantGone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			got, err := env.store.GetContact(ctx, c.ID)
			if tt.wantGone {
				if !errors.Is(err, contact.ErrNotFound) {
					t.Errorf("GetContact: got %v, want ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("GetContact: %v", err)
			}
			if got.Restricted != tt.wantRestricted {
				t.Errorf("got restricted %v, want %v", got.Restricted, tt.wantRestricted)
			}
		})
	}
}
