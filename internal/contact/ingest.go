package contact

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// Candidate is a contact as a source delivers it, before it is checked against
// the suppression list and merged into the database.
type Candidate struct {
	FirstName     string
	LastName      string
	Email         string
	Phone         string
	Title         string
	Company       string
	CompanyDomain string
	City          string
	Country       string
	Source        Source
}

// Outcome is what ingestion did with one candidate.
type Outcome string

// Ingestion outcomes.
const (
	Added      Outcome = "new"
	Merged     Outcome = "merged"
	Suppressed Outcome = "suppressed"
	Rejected   Outcome = "rejected"
)

// Summary counts the outcomes of a batch.
type Summary struct {
	Read       int `json:"read"`
	New        int `json:"new"`
	Merged     int `json:"merged"`
	Suppressed int `json:"suppressed"`
	Rejected   int `json:"rejected"`
}

// Add counts one outcome.
func (s *Summary) Add(o Outcome) {
	s.Read++
	switch o {
	case Added:
		s.New++
	case Merged:
		s.Merged++
	case Suppressed:
		s.Suppressed++
	case Rejected:
		s.Rejected++
	}
}

// ErrRejected wraps the reason a candidate cannot be stored.
var ErrRejected = errors.New("rejected")

// Ingester adds candidates to the database unless they are suppressed.
type Ingester struct {
	Store        Store
	Suppressions SuppressionList
	Hasher       *matchkey.Hasher
	Now          func() time.Time
}

// Keys are the normalised identifiers of a candidate or contact.
type Keys struct {
	Email string
	Phone string
	Name  string
}

// KeysOf normalises the identifiers of a candidate. An email or phone that
// cannot be normalised is an error; both may be absent, but not together.
func KeysOf(email, phone, country, first, last string) (Keys, error) {
	var k Keys
	var err error
	if strings.TrimSpace(email) != "" {
		if k.Email, err = matchkey.Email(email); err != nil {
			return Keys{}, fmt.Errorf("%w: %w", ErrRejected, err)
		}
	}
	if strings.TrimSpace(phone) != "" {
		if k.Phone, err = matchkey.Phone(phone, country); err != nil {
			return Keys{}, fmt.Errorf("%w: %w", ErrRejected, err)
		}
	}
	if k.Email == "" && k.Phone == "" {
		return Keys{}, fmt.Errorf("%w: an email or a phone is required", ErrRejected)
	}
	k.Name = matchkey.Name(first, last)
	return k, nil
}

// SuppressionHashes returns the keyed hashes under which a person with these
// keys is suppressed.
func SuppressionHashes(h *matchkey.Hasher, k Keys) []string {
	var out []string
	if k.Email != "" {
		out = append(out, h.Hash(matchkey.KindEmail, k.Email))
	}
	if k.Phone != "" {
		out = append(out, h.Hash(matchkey.KindPhone, k.Phone))
	}
	return out
}

// Ingest checks one candidate against the suppression list and adds it, or
// merges it into the contact that has the same email. It returns Rejected with
// an error wrapping ErrRejected for a candidate that cannot be stored.
func (in *Ingester) Ingest(ctx context.Context, c Candidate) (Outcome, error) {
	country := strings.ToUpper(strings.TrimSpace(c.Country))
	keys, err := KeysOf(c.Email, c.Phone, country, c.FirstName, c.LastName)
	if err != nil {
		return Rejected, err
	}
	if _, err := ParseSourceKind(string(c.Source.Kind)); err != nil {
		return Rejected, fmt.Errorf("%w: %w", ErrRejected, err)
	}

	// A suppressed person never comes back, whatever the source.
	hit, err := in.Suppressions.AnySuppressed(ctx, SuppressionHashes(in.Hasher, keys))
	if err != nil {
		return "", fmt.Errorf("checking suppression: %w", err)
	}
	if hit {
		return Suppressed, nil
	}

	// Merge into the contact that has the same email (or, without an email,
	// the same phone), if there is one.
	now := in.now()
	src := c.Source
	if src.CollectedAt.IsZero() {
		src.CollectedAt = now
	}
	existing := Contact{}
	outcome := Added
	var found []Contact
	if keys.Email != "" {
		found, err = in.Store.ContactsByEmailKey(ctx, keys.Email)
	} else {
		found, err = in.Store.ContactsByPhoneKey(ctx, keys.Phone)
	}
	if err != nil {
		return "", fmt.Errorf("finding the contact: %w", err)
	}
	if len(found) > 0 {
		existing, outcome = found[0], Merged
	}
	if outcome == Added {
		existing = Contact{ID: id.New("ct"), Values: map[Field]Value{}, CreatedAt: now}
	}
	set := func(f Field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			existing.Values[f] = Value{Value: v, Source: src}
		}
	}
	set(FirstName, c.FirstName)
	set(LastName, c.LastName)
	set(Title, c.Title)
	set(SeniorityField, string(SeniorityOf(c.Title)))
	set(Company, c.Company)
	set(CompanyDomain, strings.ToLower(c.CompanyDomain))
	set(Email, c.Email)
	set(Phone, c.Phone)
	set(City, c.City)
	set(Country, country)
	if c.Email != "" {
		set(EmailStatus, emailStatus(src.Kind))
	}
	if c.Phone != "" {
		set(PhoneStatus, emailStatus(src.Kind))
	}
	if keys.Email != "" {
		existing.EmailKey = keys.Email
	}
	if keys.Phone != "" {
		existing.PhoneKey = keys.Phone
	}
	existing.NameKey = matchkey.Name(existing.Get(FirstName), existing.Get(LastName))
	existing.UpdatedAt = now
	if err := in.Store.PutContact(ctx, existing); err != nil {
		return "", fmt.Errorf("storing contact: %w", err)
	}

	// An erasure may have started between the check and the write: it
	// suppresses first, so looking again after the write tells, and what was
	// written is taken back.
	hit, err = in.Suppressions.AnySuppressed(ctx, SuppressionHashes(in.Hasher, keys))
	if err != nil {
		return "", fmt.Errorf("checking suppression again: %w", err)
	}
	if hit {
		if err := in.Store.DeleteContact(ctx, existing.ID); err != nil {
			return "", fmt.Errorf("taking back a suppressed contact: %w", err)
		}
		return Suppressed, nil
	}
	return outcome, nil
}

func (in *Ingester) now() time.Time {
	if in.Now != nil {
		return in.Now().UTC()
	}
	return time.Now().UTC()
}

// emailStatus says how far a detail can be trusted by where it came from:
// partners verify what they license, the other sources are unverified.
func emailStatus(k SourceKind) string {
	if k == Partner {
		return "verified"
	}
	return "unverified"
}
