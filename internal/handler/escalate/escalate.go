// Package escalate watches deadlines: on a schedule it starts workflows that
// never started and tells the privacy team what is due soon, overdue or
// failed; as a Step Functions task it marks a request failed and escalates it.
package escalate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/immagnify/immagnify/internal/privacy"
)

// Handler handles schedule events and failure tasks.
type Handler struct {
	Service *privacy.Service
	Open    privacy.OpenRequests
	Log     *slog.Logger
}

// Task is the payload the state machine sends when a request fails.
type Task struct {
	Action    string `json:"action"`
	RequestID string `json:"requestId"`
	Error     string `json:"error"`
}

// Handle is the Lambda entry point. EventBridge schedule events carry a
// detail-type; anything else is a task from the state machine.
func (h *Handler) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		DetailType string `json:"detail-type"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("decoding event: %w", err)
	}
	if probe.DetailType == "Scheduled Event" {
		res, err := h.Service.Sweep(ctx, h.Open)
		h.Log.InfoContext(ctx, "deadline sweep", "open", res.Open,
			"dueSoon", len(res.DueSoon), "overdue", len(res.Overdue),
			"failed", len(res.Failed), "restarted", res.Restarted, "stuck", res.Stuck,
			"err", err)
		return nil, err
	}
	var t Task
	if err := json.Unmarshal(raw, &t); err != nil || t.RequestID == "" {
		return nil, errors.New("task needs a requestId")
	}
	if t.Action != "failed" {
		return nil, fmt.Errorf("unknown task action %q", t.Action)
	}
	if err := h.Service.Fail(ctx, t.RequestID, t.Error); err != nil {
		h.Log.ErrorContext(ctx, "escalation failed", "dsarId", t.RequestID, "err", err)
		return nil, fmt.Errorf("failing request %s: %w", t.RequestID, err)
	}
	h.Log.WarnContext(ctx, "request failed and escalated", "dsarId", t.RequestID,
		"error", t.Error)
	return nil, nil
}
