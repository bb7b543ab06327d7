package states

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// A task is a waitForTaskToken task known by its token. Its fields are
// guarded by Engine.mu, except events, a channel that receives the one
// SendTaskSuccess or SendTaskFailure that settles the task.
type task struct {
	exec     *execution
	state    string
	status   string // taskWaiting, taskClosed or taskTimedOut
	lastBeat time.Time
	events   chan taskEvent
}

// The statuses of a task.
const (
	taskWaiting  = "waiting"
	taskClosed   = "closed"
	taskTimedOut = "timed-out"
)

// A taskEvent is the outcome sent for a task: an output, or an error.
type taskEvent struct {
	output any
	err    *stateError
}

// tokenPrefix starts every decoded task token, so that a malformed token
// can be told from an unknown one.
var tokenPrefix = []byte{0x01, 'l', 's', 't'}

// tokenSize is the length of a decoded task token.
const tokenSize = 36

// attemptTask runs one attempt of a Task state on its effective input and
// returns its result.
func (x *execution) attemptTask(ctx context.Context, st *state, in any,
	entered time.Time, retryCount int) (any, *stateError) {
	spec := st.task
	var tk *task
	token := ""
	if spec.kind == resourceLambdaCallback {
		tk, token = x.e.newTask(x, st.name)
	}
	cobj := x.contextObject(st.name, entered, retryCount, token)
	result, serr := x.callTask(ctx, st, in, cobj, tk)
	status := taskClosed
	if errors.Is(context.Cause(ctx), errExecutionTimeout) {
		status = taskTimedOut
	}
	x.e.settleTask(tk, status)
	return result, serr
}

// callTask prepares the request of a Task state, invokes the function and
// waits for the outcome, the timeout or the heartbeat timeout.
func (x *execution) callTask(ctx context.Context, st *state, in, cobj any,
	tk *task) (any, *stateError) {
	spec := st.task
	params := in
	if st.parameters != nil {
		var serr *stateError
		if params, serr = st.parameters.eval(in, cobj); serr != nil {
			return nil, serr
		}
	}
	timeout, serr := x.taskSeconds(st, "TimeoutSecondsPath", spec.timeout,
		spec.timeoutPath, in, cobj)
	if serr != nil {
		return nil, serr
	}
	heartbeat, serr := x.taskSeconds(st, "HeartbeatSecondsPath", spec.heartbeat,
		spec.heartbeatPath, in, cobj)
	if serr != nil {
		return nil, serr
	}
	function, payload, serr := spec.request(params)
	if serr != nil {
		return nil, serr
	}

	// Invoke the function in its own goroutine, so that a timeout or a task
	// token can end the attempt first.
	ictx, icancel := context.WithCancel(ctx)
	results := make(chan invokeResult, 1)
	x.e.wg.Add(1)
	go func() {
		defer x.e.wg.Done()
		defer icancel()
		results <- x.e.invoke(ictx, function, payload)
	}()
	x.log.Info("task started", "state", st.name, "function", function)

	// Wait for whichever comes first.
	var timeoutC, heartbeatC <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timeoutC = t.C
	}
	var heartbeatTimer *time.Timer
	if heartbeat > 0 {
		heartbeatTimer = time.NewTimer(heartbeat)
		defer heartbeatTimer.Stop()
		heartbeatC = heartbeatTimer.C
	}
	var events <-chan taskEvent
	if tk != nil {
		events = tk.events
	}
	for {
		select {
		case <-ctx.Done():
			return nil, nil
		case <-timeoutC:
			icancel()
			return x.e.expire(tk, &stateError{name: errTimeout,
				cause: "The task ran longer than its TimeoutSeconds"})
		case <-heartbeatC:
			if left := x.e.heartbeatLeft(tk, heartbeat); left > 0 {
				heartbeatTimer.Reset(left)
				continue
			}
			icancel()
			return x.e.expire(tk, &stateError{name: errTimeout, heartbeat: true,
				cause: "The task sent no heartbeat for HeartbeatSeconds"})
		case r := <-results:
			results = nil
			if r.err != nil {
				return x.e.failTask(tk, lambdaError(r.err))
			}
			if tk != nil {
				continue
			}
			return spec.result(r.output)
		case ev := <-events:
			return ev.output, ev.err
		}
	}
}

// taskSeconds returns a task's timeout or heartbeat, from its field or its
// path; zero means none.
func (x *execution) taskSeconds(st *state, field string, n int, p *path,
	in, cobj any) (time.Duration, *stateError) {
	if p == nil {
		return x.e.seconds(float64(n)), nil
	}
	v, ok := p.lookup(in, cobj)
	i, isInt := nonNegativeInt(v)
	if !ok || !isInt || i == 0 || i > maxSeconds {
		return 0, runtimeError("The %s '%s' of state '%s' does not match a "+
			"positive integer", field, p, st.name)
	}
	return x.e.seconds(float64(i)), nil
}

// request returns the function to invoke and its payload.
func (t *taskSpec) request(params any) (string, []byte, *stateError) {
	function, payload := t.function, params
	if t.kind != resourceLambda {
		obj := params.(map[string]any)
		name, ok := obj["FunctionName"].(string)
		if !ok || name == "" {
			return "", nil, runtimeError("FunctionName must be a string")
		}
		function = functionName(name)
		if payload, ok = obj["Payload"]; !ok {
			payload = map[string]any{}
		}
	}
	b, err := encodeJSON(payload)
	if err != nil {
		return "", nil, runtimeError("encoding the payload: %v", err)
	}
	return function, b, nil
}

// result turns a function's output into the task result.
func (t *taskSpec) result(output []byte) (any, *stateError) {
	var v any
	if len(bytes.TrimSpace(output)) > 0 {
		var err error
		if v, err = decodeJSON(output); err != nil {
			return nil, runtimeError("The function's output is not JSON: %v", err)
		}
	}
	if t.kind == resourceLambda {
		return v, nil
	}
	return map[string]any{
		"ExecutedVersion": "$LATEST",
		"Payload":         v,
		"StatusCode":      json200,
	}, nil
}

// json200 is the StatusCode of a successful lambda:invoke.
var json200 any = json.Number("200")

// functionName returns the bare function name of a name, partial ARN or
// ARN, without its version or alias.
func functionName(s string) string {
	if _, after, ok := strings.Cut(s, "function:"); ok {
		s = after
	}
	name, _, _ := strings.Cut(s, ":")
	return name
}

// An invokeResult is what the Invoker returned.
type invokeResult struct {
	output []byte
	err    error
}

// invoke calls the Invoker, turning a panic into an error as the Lambda
// runtime does.
func (e *Engine) invoke(ctx context.Context, function string,
	payload []byte) (r invokeResult) {
	defer func() {
		if v := recover(); v != nil {
			e.log.Error("lambda invocation panicked", "function", function,
				"panic", reflect.TypeOf(v).String())
			r = invokeResult{err: panicError{v}}
		}
	}()
	out, err := e.inv.Invoke(ctx, function, payload)
	return invokeResult{output: out, err: err}
}

// A panicError is a panic raised by an Invoker.
type panicError struct{ value any }

func (p panicError) Error() string { return fmt.Sprint(p.value) }

// lambdaError names an invocation error as Lambda reports it: the Type and
// Message of a messages.InvokeResponse_Error, otherwise the Go type name of
// the error as aws-lambda-go computes errorType, with an AWS-like JSON cause.
func lambdaError(err error) *stateError {
	var ptr *messages.InvokeResponse_Error
	if errors.As(err, &ptr) && ptr != nil {
		return &stateError{name: ptr.Type, cause: ptr.Message}
	}
	var val messages.InvokeResponse_Error
	if errors.As(err, &val) {
		return &stateError{name: val.Type, cause: val.Message}
	}
	var value any = err
	var p panicError
	if errors.As(err, &p) {
		value = p.value
	}
	name := errorType(value)
	cause, jerr := encodeJSON(struct {
		Message string `json:"errorMessage"`
		Type    string `json:"errorType"`
	}{err.Error(), name})
	if jerr != nil {
		cause = []byte(err.Error())
	}
	return &stateError{name: name, cause: string(cause)}
}

// errorType returns the name of v's type, the element type's for a pointer.
func errorType(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

// newTask registers a task token for an attempt of state in x.
func (e *Engine) newTask(x *execution, state string) (*task, string) {
	b := make([]byte, tokenSize)
	copy(b, tokenPrefix)
	if _, err := rand.Read(b[len(tokenPrefix):]); err != nil {
		panic(fmt.Sprintf("reading random bytes: %v", err))
	}
	token := base64.StdEncoding.EncodeToString(b)
	tk := &task{exec: x, state: state, status: taskWaiting, lastBeat: time.Now(),
		events: make(chan taskEvent, 1)}
	e.mu.Lock()
	e.tasks[token] = tk
	x.tokens = append(x.tokens, token)
	e.mu.Unlock()
	return tk, token
}

// wellFormedToken reports whether token has the shape of the engine's task
// tokens.
func wellFormedToken(token string) bool {
	b, err := base64.StdEncoding.DecodeString(token)
	return err == nil && len(b) == tokenSize && bytes.HasPrefix(b, tokenPrefix)
}

// settleTask moves a waiting task to status and reports whether it did; it
// did not when SendTaskSuccess or SendTaskFailure settled the task first.
func (e *Engine) settleTask(tk *task, status string) bool {
	if tk == nil {
		return true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if tk.status != taskWaiting {
		return false
	}
	tk.status = status
	return true
}

// expire ends an attempt that timed out, unless the task was settled just
// before, in which case that outcome stands.
func (e *Engine) expire(tk *task, serr *stateError) (any, *stateError) {
	if e.settleTask(tk, taskTimedOut) {
		return nil, serr
	}
	ev := <-tk.events
	return ev.output, ev.err
}

// failTask ends an attempt whose invocation failed, unless the task was
// settled just before, in which case that outcome stands.
func (e *Engine) failTask(tk *task, serr *stateError) (any, *stateError) {
	if e.settleTask(tk, taskClosed) {
		return nil, serr
	}
	ev := <-tk.events
	return ev.output, ev.err
}

// heartbeatLeft returns how long the task may still go without a
// heartbeat; zero for a task without a token.
func (e *Engine) heartbeatLeft(tk *task, heartbeat time.Duration) time.Duration {
	if tk == nil {
		return 0
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Until(tk.lastBeat.Add(heartbeat))
}

// settleTokensLocked closes the waiting tasks of a finished execution; a
// timed-out execution times them out. Engine.mu must be held.
func (e *Engine) settleTokensLocked(x *execution) {
	status := taskClosed
	if x.status == statusTimedOut {
		status = taskTimedOut
	}
	for _, token := range x.tokens {
		if tk := e.tasks[token]; tk.status == taskWaiting {
			tk.status = status
		}
	}
}

// sendTask delivers ev to the task of token while it waits; a nil ev only
// records a heartbeat.
func (e *Engine) sendTask(token string, ev *taskEvent) *apiError {
	if !wellFormedToken(token) {
		return &apiError{"InvalidToken", "Invalid token"}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	tk, ok := e.tasks[token]
	switch {
	case !ok:
		return &apiError{"TaskDoesNotExist", "Task does not exist anymore"}
	case tk.status == taskTimedOut:
		return &apiError{"TaskTimedOut", "Task Timed Out"}
	case tk.status != taskWaiting:
		return &apiError{"TaskDoesNotExist", "Task does not exist anymore"}
	}
	if ev == nil {
		tk.lastBeat = time.Now()
		return nil
	}
	tk.status = taskClosed
	tk.events <- *ev
	what := "succeeded"
	if ev.err != nil {
		what = "failed"
	}
	tk.exec.log.Info("task "+what+" by callback", "state", tk.state)
	return nil
}
