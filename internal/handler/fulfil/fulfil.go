// Package fulfil answers verified requests, as a Step Functions task, and
// serves the exports of access and portability requests through the API.
package fulfil

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/immagnify/immagnify/internal/apigateway"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/privacycenter"
)

// Handler handles the fulfilment task and the export route.
type Handler struct {
	Service *privacy.Service
	Log     *slog.Logger
}

// Task is the payload the state machine sends.
type Task struct {
	RequestID string `json:"requestId"`
}

// Result is what the task hands back to the state machine.
type Result struct {
	RequestID string          `json:"requestId"`
	Outcome   privacy.Outcome `json:"outcome"`
}

// Handle is the Lambda entry point. API Gateway events carry a routeKey;
// anything else is a task from the state machine.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	r, api, err := apigateway.FromEvent(raw)
	if err != nil {
		return nil, err
	}
	if api {
		return apigateway.Serve(h.Log, h.export)(ctx, r)
	}

	var t Task
	if err := json.Unmarshal(raw, &t); err != nil || t.RequestID == "" {
		return nil, errors.New("task needs a requestId")
	}
	o, err := h.Service.Fulfil(ctx, t.RequestID)
	if err != nil {
		// The state machine sees only the error's type; the cause is here.
		h.Log.ErrorContext(ctx, "fulfilment failed", "dsarId", t.RequestID, "err", err)
		return nil, fmt.Errorf("fulfilling request %s: %w", t.RequestID, err)
	}
	h.Log.InfoContext(ctx, "request fulfilled", "dsarId", t.RequestID, "outcome", o)
	return Result{RequestID: t.RequestID, Outcome: o}, nil
}

// export serves GET /privacy/exports/{id}?token= as JSON or CSV by Accept,
// or by format=json or format=csv for people who follow a link.
func (h *Handler) export(ctx context.Context, r apigateway.Request) (apigateway.Response, error) {
	if r.RouteKey != "GET /privacy/exports/{id}" {
		return apigateway.Response{}, apigateway.Errorf(404, "not_found", "no such route")
	}
	e, err := h.Service.GetExport(ctx, r.PathParameters["id"], r.QueryStringParameters["token"])
	if errors.Is(err, privacy.ErrExportGone) {
		if apigateway.Accepts(r, "application/json", "text/html") == "text/html" {
			return apigateway.HTML(404, privacycenter.MessagePage(privacycenter.Message{
				Title: "Export not available",
				Text: "This link is wrong or has expired. Send a new access request " +
					"to get a fresh export.",
			})), nil
		}
		return apigateway.Response{}, apigateway.Errorf(404, "not_found",
			"no such export, or its link has expired")
	}
	if err != nil {
		return apigateway.Response{}, err
	}
	h.Log.InfoContext(ctx, "export downloaded", "exportId", e.ID, "dsarId", e.RequestID)

	format := apigateway.Accepts(r, "application/json", "text/csv", "text/html")
	switch f := strings.ToLower(r.QueryStringParameters["format"]); f {
	case "":
	case "csv":
		format = "text/csv"
	case "json":
		format = "application/json"
	default:
		return apigateway.Response{}, apigateway.Errorf(400, "invalid_format",
			"format must be json or csv")
	}
	switch format {
	case "text/csv":
		b, err := e.Document.CSV()
		if err != nil {
			return apigateway.Response{}, err
		}
		return apigateway.Bytes(200, "text/csv; charset=utf-8", e.ID+".csv", b), nil
	case "application/json", "text/html":
		// A browser gets the JSON document too: it is the export.
		b, err := json.MarshalIndent(e.Document, "", "  ")
		if err != nil {
			return apigateway.Response{}, fmt.Errorf("encoding export: %w", err)
		}
		return apigateway.Bytes(200, "application/json", "", b), nil
	}
	return apigateway.Response{}, apigateway.Errorf(406, "not_acceptable",
		"exports are served as application/json or text/csv")
}
