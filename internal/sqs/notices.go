package sqs

import (
	"context"
	"encoding/json"
	"fmt"

	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/immagnify/immagnify/internal/privacy"
)

var _ privacy.Notices = (*NoticeQueue)(nil)

// NoticeKind is the kind attribute of a recipient notice.
const NoticeKind = "recipient-notice"

// NoticeQueue queues recipient notices, one JSON message each.
type NoticeQueue struct {
	q *Queue
}

// NewNoticeQueue returns a NoticeQueue sending to the queue at url.
func NewNoticeQueue(client *awssqs.Client, url string) *NoticeQueue {
	return &NoticeQueue{q: NewQueue(client, url)}
}

// SendNotices queues each notice as a message whose body is the notice in
// JSON. A retry may queue a notice twice; its ID lets the consumer tell.
func (n *NoticeQueue) SendNotices(ctx context.Context, ns []privacy.Notice) error {
	msgs := make([]Message, len(ns))
	for i, notice := range ns {
		b, err := json.Marshal(notice)
		if err != nil {
			return fmt.Errorf("encoding notice %s: %w", notice.ID, err)
		}
		msgs[i] = Message{Body: string(b), Kind: NoticeKind}
	}
	if err := n.q.Send(ctx, msgs); err != nil {
		return fmt.Errorf("queueing recipient notices: %w", err)
	}
	return nil
}
