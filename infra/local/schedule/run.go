package schedule

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// The account and region the local stack pretends to run in; they appear in
// the rule ARN and the event.
const (
	Account = "000000000000"
	Region  = "us-east-1"
)

// Invoker invokes a function by name with a JSON payload and returns its
// JSON result; the local host implements it over its lambda.Handler
// registry.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// RuleARN returns the ARN of the scheduled rule ruleName on the default
// event bus, as it appears in the event's resources.
func RuleARN(ruleName string) string {
	return "arn:aws:events:" + Region + ":" + Account + ":rule/" + ruleName
}

// NewEvent returns the "Scheduled Event" EventBridge sends for the rule
// ruleName when it fires at the given time.
func NewEvent(ruleName string, at time.Time) events.EventBridgeEvent {
	return events.EventBridgeEvent{
		Version:    "0",
		ID:         newUUID(),
		DetailType: "Scheduled Event",
		Source:     "aws.events",
		AccountID:  Account,
		Time:       at.UTC().Truncate(time.Second),
		Region:     Region,
		Resources:  []string{RuleARN(ruleName)},
		Detail:     json.RawMessage("{}"),
	}
}

// Run invokes function with a Scheduled Event each time s fires, until ctx
// is cancelled or s fires no more; it then waits for the invocations in
// flight and returns nil. Invocations run concurrently, as EventBridge
// invokes functions asynchronously, and a failed one is logged. After a
// stall longer than a minute (a laptop asleep) the missed runs are skipped.
//
// TODO: Lambda retries a failed asynchronous invocation twice; Run does
// not, so that a failing job does not flood the local log.
func Run(ctx context.Context, s Schedule, ruleName, function string, inv Invoker,
	log *slog.Logger) error {
	switch {
	case s.IsZero():
		return errors.New("running schedule: no schedule expression")
	case ruleName == "" || function == "":
		return errors.New("running schedule: rule name and function are required")
	case inv == nil:
		return errors.New("running schedule: no invoker")
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("rule", ruleName, "function", function)

	var wg sync.WaitGroup
	defer wg.Wait()
	last := time.Now()
	for {
		next := s.Next(last)
		if next.IsZero() {
			log.Info("schedule fires no more", "schedule", s.String())
			return nil
		}
		timer := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-timer.C:
		}
		wg.Go(func() { invoke(ctx, ruleName, function, next, inv, log) })

		last = next
		if now := time.Now(); now.Sub(next) > time.Minute {
			log.Warn("skipping missed runs", "scheduled", next, "now", now)
			last = now
		}
	}
}

// invoke sends one Scheduled Event to function.
func invoke(ctx context.Context, ruleName, function string, at time.Time, inv Invoker,
	log *slog.Logger) {
	ev := NewEvent(ruleName, at)
	payload, err := json.Marshal(ev)
	if err != nil {
		log.Error("encoding scheduled event", "err", err)
		return
	}
	lc := &lambdacontext.LambdaContext{
		AwsRequestID: newUUID(),
		InvokedFunctionArn: fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s",
			Region, Account, function),
	}
	start := time.Now()
	_, err = inv.Invoke(lambdacontext.NewContext(ctx, lc), function, payload)
	attrs := []any{"eventId", ev.ID, "requestId", lc.AwsRequestID,
		"scheduled", ev.Time, "duration", time.Since(start)}
	if err != nil {
		log.Error("scheduled invocation failed", append(attrs, "err", err)...)
		return
	}
	log.Info("scheduled invocation", attrs...)
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
