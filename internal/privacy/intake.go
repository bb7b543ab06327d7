package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// Submission is a request as the person filled it in.
type Submission struct {
	Type        string
	Email       string
	Name        string
	Details     string
	Corrections map[string]string
	Regime      string
}

// Limits on the free-text parts of a submission.
const (
	maxNameLen        = 200
	maxDetailsLen     = 10000
	maxCorrections    = 20
	maxCorrectionLen  = 1000
	idempotencyKeyLen = 255
)

// WorkflowInput is the input of the request state machine.
type WorkflowInput struct {
	RequestID string `json:"requestId"`
	Type      Type   `json:"type"`
	// VerifyTimeoutSeconds bounds the wait for the person to confirm.
	VerifyTimeoutSeconds int `json:"verifyTimeoutSeconds"`
}

// Validate checks a submission and returns the request it makes, without
// storing it.
func (s *Service) Validate(sub Submission) (Request, error) {
	t := Type(strings.TrimSpace(sub.Type))
	if t == "" {
		return Request{}, &InvalidError{"type", "is required"}
	}
	if !t.Valid() {
		return Request{}, &InvalidError{"type", "is not a known request type"}
	}
	regime := Regime(strings.ToLower(strings.TrimSpace(sub.Regime)))
	switch regime {
	case "":
		regime = GDPR
	case GDPR, CCPA:
	default:
		return Request{}, &InvalidError{"regime", `must be "gdpr" or "ccpa"`}
	}
	email := strings.TrimSpace(sub.Email)
	if email == "" {
		return Request{}, &InvalidError{"email", "is required"}
	}
	if _, err := matchkey.Email(email); err != nil {
		return Request{}, &InvalidError{"email", "is not a valid email address"}
	}
	name := strings.TrimSpace(sub.Name)
	if name == "" {
		return Request{}, &InvalidError{"name", "is required"}
	}
	if err := text("name", name, maxNameLen); err != nil {
		return Request{}, err
	}
	if strings.ContainsAny(name, "\r\n\t") {
		return Request{}, &InvalidError{"name", "must be on one line"}
	}
	if !strings.ContainsFunc(name, unicode.IsLetter) {
		return Request{}, &InvalidError{"name", "must contain letters"}
	}
	details := strings.TrimSpace(sub.Details)
	if err := text("details", details, maxDetailsLen); err != nil {
		return Request{}, err
	}
	if len(sub.Corrections) > 0 && t != Rectification {
		return Request{}, &InvalidError{"corrections", "are only taken with a rectification request"}
	}
	if len(sub.Corrections) > maxCorrections {
		return Request{}, &InvalidError{"corrections", "has too many entries"}
	}
	for k, v := range sub.Corrections {
		if err := text("corrections", k+v, maxCorrectionLen); err != nil {
			return Request{}, err
		}
	}
	if t == Rectification && len(sub.Corrections) == 0 && details == "" {
		return Request{}, &InvalidError{"corrections", "say what should be corrected"}
	}
	now := s.now()
	return Request{
		ID: id.New("req"), Type: t, Regime: regime, Status: AwaitingVerification,
		Email: email, Name: name, Details: details, Corrections: sub.Corrections,
		ReceivedAt: now, DueAt: DueDate(regime, now),
	}, nil
}

func text(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return &InvalidError{field, "is not valid UTF-8"}
	}
	if utf8.RuneCountInString(s) > max {
		return &InvalidError{field, fmt.Sprintf("is longer than %d characters", max)}
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return &InvalidError{field, "contains control characters"}
		}
	}
	return nil
}

// Submit records a request durably, then starts its workflow, and reports
// whether the submission replayed an earlier one with the same
// Idempotency-Key. The answer is
// the same whether or not the person is in the database: nothing is looked
// up before the email address is verified. A workflow that cannot be started
// now is started later by the deadline sweep, so the request is never lost.
func (s *Service) Submit(ctx context.Context, sub Submission, idemKey string) (Request, bool, error) {
	r, err := s.Validate(sub)
	if err != nil {
		return Request{}, false, err
	}
	var idem Idempotency
	if idemKey != "" {
		if len(idemKey) > idempotencyKeyLen || !utf8.ValidString(idemKey) {
			return Request{}, false, &InvalidError{"Idempotency-Key",
				"must be at most 255 characters"}
		}
		body, _ := json.Marshal(sub)
		idem = Idempotency{KeyHash: id.Hash("idem:" + idemKey), BodyHash: id.Hash(string(body))}
	}

	// Record the request before anything else happens.
	stored, err := s.Requests.CreateRequest(ctx, r, idem)
	if err != nil {
		return Request{}, false, fmt.Errorf("recording request: %w", err)
	}
	if stored.ID != r.ID {
		// A retry of an earlier submission: finish what that one began.
		if stored.Status == AwaitingVerification && !stored.WorkflowStarted {
			if err := s.StartWorkflow(ctx, stored); err != nil {
				return stored, true, fmt.Errorf("%w: %w", ErrWorkflowDeferred, err)
			}
		}
		return stored, true, nil
	}
	if err := s.event(ctx, r.ID, "received", string(r.Type)); err != nil {
		return Request{}, false, fmt.Errorf("recording receipt: %w", err)
	}

	// Start the workflow; the sweep retries it if this fails.
	if err := s.StartWorkflow(ctx, stored); err != nil {
		return stored, false, fmt.Errorf("%w: %w", ErrWorkflowDeferred, err)
	}
	return stored, false, nil
}

// ErrWorkflowDeferred means the request was recorded but its workflow will be
// started later. The request is safe; the caller answers as usual.
var ErrWorkflowDeferred = errors.New("workflow start deferred")

// StartWorkflow starts the execution of a recorded request and notes that it
// exists. Starting it twice is harmless.
func (s *Service) StartWorkflow(ctx context.Context, r Request) error {
	in, err := json.Marshal(WorkflowInput{
		RequestID: r.ID, Type: r.Type,
		VerifyTimeoutSeconds: int(s.Config.VerifyTimeout.Seconds()),
	})
	if err != nil {
		return fmt.Errorf("encoding workflow input: %w", err)
	}
	if err := s.Workflow.Start(ctx, r.ID, in); err != nil {
		return fmt.Errorf("starting workflow: %w", err)
	}
	_, err = s.Requests.UpdateRequest(ctx, r.ID, []Status{r.Status},
		Update{Status: r.Status, At: s.now(), WorkflowStarted: true})
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("noting workflow start: %w", err)
	}
	return nil
}

// StatusToken is the secret in a request's status link. It is a MAC of the
// request id, so it is never stored and a replayed submission gets it again.
func (s *Service) StatusToken(requestID string) string {
	m := hmac.New(sha256.New, s.Config.LinkKey)
	m.Write([]byte("status:" + requestID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// StatusURL is the link to a request's status page.
func (s *Service) StatusURL(requestID string) string {
	return s.Config.PublicBaseURL + "/privacy/requests/" + requestID +
		"?token=" + s.StatusToken(requestID)
}

// Status returns a request for its status page; a wrong token is ErrNotFound.
func (s *Service) Status(ctx context.Context, requestID, token string) (Request, error) {
	if !id.Valid("req", requestID) ||
		!hmac.Equal([]byte(token), []byte(s.StatusToken(requestID))) {
		return Request{}, ErrNotFound
	}
	r, err := s.Requests.GetRequest(ctx, requestID)
	if err != nil {
		return Request{}, fmt.Errorf("reading request: %w", err)
	}
	return r, nil
}

// Cancel cancels a request that is still waiting for its email address to
// be confirmed; once confirmed, it is on its way and can no longer be
// cancelled, so a confirm and a cancel never both succeed. The waiting
// execution is stopped.
func (s *Service) Cancel(ctx context.Context, requestID, token string) (Request, error) {
	if _, err := s.Status(ctx, requestID, token); err != nil {
		return Request{}, err
	}
	r, err := s.Requests.UpdateRequest(ctx, requestID,
		[]Status{AwaitingVerification}, s.closeUpdate(Cancelled, OutcomeNone))
	if err != nil {
		return Request{}, fmt.Errorf("cancelling request: %w", err)
	}
	if err := s.event(ctx, requestID, "cancelled", "by the person"); err != nil {
		return Request{}, fmt.Errorf("recording cancellation: %w", err)
	}

	// The request is closed whatever happens to its execution; one left
	// waiting ends at its timeout, finding the request closed.
	if err := s.Workflow.Stop(ctx, requestID, "cancelled by the person"); err != nil {
		return r, fmt.Errorf("%w: %w", ErrWorkflowDeferred, err)
	}
	return r, nil
}
