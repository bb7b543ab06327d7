// Package sqsmap runs SQS event source mappings on the local host: it polls
// a queue as Lambda's pollers do, invokes the mapped function with the
// events.SQSEvent Lambda would build, and deletes what the function has
// processed. Messages it leaves behind become visible again after the
// queue's visibility timeout, and the queue's RedrivePolicy moves them to
// the dead-letter queue after maxReceiveCount receives, as on AWS.
package sqsmap

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Invoker invokes a function by name with a JSON payload and returns its
// JSON result; the local host implements it over its lambda.Handler
// registry.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// Defaults and limits of an SQS event source mapping.
const (
	// DefaultBatchSize is the batch size when Mapping.BatchSize is 0.
	DefaultBatchSize = 10
	// MaxBatchSize is the largest batch of a standard queue.
	MaxBatchSize = 10000
	// MaxBatchWindow is the longest batching window.
	MaxBatchWindow = 300 * time.Second
	// DefaultWaitTime is the long-polling wait when Mapping.WaitTime is 0.
	DefaultWaitTime = 20 * time.Second
	// maxPayload is Lambda's limit on an invocation's event: 6 MB.
	maxPayload = 6 << 20
)

// Mapping configures one SQS event source mapping.
type Mapping struct {
	// QueueURL is the queue to poll.
	QueueURL string
	// QueueARN is the queue's ARN, put in each record's eventSourceARN; it
	// is looked up when empty.
	QueueARN string
	// Function is the name the Invoker knows the function by.
	Function string
	// BatchSize is the most records in one event: 1 to 10,000, default 10.
	// Above 10, MaximumBatchingWindow must be at least a second, as AWS
	// requires.
	BatchSize int
	// MaximumBatchingWindow is how long to keep gathering records after the
	// first one before invoking: 0 to 5 minutes. With 0, each receive that
	// returns messages makes one invocation.
	MaximumBatchingWindow time.Duration
	// ReportBatchItemFailures makes the function's events.SQSEventResponse
	// count: the messages it lists stay on the queue and the others are
	// deleted. Without it, a batch is deleted whole when the function
	// succeeds.
	ReportBatchItemFailures bool
	// WaitTime is the long-polling wait of each receive, 1 to 20 s,
	// rounded up to whole seconds; default 20 s. Run still returns as soon
	// as its context is cancelled.
	WaitTime time.Duration
}

func (m *Mapping) validate() error {
	if m.QueueURL == "" || m.Function == "" {
		return errors.New("queue URL and function are required")
	}
	if m.BatchSize == 0 {
		m.BatchSize = DefaultBatchSize
	}
	if m.WaitTime == 0 {
		m.WaitTime = DefaultWaitTime
	}
	switch {
	case m.BatchSize < 1 || m.BatchSize > MaxBatchSize:
		return fmt.Errorf("batch size %d is not between 1 and %d", m.BatchSize, MaxBatchSize)
	case m.MaximumBatchingWindow < 0 || m.MaximumBatchingWindow > MaxBatchWindow:
		return fmt.Errorf("batching window %v is not between 0 and %v",
			m.MaximumBatchingWindow, MaxBatchWindow)
	case m.BatchSize > 10 && m.MaximumBatchingWindow < time.Second:
		return fmt.Errorf("batch size %d needs a batching window of at least 1s",
			m.BatchSize)
	case m.WaitTime < 0 || m.WaitTime > 20*time.Second:
		return fmt.Errorf("wait time %v is not between 1s and 20s", m.WaitTime)
	}
	return nil
}

// poller is the state of one running mapping.
type poller struct {
	m       Mapping
	client  *sqs.Client
	inv     Invoker
	log     *slog.Logger
	region  string
	account string
	pending []types.Message // received but not yet sent, for the next batch
}

// Run polls the queue and invokes the function until ctx is cancelled, and
// then returns nil. It returns an error only when the mapping is invalid or
// the queue cannot be found at start; later receive errors are logged and
// retried. Messages of a batch whose invocation fails are not deleted.
//
// TODO: Lambda scales out to several concurrent pollers and invocations;
// Run polls and invokes one batch at a time, which is enough locally.
func Run(ctx context.Context, client *sqs.Client, m Mapping, inv Invoker,
	log *slog.Logger) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("running SQS mapping to %q: %w", m.Function, err)
	}
	if client == nil || inv == nil {
		return fmt.Errorf("running SQS mapping to %q: client and invoker are required",
			m.Function)
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("function", m.Function, "queue", queueName(m.QueueURL))

	attrs, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(m.QueueURL),
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameQueueArn, types.QueueAttributeNameVisibilityTimeout,
		},
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("running SQS mapping to %q: finding queue %s: %w",
			m.Function, m.QueueURL, err)
	}
	if m.QueueARN == "" {
		m.QueueARN = attrs.Attributes[string(types.QueueAttributeNameQueueArn)]
	}
	vt, _ := strconv.Atoi(attrs.Attributes[string(types.QueueAttributeNameVisibilityTimeout)])
	vis := time.Duration(vt) * time.Second
	if m.MaximumBatchingWindow > 0 && vis <= m.MaximumBatchingWindow {
		log.Warn("the queue's visibility timeout is not longer than the batching "+
			"window, so messages come back while a batch is gathered",
			"visibilityTimeout", vis, "window", m.MaximumBatchingWindow)
	}
	p := &poller{m: m, client: client, inv: inv, log: log}
	p.region, p.account = arnParts(m.QueueARN)

	backoff := time.Duration(0)
	for ctx.Err() == nil {
		batch, err := p.collect(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			backoff = min(max(2*backoff, time.Second), 10*time.Second)
			log.Warn("receiving messages failed; retrying", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			continue
		}
		backoff = 0
		if len(batch) > 0 {
			p.process(ctx, batch)
		}
	}
	return nil
}

// collect receives the next batch: up to BatchSize messages, gathered for
// at most MaximumBatchingWindow after the first one arrives.
func (p *poller) collect(ctx context.Context) ([]types.Message, error) {
	msgs := p.pending
	p.pending = nil
	var windowEnd time.Time
	if len(msgs) > 0 {
		windowEnd = time.Now().Add(p.m.MaximumBatchingWindow)
	}
	for len(msgs) < p.m.BatchSize {
		// SQS waits whole seconds: within the window, wait what is left of
		// it rounded down, and make a last receive that does not wait.
		wait, last := p.m.WaitTime, false
		if len(msgs) > 0 {
			left := time.Until(windowEnd)
			if left <= 0 {
				break
			}
			wait, last = left, left < time.Second
		} else {
			wait = (wait + time.Second - 1).Truncate(time.Second)
		}
		out, err := p.client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl:            aws.String(p.m.QueueURL),
			MaxNumberOfMessages: int32(min(10, p.m.BatchSize-len(msgs))),
			WaitTimeSeconds:     int32(min(20, wait/time.Second)),
			MessageSystemAttributeNames: []types.MessageSystemAttributeName{
				types.MessageSystemAttributeNameAll,
			},
			MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			if len(msgs) > 0 && ctx.Err() == nil {
				p.log.Warn("receiving more messages failed; sending the batch so far",
					"err", err)
				return msgs, nil
			}
			return nil, err
		}
		if len(msgs) == 0 && len(out.Messages) > 0 {
			windowEnd = time.Now().Add(p.m.MaximumBatchingWindow)
		}
		msgs = addMessages(msgs, out.Messages)
		if last {
			break
		}
	}
	return msgs, nil
}

// addMessages appends received messages to a batch. A message received
// again (its visibility timeout ran out while the batch was gathered)
// replaces its earlier copy, whose receipt handle is no longer the latest.
func addMessages(batch, received []types.Message) []types.Message {
	for _, msg := range received {
		i := slices.IndexFunc(batch, func(m types.Message) bool {
			return aws.ToString(m.MessageId) == aws.ToString(msg.MessageId)
		})
		if i >= 0 {
			batch[i] = msg
			continue
		}
		batch = append(batch, msg)
	}
	return batch
}

// process invokes the function with one batch and deletes what it handled.
func (p *poller) process(ctx context.Context, msgs []types.Message) {
	// Build the event, leaving for the next batch what would take it over
	// Lambda's payload limit.
	ev := events.SQSEvent{Records: make([]events.SQSMessage, 0, len(msgs))}
	size := len(`{"Records":[]}`)
	for i, msg := range msgs {
		rec := p.record(msg)
		b, err := json.Marshal(rec)
		if err != nil {
			p.log.Error("encoding SQS record", "messageId", rec.MessageId, "err", err)
			continue
		}
		if size+len(b)+1 > maxPayload && len(ev.Records) > 0 {
			p.pending = msgs[i:]
			break
		}
		size += len(b) + 1
		ev.Records = append(ev.Records, rec)
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		p.log.Error("encoding SQS event", "err", err)
		return
	}

	lc := &lambdacontext.LambdaContext{
		AwsRequestID: newUUID(),
		InvokedFunctionArn: fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s",
			p.region, p.account, p.m.Function),
	}
	log := p.log.With("requestId", lc.AwsRequestID, "messages", len(ev.Records))
	start := time.Now()
	out, err := p.inv.Invoke(lambdacontext.NewContext(ctx, lc), p.m.Function, payload)
	log = log.With("duration", time.Since(start))
	if err != nil {
		log.Error("function failed; the batch stays on the queue", "err", err)
		return
	}

	// Decide what to delete.
	keep := map[string]bool{}
	if p.m.ReportBatchItemFailures {
		ids := make(map[string]bool, len(ev.Records))
		for _, r := range ev.Records {
			ids[r.MessageId] = true
		}
		if keep, err = batchItemFailures(out, ids); err != nil {
			log.Error("invalid batch item failures; the batch stays on the queue",
				"err", err)
			return
		}
	}
	var done []events.SQSMessage
	for _, r := range ev.Records {
		if !keep[r.MessageId] {
			done = append(done, r)
		}
	}

	// Delete even if ctx has just ended, so that handled work is not redone.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	deleted := p.delete(dctx, done)
	log.Info("batch processed", "failed", len(keep), "deleted", deleted)
}

// record builds the event record Lambda makes of a message.
func (p *poller) record(msg types.Message) events.SQSMessage {
	rec := events.SQSMessage{
		MessageId:              aws.ToString(msg.MessageId),
		ReceiptHandle:          aws.ToString(msg.ReceiptHandle),
		Body:                   aws.ToString(msg.Body),
		Md5OfBody:              aws.ToString(msg.MD5OfBody),
		Md5OfMessageAttributes: aws.ToString(msg.MD5OfMessageAttributes),
		Attributes:             map[string]string{},
		MessageAttributes:      map[string]events.SQSMessageAttribute{},
		EventSourceARN:         p.m.QueueARN,
		EventSource:            "aws:sqs",
		AWSRegion:              p.region,
	}
	for k, v := range msg.Attributes {
		rec.Attributes[k] = v
	}
	for k, v := range msg.MessageAttributes {
		a := events.SQSMessageAttribute{
			StringValue:      v.StringValue,
			BinaryValue:      v.BinaryValue,
			StringListValues: v.StringListValues,
			BinaryListValues: v.BinaryListValues,
			DataType:         aws.ToString(v.DataType),
		}
		if a.StringListValues == nil {
			a.StringListValues = []string{}
		}
		if a.BinaryListValues == nil {
			a.BinaryListValues = [][]byte{}
		}
		rec.MessageAttributes[k] = a
	}
	return rec
}

// batchItemFailures reads the failed message ids from a function's result
// by Lambda's rules: no result, an empty response or an empty list means
// none failed; anything but an events.SQSEventResponse, or an item whose
// itemIdentifier is missing, null, empty or not a message of the batch,
// fails the whole batch.
func batchItemFailures(out []byte, batch map[string]bool) (map[string]bool, error) {
	failed := map[string]bool{}
	if s := strings.TrimSpace(string(out)); s == "" || s == "null" {
		return failed, nil
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(out, &resp); err != nil {
		return nil, errors.New("the result is not a JSON object")
	}
	raw := resp["batchItemFailures"]
	if raw == nil || string(raw) == "null" {
		return failed, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, errors.New("batchItemFailures is not a list of objects")
	}
	for i, item := range items {
		rawID, ok := item["itemIdentifier"]
		if !ok {
			return nil, fmt.Errorf("batchItemFailures[%d] has no itemIdentifier", i)
		}
		var id *string
		if err := json.Unmarshal(rawID, &id); err != nil {
			return nil, fmt.Errorf("batchItemFailures[%d].itemIdentifier is not a string", i)
		}
		switch {
		case id == nil:
			return nil, fmt.Errorf("batchItemFailures[%d].itemIdentifier is null", i)
		case *id == "":
			return nil, fmt.Errorf("batchItemFailures[%d].itemIdentifier is empty", i)
		case !batch[*id]:
			return nil, fmt.Errorf("batchItemFailures[%d].itemIdentifier %q is not "+
				"a message of the batch", i, *id)
		}
		failed[*id] = true
	}
	return failed, nil
}

// delete deletes the records' messages, ten at a time, and returns how
// many went.
func (p *poller) delete(ctx context.Context, recs []events.SQSMessage) int {
	deleted := 0
	for start := 0; start < len(recs); start += 10 {
		chunk := recs[start:min(start+10, len(recs))]
		entries := make([]types.DeleteMessageBatchRequestEntry, len(chunk))
		for i, r := range chunk {
			entries[i] = types.DeleteMessageBatchRequestEntry{
				Id:            aws.String("m" + strconv.Itoa(i)),
				ReceiptHandle: aws.String(r.ReceiptHandle),
			}
		}
		out, err := p.client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{
			QueueUrl: aws.String(p.m.QueueURL),
			Entries:  entries,
		})
		if err != nil {
			p.log.Error("deleting processed messages failed; they will be "+
				"delivered again", "messages", len(chunk), "err", err)
			continue
		}
		for _, f := range out.Failed {
			p.log.Error("deleting a processed message failed; it will be "+
				"delivered again", "code", aws.ToString(f.Code))
		}
		deleted += len(out.Successful)
	}
	return deleted
}

// arnParts returns the region and account of an ARN, or those of the local
// stack when the ARN has none.
func arnParts(arn string) (region, account string) {
	parts := strings.Split(arn, ":")
	if len(parts) >= 6 && parts[3] != "" && parts[4] != "" {
		return parts[3], parts[4]
	}
	return "us-east-1", "000000000000"
}

// queueName returns the last path segment of a queue URL.
func queueName(url string) string {
	return url[strings.LastIndexByte(url, '/')+1:]
}

// newUUID returns a random (version 4) UUID, the shape of Lambda request
// ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
