package states

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"
)

// The statuses of an execution.
const (
	statusRunning   = "RUNNING"
	statusSucceeded = "SUCCEEDED"
	statusFailed    = "FAILED"
	statusTimedOut  = "TIMED_OUT"
	statusAborted   = "ABORTED"
)

// The error names of the States Language that the engine reports or
// matches.
const (
	errAll              = "States.ALL"
	errTaskFailed       = "States.TaskFailed"
	errTimeout          = "States.Timeout"
	errHeartbeatTimeout = "States.HeartbeatTimeout"
	errNoChoiceMatched  = "States.NoChoiceMatched"
	errRuntime          = "States.Runtime"
)

// Cancellation causes of an execution's context.
var (
	errStopped          = errors.New("execution stopped")
	errExecutionTimeout = errors.New("execution timed out")
)

// A stateError is an error raised by a state: its name, its cause, and
// whether it is a heartbeat timeout (named States.Timeout, but also matched
// by States.HeartbeatTimeout).
type stateError struct {
	name      string
	cause     string
	heartbeat bool
}

// runtimeError returns a States.Runtime error, which neither Retry nor
// Catch handles.
func runtimeError(format string, args ...any) *stateError {
	return &stateError{name: errRuntime, cause: fmt.Sprintf(format, args...)}
}

// matches reports whether a retrier's or catcher's ErrorEquals handles e.
func (e *stateError) matches(names []string) bool {
	if e.name == errRuntime {
		return false
	}
	for _, n := range names {
		switch {
		case n == e.name, n == errAll:
			return true
		case n == errTaskFailed && e.name != errTimeout:
			return true
		case n == errHeartbeatTimeout && e.heartbeat:
			return true
		}
	}
	return false
}

// An execution is one run of a state machine. The fields after mu's comment
// are guarded by Engine.mu.
type execution struct {
	e       *Engine
	machine *machine
	arn     string
	name    string
	input   string
	data    any
	start   time.Time
	log     *slog.Logger
	cancel  context.CancelCauseFunc

	// Guarded by Engine.mu.
	status  string
	stop    time.Time
	output  string
	errName string
	cause   string
	tokens  []string
}

// run executes the state machine from StartAt until it ends or its context
// is cancelled.
func (x *execution) run(ctx context.Context) {
	defer x.e.wg.Done()
	defer x.cancel(nil)
	def := x.machine.def
	if def.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, x.e.seconds(float64(def.timeout)),
			errExecutionTimeout)
		defer cancel()
	}
	x.log.Info("execution started")

	data, name := x.data, def.startAt
	for {
		st := def.states[name]
		out, next, serr := x.runState(ctx, st, data)
		if ctx.Err() != nil {
			x.interrupted(context.Cause(ctx))
			return
		}
		if serr != nil {
			x.log.Info("state failed", "state", st.name, "error", serr.name)
			x.finish(statusFailed, nil, serr)
			return
		}
		if next == "" {
			x.log.Info("state ended the execution", "state", st.name)
			x.finish(statusSucceeded, out, nil)
			return
		}
		x.log.Info("state transition", "state", st.name, "next", next)
		data, name = out, next
	}
}

// interrupted ends an execution whose context was cancelled.
func (x *execution) interrupted(cause error) {
	switch {
	case errors.Is(cause, errExecutionTimeout):
		x.finish(statusTimedOut, nil, &stateError{name: errTimeout,
			cause: "The execution ran longer than the state machine's TimeoutSeconds"})
	default:
		x.finish(statusAborted, nil, nil)
	}
}

// finish records the outcome of the execution unless it already has one,
// and settles its task tokens.
func (x *execution) finish(status string, output any, serr *stateError) {
	var out string
	if status == statusSucceeded {
		b, err := encodeJSON(output)
		if err != nil {
			status, serr = statusFailed, runtimeError("encoding the output: %v", err)
		}
		out = string(b)
	}
	x.e.mu.Lock()
	defer x.e.mu.Unlock()
	if x.status != statusRunning {
		return
	}
	x.status, x.stop, x.output = status, x.e.now(), out
	if serr != nil {
		x.errName, x.cause = serr.name, serr.cause
	}
	x.e.settleTokensLocked(x)
	if x.errName != "" {
		x.log.Info("execution finished", "status", status, "error", x.errName)
		return
	}
	x.log.Info("execution finished", "status", status)
}

// runState runs one state on its raw input. It returns the state's output
// and the next state, none when the execution succeeds, or the error that
// fails the execution.
func (x *execution) runState(ctx context.Context, st *state,
	raw any) (any, string, *stateError) {
	entered := x.e.now()
	switch st.typ {
	case typeTask:
		return x.runTask(ctx, st, raw, entered)
	case typeChoice:
		return x.runChoice(st, raw, entered)
	case typeFail:
		return nil, "", x.runFail(st, raw, entered)
	}

	cobj := x.contextObject(st.name, entered, 0, "")
	in, serr := selectPath(st.inputPath, "InputPath", raw, cobj)
	if serr != nil {
		return nil, "", serr
	}
	out := in
	switch st.typ {
	case typePass:
		result := in
		if st.hasResult {
			result = deepCopy(st.result)
		} else if st.parameters != nil {
			if result, serr = st.parameters.eval(in, cobj); serr != nil {
				return nil, "", serr
			}
		}
		if out, serr = applyResultPath(st.resultPath, raw, result); serr != nil {
			return nil, "", serr
		}
	case typeWait:
		d, serr := x.waitDuration(st, in, cobj)
		if serr != nil {
			return nil, "", serr
		}
		if !sleep(ctx, d) {
			return nil, "", nil
		}
	}
	out, serr = selectPath(st.outputPath, "OutputPath", out, cobj)
	return out, st.next, serr
}

// runChoice picks the next state with the first rule that matches.
func (x *execution) runChoice(st *state, raw any,
	entered time.Time) (any, string, *stateError) {
	cobj := x.contextObject(st.name, entered, 0, "")
	in, serr := selectPath(st.inputPath, "InputPath", raw, cobj)
	if serr != nil {
		return nil, "", serr
	}
	next := st.defaultNext
	for _, r := range st.choices {
		ok, serr := r.eval(in, cobj)
		if serr != nil {
			return nil, "", serr
		}
		if ok {
			next = r.next
			break
		}
	}
	if next == "" {
		return nil, "", &stateError{name: errNoChoiceMatched,
			cause: fmt.Sprintf("No choice rule of state '%s' matched and it has "+
				"no Default", st.name)}
	}
	out, serr := selectPath(st.outputPath, "OutputPath", in, cobj)
	return out, next, serr
}

// runFail returns the error a Fail state ends the execution with.
func (x *execution) runFail(st *state, raw any, entered time.Time) *stateError {
	cobj := x.contextObject(st.name, entered, 0, "")
	serr := &stateError{name: st.errorName, cause: st.cause}
	for _, f := range []struct {
		field string
		p     *path
		dst   *string
	}{{"ErrorPath", st.errorPath, &serr.name}, {"CausePath", st.causePath, &serr.cause}} {
		if f.p == nil {
			continue
		}
		v, ok := f.p.lookup(raw, cobj)
		s, isString := v.(string)
		if !ok || !isString {
			return runtimeError("The %s '%s' of state '%s' does not match a string",
				f.field, f.p, st.name)
		}
		*f.dst = s
	}
	return serr
}

// waitDuration computes how long a Wait state waits.
func (x *execution) waitDuration(st *state, in, cobj any) (time.Duration, *stateError) {
	w := st.wait
	switch {
	case w.secondsPath != nil:
		v, ok := w.secondsPath.lookup(in, cobj)
		n, isInt := nonNegativeInt(v)
		if !ok || !isInt {
			return 0, runtimeError("The SecondsPath '%s' of state '%s' does not "+
				"match a non-negative integer", w.secondsPath, st.name)
		}
		return x.e.seconds(float64(n)), nil
	case w.timestampPath != nil:
		v, ok := w.timestampPath.lookup(in, cobj)
		s, _ := v.(string)
		t, isTime := parseTimestamp(s)
		if !ok || !isTime {
			return 0, runtimeError("The TimestampPath '%s' of state '%s' does not "+
				"match an RFC 3339 timestamp", w.timestampPath, st.name)
		}
		return x.e.until(t), nil
	case !w.timestamp.IsZero():
		return x.e.until(w.timestamp), nil
	}
	return x.e.seconds(float64(w.seconds)), nil
}

// nonNegativeInt reads a JSON number that is a non-negative integer.
func nonNegativeInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil && i >= 0
}

// runTask runs a Task state, retrying and catching its errors.
func (x *execution) runTask(ctx context.Context, st *state, raw any,
	entered time.Time) (any, string, *stateError) {
	cobj := x.contextObject(st.name, entered, 0, "")
	in, serr := selectPath(st.inputPath, "InputPath", raw, cobj)
	if serr != nil {
		return nil, "", serr
	}
	attempts := make([]int, len(st.retry))
	for retryCount := 0; ; retryCount++ {
		result, serr := x.attemptTask(ctx, st, in, entered, retryCount)
		if ctx.Err() != nil {
			return nil, "", nil
		}
		if serr == nil {
			return x.taskOutput(st, raw, result, cobj)
		}
		if d, ok := nextRetry(st.retry, attempts, serr); ok {
			delay := x.e.seconds(d)
			x.log.Info("task retry", "state", st.name, "error", serr.name,
				"retry", retryCount+1, "delay", delay)
			if !sleep(ctx, delay) {
				return nil, "", nil
			}
			continue
		}
		for _, c := range st.catch {
			if !serr.matches(c.errorEquals) {
				continue
			}
			x.log.Info("task error caught", "state", st.name, "error", serr.name,
				"next", c.next)
			out, rerr := applyResultPath(c.resultPath, raw,
				map[string]any{"Error": serr.name, "Cause": serr.cause})
			return out, c.next, rerr
		}
		return nil, "", serr
	}
}

// nextRetry finds the first retrier that matches serr and, when it has
// attempts left, counts one and returns the delay in ASL seconds.
func nextRetry(rs []retrier, attempts []int, serr *stateError) (float64, bool) {
	for i, r := range rs {
		if !serr.matches(r.errorEquals) {
			continue
		}
		if attempts[i] >= r.maxAttempts {
			return 0, false
		}
		d := float64(r.interval) * math.Pow(r.backoffRate, float64(attempts[i]))
		if r.maxDelay > 0 {
			d = math.Min(d, float64(r.maxDelay))
		}
		if r.fullJitter {
			d *= rand.Float64()
		}
		attempts[i]++
		return d, true
	}
	return 0, false
}

// taskOutput applies ResultSelector, ResultPath and OutputPath to a task
// result.
func (x *execution) taskOutput(st *state, raw, result any,
	cobj any) (any, string, *stateError) {
	var serr *stateError
	if st.resultSelector != nil {
		if result, serr = st.resultSelector.eval(result, cobj); serr != nil {
			return nil, "", serr
		}
	}
	out, serr := applyResultPath(st.resultPath, raw, result)
	if serr != nil {
		return nil, "", serr
	}
	out, serr = selectPath(st.outputPath, "OutputPath", out, cobj)
	return out, st.next, serr
}

// contextObject builds the context object ($$) a state sees.
func (x *execution) contextObject(state string, entered time.Time, retryCount int,
	token string) map[string]any {
	c := map[string]any{
		"Execution": map[string]any{
			"Id":           x.arn,
			"Name":         x.name,
			"Input":        x.data,
			"StartTime":    formatTime(x.start),
			"RoleArn":      fmt.Sprintf("arn:aws:iam::%s:role/local-states", x.e.account),
			"RedriveCount": json.Number("0"),
		},
		"State": map[string]any{
			"Name":        state,
			"EnteredTime": formatTime(entered),
			"RetryCount":  json.Number(fmt.Sprint(retryCount)),
		},
		"StateMachine": map[string]any{
			"Id":   x.machine.arn,
			"Name": x.machine.name,
		},
	}
	if token != "" {
		c["Task"] = map[string]any{"Token": token}
	}
	return c
}

// formatTime formats a time as the context object does.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// now returns the current time at the millisecond precision of the API.
func (e *Engine) now() time.Time {
	return time.Now().Truncate(time.Millisecond)
}

// seconds converts ASL seconds into a duration of Options.Second each.
func (e *Engine) seconds(n float64) time.Duration {
	return time.Duration(n * float64(e.second))
}

// until returns the wait until t, scaled by Options.Second.
func (e *Engine) until(t time.Time) time.Duration {
	d := time.Until(t)
	if d <= 0 {
		return 0
	}
	return e.seconds(d.Seconds())
}

// sleep waits for d and reports false when ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
