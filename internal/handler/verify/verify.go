// Package verify proves that a person controls the email address of their
// request. As a Step Functions task it emails a single-use link and leaves the
// execution waiting; as an API it shows the link's confirm page and takes the
// confirmation that resumes the execution. It also expires requests whose
// wait ran out.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/immagnify/immagnify/internal/apigateway"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/privacycenter"
)

// MaxBody is the largest confirmation body accepted, in bytes.
const MaxBody = 4 << 10

// Handler handles both the workflow's tasks and the API routes.
type Handler struct {
	Service *privacy.Service
	Log     *slog.Logger
}

// Task is the payload the state machine sends.
type Task struct {
	Action    string `json:"action"`
	RequestID string `json:"requestId"`
	TaskToken string `json:"taskToken,omitempty"`
}

// Error names the state machine acts on: it ends quietly when a request was
// closed before its verification email went out, and retries a send that
// failed.
const (
	ErrorRequestClosed = "RequestClosed"
	ErrorNotSent       = "VerificationNotSent"
)

// Task actions.
const (
	ActionSend   = "send"
	ActionExpire = "expire"
)

// Handle is the Lambda entry point. API Gateway events carry a routeKey;
// anything else is a task from the state machine.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	r, api, err := apigateway.FromEvent(raw)
	if err != nil {
		return nil, err
	}
	if api {
		return apigateway.Serve(h.Log, h.route)(ctx, r)
	}

	var t Task
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("decoding task: %w", err)
	}
	return nil, h.task(ctx, t)
}

func (h *Handler) task(ctx context.Context, t Task) error {
	switch t.Action {
	case ActionSend:
		if t.TaskToken == "" {
			return errors.New("send task without a task token")
		}
		err := h.Service.SendVerification(ctx, t.RequestID, t.TaskToken)
		if errors.Is(err, privacy.ErrClosed) {
			// A typed error the state machine catches to end quietly.
			h.Log.InfoContext(ctx, "request closed before verification", "dsarId", t.RequestID)
			return &messages.InvokeResponse_Error{Type: ErrorRequestClosed, Message: err.Error()}
		}
		if err != nil {
			// A named error the state machine retries; the cause is logged.
			h.Log.ErrorContext(ctx, "verification not sent", "dsarId", t.RequestID, "err", err)
			return &messages.InvokeResponse_Error{Type: ErrorNotSent, Message: err.Error()}
		}
		h.Log.InfoContext(ctx, "verification sent", "dsarId", t.RequestID)
		return nil
	case ActionExpire:
		if err := h.Service.Expire(ctx, t.RequestID); err != nil {
			h.Log.ErrorContext(ctx, "expiry failed", "dsarId", t.RequestID, "err", err)
			return fmt.Errorf("request %s: %w", t.RequestID, err)
		}
		h.Log.InfoContext(ctx, "verification wait ended", "dsarId", t.RequestID)
		return nil
	}
	return fmt.Errorf("unknown task action %q", t.Action)
}

func (h *Handler) route(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	switch r.RouteKey {
	case "GET /privacy/verify":
		return h.show(ctx, r)
	case "POST /privacy/verify":
		return h.confirm(ctx, r)
	}
	return apigateway.Response{}, apigateway.Errorf(404, "not_found", "no such route")
}

// show renders the confirm page. It changes nothing: mail scanners and link
// previews open links, and only the button confirms.
func (h *Handler) show(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	token := r.QueryStringParameters["token"]
	state, req, err := h.Service.Inspect(ctx, token)
	if err != nil {
		return apigateway.Response{}, err
	}
	page := privacycenter.Verify{State: state, Request: req}
	status := 200
	switch state {
	case privacy.TokenValid:
		page.Token = token
	case privacy.TokenExpired, privacy.TokenUnknown:
		status = stateError(state).Status
	}
	return apigateway.HTML(status, privacycenter.VerifyPage(page)), nil
}

type confirmation struct {
	Token string `json:"token"`
}

type confirmed struct {
	RequestID string         `json:"requestId"`
	Status    privacy.Status `json:"status"`
}

func (h *Handler) confirm(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	html := apigateway.MediaType(r) == "application/x-www-form-urlencoded"
	token, err := confirmationToken(r, html)
	if err != nil {
		var e *apigateway.Error
		if html && errors.As(err, &e) {
			return apigateway.HTML(e.Status, privacycenter.MessagePage(privacycenter.Message{
				Title: "This confirmation could not be read",
				Text:  "Open the link from our email again and press Confirm.",
			})), nil
		}
		return apigateway.Response{}, err
	}

	state, req, err := h.Service.Confirm(ctx, token)
	if err != nil {
		return apigateway.Response{}, err
	}
	h.Log.InfoContext(ctx, "confirmation", "dsarId", req.ID, "state", state)
	if html {
		status := 200
		if state != privacy.TokenValid {
			status = stateError(state).Status
		}
		return apigateway.HTML(status, privacycenter.VerifyPage(privacycenter.Verify{
			State: state, Confirmed: state == privacy.TokenValid, Request: req,
		})), nil
	}
	if state != privacy.TokenValid {
		return apigateway.Response{}, stateError(state)
	}
	return apigateway.JSON(200, confirmed{RequestID: req.ID, Status: req.Status}), nil
}

// confirmationToken reads the token from the page's form, or from JSON sent
// by a program.
func confirmationToken(r apigateway.Request, form bool) (string, error) {
	body, err := apigateway.Body(r, MaxBody)
	if err != nil {
		return "", err
	}
	switch mt := apigateway.MediaType(r); {
	case form:
		v, err := apigateway.Form(body)
		if err != nil {
			return "", err
		}
		return v.Get("token"), nil
	case mt == "application/json" || mt == "":
		var c confirmation
		if err := apigateway.DecodeJSON(body, &c); err != nil {
			return "", err
		}
		return c.Token, nil
	}
	return "", apigateway.Errorf(415, "unsupported_media_type",
		"send application/json or application/x-www-form-urlencoded")
}

func stateError(s privacy.TokenState) *apigateway.Error {
	switch s {
	case privacy.TokenUsed:
		return apigateway.Errorf(409, "token_used", "this link was used already")
	case privacy.TokenExpired:
		return apigateway.Errorf(410, "token_expired", "this link has expired")
	}
	return apigateway.Errorf(404, "token_not_found", "this link is not valid")
}
