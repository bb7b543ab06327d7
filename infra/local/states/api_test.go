package states

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// waitingMachine waits for a task token for 5 ASL seconds, catching nothing.
const waitingMachine = `{"StartAt":"Wait","States":{"Wait":{"Type":"Task",
	"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
	"Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
	"TimeoutSeconds":5,"End":true}}}`

// unknownToken returns a well-formed task token that no task has.
func unknownToken(t *testing.T) string {
	t.Helper()
	b := make([]byte, tokenSize)
	copy(b, tokenPrefix)
	if _, err := rand.Read(b[len(tokenPrefix):]); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func TestTaskTokenAPI(t *testing.T) {
	ctx := context.Background()
	success := func(c *sfn.Client, token, output string) error {
		_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
			TaskToken: aws.String(token), Output: aws.String(output)})
		return err
	}
	failure := func(c *sfn.Client, token string) error {
		_, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{
			TaskToken: aws.String(token), Error: aws.String("E")})
		return err
	}
	heartbeat := func(c *sfn.Client, token string) error {
		_, err := c.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{
			TaskToken: aws.String(token)})
		return err
	}
	tests := []struct {
		name string
		// do runs calls on a fresh execution waiting with token, and returns
		// the error of the last one.
		do   func(t *testing.T, h *harness, token string) error
		want string
	}{
		{"SendTaskSuccess on a waiting task", func(_ *testing.T, h *harness, tok string) error {
			return success(h.client, tok, `{"ok":1}`)
		}, ""},
		{"SendTaskFailure on a waiting task", func(_ *testing.T, h *harness, tok string) error {
			return failure(h.client, tok)
		}, ""},
		{"SendTaskHeartbeat on a waiting task", func(_ *testing.T, h *harness,
			tok string) error {
			return heartbeat(h.client, tok)
		}, ""},
		{"malformed token", func(_ *testing.T, h *harness, _ string) error {
			return success(h.client, "not-a-token", `{}`)
		}, "InvalidToken"},
		{"malformed token on heartbeat", func(_ *testing.T, h *harness, _ string) error {
			return heartbeat(h.client, "AAAA")
		}, "InvalidToken"},
		{"unknown token", func(t *testing.T, h *harness, _ string) error {
			return failure(h.client, unknownToken(t))
		}, "TaskDoesNotExist"},
		{"token of a finished task", func(_ *testing.T, h *harness, tok string) error {
			if err := success(h.client, tok, `{}`); err != nil {
				return err
			}
			return success(h.client, tok, `{}`)
		}, "TaskDoesNotExist"},
		{"heartbeat of a failed task", func(_ *testing.T, h *harness, tok string) error {
			if err := failure(h.client, tok); err != nil {
				return err
			}
			return heartbeat(h.client, tok)
		}, "TaskDoesNotExist"},
		{"token of a timed-out task", func(t *testing.T, h *harness, tok string) error {
			time.Sleep(8 * testSecond)
			return success(h.client, tok, `{}`)
		}, "TaskTimedOut"},
		{"heartbeat of a timed-out task", func(t *testing.T, h *harness, tok string) error {
			time.Sleep(8 * testSecond)
			return heartbeat(h.client, tok)
		}, "TaskTimedOut"},
		{"output that is not JSON", func(_ *testing.T, h *harness, tok string) error {
			return success(h.client, tok, `{"a":`)
		}, "InvalidOutput"},
		{"token of a stopped execution", func(_ *testing.T, h *harness, tok string) error {
			list, err := h.client.ListExecutions(ctx, &sfn.ListExecutionsInput{
				StateMachineArn: aws.String(h.engine.StateMachineArn("waiting"))})
			if err != nil {
				return err
			}
			if _, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{
				ExecutionArn: list.Executions[0].ExecutionArn}); err != nil {
				return err
			}
			return success(h.client, tok, `{}`)
		}, "TaskDoesNotExist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			arn := h.register(t, "waiting", waitingMachine)
			h.start(t, arn, `{}`)
			err := tt.do(t, h, h.fake.token(t))
			if got := apiErrorCode(err); got != tt.want {
				t.Errorf("error = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestExecutionAPI(t *testing.T) {
	ctx := context.Background()
	const machineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:waiting"
	start := func(c *sfn.Client, arn, name, input string) error {
		in := &sfn.StartExecutionInput{StateMachineArn: aws.String(arn),
			Input: aws.String(input)}
		if name != "" {
			in.Name = aws.String(name)
		}
		_, err := c.StartExecution(ctx, in)
		return err
	}
	describe := func(c *sfn.Client, arn string) error {
		_, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{
			ExecutionArn: aws.String(arn)})
		return err
	}
	tests := []struct {
		name string
		do   func(c *sfn.Client) error
		want string
	}{
		{"same name and input while running", func(c *sfn.Client) error {
			return start(c, machineArn, "run-1", `{"a":1}`)
		}, ""},
		{"same name with another input", func(c *sfn.Client) error {
			return start(c, machineArn, "run-1", `{"a":2}`)
		}, "ExecutionAlreadyExists"},
		{"generated name", func(c *sfn.Client) error {
			return start(c, machineArn, "", `{}`)
		}, ""},
		{"invalid name", func(c *sfn.Client) error {
			return start(c, machineArn, "has space", `{}`)
		}, "InvalidName"},
		{"name too long", func(c *sfn.Client) error {
			return start(c, machineArn, strings.Repeat("n", 81), `{}`)
		}, "InvalidName"},
		{"input that is not JSON", func(c *sfn.Client) error {
			return start(c, machineArn, "bad", `{"a"`)
		}, "InvalidExecutionInput"},
		{"unknown state machine", func(c *sfn.Client) error {
			return start(c, "arn:aws:states:us-east-1:000000000000:stateMachine:nope",
				"x", `{}`)
		}, "StateMachineDoesNotExist"},
		{"state machine of another account", func(c *sfn.Client) error {
			return start(c, "arn:aws:states:us-east-1:111111111111:stateMachine:waiting",
				"x", `{}`)
		}, "StateMachineDoesNotExist"},
		{"malformed state machine ARN", func(c *sfn.Client) error {
			return start(c, "arn:aws:states:us-east-1:000000000000:waiting", "x", `{}`)
		}, "InvalidArn"},
		{"unknown execution", func(c *sfn.Client) error {
			return describe(c, "arn:aws:states:us-east-1:000000000000:execution:waiting:no")
		}, "ExecutionDoesNotExist"},
		{"malformed execution ARN", func(c *sfn.Client) error {
			return describe(c, "arn:aws:states:us-east-1:000000000000:execution:waiting")
		}, "InvalidArn"},
		{"stop an unknown execution", func(c *sfn.Client) error {
			_, err := c.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(
				"arn:aws:states:us-east-1:000000000000:execution:waiting:no")})
			return err
		}, "ExecutionDoesNotExist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			h.register(t, "waiting", waitingMachine)
			if err := start(h.client, machineArn, "run-1", `{"a":1}`); err != nil {
				t.Fatal(err)
			}
			if got := apiErrorCode(tt.do(h.client)); got != tt.want {
				t.Errorf("error = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStartExecutionIdempotence(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, testSecond)
	arn := h.register(t, "waiting", waitingMachine)
	in := &sfn.StartExecutionInput{StateMachineArn: aws.String(arn),
		Name: aws.String("once"), Input: aws.String(`{"a":1}`)}
	first, err := h.client.StartExecution(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := h.client.StartExecution(ctx, in)
	if err != nil {
		t.Fatalf("starting again while running: %v", err)
	}
	if *again.ExecutionArn != *first.ExecutionArn ||
		!again.StartDate.Equal(*first.StartDate) {
		t.Errorf("second start = %s at %v, want %s at %v", *again.ExecutionArn,
			again.StartDate, *first.ExecutionArn, first.StartDate)
	}
	if got := len(h.fake.callsTo("callback")); got != 1 {
		t.Errorf("callback calls = %d, want 1", got)
	}

	// Once the execution has ended, the name is taken for good.
	if _, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(h.fake.token(t)), Output: aws.String(`{}`)}); err != nil {
		t.Fatal(err)
	}
	h.wait(t, *first.ExecutionArn)
	_, err = h.client.StartExecution(ctx, in)
	if got := apiErrorCode(err); got != "ExecutionAlreadyExists" {
		t.Errorf("starting a finished execution again: %q, want ExecutionAlreadyExists", got)
	}
}

func TestDescribeExecution(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, testSecond)
	arn := h.register(t, "waiting", waitingMachine)
	before := time.Now().Add(-time.Second)
	exec := h.start(t, arn, `{"who":"x"}`)
	running := h.describe(t, exec)
	token := h.fake.token(t)
	if _, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(token), Output: aws.String(`{"done":true}`)}); err != nil {
		t.Fatal(err)
	}
	done := h.wait(t, exec)

	tests := []struct {
		name      string
		got, want any
	}{
		{"running status", running.Status, types.ExecutionStatusRunning},
		{"running has no stop date", running.StopDate == nil, true},
		{"name", aws.ToString(done.Name), exec[strings.LastIndex(exec, ":")+1:]},
		{"state machine ARN", aws.ToString(done.StateMachineArn), arn},
		{"input", aws.ToString(done.Input), `{"who":"x"}`},
		{"output", aws.ToString(done.Output), `{"done":true}`},
		{"status", done.Status, types.ExecutionStatusSucceeded},
		{"start date is recent", done.StartDate.After(before), true},
		{"stop date after start", !done.StopDate.Before(*done.StartDate), true},
		{"start date unchanged", done.StartDate.Equal(*running.StartDate), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestStopExecution(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, testSecond)
	h.fake.handle("after", func(context.Context, map[string]any) (any, error) {
		return 1, nil
	})
	arn := h.register(t, "pausing", `{"StartAt":"Pause","States":{
		"Pause":{"Type":"Wait","Seconds":2,"Next":"After"},
		"After":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:0:function:after",
		"End":true}}}`)
	exec := h.start(t, arn, `{}`)
	if _, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{
		ExecutionArn: aws.String(exec), Error: aws.String("Cancelled"),
		Cause: aws.String("the person cancelled")}); err != nil {
		t.Fatal(err)
	}
	got := outcomeOf(t, h.describe(t, exec))
	want := outcome{status: "ABORTED", err: "Cancelled", cause: "the person cancelled"}
	if got != want {
		t.Errorf("outcome = %+v, want %+v", got, want)
	}
	// Stopping again leaves the outcome as it is.
	if _, err := h.client.StopExecution(ctx, &sfn.StopExecutionInput{
		ExecutionArn: aws.String(exec), Error: aws.String("Other")}); err != nil {
		t.Fatal(err)
	}
	if got := outcomeOf(t, h.describe(t, exec)); got != want {
		t.Errorf("outcome after a second stop = %+v, want %+v", got, want)
	}
	// The stopped execution goes no further.
	time.Sleep(4 * testSecond)
	if got := len(h.fake.callsTo("after")); got != 0 {
		t.Errorf("calls after the stop = %d, want 0", got)
	}
}

func TestListExecutions(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, testSecond)
	arn := h.register(t, "quick", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	var arns []string
	for range 3 {
		arns = append(arns, h.start(t, arn, `{}`))
		h.wait(t, arns[len(arns)-1])
	}
	tests := []struct {
		name   string
		in     sfn.ListExecutionsInput
		want   []string
		paging bool
	}{
		{"newest first", sfn.ListExecutionsInput{}, []string{arns[2], arns[1], arns[0]},
			false},
		{"first page", sfn.ListExecutionsInput{MaxResults: 2},
			[]string{arns[2], arns[1]}, true},
		{"by status", sfn.ListExecutionsInput{StatusFilter: types.ExecutionStatusFailed},
			nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.StateMachineArn = aws.String(arn)
			out, err := h.client.ListExecutions(ctx, &in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, x := range out.Executions {
				got = append(got, aws.ToString(x.ExecutionArn))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("executions = %v, want %v", got, tt.want)
			}
			if (out.NextToken != nil) != tt.paging {
				t.Errorf("next token = %v, want one: %v", out.NextToken, tt.paging)
			}
		})
	}
}

func TestUnknownOperation(t *testing.T) {
	h := newHarness(t, testSecond)
	tests := []struct {
		name, method, target string
	}{
		{"operation the engine lacks", http.MethodPost, "AWSStepFunctions.CreateStateMachine"},
		{"no target", http.MethodPost, ""},
		{"other service", http.MethodPost, "DynamoDB_20120810.GetItem"},
		{"GET", http.MethodGet, "AWSStepFunctions.DescribeExecution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, h.url+"/", strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Amz-Target", tt.target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var body struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(b, &body); err != nil {
				t.Fatalf("body %q: %v", b, err)
			}
			if resp.StatusCode != http.StatusBadRequest ||
				body.Type != "UnknownOperationException" {
				t.Errorf("got %d %s, want 400 UnknownOperationException", resp.StatusCode, b)
			}
		})
	}
}

func TestClose(t *testing.T) {
	h := newHarness(t, testSecond)
	blocked := make(chan struct{})
	h.fake.handle("slow", func(ctx context.Context, _ map[string]any) (any, error) {
		close(blocked)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	arn := h.register(t, "slow", `{"StartAt":"A","States":{"A":{"Type":"Task",
		"Resource":"arn:aws:lambda:us-east-1:0:function:slow","End":true}}}`)
	exec := h.start(t, arn, `{}`)
	<-blocked

	closed := make(chan struct{})
	go func() {
		h.engine.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	if got := h.describe(t, exec).Status; got != types.ExecutionStatusAborted {
		t.Errorf("status after Close = %s, want ABORTED", got)
	}
	_, err := h.client.StartExecution(context.Background(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String(arn)})
	if got := apiErrorCode(err); got != "ServiceUnavailable" {
		t.Errorf("StartExecution after Close: %q, want ServiceUnavailable", got)
	}
}
