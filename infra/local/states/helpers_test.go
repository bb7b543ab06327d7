package states

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// testSecond is the length of one ASL second in most tests.
const testSecond = 20 * time.Millisecond

// A handler is what the fake invoker runs for one function.
type handler func(ctx context.Context, payload map[string]any) (any, error)

// A call is one invocation the fake invoker received.
type call struct {
	function string
	payload  map[string]any
	at       time.Time
}

// fakeInvoker runs handlers by function name and records every call.
type fakeInvoker struct {
	mu       sync.Mutex
	handlers map[string]handler
	calls    []call
	tokens   chan string
}

// newFakeInvoker returns an invoker whose "callback" function hands the
// task token it receives in payload.token to the tokens channel.
func newFakeInvoker() *fakeInvoker {
	f := &fakeInvoker{handlers: map[string]handler{}, tokens: make(chan string, 16)}
	f.handle("callback", func(_ context.Context, p map[string]any) (any, error) {
		f.tokens <- p["token"].(string)
		return map[string]any{"sent": true}, nil
	})
	return f
}

func (f *fakeInvoker) handle(function string, h handler) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[function] = h
}

func (f *fakeInvoker) Invoke(ctx context.Context, function string,
	payload []byte) ([]byte, error) {
	var p map[string]any
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("fake invoker: payload is not an object: %w", err)
	}
	f.mu.Lock()
	h := f.handlers[function]
	f.calls = append(f.calls, call{function, p, time.Now()})
	f.mu.Unlock()
	if h == nil {
		return nil, fmt.Errorf("fake invoker: no function %q", function)
	}
	out, err := h(ctx, p)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// callsTo returns the calls made to function.
func (f *fakeInvoker) callsTo(function string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var cs []call
	for _, c := range f.calls {
		if c.function == function {
			cs = append(cs, c)
		}
	}
	return cs
}

// token waits for the next task token the callback function received.
func (f *fakeInvoker) token(t *testing.T) string {
	t.Helper()
	select {
	case tok := <-f.tokens:
		return tok
	case <-time.After(5 * time.Second):
		t.Fatal("no task token arrived")
		return ""
	}
}

// harness is an engine served over HTTP with an sfn client pointed at it.
type harness struct {
	engine *Engine
	fake   *fakeInvoker
	client *sfn.Client
	url    string
	logs   *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newHarness starts an engine with one ASL second of length second.
func newHarness(t *testing.T, second time.Duration) *harness {
	t.Helper()
	h := &harness{fake: newFakeInvoker(), logs: &syncBuffer{}}
	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{
		Level: slog.LevelDebug}))
	h.engine = New(h.fake, Options{Logger: logger, Second: second})
	srv := httptest.NewServer(h.engine)
	h.url = srv.URL
	t.Cleanup(func() {
		srv.Close()
		h.engine.Close()
	})
	h.client = sfn.New(sfn.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKID", "SECRET", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
	})
	return h
}

// register registers a definition under name and returns its ARN.
func (h *harness) register(t *testing.T, name, definition string) string {
	t.Helper()
	if err := h.engine.Register(name, []byte(definition), nil); err != nil {
		t.Fatalf("Register(%s): %v", name, err)
	}
	return h.engine.StateMachineArn(name)
}

// registerFile registers testdata/<file> under name.
func (h *harness) registerFile(t *testing.T, name, file string,
	subs map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.engine.Register(name, b, subs); err != nil {
		t.Fatalf("Register(%s): %v", name, err)
	}
	return h.engine.StateMachineArn(name)
}

// start starts an execution and returns its ARN.
func (h *harness) start(t *testing.T, machineArn, input string) string {
	t.Helper()
	out, err := h.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(machineArn),
		Input:           aws.String(input),
	})
	if err != nil {
		t.Fatalf("StartExecution: %v", err)
	}
	return aws.ToString(out.ExecutionArn)
}

// describe describes an execution.
func (h *harness) describe(t *testing.T, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	out, err := h.client.DescribeExecution(context.Background(),
		&sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeExecution: %v", err)
	}
	return out
}

// wait polls an execution until it is no longer running.
func (h *harness) wait(t *testing.T, arn string) *sfn.DescribeExecutionOutput {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := h.describe(t, arn)
		if out.Status != types.ExecutionStatusRunning {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("execution %s still running", arn)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run starts an execution and waits for its end.
func (h *harness) run(t *testing.T, machineArn,
	input string) *sfn.DescribeExecutionOutput {
	t.Helper()
	return h.wait(t, h.start(t, machineArn, input))
}

// outcome is what a test compares of a finished execution.
type outcome struct {
	status string
	output string
	err    string
	cause  string
}

// outcomeOf reads the outcome of a finished execution, with its output in
// compact form.
func outcomeOf(t *testing.T, d *sfn.DescribeExecutionOutput) outcome {
	t.Helper()
	o := outcome{status: string(d.Status), err: aws.ToString(d.Error),
		cause: aws.ToString(d.Cause)}
	if d.Output != nil {
		o.output = compact(t, *d.Output)
	}
	return o
}

// compact re-encodes JSON with sorted keys and no spaces.
func compact(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// apiErrorCode returns the API error code of err, or "" for nil.
func apiErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return err.Error()
}
