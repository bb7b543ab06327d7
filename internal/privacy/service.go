package privacy

import (
	"context"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// Requests stores requests and their audit trail.
type Requests interface {
	// CreateRequest stores a new request. With a non-empty idempotency hash it
	// returns the request stored earlier under the same hash instead, or
	// ErrIdempotencyMismatch when that one was made from another body.
	CreateRequest(ctx context.Context, r Request, idem Idempotency) (Request, error)
	GetRequest(ctx context.Context, id string) (Request, error)
	// UpdateRequest applies u when the request's status is one of from, and
	// returns ErrConflict otherwise.
	UpdateRequest(ctx context.Context, id string, from []Status, u Update) (Request, error)
	AppendEvent(ctx context.Context, id string, e Event) error
}

// Idempotency identifies a retried submission: a hash of the client's key and
// a hash of the body it came with. Both empty means no key was given.
type Idempotency struct {
	KeyHash  string
	BodyHash string
}

// Token is a single-use verification token, stored under its hash with the
// task token of the execution that waits for it.
type Token struct {
	Hash      string    `dynamodbav:"pk"`
	RequestID string    `dynamodbav:"requestId"`
	TaskToken string    `dynamodbav:"taskToken"`
	CreatedAt time.Time `dynamodbav:"createdAt"`
	ExpiresAt time.Time `dynamodbav:"-"`
	UsedAt    time.Time `dynamodbav:"usedAt,omitempty"`
}

// Tokens stores verification tokens.
type Tokens interface {
	PutToken(ctx context.Context, t Token) error
	GetToken(ctx context.Context, hash string) (Token, error)
	// UseToken marks a token used; ErrConflict when it already was.
	UseToken(ctx context.Context, hash string, at time.Time) error
}

// Exports stores the documents of access and portability requests.
type Exports interface {
	PutExport(ctx context.Context, e Export) error
	GetExport(ctx context.Context, id string) (Export, error)
	// DeleteExportsOf deletes every export whose SubjectHash is given.
	DeleteExportsOf(ctx context.Context, subjectHash string) error
}

// Limits counts uses of a key within a window of time.
type Limits interface {
	// Allow counts one use and reports whether the key stays within max
	// uses in the current window.
	Allow(ctx context.Context, key string, window time.Duration, max int) (bool, error)
}

// Workflow starts and resumes executions of the request state machine.
type Workflow interface {
	// Start starts the execution named after the request; starting it again
	// with the same input is not an error.
	Start(ctx context.Context, requestID string, input []byte) error
	// Resume completes the task waiting on taskToken. It returns ErrTaskGone
	// when the task no longer waits (timed out, finished, unknown).
	Resume(ctx context.Context, taskToken string, output []byte) error
	// Stop ends the execution of a closed request; one that does not exist
	// or has ended is not an error.
	Stop(ctx context.Context, requestID, cause string) error
	// Running reports whether the request's execution exists and runs.
	Running(ctx context.Context, requestID string) (exists, running bool, err error)
}

// ErrTaskGone means the execution no longer waits for the task.
var ErrTaskGone = taskGone{}

type taskGone struct{}

func (taskGone) Error() string { return "task no longer waiting" }

// Message is an email to send.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Mailer sends email.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// Notice tells a recipient of a contact that the contact was erased or that
// its use was objected to, so the recipient can do the same (Art. 19).
type Notice struct {
	ID         string    `json:"noticeId"`
	RequestID  string    `json:"requestId"`
	CustomerID string    `json:"customerId"`
	ContactID  string    `json:"contactId"`
	Action     string    `json:"action"`
	At         time.Time `json:"at"`
}

// Notices queues recipient notices.
type Notices interface {
	SendNotices(ctx context.Context, ns []Notice) error
}

// Config holds the service's settings.
type Config struct {
	// PublicBaseURL prefixes the links in emails and pages.
	PublicBaseURL string
	// VerifyTimeout is how long a verification link stays valid; the request
	// expires when it runs out.
	VerifyTimeout time.Duration
	// ExportTTL is how long an export can be downloaded.
	ExportTTL time.Duration
	// RecordRetention is how long a closed request's redacted record is kept
	// as proof of how it was answered.
	RecordRetention time.Duration
	// ContactRetention is how long contacts are kept without a new
	// collection, stated in exports.
	ContactRetention time.Duration
	// LinkKey signs status links.
	LinkKey []byte
	// PrivacyTeam receives escalations.
	PrivacyTeam string
}

// Service carries out data subject requests.
type Service struct {
	Config       Config
	Requests     Requests
	Tokens       Tokens
	Exports      Exports
	Workflow     Workflow
	Limits       Limits
	Mailer       Mailer
	Notices      Notices
	Contacts     contact.Store
	Suppressions contact.SuppressionList
	Disclosures  contact.DisclosureLog
	Customers    contact.Customers
	Hasher       *matchkey.Hasher
	Now          func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// closeUpdate is the update that ends a request in status st.
func (s *Service) closeUpdate(st Status, o Outcome) Update {
	now := s.now()
	return Update{
		Status: st, At: now, Outcome: o,
		Close: true, ExpiresAt: now.Add(s.Config.RecordRetention),
	}
}

func (s *Service) event(ctx context.Context, id, kind, detail string) error {
	return s.Requests.AppendEvent(ctx, id, Event{At: s.now(), Kind: kind, Detail: detail})
}
