package sqsmap

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/immagnify/immagnify/infra/local/standin/standintest"
)

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// function is a fake function: it records every event and answers with
// what respond returns.
type function struct {
	mu      sync.Mutex
	events  []events.SQSEvent
	lcs     []*lambdacontext.LambdaContext
	respond func(call int, ev events.SQSEvent) ([]byte, error)
}

func (f *function) Invoke(ctx context.Context, name string, payload []byte) ([]byte, error) {
	var ev events.SQSEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("payload is not an SQS event: %w", err)
	}
	lc, _ := lambdacontext.FromContext(ctx)
	f.mu.Lock()
	f.events = append(f.events, ev)
	f.lcs = append(f.lcs, lc)
	call := len(f.events)
	f.mu.Unlock()
	if f.respond == nil {
		return []byte("null"), nil
	}
	return f.respond(call, ev)
}

// deliveries counts how often each body was delivered.
func (f *function) deliveries() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := map[string]int{}
	for _, ev := range f.events {
		for _, r := range ev.Records {
			n[r.Body]++
		}
	}
	return n
}

func (f *function) calls() []events.SQSEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.events)
}

// failures answers with the batch item failures of the records whose body
// is in bodies.
func failures(ev events.SQSEvent, bodies ...string) []byte {
	var resp events.SQSEventResponse
	for _, r := range ev.Records {
		if slices.Contains(bodies, r.Body) {
			resp.BatchItemFailures = append(resp.BatchItemFailures,
				events.SQSBatchItemFailure{ItemIdentifier: r.MessageId})
		}
	}
	b, _ := json.Marshal(resp)
	return b
}

// fixture is a queue with a dead-letter queue on a fauxqs stand-in.
type fixture struct {
	client         *sqs.Client
	url, arn       string
	dlqURL, dlqARN string
}

// newQueue creates the queue name and its DLQ, with the given
// maxReceiveCount and visibility timeout in seconds.
func newQueue(t *testing.T, client *sqs.Client, name string,
	maxReceive, visibility int) fixture {
	t.Helper()
	f := fixture{client: client}
	f.dlqURL, f.dlqARN = createQueue(t, client, name+"-dlq", nil)
	policy, _ := json.Marshal(map[string]string{
		"deadLetterTargetArn": f.dlqARN,
		"maxReceiveCount":     strconv.Itoa(maxReceive),
	})
	f.url, f.arn = createQueue(t, client, name, map[string]string{
		"VisibilityTimeout": strconv.Itoa(visibility),
		"RedrivePolicy":     string(policy),
	})
	return f
}

func createQueue(t *testing.T, client *sqs.Client, name string,
	attrs map[string]string) (url, arn string) {
	t.Helper()
	out, err := client.CreateQueue(t.Context(), &sqs.CreateQueueInput{
		QueueName: aws.String(name), Attributes: attrs,
	})
	if err != nil {
		t.Fatalf("creating queue %s: %v", name, err)
	}
	a, err := client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{
		QueueUrl:       out.QueueUrl,
		AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatalf("reading the ARN of queue %s: %v", name, err)
	}
	return aws.ToString(out.QueueUrl), a.Attributes["QueueArn"]
}

func (f fixture) send(t *testing.T, bodies ...string) {
	t.Helper()
	for _, b := range bodies {
		if _, err := f.client.SendMessage(t.Context(), &sqs.SendMessageInput{
			QueueUrl: aws.String(f.url), MessageBody: aws.String(b),
		}); err != nil {
			t.Fatalf("sending %q: %v", b, err)
		}
	}
}

// count returns the visible plus in-flight messages of a queue.
func (f fixture) count(t *testing.T, url string) int {
	t.Helper()
	out, err := f.client.GetQueueAttributes(t.Context(), &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url),
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
		},
	})
	if err != nil {
		t.Fatalf("counting messages: %v", err)
	}
	n := 0
	for _, v := range out.Attributes {
		i, _ := strconv.Atoi(v)
		n += i
	}
	return n
}

// start runs the mapping until the test ends and returns a function that
// stops it and waits for Run to return.
func start(t *testing.T, client *sqs.Client, m Mapping, inv Invoker) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- Run(ctx, client, m, inv, quietLog()) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-errc:
				if err != nil {
					t.Errorf("Run() error = %v", err)
				}
			case <-time.After(5 * time.Second):
				t.Error("Run() did not return within 5s of cancellation")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// eventually waits up to 15 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPoisonMessageReachesTheDLQ(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	q := newQueue(t, client, "ingest", 2, 1)
	good := []string{"m1", "m2", "m3", "m4"}
	q.send(t, append(slices.Clone(good), "poison")...)
	fn := &function{respond: func(_ int, ev events.SQSEvent) ([]byte, error) {
		return failures(ev, "poison"), nil
	}}
	stop := start(t, client, Mapping{
		QueueURL: q.url, Function: "ingest", ReportBatchItemFailures: true,
		WaitTime: time.Second, MaximumBatchingWindow: 500 * time.Millisecond,
	}, fn)

	eventually(t, "the poison message is in the DLQ", func() bool {
		return q.count(t, q.dlqURL) == 1
	})
	stop()

	got := fn.deliveries()
	for _, b := range good {
		if got[b] != 1 {
			t.Errorf("message %q delivered %d times, want exactly once", b, got[b])
		}
	}
	if got["poison"] != 2 {
		t.Errorf("poison message delivered %d times, want maxReceiveCount = 2", got["poison"])
	}
	if n := q.count(t, q.url); n != 0 {
		t.Errorf("%d messages left on the queue, want 0", n)
	}
	out, err := client.ReceiveMessage(t.Context(), &sqs.ReceiveMessageInput{
		QueueUrl: aws.String(q.dlqURL), WaitTimeSeconds: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Messages) != 1 || aws.ToString(out.Messages[0].Body) != "poison" {
		t.Errorf("DLQ holds %d messages, want the poison one", len(out.Messages))
	}

	// The poison message's second delivery says so.
	var counts []string
	for _, ev := range fn.calls() {
		for _, r := range ev.Records {
			if r.Body == "poison" {
				counts = append(counts, r.Attributes["ApproximateReceiveCount"])
			}
		}
	}
	if want := []string{"1", "2"}; !slices.Equal(counts, want) {
		t.Errorf("poison ApproximateReceiveCount = %v, want %v", counts, want)
	}
}

func TestFunctionErrorFailsTheWholeBatch(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	for _, report := range []bool{true, false} {
		t.Run("ReportBatchItemFailures="+strconv.FormatBool(report), func(t *testing.T) {
			t.Parallel()
			q := newQueue(t, client, "batch-"+strconv.FormatBool(report), 3, 1)
			bodies := []string{"a", "b", "c"}
			q.send(t, bodies...)
			fn := &function{respond: func(call int, _ events.SQSEvent) ([]byte, error) {
				if call == 1 {
					return nil, errors.New("failed on purpose")
				}
				return []byte("null"), nil
			}}
			stop := start(t, client, Mapping{
				QueueURL: q.url, Function: "f", ReportBatchItemFailures: report,
				WaitTime: time.Second, MaximumBatchingWindow: 500 * time.Millisecond,
			}, fn)

			eventually(t, "every message was delivered twice", func() bool {
				got := fn.deliveries()
				return got["a"] == 2 && got["b"] == 2 && got["c"] == 2
			})
			eventually(t, "the queue is empty", func() bool { return q.count(t, q.url) == 0 })
			stop()
			want := map[string]int{"a": 2, "b": 2, "c": 2}
			if got := fn.deliveries(); !reflect.DeepEqual(got, want) {
				t.Errorf("deliveries = %v, want each message twice", got)
			}
			if n := q.count(t, q.dlqURL); n != 0 {
				t.Errorf("%d messages in the DLQ, want 0", n)
			}
		})
	}
}

func TestInvalidBatchItemFailuresFailTheWholeBatch(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	tests := []struct {
		name     string
		response string
	}{
		{"empty itemIdentifier", `{"batchItemFailures":[{"itemIdentifier":""}]}`},
		{"unknown itemIdentifier", `{"batchItemFailures":[{"itemIdentifier":"no-such-id"}]}`},
		{"null itemIdentifier", `{"batchItemFailures":[{"itemIdentifier":null}]}`},
		{"bad key name", `{"batchItemFailures":[{"itemId":"x"}]}`},
		{"not a response", `"done"`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			q := newQueue(t, client, "invalid-"+strconv.Itoa(i), 5, 1)
			q.send(t, "x", "y")
			fn := &function{respond: func(call int, _ events.SQSEvent) ([]byte, error) {
				if call == 1 {
					return []byte(tt.response), nil
				}
				return []byte(`{"batchItemFailures":[]}`), nil
			}}
			stop := start(t, client, Mapping{
				QueueURL: q.url, Function: "f", ReportBatchItemFailures: true,
				WaitTime: time.Second, MaximumBatchingWindow: 500 * time.Millisecond,
			}, fn)
			eventually(t, "the queue is empty", func() bool { return q.count(t, q.url) == 0 })
			stop()
			if got := fn.deliveries(); !reflect.DeepEqual(got, map[string]int{"x": 2, "y": 2}) {
				t.Errorf("deliveries = %v, want each message twice", got)
			}
		})
	}
}

func TestWithoutReportBatchItemFailuresAllIsDeleted(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	q := newQueue(t, client, "plain", 5, 1)
	q.send(t, "a", "b")
	fn := &function{respond: func(_ int, ev events.SQSEvent) ([]byte, error) {
		return failures(ev, "a"), nil // ignored without ReportBatchItemFailures
	}}
	stop := start(t, client, Mapping{QueueURL: q.url, Function: "f",
		WaitTime: time.Second, MaximumBatchingWindow: 500 * time.Millisecond}, fn)
	eventually(t, "both messages were delivered", func() bool {
		got := fn.deliveries()
		return got["a"] == 1 && got["b"] == 1
	})
	eventually(t, "the queue is empty", func() bool { return q.count(t, q.url) == 0 })
	time.Sleep(1500 * time.Millisecond) // past the visibility timeout
	stop()
	if got := fn.deliveries(); !reflect.DeepEqual(got, map[string]int{"a": 1, "b": 1}) {
		t.Errorf("deliveries = %v, want each message once", got)
	}
}

func TestEventFields(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	q := newQueue(t, client, "fields", 5, 1)
	sentAt := time.Now()
	if _, err := client.SendMessage(t.Context(), &sqs.SendMessageInput{
		QueueUrl: aws.String(q.url), MessageBody: aws.String("Message Body"),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"Attribute1": {DataType: aws.String("String"), StringValue: aws.String("v1")},
			"Attribute2": {DataType: aws.String("Number"), StringValue: aws.String("123")},
			"Attribute3": {DataType: aws.String("Binary"), BinaryValue: []byte("1100")},
		},
	}); err != nil {
		t.Fatal(err)
	}
	fn := &function{}
	stop := start(t, client, Mapping{QueueURL: q.url, Function: "fields",
		WaitTime: time.Second}, fn)
	eventually(t, "the message was delivered", func() bool { return len(fn.calls()) == 1 })
	stop()

	ev := fn.calls()[0]
	if len(ev.Records) != 1 {
		t.Fatalf("got %d records, want 1", len(ev.Records))
	}
	r := ev.Records[0]
	sum := md5.Sum([]byte("Message Body"))
	for _, c := range []struct{ field, got, want string }{
		{"body", r.Body, "Message Body"},
		{"md5OfBody", r.Md5OfBody, hex.EncodeToString(sum[:])},
		{"eventSource", r.EventSource, "aws:sqs"},
		{"eventSourceARN", r.EventSourceARN, q.arn},
		{"awsRegion", r.AWSRegion, "us-east-1"},
		{"attributes.ApproximateReceiveCount", r.Attributes["ApproximateReceiveCount"], "1"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if r.MessageId == "" || r.ReceiptHandle == "" || r.Md5OfMessageAttributes == "" {
		t.Errorf("record lacks ids or checksums: %+v", r)
	}
	for _, k := range []string{"SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp"} {
		if r.Attributes[k] == "" {
			t.Errorf("attributes lack %s: %v", k, r.Attributes)
		}
	}
	if ms, err := strconv.ParseInt(r.Attributes["SentTimestamp"], 10, 64); err != nil ||
		time.UnixMilli(ms).Sub(sentAt).Abs() > 5*time.Second {
		t.Errorf("SentTimestamp = %q, want about %d", r.Attributes["SentTimestamp"],
			sentAt.UnixMilli())
	}
	want := map[string]events.SQSMessageAttribute{
		"Attribute1": {StringValue: aws.String("v1"), DataType: "String",
			StringListValues: []string{}, BinaryListValues: [][]byte{}},
		"Attribute2": {StringValue: aws.String("123"), DataType: "Number",
			StringListValues: []string{}, BinaryListValues: [][]byte{}},
		"Attribute3": {BinaryValue: []byte("1100"), DataType: "Binary",
			StringListValues: []string{}, BinaryListValues: [][]byte{}},
	}
	if !reflect.DeepEqual(r.MessageAttributes, want) {
		t.Errorf("messageAttributes = %+v, want %+v", r.MessageAttributes, want)
	}

	lc := fn.lcs[0]
	if lc == nil || len(lc.AwsRequestID) != 36 ||
		lc.InvokedFunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:fields" {
		t.Errorf("lambda context = %+v, want a request id and the function ARN", lc)
	}
}

func TestBatchingWindowGathersABatch(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	q := newQueue(t, client, "window", 5, 10)
	var bodies []string
	for i := range 15 {
		bodies = append(bodies, "m"+strconv.Itoa(i))
	}
	q.send(t, bodies...)
	fn := &function{}
	stop := start(t, client, Mapping{QueueURL: q.url, Function: "f", BatchSize: 20,
		MaximumBatchingWindow: 2 * time.Second, WaitTime: time.Second}, fn)
	eventually(t, "all messages were delivered", func() bool {
		return len(fn.deliveries()) == len(bodies)
	})
	stop()
	calls := fn.calls()
	if len(calls) != 1 || len(calls[0].Records) != 15 {
		var sizes []int
		for _, c := range calls {
			sizes = append(sizes, len(c.Records))
		}
		t.Errorf("batch sizes = %v, want one batch of 15", sizes)
	}
}

func TestRunReturnsPromptlyWhenCancelled(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	q := newQueue(t, client, "idle", 5, 1)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		errc <- Run(ctx, client, Mapping{QueueURL: q.url, Function: "f"}, &function{}, quietLog())
	}()
	time.Sleep(300 * time.Millisecond) // into the 20 s long poll
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run() error = %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run() did not return within 2s of cancellation")
	}
}

func TestRunWithAMissingQueue(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)))
	url := strings.TrimSuffix(newQueue(t, client, "exists", 5, 1).url, "exists") + "missing"
	err := Run(t.Context(), client, Mapping{QueueURL: url, Function: "f"}, &function{}, quietLog())
	if err == nil || !strings.Contains(err.Error(), "finding queue") {
		t.Errorf("Run() error = %v, want one about finding the queue", err)
	}
}

func TestRunInvalidMapping(t *testing.T) {
	client := sqs.NewFromConfig(standintest.AWSConfig("http://127.0.0.1:1"))
	url := "http://127.0.0.1:1/000000000000/q"
	tests := []struct {
		name    string
		m       Mapping
		wantErr string
	}{
		{"no queue", Mapping{Function: "f"}, "queue URL and function are required"},
		{"no function", Mapping{QueueURL: url}, "queue URL and function are required"},
		{"batch too large", Mapping{QueueURL: url, Function: "f", BatchSize: 10001,
			MaximumBatchingWindow: time.Second}, "batch size 10001 is not between 1 and 10000"},
		{"negative batch", Mapping{QueueURL: url, Function: "f", BatchSize: -1},
			"batch size -1 is not between 1 and 10000"},
		{"large batch without window", Mapping{QueueURL: url, Function: "f", BatchSize: 11},
			"batch size 11 needs a batching window of at least 1s"},
		{"window too long", Mapping{QueueURL: url, Function: "f",
			MaximumBatchingWindow: 301 * time.Second}, "batching window 5m1s is not between"},
		{"wait too long", Mapping{QueueURL: url, Function: "f", WaitTime: 21 * time.Second},
			"wait time 21s is not between 1s and 20s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Run(t.Context(), client, tt.m, &function{}, quietLog())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Run() error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	if err := Run(t.Context(), nil, Mapping{QueueURL: url, Function: "f"}, &function{},
		quietLog()); err == nil {
		t.Error("Run() with no client succeeded, want an error")
	}
}

func TestBatchItemFailures(t *testing.T) {
	batch := map[string]bool{"id-1": true, "id-2": true}
	tests := []struct {
		name    string
		out     string
		want    []string
		wantErr string
	}{
		{"no result", ``, nil, ""},
		{"null", `null`, nil, ""},
		{"empty response", `{}`, nil, ""},
		{"null list", `{"batchItemFailures":null}`, nil, ""},
		{"empty list", `{"batchItemFailures":[]}`, nil, ""},
		{"one failure", `{"batchItemFailures":[{"itemIdentifier":"id-2"}]}`, []string{"id-2"}, ""},
		{"two failures", `{"batchItemFailures":[{"itemIdentifier":"id-1"},` +
			`{"itemIdentifier":"id-2"}]}`, []string{"id-1", "id-2"}, ""},
		{"empty identifier", `{"batchItemFailures":[{"itemIdentifier":""}]}`, nil,
			"itemIdentifier is empty"},
		{"null identifier", `{"batchItemFailures":[{"itemIdentifier":null}]}`, nil,
			"itemIdentifier is null"},
		{"unknown identifier", `{"batchItemFailures":[{"itemIdentifier":"id-3"}]}`, nil,
			`"id-3" is not a message of the batch`},
		{"bad key name", `{"batchItemFailures":[{"ItemIdentifier":"id-1"}]}`, nil,
			"has no itemIdentifier"},
		{"numeric identifier", `{"batchItemFailures":[{"itemIdentifier":1}]}`, nil,
			"itemIdentifier is not a string"},
		{"list of strings", `{"batchItemFailures":["id-1"]}`, nil,
			"batchItemFailures is not a list of objects"},
		{"a string result", `"ok"`, nil, "not a JSON object"},
		{"invalid JSON", `{`, nil, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := batchItemFailures([]byte(tt.out), batch)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("batchItemFailures() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("batchItemFailures() error = %v", err)
			}
			var ids []string
			for id := range got {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tt.want) {
				t.Errorf("batchItemFailures() = %v, want %v", ids, tt.want)
			}
		})
	}
}

// TestRecordMatchesTheSample builds a record from an SQS message and
// compares it with the record aws-lambda-go's events/testdata/sqs-event.json
// holds for the same message.
func TestRecordMatchesTheSample(t *testing.T) {
	p := &poller{m: Mapping{QueueARN: "arn:aws:sqs:us-west-2:123456789012:SQSQueue"},
		region: "us-west-2", account: "123456789012"}
	got := p.record(types.Message{
		MessageId:              aws.String("MessageID_1"),
		ReceiptHandle:          aws.String("MessageReceiptHandle"),
		Body:                   aws.String("Message Body"),
		MD5OfBody:              aws.String("fce0ea8dd236ccb3ed9b37dae260836f"),
		MD5OfMessageAttributes: aws.String("582c92c5c5b6ac403040a4f3ab3115c9"),
		Attributes: map[string]string{
			"ApproximateReceiveCount":          "2",
			"SentTimestamp":                    "1520621625029",
			"SenderId":                         "AROAIWPX5BD2BHG722MW4:sender",
			"ApproximateFirstReceiveTimestamp": "1520621634884",
		},
		MessageAttributes: map[string]types.MessageAttributeValue{
			"Attribute1": {DataType: aws.String("String"),
				StringValue: aws.String("AttributeValue1")},
			"Attribute2": {DataType: aws.String("Number"), StringValue: aws.String("123"),
				BinaryListValues: [][]byte{[]byte("1"), []byte("0")}},
			"Attribute3": {DataType: aws.String("Binary"), BinaryValue: []byte("1100"),
				StringListValues: []string{"abc", "123"},
				BinaryListValues: [][]byte{[]byte("0"), []byte("1"), []byte("0")}},
		},
	})
	var want events.SQSEvent
	if err := json.Unmarshal(lambdaSample(t, "sqs-event.json"), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want.Records[0]) {
		gj, _ := json.MarshalIndent(got, "", "  ")
		wj, _ := json.MarshalIndent(want.Records[0], "", "  ")
		t.Errorf("record differs from the sample\ngot:  %s\nwant: %s", gj, wj)
	}
}

// lambdaSample reads a sample event from aws-lambda-go's events/testdata in
// the module cache.
func lambdaSample(t *testing.T, name string) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}",
		"github.com/aws/aws-lambda-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("skipping: aws-lambda-go is not in the module cache (%v)", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "events", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
