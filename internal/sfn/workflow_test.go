package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/immagnify/immagnify/internal/privacy"
)

// fakeSFN answers the AWS JSON 1.0 protocol of Step Functions: it records
// each call and answers with the error code it is told, or success.
type fakeSFN struct {
	mu      sync.Mutex
	errCode string
	calls   []call
}

// call is one request the fake received.
type call struct {
	Target string
	Body   map[string]any
}

func (f *fakeSFN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	raw, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, "not json", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{Target: r.Header.Get("X-Amz-Target"), Body: body})
	code := f.errCode
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if code != "" {
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{
			"__type":  "com.amazonaws.swf.service.v2.model#" + code,
			"message": "the task token tok-secret is no good",
		})
		return
	}
	switch {
	case strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".StartExecution"):
		_, _ = w.Write([]byte(`{"executionArn":"arn:aws:states:us-east-1:` +
			`123456789012:execution:dsar:x","startDate":1.7E9}`))
	default:
		_, _ = w.Write([]byte(`{}`))
	}
}

// answer makes the fake answer the next calls with code (none: success)
// and forgets the calls so far.
func (f *fakeSFN) answer(code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errCode, f.calls = code, nil
}

func (f *fakeSFN) received() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:dsar"

func newWorkflow(t *testing.T) (*Workflow, *fakeSFN) {
	t.Helper()
	fake := &fakeSFN{}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client := awssfn.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(srv.URL),
	}, func(o *awssfn.Options) { o.RetryMaxAttempts = 1 })
	return NewWorkflow(client, machine), fake
}

func TestStart(t *testing.T) {
	w, fake := newWorkflow(t)
	input := `{"requestId":"req_1","type":"access","verifyTimeoutSeconds":86400}`
	wantCall := call{
		Target: "AWSStepFunctions.StartExecution",
		Body: map[string]any{
			"stateMachineArn": machine, "name": "req_1", "input": input,
		},
	}

	tests := []struct {
		name    string
		answer  string
		wantErr any // nil, or a pointer to the SDK error type expected
	}{
		{name: "started"},
		{name: "exists already", answer: "ExecutionAlreadyExists"},
		{name: "too many executions", answer: "ExecutionLimitExceeded",
			wantErr: new(*types.ExecutionLimitExceeded)},
		{name: "no such state machine", answer: "StateMachineDoesNotExist",
			wantErr: new(*types.StateMachineDoesNotExist)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.answer(tt.answer)
			err := w.Start(context.Background(), "req_1", []byte(input))
			if tt.wantErr == nil && err != nil {
				t.Errorf("got error %v, want none", err)
			}
			if tt.wantErr != nil && !errors.As(err, tt.wantErr) {
				t.Errorf("got error %v, want %T", err, tt.wantErr)
			}
			if got := fake.received(); !reflect.DeepEqual(got, []call{wantCall}) {
				t.Errorf("sent %+v, want %+v", got, []call{wantCall})
			}
		})
	}
}

func TestResume(t *testing.T) {
	w, fake := newWorkflow(t)
	output := `{"verifiedAt":"2030-01-02T03:04:05Z"}`
	wantCall := call{
		Target: "AWSStepFunctions.SendTaskSuccess",
		Body:   map[string]any{"taskToken": "tok-secret", "output": output},
	}

	tests := []struct {
		name     string
		answer   string
		wantErr  bool
		wantGone bool
	}{
		{name: "resumed"},
		{name: "task does not exist", answer: "TaskDoesNotExist", wantErr: true,
			wantGone: true},
		{name: "task timed out", answer: "TaskTimedOut", wantErr: true, wantGone: true},
		{name: "invalid token", answer: "InvalidToken", wantErr: true, wantGone: true},
		{name: "invalid output", answer: "InvalidOutput", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake.answer(tt.answer)
			err := w.Resume(context.Background(), "tok-secret", []byte(output))
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			if got := errors.Is(err, privacy.ErrTaskGone); got != tt.wantGone {
				t.Errorf("errors.Is(%v, ErrTaskGone) = %v, want %v", err, got, tt.wantGone)
			}
			if err != nil {
				var te *TaskError
				if !errors.As(err, &te) || te.Code != tt.answer {
					t.Errorf("got %v, want a *TaskError with code %s", err, tt.answer)
				}
				if strings.Contains(err.Error(), "tok-secret") {
					t.Errorf("error text %q holds the token", err.Error())
				}
			}
			if got := fake.received(); !reflect.DeepEqual(got, []call{wantCall}) {
				t.Errorf("sent %+v, want %+v", got, []call{wantCall})
			}
		})
	}

	t.Run("the SDK error stays reachable", func(t *testing.T) {
		fake.answer("TaskTimedOut")
		err := w.Resume(context.Background(), "tok-secret", []byte(output))
		var timedOut *types.TaskTimedOut
		if !errors.As(err, &timedOut) {
			t.Errorf("got %v, want a *types.TaskTimedOut inside", err)
		}
	})
}
