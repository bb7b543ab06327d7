package privacy

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/csv"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/id"
)

// Export is a downloadable answer to an access or portability request. Only
// the hash of its link token is stored, and it expires.
type Export struct {
	ID          string    `dynamodbav:"pk"`
	RequestID   string    `dynamodbav:"requestId"`
	TokenHash   string    `dynamodbav:"tokenHash"`
	SubjectHash string    `dynamodbav:"subjectHash"`
	CreatedAt   time.Time `dynamodbav:"createdAt"`
	ExpiresAt   time.Time `dynamodbav:"-"`
	Document    Document  `dynamodbav:"document"`
}

// Document is what we hold about a person and what we do with it: every
// contact item matched by the verified email, each field with its source, the
// customers it was disclosed to, and the purposes, legal basis and retention.
type Document struct {
	ExportID    string            `json:"exportId" dynamodbav:"exportId"`
	RequestID   string            `json:"requestId" dynamodbav:"requestId"`
	GeneratedAt time.Time         `json:"generatedAt" dynamodbav:"generatedAt"`
	Controller  string            `json:"controller" dynamodbav:"controller"`
	Purposes    []string          `json:"purposes" dynamodbav:"purposes"`
	LegalBasis  string            `json:"legalBasis" dynamodbav:"legalBasis"`
	Retention   string            `json:"retention" dynamodbav:"retention"`
	Rights      string            `json:"rights" dynamodbav:"rights"`
	Contacts    []ExportContact   `json:"contacts" dynamodbav:"contacts"`
	Recipients  []ExportRecipient `json:"recipients" dynamodbav:"recipients"`
}

// ExportContact is one contact item with the provenance of each field.
type ExportContact struct {
	ContactID  string                          `json:"contactId" dynamodbav:"contactId"`
	Fields     map[contact.Field]contact.Value `json:"fields" dynamodbav:"fields"`
	Restricted bool                            `json:"restricted" dynamodbav:"restricted"`
	CreatedAt  time.Time                       `json:"createdAt" dynamodbav:"createdAt"`
	UpdatedAt  time.Time                       `json:"updatedAt" dynamodbav:"updatedAt"`
}

// ExportRecipient is a customer a contact was disclosed to, with every
// disclosure to it summed up: when first and last, how often, which fields
// and through which channels. One entry per contact and customer keeps the
// export small however often a contact was handed over.
type ExportRecipient struct {
	ContactID        string          `json:"contactId" dynamodbav:"contactId"`
	Recipient        string          `json:"recipient" dynamodbav:"recipient"`
	FirstDisclosedAt time.Time       `json:"firstDisclosedAt" dynamodbav:"firstDisclosedAt"`
	LastDisclosedAt  time.Time       `json:"lastDisclosedAt" dynamodbav:"lastDisclosedAt"`
	Disclosures      int             `json:"disclosures" dynamodbav:"disclosures"`
	Fields           []contact.Field `json:"fields" dynamodbav:"fields"`
	Channels         []string        `json:"channels" dynamodbav:"channels"`
}

// recipientsOf sums up the disclosures of one contact per customer, in the
// order the customers first received it.
func recipientsOf(contactID string, ds []contact.Disclosure, name func(string) (string, error)) ([]ExportRecipient, error) {
	byCustomer := map[string]*ExportRecipient{}
	var order []string
	for _, d := range ds {
		r, ok := byCustomer[d.CustomerID]
		if !ok {
			n, err := name(d.CustomerID)
			if err != nil {
				return nil, err
			}
			r = &ExportRecipient{ContactID: contactID, Recipient: n,
				FirstDisclosedAt: d.DisclosedAt, LastDisclosedAt: d.DisclosedAt}
			byCustomer[d.CustomerID] = r
			order = append(order, d.CustomerID)
		}
		r.Disclosures++
		if d.DisclosedAt.Before(r.FirstDisclosedAt) {
			r.FirstDisclosedAt = d.DisclosedAt
		}
		if d.DisclosedAt.After(r.LastDisclosedAt) {
			r.LastDisclosedAt = d.DisclosedAt
		}
		for _, f := range d.Fields {
			if !slices.Contains(r.Fields, f) {
				r.Fields = append(r.Fields, f)
			}
		}
		if d.Channel != "" && !slices.Contains(r.Channels, d.Channel) {
			r.Channels = append(r.Channels, d.Channel)
		}
	}
	out := make([]ExportRecipient, 0, len(order))
	for _, cid := range order {
		out = append(out, *byCustomer[cid])
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].FirstDisclosedAt.Before(out[j].FirstDisclosedAt)
	})
	return out, nil
}

// Statements made in every export.
const (
	controllerName = "Immagnify (the controller of the contact database)"
	legalBasis     = "Legitimate interest (GDPR Art. 6(1)(f)): business-to-business " +
		"prospecting, weighed against your interests; you may object at any time."
	rightsText = "You may ask us to correct, erase or restrict your data, object to " +
		"its use, or receive it in a portable format, through our privacy center. " +
		"No decision about you is made solely by automated means. You may also " +
		"complain to a data protection supervisory authority."
)

var purposes = []string{
	"Business-to-business prospecting: customers search the database to find " +
		"professional contacts.",
	"Lead enrichment: customers complete their CRM records with professional " +
		"details.",
}

// ErrExportGone means the export expired or its link is wrong.
var ErrExportGone = errors.New("export not available")

// GetExport returns an export for its link; a wrong token, an unknown id and
// an expired export all answer ErrExportGone.
func (s *Service) GetExport(ctx context.Context, exportID, token string) (Export, error) {
	if !id.Valid("exp", exportID) || !id.ValidToken(token) {
		return Export{}, ErrExportGone
	}
	e, err := s.Exports.GetExport(ctx, exportID)
	if errors.Is(err, ErrNotFound) {
		return Export{}, ErrExportGone
	}
	if err != nil {
		return Export{}, fmt.Errorf("reading export: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(e.TokenHash), []byte(id.Hash(token))) != 1 ||
		!s.now().Before(e.ExpiresAt) {
		return Export{}, ErrExportGone
	}
	return e, nil
}

// CSV renders a document as one row per field and one per disclosure.
func (d Document) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{
		"section", "contactId", "field", "value", "sourceKind", "sourceName",
		"sourceUrl", "collectedAt", "recipient", "disclosedAt", "channel",
	}}
	for _, c := range d.Contacts {
		for _, f := range contact.Fields {
			v, ok := c.Fields[f]
			if !ok {
				continue
			}
			rows = append(rows, []string{
				"data", c.ContactID, string(f), csvSafe(v.Value), string(v.Source.Kind),
				csvSafe(v.Source.Name), csvSafe(v.Source.URL),
				v.Source.CollectedAt.UTC().Format(time.RFC3339), "", "", "",
			})
		}
	}
	for _, r := range d.Recipients {
		for _, f := range r.Fields {
			rows = append(rows, []string{
				"recipient", r.ContactID, string(f), "", "", "", "", "",
				csvSafe(r.Recipient), r.LastDisclosedAt.UTC().Format(time.RFC3339),
				strings.Join(r.Channels, " "),
			})
		}
	}
	rows = append(rows,
		[]string{"about", "", "legalBasis", d.LegalBasis, "", "", "", "", "", "", ""},
		[]string{"about", "", "retention", d.Retention, "", "", "", "", "", "", ""})
	for _, p := range d.Purposes {
		rows = append(rows, []string{"about", "", "purpose", p, "", "", "", "", "", "", ""})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("writing csv: %w", err)
	}
	return buf.Bytes(), nil
}

// csvSafe keeps a spreadsheet from running a value as a formula: a value
// that opens with =, +, -, @ or a control character is quoted with a leading
// apostrophe, unless it is a plain phone number or number such as
// "+49 151 23456789" or "-5".
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r', '\n':
		return "'" + s
	case '+', '-':
		if !plainNumber.MatchString(s) {
			return "'" + s
		}
	}
	return s
}

var plainNumber = regexp.MustCompile(`^[+-]?[0-9][0-9 ().-]*$`)
