// Package sqs sends messages to Amazon SQS queues: the recipient notices
// of the privacy service, in batches, each entry retried until it is sent.
package sqs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// MaxBatch is the most messages one SendMessageBatch call takes.
const MaxBatch = 10

// KindAttribute is the message attribute that says what a message holds, so
// that a consumer or a dead-letter view can tell messages apart unread.
const KindAttribute = "kind"

// sendRounds bounds the attempts at one batch; the pause between them
// doubles from firstBackoff.
const (
	sendRounds   = 5
	firstBackoff = 50 * time.Millisecond
)

// Message is one message to send.
type Message struct {
	Body string
	// Kind is sent as the KindAttribute message attribute when not empty.
	Kind string
}

// Queue sends messages to one queue.
type Queue struct {
	client  *awssqs.Client
	url     string
	backoff time.Duration
}

// NewQueue returns a Queue that sends to the queue at url.
func NewQueue(client *awssqs.Client, url string) *Queue {
	return &Queue{client: client, url: url, backoff: firstBackoff}
}

// Send sends msgs in batches of MaxBatch. Entries that SQS fails are sent
// again, unless SQS blames the message itself; the error names the entries
// that could not be sent. Messages of a batch that failed may have been sent
// before the error, so consumers must take a message twice in their stride.
func (q *Queue) Send(ctx context.Context, msgs []Message) error {
	for start := 0; start < len(msgs); start += MaxBatch {
		end := min(start+MaxBatch, len(msgs))
		if err := q.sendBatch(ctx, start, msgs[start:end]); err != nil {
			return fmt.Errorf("sending messages %d to %d of %d: %w",
				start+1, end, len(msgs), err)
		}
	}
	return nil
}

// sendBatch sends up to MaxBatch messages; an entry's id is its index in
// the whole send, offset by first.
func (q *Queue) sendBatch(ctx context.Context, first int, msgs []Message) error {
	pending := make([]types.SendMessageBatchRequestEntry, len(msgs))
	for i, m := range msgs {
		pending[i] = types.SendMessageBatchRequestEntry{
			Id:          aws.String(strconv.Itoa(first + i)),
			MessageBody: aws.String(m.Body),
		}
		if m.Kind != "" {
			pending[i].MessageAttributes = map[string]types.MessageAttributeValue{
				KindAttribute: {DataType: aws.String("String"), StringValue: aws.String(m.Kind)},
			}
		}
	}
	var failed []types.BatchResultErrorEntry
	for round := 0; len(pending) > 0; round++ {
		if round == sendRounds {
			return &BatchError{Failed: failed}
		}
		if round > 0 {
			if err := pause(ctx, q.backoff<<(round-1)); err != nil {
				return err
			}
		}
		out, err := q.client.SendMessageBatch(ctx, &awssqs.SendMessageBatchInput{
			QueueUrl: aws.String(q.url),
			Entries:  pending,
		})
		if err != nil {
			return err
		}
		byID := map[string]types.SendMessageBatchRequestEntry{}
		for _, e := range pending {
			byID[aws.ToString(e.Id)] = e
		}
		pending, failed = pending[:0:0], out.Failed
		for _, f := range out.Failed {
			if f.SenderFault {
				return &BatchError{Failed: out.Failed}
			}
			if e, ok := byID[aws.ToString(f.Id)]; ok {
				pending = append(pending, e)
			}
		}
	}
	return nil
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// BatchError lists the entries of a batch that SQS did not take. An entry's
// Id is the index of its message in the slice given to Send.
type BatchError struct {
	Failed []types.BatchResultErrorEntry
}

func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d messages not sent:", len(e.Failed))
	for i, f := range e.Failed {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, " message %s: %s", aws.ToString(f.Id), aws.ToString(f.Code))
		if f.SenderFault {
			b.WriteString(" (sender fault)")
		}
	}
	return b.String()
}
