// Package contact is the business contact database: people with their work
// details, where each detail came from, who received them, and who must never
// come back after an erasure or objection.
package contact

import (
	"context"
	"errors"
	"sort"
	"time"
)

// SourceKind says how a detail was collected.
type SourceKind string

// The three kinds of source.
const (
	PublicWeb SourceKind = "public-web"
	Partner   SourceKind = "partner"
	Community SourceKind = "community"
)

// ParseSourceKind checks a source kind given as text.
func ParseSourceKind(s string) (SourceKind, error) {
	switch k := SourceKind(s); k {
	case PublicWeb, Partner, Community:
		return k, nil
	}
	return "", errors.New(`source kind must be "public-web", "partner" or "community"`)
}

// Source is the provenance of one detail.
type Source struct {
	Kind        SourceKind `json:"kind" dynamodbav:"kind"`
	Name        string     `json:"name" dynamodbav:"name"`
	URL         string     `json:"url" dynamodbav:"url,omitempty"`
	CollectedAt time.Time  `json:"collectedAt" dynamodbav:"collectedAt"`
}

// Field names a detail of a contact, as the API spells it.
type Field string

// The details a contact can have.
const (
	FirstName      Field = "firstName"
	LastName       Field = "lastName"
	Title          Field = "title"
	SeniorityField Field = "seniority"
	Company        Field = "company"
	CompanyDomain  Field = "companyDomain"
	Email          Field = "email"
	EmailStatus    Field = "emailStatus"
	Phone          Field = "phone"
	PhoneStatus    Field = "phoneStatus"
	City           Field = "city"
	Country        Field = "country"
)

// Fields lists every field in the order exports show them.
var Fields = []Field{
	FirstName, LastName, Title, SeniorityField, Company, CompanyDomain,
	Email, EmailStatus, Phone, PhoneStatus, City, Country,
}

// Value is a detail as collected, with its provenance.
type Value struct {
	Value  string `json:"value" dynamodbav:"value"`
	Source Source `json:"source" dynamodbav:"source"`
}

// Contact is a person in the database. The values are kept as given, for
// display; the keys are the normalised forms used to match the person.
type Contact struct {
	ID     string          `dynamodbav:"pk"`
	Values map[Field]Value `dynamodbav:"values"`
	// EmailKey and PhoneKey are matchkey forms; empty when unknown.
	EmailKey string `dynamodbav:"emailKey,omitempty"`
	PhoneKey string `dynamodbav:"phoneKey,omitempty"`
	NameKey  string `dynamodbav:"nameKey,omitempty"`
	// Restricted hides the contact from search and enrichment (Art. 18).
	Restricted bool      `dynamodbav:"restricted,omitempty"`
	CreatedAt  time.Time `dynamodbav:"createdAt"`
	UpdatedAt  time.Time `dynamodbav:"updatedAt"`
	// ExpiresAt ends the contact's retention; zero means the default applies.
	ExpiresAt time.Time `dynamodbav:"-"`
}

// Get returns the value of field f, or "" when the contact has none.
func (c Contact) Get(f Field) string { return c.Values[f].Value }

// Sources returns the distinct sources of the contact's details, oldest
// collection first.
func (c Contact) Sources() []Source {
	seen := map[Source]bool{}
	var out []Source
	for _, f := range Fields {
		v, ok := c.Values[f]
		if !ok || seen[v.Source] {
			continue
		}
		seen[v.Source] = true
		out = append(out, v.Source)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].CollectedAt.Before(out[j].CollectedAt)
	})
	return out
}

// Disclosure records a contact handed to a customer: who, when, which fields.
type Disclosure struct {
	ContactID   string    `json:"contactId"`
	CustomerID  string    `json:"customerId"`
	DisclosedAt time.Time `json:"disclosedAt"`
	Fields      []Field   `json:"fields"`
	// Channel says how the contact was handed over: search, enrichment, list.
	Channel string `json:"channel"`
}

// Customer is a company that buys access to the database.
type Customer struct {
	ID   string `dynamodbav:"pk"`
	Name string `dynamodbav:"name"`
	// NoticeEmail receives Art. 19 notices; empty when none was given.
	NoticeEmail string `dynamodbav:"noticeEmail,omitempty"`
}

// SuppressionReason says why a person must not come back.
type SuppressionReason string

// Reasons for a suppression.
const (
	ReasonErasure   SuppressionReason = "erasure"
	ReasonObjection SuppressionReason = "objection"
)

// Suppression is one keyed hash of a normalised identifier of a person who
// asked to be erased or objected. It holds no other personal data.
type Suppression struct {
	Hash      string
	Reason    SuppressionReason
	RequestID string
	CreatedAt time.Time
}

// ErrNotFound is returned when an item does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps contacts.
type Store interface {
	GetContact(ctx context.Context, id string) (Contact, error)
	ContactsByEmailKey(ctx context.Context, key string) ([]Contact, error)
	ContactsByPhoneKey(ctx context.Context, key string) ([]Contact, error)
	PutContact(ctx context.Context, c Contact) error
	DeleteContact(ctx context.Context, id string) error
	SetRestricted(ctx context.Context, id string, restricted bool) error
}

// SuppressionList answers whether a person was erased or objected.
type SuppressionList interface {
	// AnySuppressed reports whether any of the hashes is on the list.
	AnySuppressed(ctx context.Context, hashes []string) (bool, error)
	// Suppress adds entries; adding one that exists is not an error.
	Suppress(ctx context.Context, entries []Suppression) error
}

// DisclosureLog records and lists disclosures.
type DisclosureLog interface {
	RecordDisclosures(ctx context.Context, ds []Disclosure) error
	DisclosuresOf(ctx context.Context, contactID string) ([]Disclosure, error)
	DeleteDisclosuresOf(ctx context.Context, contactID string) error
}

// Customers reads customers.
type Customers interface {
	GetCustomer(ctx context.Context, id string) (Customer, error)
	PutCustomer(ctx context.Context, c Customer) error
}
