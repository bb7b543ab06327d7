package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/matchkey"
)

// SendVerification makes a single-use token for a request, stores only its
// hash beside the task token of the waiting execution, and emails the link.
// A request that is no longer awaiting verification gets no email.
func (s *Service) SendVerification(ctx context.Context, requestID, taskToken string) error {
	r, err := s.Requests.GetRequest(ctx, requestID)
	if err != nil {
		return fmt.Errorf("reading request: %w", err)
	}
	if r.Status != AwaitingVerification {
		return fmt.Errorf("request is %s: %w", r.Status, ErrClosed)
	}

	// No one may flood an inbox with our emails by sending requests in
	// someone else's name: past the daily limit, requests are refused.
	ok, err := s.Limits.Allow(ctx, s.mailKey(r.Email), 24*time.Hour, MaxVerificationsPerDay)
	if err != nil {
		return fmt.Errorf("checking the email limit: %w", err)
	}
	if !ok {
		_, err := s.Requests.UpdateRequest(ctx, r.ID, []Status{AwaitingVerification},
			s.closeUpdate(Denied, OutcomeTooMany))
		if err != nil && !errors.Is(err, ErrConflict) {
			return fmt.Errorf("refusing request: %w", err)
		}
		if err := s.event(ctx, r.ID, "denied", "verification email limit reached"); err != nil {
			return err
		}
		return fmt.Errorf("email limit reached: %w", ErrClosed)
	}

	// Store the hash first: a link must never arrive before it works.
	tok := id.Token()
	now := s.now()
	err = s.Tokens.PutToken(ctx, Token{
		Hash: id.Hash(tok), RequestID: r.ID, TaskToken: taskToken,
		CreatedAt: now, ExpiresAt: now.Add(s.Config.VerifyTimeout),
	})
	if err != nil {
		return fmt.Errorf("storing verification token: %w", err)
	}

	// Send the link; a retry of this step sends a fresh one.
	msg := verificationEmail(r, s.Config.PublicBaseURL+"/privacy/verify?token="+tok,
		s.StatusURL(r.ID), now.Add(s.Config.VerifyTimeout))
	msg.To = r.Email
	if err := s.Mailer.Send(ctx, msg); err != nil {
		return fmt.Errorf("sending verification email: %w", err)
	}
	return s.event(ctx, r.ID, "verification_sent", "")
}

// TokenState is what a verification link can still do.
type TokenState string

// Token states, as the confirm page tells them.
const (
	TokenValid   TokenState = "valid"
	TokenUsed    TokenState = "used"
	TokenExpired TokenState = "expired"
	TokenUnknown TokenState = "unknown"
)

// Inspect tells what a verification link can still do, and changes nothing:
// mail scanners open links, and only a deliberate confirm may count.
func (s *Service) Inspect(ctx context.Context, token string) (TokenState, Request, error) {
	t, r, err := s.lookupToken(ctx, token)
	if err != nil || t.Hash == "" {
		return TokenUnknown, Request{}, err
	}
	return s.stateOf(t, r), r, nil
}

func (s *Service) lookupToken(ctx context.Context, token string) (Token, Request, error) {
	if !id.ValidToken(token) {
		return Token{}, Request{}, nil
	}
	t, err := s.Tokens.GetToken(ctx, id.Hash(token))
	if errors.Is(err, ErrNotFound) {
		return Token{}, Request{}, nil
	}
	if err != nil {
		return Token{}, Request{}, fmt.Errorf("reading verification token: %w", err)
	}
	r, err := s.Requests.GetRequest(ctx, t.RequestID)
	if errors.Is(err, ErrNotFound) {
		return Token{}, Request{}, nil
	}
	if err != nil {
		return Token{}, Request{}, fmt.Errorf("reading request: %w", err)
	}
	return t, r, nil
}

func (s *Service) stateOf(t Token, r Request) TokenState {
	switch {
	case !t.UsedAt.IsZero():
		return TokenUsed
	case r.Status == Verified:
		return TokenValid // verified, but the workflow may not have resumed yet
	case r.Status.Open() && r.Status != AwaitingVerification:
		return TokenUsed
	case r.Status != AwaitingVerification || !s.now().Before(t.ExpiresAt):
		return TokenExpired
	}
	return TokenValid
}

// VerifiedOutput is what the verification task hands to the workflow.
type VerifiedOutput struct {
	VerifiedAt time.Time `json:"verifiedAt"`
}

// Confirm verifies the request a token belongs to, once, and resumes its
// workflow. Confirming again reports TokenUsed and changes nothing. The
// request is marked verified before the workflow resumes, so fulfilment
// always finds it verified; a failure before the token is marked used leaves
// a link that still works rather than a request stuck waiting.
func (s *Service) Confirm(ctx context.Context, token string) (TokenState, Request, error) {
	t, r, err := s.lookupToken(ctx, token)
	if err != nil || t.Hash == "" {
		return TokenUnknown, Request{}, err
	}
	if st := s.stateOf(t, r); st != TokenValid {
		return st, r, nil
	}

	// Record the verification; a concurrent confirm may have done it first.
	now := s.now()
	if r.Status == AwaitingVerification {
		r, err = s.Requests.UpdateRequest(ctx, r.ID, []Status{AwaitingVerification},
			Update{Status: Verified, At: now, VerifiedAt: now})
		if errors.Is(err, ErrConflict) {
			return s.recheck(ctx, t)
		}
		if err != nil {
			return "", Request{}, fmt.Errorf("marking request verified: %w", err)
		}
		if err := s.event(ctx, r.ID, "verified", "email"); err != nil {
			return "", Request{}, fmt.Errorf("recording verification: %w", err)
		}
	}

	// Resume the execution that waits for this confirmation.
	out, _ := json.Marshal(VerifiedOutput{VerifiedAt: r.VerifiedAt})
	if err := s.Workflow.Resume(ctx, t.TaskToken, out); err != nil {
		if errors.Is(err, ErrTaskGone) {
			return s.recheck(ctx, t)
		}
		return "", Request{}, fmt.Errorf("resuming workflow: %w", err)
	}
	if err := s.Tokens.UseToken(ctx, t.Hash, now); err != nil &&
		!errors.Is(err, ErrConflict) {
		return "", Request{}, fmt.Errorf("marking token used: %w", err)
	}
	return TokenValid, r, nil
}

// recheck tells what happened to a request whose confirmation lost a race:
// a concurrent click went on with it, or its wait for confirmation ran out.
func (s *Service) recheck(ctx context.Context, t Token) (TokenState, Request, error) {
	r, err := s.Requests.GetRequest(ctx, t.RequestID)
	if err != nil {
		return "", Request{}, fmt.Errorf("reading request: %w", err)
	}
	switch r.Status {
	case Verified, InProgress, Completed, Failed, Denied:
		// Most likely a second click that lost to the first; should the wait
		// have timed out at that very moment, the expiry step closes it.
		return TokenUsed, r, nil
	}
	return TokenExpired, r, nil
}

// MaxVerificationsPerDay is how many verification emails one address can be
// sent in a day.
const MaxVerificationsPerDay = 5

// mailKey is a keyed hash of an address for counting, never the address.
func (s *Service) mailKey(email string) string {
	key, err := matchkey.Email(email)
	if err != nil {
		key = strings.ToLower(strings.TrimSpace(email))
	}
	m := hmac.New(sha256.New, s.Config.LinkKey)
	m.Write([]byte("mail:" + key))
	return hex.EncodeToString(m.Sum(nil))
}
