package states

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// callbackSubs are the substitutions of testdata/callback.asl.json.
var callbackSubs = map[string]string{
	"VerifyFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:callback",
	"FulfilFunctionArn": "arn:aws:lambda:us-east-1:000000000000:function:fulfil:$LATEST",
}

func TestCallbackMachine(t *testing.T) {
	tests := []struct {
		name string
		// answer answers the task token, or leaves it to time out.
		answer func(ctx context.Context, c *sfn.Client, token string) error
		want   outcome
		fulfil int
	}{
		{
			name: "confirmed in time",
			answer: func(ctx context.Context, c *sfn.Client, token string) error {
				_, err := c.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
					TaskToken: aws.String(token), Output: aws.String(`{"confirmed":true}`)})
				return err
			},
			want: outcome{status: "SUCCEEDED",
				output: `{"fulfilled":"r-1","sawVerification":true}`},
			fulfil: 1,
		},
		{
			name: "refused",
			answer: func(ctx context.Context, c *sfn.Client, token string) error {
				_, err := c.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{
					TaskToken: aws.String(token), Error: aws.String("Denied"),
					Cause: aws.String("the person refused")})
				return err
			},
			want: outcome{status: "FAILED", err: "RequestRefused",
				cause: "the person refused"},
		},
		{
			name: "times out into the catch",
			want: outcome{status: "SUCCEEDED",
				output: `{"error":{"Cause":"The task ran longer than its TimeoutSeconds",` +
					`"Error":"States.Timeout"},"outcome":"expired","requestId":"r-1"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testSecond)
			h.fake.handle("fulfil", func(_ context.Context, p map[string]any) (any, error) {
				v, _ := p["verification"].(map[string]any)
				return map[string]any{"fulfilled": p["requestId"],
					"sawVerification": v["confirmed"]}, nil
			})
			arn := h.registerFile(t, "dsar", "callback.asl.json", callbackSubs)
			exec := h.start(t, arn, `{"requestId":"r-1"}`)
			token := h.fake.token(t)
			if tt.answer != nil {
				if err := tt.answer(context.Background(), h.client, token); err != nil {
					t.Fatalf("answering the token: %v", err)
				}
			}
			if got := outcomeOf(t, h.wait(t, exec)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
			if got := len(h.fake.callsTo("fulfil")); got != tt.fulfil {
				t.Errorf("fulfil calls = %d, want %d", got, tt.fulfil)
			}
			calls := h.fake.callsTo("callback")
			if len(calls) != 1 || calls[0].payload["requestId"] != "r-1" {
				t.Errorf("callback calls = %+v, want one with requestId r-1", calls)
			}
		})
	}
}

func TestCallbackBeforeTheFunctionReturns(t *testing.T) {
	tests := []struct {
		name   string
		result error
		want   outcome
	}{
		{"the function then succeeds", nil,
			outcome{status: "SUCCEEDED", output: `{"early":true}`}},
		{"the function then fails", errors.New("late failure"),
			outcome{status: "SUCCEEDED", output: `{"early":true}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testSecond)
			h.fake.handle("self", func(ctx context.Context, p map[string]any) (any, error) {
				_, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
					TaskToken: aws.String(p["token"].(string)),
					Output:    aws.String(`{"early":true}`)})
				if err != nil {
					return nil, err
				}
				return nil, tt.result
			})
			arn := h.register(t, "self", `{"StartAt":"A","States":{"A":{"Type":"Task",
				"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
				"Parameters":{"FunctionName":"self","Payload":{"token.$":"$$.Task.Token"}},
				"End":true}}}`)
			if got := outcomeOf(t, h.run(t, arn, `{}`)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// quotaError is an error type of a fake function.
type quotaError struct{ msg string }

func (q *quotaError) Error() string { return q.msg }

func TestRetryBackoff(t *testing.T) {
	const second = 60 * time.Millisecond
	tests := []struct {
		name     string
		retry    string
		failures int
		// wantGaps are the expected waits between attempts, in ASL seconds.
		wantGaps []float64
		want     outcome
	}{
		{
			name:     "succeeds on the third attempt",
			retry:    `{"ErrorEquals":["quotaError"],"IntervalSeconds":1,"BackoffRate":2}`,
			failures: 2,
			wantGaps: []float64{1, 2},
			want:     outcome{status: "SUCCEEDED", output: `{"ok":true}`},
		},
		{
			name:     "defaults give up after three retries",
			retry:    `{"ErrorEquals":["States.TaskFailed"]}`,
			failures: 10,
			wantGaps: []float64{1, 2, 4},
			want: outcome{status: "FAILED", err: "quotaError",
				cause: `{"errorMessage":"over quota","errorType":"quotaError"}`},
		},
		{
			name: "MaxDelaySeconds caps the interval",
			retry: `{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"BackoffRate":3,` +
				`"MaxAttempts":3,"MaxDelaySeconds":2}`,
			failures: 3,
			wantGaps: []float64{1, 2, 2},
			want:     outcome{status: "SUCCEEDED", output: `{"ok":true}`},
		},
		{
			name:     "MaxAttempts zero never retries",
			retry:    `{"ErrorEquals":["States.ALL"],"MaxAttempts":0}`,
			failures: 1,
			want: outcome{status: "FAILED", err: "quotaError",
				cause: `{"errorMessage":"over quota","errorType":"quotaError"}`},
		},
		{
			name:     "other errors are not retried",
			retry:    `{"ErrorEquals":["SomethingElse"]}`,
			failures: 1,
			want: outcome{status: "FAILED", err: "quotaError",
				cause: `{"errorMessage":"over quota","errorType":"quotaError"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, second)
			failures := tt.failures
			h.fake.handle("flaky", func(context.Context, map[string]any) (any, error) {
				if failures > 0 {
					failures--
					return nil, &quotaError{"over quota"}
				}
				return map[string]any{"ok": true}, nil
			})
			arn := h.register(t, "retry", `{"StartAt":"Call","States":{"Call":{
				"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:flaky",
				"Retry":[`+tt.retry+`],"End":true}}}`)
			if got := outcomeOf(t, h.run(t, arn, `{}`)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
			calls := h.fake.callsTo("flaky")
			if got, want := len(calls), len(tt.wantGaps)+1; got != want {
				t.Fatalf("attempts = %d, want %d", got, want)
			}
			for i, want := range tt.wantGaps {
				gap := calls[i+1].at.Sub(calls[i].at)
				lo := time.Duration(want * float64(second))
				hi := lo + second/2
				if gap < lo || gap > hi {
					t.Errorf("wait before retry %d = %v, want %v to %v", i+1, gap, lo, hi)
				}
			}
		})
	}
}

func TestLambdaTasks(t *testing.T) {
	const lambdaArn = "arn:aws:lambda:us-east-1:000000000000:function:"
	tests := []struct {
		name  string
		state string
		fn    handler
		want  outcome
	}{
		{
			name:  "a Lambda ARN resource returns the function output",
			state: `"Resource":"` + lambdaArn + `fn","End":true`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				return map[string]any{"echo": p["n"]}, nil
			},
			want: outcome{status: "SUCCEEDED", output: `{"echo":7}`},
		},
		{
			name: "lambda:invoke wraps the output in Payload",
			state: `"Resource":"arn:aws:states:::lambda:invoke","Parameters":{
				"FunctionName":"` + lambdaArn + `fn:live","Payload":{"m.$":"$.n"}},"End":true`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				return map[string]any{"echo": p["m"]}, nil
			},
			want: outcome{status: "SUCCEEDED",
				output: `{"ExecutedVersion":"$LATEST","Payload":{"echo":7},"StatusCode":200}`},
		},
		{
			name: "lambda:invoke takes a dynamic function name",
			state: `"Resource":"arn:aws:states:::lambda:invoke","Parameters":{
				"FunctionName.$":"$.fn","Payload.$":"$"},
				"ResultSelector":{"echo.$":"$.Payload.echo"},"End":true`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				return map[string]any{"echo": p["n"]}, nil
			},
			want: outcome{status: "SUCCEEDED", output: `{"echo":7}`},
		},
		{
			name:  "an errors.New error is named errorString",
			state: `"Resource":"` + lambdaArn + `fn","End":true`,
			fn: func(context.Context, map[string]any) (any, error) {
				return nil, errors.New(`bad "input"`)
			},
			want: outcome{status: "FAILED", err: "errorString",
				cause: `{"errorMessage":"bad \"input\"","errorType":"errorString"}`},
		},
		{
			name:  "an InvokeResponse_Error keeps its type and message",
			state: `"Resource":"` + lambdaArn + `fn","End":true`,
			fn: func(context.Context, map[string]any) (any, error) {
				return nil, fmt.Errorf("invoking: %w", &messages.InvokeResponse_Error{
					Type: "Runtime.ExitError", Message: "exited"})
			},
			want: outcome{status: "FAILED", err: "Runtime.ExitError", cause: "exited"},
		},
		{
			name:  "a panic fails the task, not the engine",
			state: `"Resource":"` + lambdaArn + `fn","End":true`,
			fn: func(context.Context, map[string]any) (any, error) {
				panic("boom")
			},
			want: outcome{status: "FAILED", err: "string",
				cause: `{"errorMessage":"boom","errorType":"string"}`},
		},
		{
			name: "States.TaskFailed catches a function error",
			state: `"Resource":"` + lambdaArn + `fn","Catch":[{
				"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true`,
			fn: func(context.Context, map[string]any) (any, error) {
				return nil, &quotaError{"over quota"}
			},
			want: outcome{status: "SUCCEEDED", output: `{"Cause":` +
				`"{\"errorMessage\":\"over quota\",\"errorType\":\"quotaError\"}",` +
				`"Error":"quotaError"}`},
		},
		{
			name: "States.TaskFailed does not catch a timeout",
			state: `"Resource":"` + lambdaArn + `fn","TimeoutSeconds":1,"Catch":[{
				"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true`,
			fn: func(ctx context.Context, _ map[string]any) (any, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			},
			want: outcome{status: "FAILED", err: "States.Timeout",
				cause: "The task ran longer than its TimeoutSeconds"},
		},
		{
			name: "TimeoutSecondsPath reads the timeout from the input",
			state: `"Resource":"` + lambdaArn + `fn","TimeoutSecondsPath":"$.n",
				"Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Caught",
				"ResultPath":null}],"End":true`,
			fn: func(ctx context.Context, _ map[string]any) (any, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			},
			want: outcome{status: "SUCCEEDED", output: `{"fn":"fn","n":7}`},
		},
		{
			name: "a plain task times out after HeartbeatSeconds",
			state: `"Resource":"` + lambdaArn + `fn","HeartbeatSecondsPath":"$.n",
				"Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Caught"}],
				"End":true`,
			fn: func(ctx context.Context, _ map[string]any) (any, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			},
			want: outcome{status: "SUCCEEDED", output: `{"Cause":` +
				`"The task sent no heartbeat for HeartbeatSeconds","Error":"States.Timeout"}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			h.fake.handle("fn", tt.fn)
			state := tt.state
			if !strings.Contains(state, `"Catch"`) {
				// Keep Caught reachable, as Register requires.
				state += `,"Catch":[{"ErrorEquals":["NeverRaised"],"Next":"Caught"}]`
			}
			arn := h.register(t, "lambda", `{"StartAt":"Call","States":{
				"Call":{"Type":"Task",`+state+`},
				"Caught":{"Type":"Succeed"}}}`)
			if got := outcomeOf(t, h.run(t, arn, `{"n":7,"fn":"fn"}`)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestHeartbeat(t *testing.T) {
	const definition = `{"StartAt":"Wait for person","States":{
		"Wait for person":{"Type":"Task",
			"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
			"Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
			"HeartbeatSeconds":3,"TimeoutSeconds":100,
			"Catch":[%s],"End":true},
		"Lost":{"Type":"Pass","Result":"lost","End":true}}}`
	tests := []struct {
		name    string
		catch   string
		beats   int
		success bool
		want    outcome
	}{
		{
			name:  "no heartbeat is caught as States.HeartbeatTimeout",
			catch: `{"ErrorEquals":["States.HeartbeatTimeout"],"Next":"Lost"}`,
			want:  outcome{status: "SUCCEEDED", output: `"lost"`},
		},
		{
			name:  "no heartbeat is also States.Timeout",
			catch: `{"ErrorEquals":["States.Timeout"],"Next":"Lost"}`,
			want:  outcome{status: "SUCCEEDED", output: `"lost"`},
		},
		{
			name:  "an uncaught heartbeat timeout fails with States.Timeout",
			catch: `{"ErrorEquals":["States.TaskFailed"],"Next":"Lost"}`,
			want: outcome{status: "FAILED", err: "States.Timeout",
				cause: "The task sent no heartbeat for HeartbeatSeconds"},
		},
		{
			name:    "heartbeats keep the task alive past HeartbeatSeconds",
			catch:   `{"ErrorEquals":["States.ALL"],"Next":"Lost"}`,
			beats:   8,
			success: true,
			want:    outcome{status: "SUCCEEDED", output: `{"done":1}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			arn := h.register(t, "heartbeat", fmt.Sprintf(definition, tt.catch))
			exec := h.start(t, arn, `{}`)
			token := h.fake.token(t)
			ctx := context.Background()
			for range tt.beats {
				time.Sleep(testSecond)
				if _, err := h.client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{
					TaskToken: aws.String(token)}); err != nil {
					t.Fatalf("SendTaskHeartbeat: %v", err)
				}
			}
			if tt.success {
				if _, err := h.client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{
					TaskToken: aws.String(token), Output: aws.String(`{"done":1}`)}); err != nil {
					t.Fatalf("SendTaskSuccess: %v", err)
				}
			}
			if got := outcomeOf(t, h.wait(t, exec)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPassWaitSucceedFail(t *testing.T) {
	future := time.Now().Add(time.Second).UTC().Format(time.RFC3339Nano)
	tests := []struct {
		name    string
		states  string
		input   string
		want    outcome
		minTime time.Duration
	}{
		{
			name:   "Pass passes its input on",
			states: `"A":{"Type":"Pass","End":true}`,
			input:  `{"a":1}`,
			want:   outcome{status: "SUCCEEDED", output: `{"a":1}`},
		},
		{
			name:   "Pass Result replaces the input",
			states: `"A":{"Type":"Pass","Result":{"x":[1,2]},"End":true}`,
			input:  `{"a":1}`,
			want:   outcome{status: "SUCCEEDED", output: `{"x":[1,2]}`},
		},
		{
			name: "Pass Result with ResultPath creates nested fields",
			states: `"A":{"Type":"Pass","Result":"r","ResultPath":"$.b.c['d']",` +
				`"End":true}`,
			input: `{"a":1,"b":{"k":true}}`,
			want: outcome{status: "SUCCEEDED",
				output: `{"a":1,"b":{"c":{"d":"r"},"k":true}}`},
		},
		{
			name: "Pass Parameters builds nested objects from paths",
			states: `"A":{"Type":"Pass","Parameters":{"fixed":"f","who.$":"$.p.name",` +
				`"nested":{"n.$":"$.n","list":[{"x.$":"$.n"},2]}},"Next":"B"},` +
				`"B":{"Type":"Succeed"}`,
			input: `{"p":{"name":"ann"},"n":1.50}`,
			want: outcome{status: "SUCCEEDED", output: `{"fixed":"f",` +
				`"nested":{"list":[{"x":1.5},2],"n":1.5},"who":"ann"}`},
		},
		{
			name: "ResultPath leaves the execution input unchanged",
			states: `"A":{"Type":"Pass","Result":1,"ResultPath":"$.added","Next":"B"},` +
				`"B":{"Type":"Pass","Parameters":{"orig.$":"$$.Execution.Input",` +
				`"now.$":"$"},"End":true}`,
			input: `{"a":1}`,
			want: outcome{status: "SUCCEEDED",
				output: `{"now":{"a":1,"added":1},"orig":{"a":1}}`},
		},
		{
			name:    "Wait Seconds waits",
			states:  `"A":{"Type":"Wait","Seconds":3,"End":true}`,
			input:   `{"a":1}`,
			want:    outcome{status: "SUCCEEDED", output: `{"a":1}`},
			minTime: 3 * testSecond,
		},
		{
			name:    "Wait SecondsPath reads the input",
			states:  `"A":{"Type":"Wait","SecondsPath":"$.s","End":true}`,
			input:   `{"s":4}`,
			want:    outcome{status: "SUCCEEDED", output: `{"s":4}`},
			minTime: 4 * testSecond,
		},
		{
			name:   "Wait SecondsPath that is not an integer is a runtime error",
			states: `"A":{"Type":"Wait","SecondsPath":"$.s","End":true}`,
			input:  `{"s":"4"}`,
			want: outcome{status: "FAILED", err: "States.Runtime", cause: "The " +
				"SecondsPath '$.s' of state 'A' does not match a non-negative integer"},
		},
		{
			name:   "Wait Timestamp in the past goes on at once",
			states: `"A":{"Type":"Wait","Timestamp":"2016-03-14T01:59:00Z","End":true}`,
			input:  `{}`,
			want:   outcome{status: "SUCCEEDED", output: `{}`},
		},
		{
			name:    "Wait TimestampPath waits until then",
			states:  `"A":{"Type":"Wait","TimestampPath":"$.at","End":true}`,
			input:   `{"at":"` + future + `"}`,
			want:    outcome{status: "SUCCEEDED", output: `{"at":"` + future + `"}`},
			minTime: testSecond / 2,
		},
		{
			name:   "Succeed applies InputPath and OutputPath",
			states: `"A":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}`,
			input:  `{"a":{"b":[true]}}`,
			want:   outcome{status: "SUCCEEDED", output: `[true]`},
		},
		{
			name:   "Fail ends with its Error and Cause",
			states: `"A":{"Type":"Fail","Error":"Refused","Cause":"no consent"}`,
			input:  `{}`,
			want: outcome{status: "FAILED", err: "Refused",
				cause: "no consent"},
		},
		{
			name:   "Fail reads ErrorPath and CausePath",
			states: `"A":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$$.State.Name"}`,
			input:  `{"e":"Dynamic"}`,
			want:   outcome{status: "FAILED", err: "Dynamic", cause: "A"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			arn := h.register(t, "basic", `{"StartAt":"A","States":{`+tt.states+`}}`)
			began := time.Now()
			d := h.run(t, arn, tt.input)
			if got := outcomeOf(t, d); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
			if took := d.StopDate.Sub(began); took < tt.minTime-2*time.Millisecond {
				t.Errorf("took %v, want at least %v", took, tt.minTime)
			}
		})
	}
}

func TestPathsAndContext(t *testing.T) {
	tests := []struct {
		name  string
		task  string
		input string
		fn    handler
		want  outcome
	}{
		{
			name: "InputPath, Parameters, ResultSelector, ResultPath and OutputPath",
			task: `"InputPath":"$.req","Parameters":{"id.$":"$.id","kind":"access"},` +
				`"ResultSelector":{"n.$":"$.count"},"ResultPath":"$.res.sel",` +
				`"OutputPath":"$.res"`,
			input: `{"req":{"id":"r1"},"other":1}`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				if p["id"] != "r1" || p["kind"] != "access" || len(p) != 2 {
					return nil, fmt.Errorf("unexpected payload %v", p)
				}
				return map[string]any{"count": 3, "ignored": true}, nil
			},
			want: outcome{status: "SUCCEEDED", output: `{"sel":{"n":3}}`},
		},
		{
			name:  "ResultPath null keeps the input",
			task:  `"ResultPath":null`,
			input: `{"a":1}`,
			fn: func(context.Context, map[string]any) (any, error) {
				return map[string]any{"b": 2}, nil
			},
			want: outcome{status: "SUCCEEDED", output: `{"a":1}`},
		},
		{
			name:  "InputPath null gives an empty object",
			task:  `"InputPath":null,"ResultPath":"$.seen"`,
			input: `{"a":1}`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				return len(p), nil
			},
			want: outcome{status: "SUCCEEDED", output: `{"a":1,"seen":0}`},
		},
		{
			name: "the context object",
			task: `"Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name",` +
				`"input.$":"$$.Execution.Input","start.$":"$$.Execution.StartTime",` +
				`"state.$":"$$.State.Name","entered.$":"$$.State.EnteredTime",` +
				`"machine.$":"$$.StateMachine.Id","retry.$":"$$.State.RetryCount"}`,
			input: `{"a":1}`,
			fn: func(_ context.Context, p map[string]any) (any, error) {
				for _, k := range []string{"start", "entered"} {
					if _, err := time.Parse(time.RFC3339, p[k].(string)); err != nil {
						return nil, fmt.Errorf("%s: %w", k, err)
					}
					delete(p, k)
				}
				return p, nil
			},
			want: outcome{status: "SUCCEEDED", output: `{` +
				`"id":"arn:aws:states:us-east-1:000000000000:execution:paths:run-1",` +
				`"input":{"a":1},` +
				`"machine":"arn:aws:states:us-east-1:000000000000:stateMachine:paths",` +
				`"name":"run-1","retry":0,"state":"Call"}`},
		},
		{
			name:  "a missing InputPath is a States.Runtime error that Catch ignores",
			task:  `"InputPath":"$.missing"`,
			input: `{"a":1}`,
			want: outcome{status: "FAILED", err: "States.Runtime",
				cause: "Invalid path '$.missing' in InputPath: the path does not match " +
					"any node of the input"},
		},
		{
			name:  "a missing Parameters path is a States.Runtime error",
			task:  `"Parameters":{"x.$":"$.a.b[3]"}`,
			input: `{"a":{"b":[1]}}`,
			want: outcome{status: "FAILED", err: "States.Runtime",
				cause: "The JSONPath '$.a.b[3]' specified for the field 'x.$' could not " +
					"be found in the input"},
		},
		{
			name:  "a ResultPath into a non-object is a States.Runtime error",
			task:  `"ResultPath":"$.a.b"`,
			input: `{"a":"text"}`,
			fn: func(context.Context, map[string]any) (any, error) {
				return 1, nil
			},
			want: outcome{status: "FAILED", err: "States.Runtime",
				cause: "Unable to apply ResultPath '$.a.b': field 'a' is not a JSON object"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, testSecond)
			h.fake.handle("fn", tt.fn)
			arn := h.register(t, "paths", `{"StartAt":"Call","States":{
				"Call":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:0:function:fn",
				`+tt.task+`,"Retry":[{"ErrorEquals":["States.ALL"]}],
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
				"Caught":{"Type":"Succeed"}}}`)
			out, err := h.client.StartExecution(context.Background(),
				&sfn.StartExecutionInput{StateMachineArn: aws.String(arn),
					Name: aws.String("run-1"), Input: aws.String(tt.input)})
			if err != nil {
				t.Fatal(err)
			}
			if got := outcomeOf(t, h.wait(t, *out.ExecutionArn)); got != tt.want {
				t.Errorf("outcome = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMachineTimeout(t *testing.T) {
	h := newHarness(t, testSecond)
	arn := h.register(t, "slow", `{"StartAt":"Wait","TimeoutSeconds":2,"States":{
		"Wait":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
		"Parameters":{"FunctionName":"callback","Payload":{"token.$":"$$.Task.Token"}},
		"End":true}}}`)
	d := h.run(t, arn, `{}`)
	got := outcomeOf(t, d)
	want := outcome{status: "TIMED_OUT", err: "States.Timeout",
		cause: "The execution ran longer than the state machine's TimeoutSeconds"}
	if got != want {
		t.Errorf("outcome = %+v, want %+v", got, want)
	}
	_, err := h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(h.fake.token(t)), Output: aws.String(`{}`)})
	if got := apiErrorCode(err); got != "TaskTimedOut" {
		t.Errorf("SendTaskSuccess after the execution timed out: %q, want TaskTimedOut", got)
	}
}

func TestLogsCarryNoDataOrTokens(t *testing.T) {
	h := newHarness(t, testSecond)
	h.fake.handle("fulfil", func(context.Context, map[string]any) (any, error) {
		return map[string]any{"email": "result-secret@example.com"}, nil
	})
	arn := h.registerFile(t, "dsar", "callback.asl.json", callbackSubs)
	exec := h.start(t, arn, `{"requestId":"input-secret@example.com"}`)
	token := h.fake.token(t)
	if _, err := h.client.SendTaskSuccess(context.Background(), &sfn.SendTaskSuccessInput{
		TaskToken: aws.String(token),
		Output:    aws.String(`{"name":"output-secret"}`)}); err != nil {
		t.Fatal(err)
	}
	h.wait(t, exec)
	logs := h.logs.String()
	for _, secret := range []string{"input-secret", "output-secret", "result-secret",
		token} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`"state":"Verify"`, `"next":"Fulfil"`,
		`"status":"SUCCEEDED"`, `"execution":"` + exec + `"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestDecodeKeepsNumbers(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"big integer", `{"n":12345678901234567890}`, `{"n":12345678901234567890}`},
		{"decimal", `[1.10,2e3]`, `[1.10,2e3]`},
		{"html characters", `"<a&b>"`, `"<a&b>"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := decodeJSON([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			b, err := encodeJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(b); got != tt.want {
				t.Errorf("round trip = %s, want %s", got, tt.want)
			}
		})
	}
	if _, err := decodeJSON([]byte(`{} {}`)); err == nil {
		t.Error("decodeJSON accepted two values")
	}
}
