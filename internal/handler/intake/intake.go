// Package intake is the privacy center's front: the request form, request
// submission, the status page and cancellation.
package intake

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/immagnify/immagnify/internal/apigateway"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/privacycenter"
	"github.com/immagnify/immagnify/internal/resources"
)

// MaxBody is the largest request body accepted, in bytes. A form post may
// be up to MaxFormBody as sent, since URL-encoding makes non-Latin text up to
// nine times longer, but no more than MaxBody once decoded.
const (
	MaxBody     = 64 << 10
	MaxFormBody = 9 * MaxBody
)

// Handler answers the intake routes.
type Handler struct {
	Service *privacy.Service
	Log     *slog.Logger
}

// Handle is the Lambda entry point.
func (h *Handler) Handle(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	return apigateway.Serve(h.Log, h.route)(ctx, r)
}

func (h *Handler) route(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	switch r.RouteKey {
	case "GET /privacy":
		return apigateway.HTML(200, privacycenter.FormPage(
			privacycenter.NewForm("", "", "", "", "", ""))), nil
	case "POST /privacy/requests":
		return h.submit(ctx, r)
	case "GET /privacy/requests/{id}":
		return h.status(ctx, r)
	case "POST /privacy/requests/{id}/cancel":
		return h.cancel(ctx, r)
	}
	return notFound(r)
}

// notFound answers the catch-all route: 405 with Allow for a known path
// asked with another method, 404 for anything else.
func notFound(r apigateway.Request) (apigateway.Response, error) {
	allowed := resources.Allowed(r.RawPath)
	if len(allowed) == 0 {
		return apigateway.Response{}, apigateway.Errorf(404, "not_found", "no such route")
	}
	resp := apigateway.ErrorResponse(apigateway.Errorf(405, "method_not_allowed",
		"this path takes %s", strings.Join(allowed, ", ")))
	resp.Headers["allow"] = strings.Join(allowed, ", ")
	return resp, nil
}

// submission is the JSON body of POST /privacy/requests.
type submission struct {
	Type        string            `json:"type"`
	Email       string            `json:"email"`
	Name        string            `json:"name"`
	Details     string            `json:"details"`
	Corrections map[string]string `json:"corrections"`
	Regime      string            `json:"regime"`
}

// receipt is the answer to a submission, identical in shape and status
// whether or not the person is in the database.
type receipt struct {
	RequestID  string         `json:"requestId"`
	Status     privacy.Status `json:"status"`
	ReceivedAt string         `json:"receivedAt"`
	DueAt      string         `json:"dueAt"`
}

func (h *Handler) submit(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	form := apigateway.MediaType(r) == "application/x-www-form-urlencoded"
	limit := MaxBody
	if form {
		limit = MaxFormBody
	}
	body, err := apigateway.Body(r, limit)
	if err != nil {
		return h.refuse(form, err, privacycenter.Form{})
	}

	// Read the submission from the form or from JSON.
	var sub privacy.Submission
	switch mt := apigateway.MediaType(r); {
	case form:
		v, err := apigateway.Form(body)
		if err != nil {
			return h.refuse(true, err, privacycenter.Form{})
		}
		if n := len(v.Get("type") + v.Get("email") + v.Get("name") + v.Get("details") +
			v.Get("regime")); n > MaxBody {
			return h.refuse(true, apigateway.Errorf(413, "body_too_large",
				"the body is larger than %d KB", MaxBody/1024), privacycenter.Form{})
		}
		sub = privacy.Submission{
			Type: v.Get("type"), Email: v.Get("email"), Name: v.Get("name"),
			Details: v.Get("details"), Regime: v.Get("regime"),
		}
	case mt == "application/json" || mt == "":
		var s submission
		if err := apigateway.DecodeJSON(body, &s); err != nil {
			return apigateway.Response{}, err
		}
		sub = privacy.Submission(s)
	default:
		return apigateway.Response{}, apigateway.Errorf(415, "unsupported_media_type",
			"send application/json or application/x-www-form-urlencoded")
	}

	// Record it; a request whose workflow could not start yet is still safe.
	req, replay, err := h.Service.Submit(ctx, sub, apigateway.Header(r, "idempotency-key"))
	switch {
	case errors.Is(err, privacy.ErrWorkflowDeferred):
		h.Log.WarnContext(ctx, "workflow start deferred to the sweep",
			"dsarId", req.ID, "err", err)
	case err != nil:
		return h.refuse(form, err, privacycenter.NewForm(sub.Type, sub.Email, sub.Name,
			sub.Details, sub.Regime, ""))
	}
	h.Log.InfoContext(ctx, "request received", "dsarId", req.ID, "type", req.Type,
		"regime", req.Regime)
	if form {
		// A replay shows no status link: whoever replays a key may not be
		// the person, and the link is in their verification email anyway.
		ack := privacycenter.Ack{RequestID: req.ID, DueAt: req.DueAt}
		if !replay {
			ack.StatusURL = h.Service.StatusURL(req.ID)
		}
		return apigateway.HTML(http.StatusAccepted, privacycenter.AckPage(ack)), nil
	}
	return apigateway.JSON(http.StatusAccepted, receipt{
		RequestID: req.ID, Status: req.Status,
		ReceivedAt: req.ReceivedAt.UTC().Format(time.RFC3339),
		DueAt:      req.DueAt.UTC().Format(time.RFC3339),
	}), nil
}

// refuse turns an error into the answer the client expects: the error body
// for JSON, the form again with the problem for a browser.
func (h *Handler) refuse(form bool, err error, f privacycenter.Form) (apigateway.Response, error) {
	e := asHTTP(err)
	if e == nil {
		return apigateway.Response{}, err
	}
	if !form {
		return apigateway.Response{}, e
	}
	if e.Status == 413 {
		return apigateway.HTML(413, privacycenter.MessagePage(privacycenter.Message{
			Title: "Too much text", Text: "The form was too large; please shorten it.",
		})), nil
	}
	f = privacycenter.NewForm(typeOf(f), f.Email, f.Name, f.Details, f.Regime, e.Message)
	return apigateway.HTML(e.Status, privacycenter.FormPage(f)), nil
}

func typeOf(f privacycenter.Form) string {
	for _, t := range f.Types {
		if t.Selected {
			return string(t.Value)
		}
	}
	return ""
}

// asHTTP maps domain errors to answers; it returns nil for anything else,
// which the caller passes on to become a logged 500.
func asHTTP(err error) *apigateway.Error {
	var inv *privacy.InvalidError
	var e *apigateway.Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &inv):
		return apigateway.Errorf(400, "invalid_request", "%s", inv.Error())
	case errors.Is(err, privacy.ErrIdempotencyMismatch):
		return apigateway.Errorf(409, "idempotency_key_reused",
			"this Idempotency-Key was used for a different request")
	case errors.Is(err, privacy.ErrNotFound):
		return apigateway.Errorf(404, "not_found", "no such request")
	case errors.Is(err, privacy.ErrConflict):
		return apigateway.Errorf(409, "conflict",
			"the request was confirmed, cancelled or closed already")
	}
	return nil
}

func (h *Handler) status(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	req, err := h.Service.Status(ctx, r.PathParameters["id"], r.QueryStringParameters["token"])
	if err != nil {
		return h.pageError(r, err)
	}
	if apigateway.Accepts(r, "text/html", "application/json") == "application/json" {
		return apigateway.JSON(200, receiptOf(req)), nil
	}
	return apigateway.HTML(200, privacycenter.StatusPage(privacycenter.Status{
		Request: req, Token: r.QueryStringParameters["token"],
		CanCancel: req.Status == privacy.AwaitingVerification,
	})), nil
}

func receiptOf(req privacy.Request) receipt {
	return receipt{
		RequestID: req.ID, Status: req.Status,
		ReceivedAt: req.ReceivedAt.UTC().Format(time.RFC3339),
		DueAt:      req.DueAt.UTC().Format(time.RFC3339),
	}
}

func (h *Handler) cancel(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	body, err := apigateway.Body(r, MaxBody)
	if err != nil {
		return apigateway.Response{}, err
	}
	token := r.QueryStringParameters["token"]
	html := apigateway.MediaType(r) == "application/x-www-form-urlencoded"
	if html {
		v, err := apigateway.Form(body)
		if err != nil {
			return apigateway.Response{}, err
		}
		token = v.Get("token")
	} else if len(body) > 0 {
		var b struct {
			Token string `json:"token"`
		}
		if err := apigateway.DecodeJSON(body, &b); err != nil {
			return apigateway.Response{}, err
		}
		token = b.Token
	}
	req, err := h.Service.Cancel(ctx, r.PathParameters["id"], token)
	if errors.Is(err, privacy.ErrWorkflowDeferred) {
		h.Log.WarnContext(ctx, "cancelled request's execution left to time out",
			"dsarId", req.ID, "err", err)
	} else if err != nil {
		return h.pageError(r, err)
	}
	h.Log.InfoContext(ctx, "request cancelled", "dsarId", req.ID)
	if html {
		return apigateway.HTML(200, privacycenter.StatusPage(privacycenter.Status{
			Request: req, Message: "Your request is cancelled.",
		})), nil
	}
	return apigateway.JSON(200, receiptOf(req)), nil
}

// pageError answers a status-page error as HTML for browsers and as the
// error body otherwise.
func (h *Handler) pageError(r apigateway.Request, err error) (apigateway.Response, error) {
	e := asHTTP(err)
	if e == nil {
		return apigateway.Response{}, err
	}
	if apigateway.Accepts(r, "application/json", "text/html") != "text/html" {
		return apigateway.Response{}, e
	}
	title := "Request not found"
	text := "This link is not valid. Copy the whole link from our email."
	if e.Status == 409 {
		title, text = "This request can no longer be cancelled",
			"It was confirmed, cancelled or closed already."
	}
	return apigateway.HTML(e.Status, privacycenter.MessagePage(privacycenter.Message{
		Title: title, Text: text,
	})), nil
}
