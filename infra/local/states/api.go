package states

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxRequestBytes bounds a request body.
const maxRequestBytes = 1 << 20

// maxPayloadBytes bounds an execution input and a task output, as on AWS.
const maxPayloadBytes = 256 * 1024

// An apiError is an error answered as AWS does: HTTP 400 with the error's
// code in __type.
type apiError struct {
	code    string
	message string
}

// An operation handles one API operation's JSON request body.
type operation func(e *Engine, body []byte) (any, *apiError)

// operations maps the operations of the Step Functions API that the engine
// serves to their handlers.
var operations = map[string]operation{
	"StartExecution":    (*Engine).startExecution,
	"DescribeExecution": (*Engine).describeExecution,
	"StopExecution":     (*Engine).stopExecution,
	"ListExecutions":    (*Engine).listExecutions,
	"SendTaskSuccess":   (*Engine).sendTaskSuccess,
	"SendTaskFailure":   (*Engine).sendTaskFailure,
	"SendTaskHeartbeat": (*Engine).sendTaskHeartbeat,
}

// ServeHTTP serves the Step Functions API in the AWS JSON 1.0 protocol:
// POST / with the operation in X-Amz-Target as AWSStepFunctions.<Operation>.
// Errors are HTTP 400 with {"__type":"<Code>","message":"..."}.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.")
	op := operations[name]
	if r.Method != http.MethodPost || !ok || op == nil {
		writeError(w, &apiError{"UnknownOperationException",
			fmt.Sprintf("operation %q is not supported", name)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		writeError(w, &apiError{"ValidationException", "request body too large"})
		return
	}
	resp, aerr := op(e, body)
	if aerr != nil {
		e.log.Info("api error", "operation", name, "code", aerr.code)
		writeError(w, aerr)
		return
	}
	b, err := encodeJSON(resp)
	if err != nil {
		e.log.Error("encoding api response", "operation", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-RequestId", newUUID())
	_, _ = w.Write(b)
}

// writeError answers an API error.
func writeError(w http.ResponseWriter, aerr *apiError) {
	b, _ := encodeJSON(map[string]string{"__type": aerr.code, "message": aerr.message})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-RequestId", newUUID())
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(b)
}

// decodeRequest decodes a request body into v.
func decodeRequest(body []byte, v any) *apiError {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &apiError{"SerializationException", "the request body is not valid"}
	}
	return nil
}

// required answers the validation error of a missing member.
func required(member string) *apiError {
	return &apiError{"ValidationException", fmt.Sprintf("1 validation error detected: "+
		"Value null at '%s' failed to satisfy constraint: Member must not be null",
		member)}
}

// tooLong answers the validation error of a member over its length.
func tooLong(member string, n int) *apiError {
	return &apiError{"ValidationException", fmt.Sprintf("1 validation error detected: "+
		"Value at '%s' failed to satisfy constraint: Member must have length less "+
		"than or equal to %d", member, n)}
}

// epochSeconds formats a time as the API does: seconds since the epoch.
func epochSeconds(t time.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}

// startExecution starts an execution; the same name and input as a running
// execution answers that execution again, as Standard workflows do.
func (e *Engine) startExecution(body []byte) (any, *apiError) {
	var in struct {
		StateMachineArn string  `json:"stateMachineArn"`
		Name            *string `json:"name"`
		Input           *string `json:"input"`
	}
	if aerr := decodeRequest(body, &in); aerr != nil {
		return nil, aerr
	}
	if in.StateMachineArn == "" {
		return nil, required("stateMachineArn")
	}
	names, aerr := e.parseArn(in.StateMachineArn, "stateMachine")
	if aerr != nil {
		return nil, aerr
	}
	name := newUUID()
	if in.Name != nil {
		name = *in.Name
	}
	if !validName(name) {
		return nil, &apiError{"InvalidName", fmt.Sprintf("Invalid Name: '%s'", name)}
	}
	input := "{}"
	if in.Input != nil {
		input = *in.Input
	}
	if len(input) > maxPayloadBytes {
		return nil, &apiError{"InvalidExecutionInput", "Input is larger than 256 KiB"}
	}
	data, err := decodeJSON([]byte(input))
	if err != nil {
		return nil, &apiError{"InvalidExecutionInput",
			"Invalid State Machine Execution Input: the input is not JSON"}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil, &apiError{"ServiceUnavailable", "the engine is closed"}
	}
	m := e.machines[names[0]]
	if m == nil || m.arn != in.StateMachineArn {
		return nil, &apiError{"StateMachineDoesNotExist",
			fmt.Sprintf("State Machine Does Not Exist: '%s'", in.StateMachineArn)}
	}
	arn := fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", e.region, e.account,
		m.name, name)
	if x := e.executions[arn]; x != nil {
		if x.status == statusRunning && x.input == input {
			return startOutput(x), nil
		}
		return nil, &apiError{"ExecutionAlreadyExists",
			fmt.Sprintf("Execution Already Exists: '%s'", arn)}
	}
	ctx, cancel := context.WithCancelCause(e.ctx)
	x := &execution{e: e, machine: m, arn: arn, name: name, input: input, data: data,
		start: e.now(), log: e.log.With("execution", arn), cancel: cancel,
		status: statusRunning}
	e.executions[arn] = x
	e.started = append(e.started, x)
	e.wg.Add(1)
	go x.run(ctx)
	return startOutput(x), nil
}

// startOutput answers StartExecution for x.
func startOutput(x *execution) any {
	return map[string]any{"executionArn": x.arn, "startDate": epochSeconds(x.start)}
}

// parseArn checks a state machine or execution ARN and returns its names:
// the machine's, and the execution's for an execution ARN.
func (e *Engine) parseArn(arn, resource string) ([]string, *apiError) {
	parts := strings.Split(arn, ":")
	want := 7
	if resource == "execution" {
		want = 8
	}
	ok := len(parts) == want && parts[0] == "arn" && strings.HasPrefix(parts[1], "aws") &&
		parts[2] == "states" && parts[3] != "" && parts[4] != "" && parts[5] == resource
	for _, name := range parts[min(6, len(parts)):] {
		ok = ok && validName(name)
	}
	if !ok {
		return nil, &apiError{"InvalidArn", fmt.Sprintf("Invalid Arn: '%s'", arn)}
	}
	return parts[6:], nil
}

// lookupExecutionLocked finds an execution by ARN; Engine.mu must be held.
func (e *Engine) lookupExecutionLocked(arn string) (*execution, *apiError) {
	if _, aerr := e.parseArn(arn, "execution"); aerr != nil {
		return nil, aerr
	}
	x := e.executions[arn]
	if x == nil {
		return nil, &apiError{"ExecutionDoesNotExist",
			fmt.Sprintf("Execution Does Not Exist: '%s'", arn)}
	}
	return x, nil
}

// executionRequest is the request of DescribeExecution and StopExecution.
type executionRequest struct {
	ExecutionArn string  `json:"executionArn"`
	Error        *string `json:"error"`
	Cause        *string `json:"cause"`
}

// describeExecution answers the status, input and outcome of an execution.
func (e *Engine) describeExecution(body []byte) (any, *apiError) {
	var in executionRequest
	if aerr := decodeRequest(body, &in); aerr != nil {
		return nil, aerr
	}
	if in.ExecutionArn == "" {
		return nil, required("executionArn")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, aerr := e.lookupExecutionLocked(in.ExecutionArn)
	if aerr != nil {
		return nil, aerr
	}
	out := x.summaryLocked()
	out["input"] = x.input
	out["inputDetails"] = map[string]bool{"included": true}
	out["redriveCount"] = 0
	if x.status == statusSucceeded {
		out["output"] = x.output
		out["outputDetails"] = map[string]bool{"included": true}
	}
	if x.errName != "" {
		out["error"] = x.errName
	}
	if x.cause != "" {
		out["cause"] = x.cause
	}
	return out, nil
}

// summaryLocked returns the fields of x that ListExecutions and
// DescribeExecution share; Engine.mu must be held.
func (x *execution) summaryLocked() map[string]any {
	out := map[string]any{
		"executionArn":    x.arn,
		"stateMachineArn": x.machine.arn,
		"name":            x.name,
		"status":          x.status,
		"startDate":       epochSeconds(x.start),
	}
	if x.status != statusRunning {
		out["stopDate"] = epochSeconds(x.stop)
	}
	return out
}

// stopExecution aborts a running execution; a finished one is left as it
// is.
func (e *Engine) stopExecution(body []byte) (any, *apiError) {
	var in executionRequest
	if aerr := decodeRequest(body, &in); aerr != nil {
		return nil, aerr
	}
	if in.ExecutionArn == "" {
		return nil, required("executionArn")
	}
	if in.Error != nil && len(*in.Error) > 256 {
		return nil, tooLong("error", 256)
	}
	if in.Cause != nil && len(*in.Cause) > 32768 {
		return nil, tooLong("cause", 32768)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x, aerr := e.lookupExecutionLocked(in.ExecutionArn)
	if aerr != nil {
		return nil, aerr
	}
	if x.status == statusRunning {
		x.status, x.stop = statusAborted, e.now()
		if in.Error != nil {
			x.errName = *in.Error
		}
		if in.Cause != nil {
			x.cause = *in.Cause
		}
		e.settleTokensLocked(x)
		x.cancel(errStopped)
		x.log.Info("execution stopped")
	}
	return map[string]any{"stopDate": epochSeconds(x.stop)}, nil
}

// listExecutions lists the executions of a state machine, newest first.
func (e *Engine) listExecutions(body []byte) (any, *apiError) {
	var in struct {
		StateMachineArn string `json:"stateMachineArn"`
		StatusFilter    string `json:"statusFilter"`
		MaxResults      int    `json:"maxResults"`
		NextToken       string `json:"nextToken"`
	}
	if aerr := decodeRequest(body, &in); aerr != nil {
		return nil, aerr
	}
	if in.StateMachineArn == "" {
		return nil, required("stateMachineArn")
	}
	names, aerr := e.parseArn(in.StateMachineArn, "stateMachine")
	if aerr != nil {
		return nil, aerr
	}
	statuses := []string{"", statusRunning, statusSucceeded, statusFailed,
		statusTimedOut, statusAborted, "PENDING_REDRIVE"}
	if !slices.Contains(statuses, in.StatusFilter) || in.MaxResults < 0 ||
		in.MaxResults > 1000 {
		return nil, &apiError{"ValidationException", "invalid statusFilter or maxResults"}
	}
	if in.MaxResults == 0 {
		in.MaxResults = 100
	}
	skip := 0
	if in.NextToken != "" {
		var err error
		if skip, err = strconv.Atoi(in.NextToken); err != nil || skip < 0 {
			return nil, &apiError{"InvalidToken", "Invalid pagination token"}
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.machines[names[0]]
	if m == nil || m.arn != in.StateMachineArn {
		return nil, &apiError{"StateMachineDoesNotExist",
			fmt.Sprintf("State Machine Does Not Exist: '%s'", in.StateMachineArn)}
	}
	list := []any{}
	matched := 0
	next := ""
	for _, x := range slices.Backward(e.started) {
		if x.machine.arn != m.arn || (in.StatusFilter != "" && x.status != in.StatusFilter) {
			continue
		}
		matched++
		if matched <= skip {
			continue
		}
		if len(list) == in.MaxResults {
			next = strconv.Itoa(skip + len(list))
			break
		}
		list = append(list, x.summaryLocked())
	}
	out := map[string]any{"executions": list}
	if next != "" {
		out["nextToken"] = next
	}
	return out, nil
}

// taskRequest is the request of SendTaskSuccess, SendTaskFailure and
// SendTaskHeartbeat.
type taskRequest struct {
	TaskToken string  `json:"taskToken"`
	Output    *string `json:"output"`
	Error     string  `json:"error"`
	Cause     string  `json:"cause"`
}

// decodeTaskRequest decodes and checks a task request.
func decodeTaskRequest(body []byte) (taskRequest, *apiError) {
	var in taskRequest
	if aerr := decodeRequest(body, &in); aerr != nil {
		return in, aerr
	}
	switch {
	case in.TaskToken == "":
		return in, required("taskToken")
	case len(in.TaskToken) > 2048:
		return in, tooLong("taskToken", 2048)
	case len(in.Error) > 256:
		return in, tooLong("error", 256)
	case len(in.Cause) > 32768:
		return in, tooLong("cause", 32768)
	}
	return in, nil
}

// sendTaskSuccess completes a waiting task with an output.
func (e *Engine) sendTaskSuccess(body []byte) (any, *apiError) {
	in, aerr := decodeTaskRequest(body)
	if aerr != nil {
		return nil, aerr
	}
	if in.Output == nil {
		return nil, required("output")
	}
	if len(*in.Output) > maxPayloadBytes {
		return nil, &apiError{"InvalidOutput", "Output is larger than 256 KiB"}
	}
	out, err := decodeJSON([]byte(*in.Output))
	if err != nil {
		return nil, &apiError{"InvalidOutput", "Invalid Output: the output is not JSON"}
	}
	return e.answerTask(in.TaskToken, &taskEvent{output: out})
}

// sendTaskFailure fails a waiting task with an error and a cause.
func (e *Engine) sendTaskFailure(body []byte) (any, *apiError) {
	in, aerr := decodeTaskRequest(body)
	if aerr != nil {
		return nil, aerr
	}
	return e.answerTask(in.TaskToken,
		&taskEvent{err: &stateError{name: in.Error, cause: in.Cause}})
}

// sendTaskHeartbeat records that a waiting task is alive.
func (e *Engine) sendTaskHeartbeat(body []byte) (any, *apiError) {
	in, aerr := decodeTaskRequest(body)
	if aerr != nil {
		return nil, aerr
	}
	return e.answerTask(in.TaskToken, nil)
}

// answerTask delivers ev to a task and answers the API call.
func (e *Engine) answerTask(token string, ev *taskEvent) (any, *apiError) {
	if aerr := e.sendTask(token, ev); aerr != nil {
		return nil, aerr
	}
	return map[string]any{}, nil
}

// newUUID returns a random version 4 UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
