// Package privacy handles data subject requests: intake, identity
// verification by email, fulfilment of each right, deadlines and exports.
package privacy

import (
	"errors"
	"time"
)

// Type is the right a request exercises.
type Type string

// Request types.
const (
	Access            Type = "access"
	Erasure           Type = "erasure"
	Rectification     Type = "rectification"
	Restriction       Type = "restriction"
	Portability       Type = "portability"
	Objection         Type = "objection"
	Information       Type = "information"
	AutomatedDecision Type = "automated-decision"
)

// Types lists every request type in the order the form offers them.
var Types = []Type{
	Access, Erasure, Rectification, Restriction, Portability, Objection,
	Information, AutomatedDecision,
}

// Label is a short description of the right, for pages and emails.
func (t Type) Label() string {
	switch t {
	case Access:
		return "See the data we hold about you"
	case Erasure:
		return "Erase your data"
	case Rectification:
		return "Correct your data"
	case Restriction:
		return "Restrict the use of your data"
	case Portability:
		return "Receive your data in a portable format"
	case Objection:
		return "Object to the use of your data"
	case Information:
		return "Learn how we use your data"
	case AutomatedDecision:
		return "Ask about automated decisions"
	}
	return string(t)
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, k := range Types {
		if k == t {
			return true
		}
	}
	return false
}

// Regime is the law the request is made under.
type Regime string

// Regimes.
const (
	GDPR Regime = "gdpr"
	CCPA Regime = "ccpa"
)

// Status is where a request stands.
type Status string

// Request statuses.
const (
	AwaitingVerification Status = "awaiting_verification"
	Verified             Status = "verified"
	InProgress           Status = "in_progress"
	Completed            Status = "completed"
	Denied               Status = "denied"
	Expired              Status = "expired"
	Cancelled            Status = "cancelled"
	Failed               Status = "failed"
)

// Open reports whether a request in status s still needs work.
func (s Status) Open() bool {
	switch s {
	case AwaitingVerification, Verified, InProgress:
		return true
	}
	return false
}

// Outcome says what fulfilment found or did.
type Outcome string

// Outcomes of fulfilment.
const (
	OutcomeNone       Outcome = ""
	OutcomeDataFound  Outcome = "data_found"
	OutcomeNoData     Outcome = "no_data"
	OutcomeErased     Outcome = "erased"
	OutcomeRestricted Outcome = "restricted"
	OutcomeObjected   Outcome = "objected"
	OutcomeInformed   Outcome = "informed"
	OutcomeManual     Outcome = "manual_review"
	// OutcomeTooMany refuses a request past the daily email limit.
	OutcomeTooMany Outcome = "too_many_requests"
)

// Request is a data subject request. Email and Name are the person's own words,
// kept only while the request is open and cleared when it closes.
type Request struct {
	ID          string            `dynamodbav:"id"`
	Type        Type              `dynamodbav:"type"`
	Regime      Regime            `dynamodbav:"regime"`
	Status      Status            `dynamodbav:"status"`
	Email       string            `dynamodbav:"email,omitempty"`
	Name        string            `dynamodbav:"name,omitempty"`
	Details     string            `dynamodbav:"details,omitempty"`
	Corrections map[string]string `dynamodbav:"corrections,omitempty"`
	ReceivedAt  time.Time         `dynamodbav:"receivedAt"`
	DueAt       time.Time         `dynamodbav:"dueAt"`
	VerifiedAt  time.Time         `dynamodbav:"verifiedAt,omitempty"`
	ClosedAt    time.Time         `dynamodbav:"closedAt,omitempty"`
	Outcome     Outcome           `dynamodbav:"outcome,omitempty"`
	// ContactIDs are the contacts matched by the verified email, recorded
	// before an erasure starts so that a retry finishes the same job.
	ContactIDs []string `dynamodbav:"contactIds,omitempty"`
	ExportID   string   `dynamodbav:"exportId,omitempty"`
	// WorkflowStarted is set once the state machine execution exists.
	WorkflowStarted bool `dynamodbav:"workflowStarted,omitempty"`
}

// Event is one entry of a request's audit trail. Detail never holds personal
// data.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail,omitempty"`
}

// Update changes a request whose status is one of a set.
type Update struct {
	Status          Status
	At              time.Time
	VerifiedAt      time.Time
	Outcome         Outcome
	ContactIDs      []string
	ExportID        string
	WorkflowStarted bool
	// Close ends the request: it leaves the open index, its personal data is
	// cleared, and the record expires at ExpiresAt.
	Close     bool
	ExpiresAt time.Time
}

// Errors of the privacy service, mapped to answers at the edge.
var (
	ErrNotFound = errors.New("not found")
	// ErrConflict means the item changed or was used by someone else first.
	ErrConflict = errors.New("conflict")
	// ErrClosed means the request was closed (cancelled, for one) before a
	// step of its workflow ran; the workflow ends without error.
	ErrClosed = errors.New("request closed")
	// ErrIdempotencyMismatch means an Idempotency-Key was reused for a
	// different request.
	ErrIdempotencyMismatch = errors.New("idempotency key reused")
)

// InvalidError is bad input from the person, with a message they can read.
type InvalidError struct {
	Field   string
	Message string
}

func (e *InvalidError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// DueDate is when a request received at t must be answered: one month under
// GDPR (Art. 12(3); the same day next month, or the month's last day when it
// has no such day), 45 days under CCPA.
func DueDate(r Regime, t time.Time) time.Time {
	t = t.UTC()
	if r == CCPA {
		return t.AddDate(0, 0, 45)
	}
	y, m, d := t.Date()
	first := time.Date(y, m+1, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return first.AddDate(0, 0, d-1)
}
