// Package notify delivers Art. 19 notices: it tells each customer that
// received an erased contact to erase it too.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/privacy"
)

// Handler consumes the recipient-notices queue.
type Handler struct {
	Customers contact.Customers
	Mailer    privacy.Mailer
	// Fallback receives notices for customers who gave no notice address, so
	// that the privacy team can deliver them another way.
	Fallback string
	Log      *slog.Logger
}

// Handle sends one notice per message and reports the messages that failed,
// so only those are retried.
func (h *Handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	sent := 0
	for _, m := range ev.Records {
		if err := h.deliver(ctx, m.Body); err != nil {
			h.Log.ErrorContext(ctx, "notice not delivered", "messageId", m.MessageId, "err", err)
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		sent++
	}
	h.Log.InfoContext(ctx, "notices delivered", "sent", sent,
		"failed", len(resp.BatchItemFailures))
	return resp, nil
}

func (h *Handler) deliver(ctx context.Context, body string) error {
	var n privacy.Notice
	if err := json.Unmarshal([]byte(body), &n); err != nil {
		return fmt.Errorf("decoding notice: %w", err)
	}
	if n.CustomerID == "" || n.ContactID == "" {
		return errors.New("notice without customer or contact")
	}
	c, err := h.Customers.GetCustomer(ctx, n.CustomerID)
	if err != nil && !errors.Is(err, contact.ErrNotFound) {
		return fmt.Errorf("reading customer: %w", err)
	}
	to := c.NoticeEmail
	if to == "" {
		to = h.Fallback
	}
	if to == "" {
		return errors.New("no address for the notice")
	}
	verb := "asked us to erase"
	if n.Action == string(contact.ReasonObjection) {
		verb = "objected to the use of"
	}
	return h.Mailer.Send(ctx, privacy.Message{
		To:      to,
		Subject: "Erasure notice " + n.ID + ": contact " + n.ContactID,
		Text: fmt.Sprintf("A person whose details you received from us (contact id %s) "+
			"has %s their data under the GDPR (request %s, %s).\n\nPlease erase "+
			"contact %s from your systems and stop using it. Article 19 GDPR asks "+
			"us to pass this on to every recipient.\n\nNotice id: %s\n",
			n.ContactID, verb, n.RequestID, n.At.UTC().Format("2006-01-02"),
			n.ContactID, n.ID),
	})
}
