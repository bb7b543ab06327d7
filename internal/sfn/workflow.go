// Package sfn starts and resumes executions of the request state machine on
// AWS Step Functions.
package sfn

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/immagnify/immagnify/internal/privacy"
)

var _ privacy.Workflow = (*Workflow)(nil)

// Workflow runs executions of one Standard state machine.
type Workflow struct {
	client *awssfn.Client
	arn    string
}

// NewWorkflow returns a Workflow on the state machine stateMachineARN.
func NewWorkflow(client *awssfn.Client, stateMachineARN string) *Workflow {
	return &Workflow{client: client, arn: stateMachineARN}
}

// Start starts the execution named requestID with input. A Standard state
// machine answers a second start with the same name and input with the
// running execution; when the execution exists with another input or has
// finished, it answers ExecutionAlreadyExists, which Start takes as already
// started too, and logs.
func (w *Workflow) Start(ctx context.Context, requestID string, input []byte) error {
	_, err := w.client.StartExecution(ctx, &awssfn.StartExecutionInput{
		StateMachineArn: aws.String(w.arn),
		Name:            aws.String(requestID),
		Input:           aws.String(string(input)),
	})
	var exists *types.ExecutionAlreadyExists
	if errors.As(err, &exists) {
		slog.InfoContext(ctx, "workflow execution exists already", "dsarId", requestID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("starting execution %s: %w", requestID, err)
	}
	return nil
}

// Resume completes the task that waits on taskToken with output. It returns
// an error matching privacy.ErrTaskGone when the task no longer waits: it
// timed out, finished, or the token is unknown. Errors that Step Functions
// answers are reported by their code only, so no token reaches a log.
func (w *Workflow) Resume(ctx context.Context, taskToken string, output []byte) error {
	_, err := w.client.SendTaskSuccess(ctx, &awssfn.SendTaskSuccessInput{
		TaskToken: aws.String(taskToken),
		Output:    aws.String(string(output)),
	})
	if err == nil {
		return nil
	}
	var api smithy.APIError
	if !errors.As(err, &api) {
		return fmt.Errorf("resuming task: %w", err)
	}
	e := &TaskError{Code: api.ErrorCode(), err: err}
	var (
		gone     *types.TaskDoesNotExist
		timedOut *types.TaskTimedOut
		invalid  *types.InvalidToken
	)
	e.gone = errors.As(err, &gone) || errors.As(err, &timedOut) || errors.As(err, &invalid)
	return e
}

// TaskError is an answer of Step Functions to SendTaskSuccess. Its text
// gives only the code; errors.Is matches privacy.ErrTaskGone when the task
// no longer waits, and errors.As finds the SDK's error type.
type TaskError struct {
	// Code is the Step Functions error code, such as TaskTimedOut.
	Code string
	gone bool
	err  error
}

func (e *TaskError) Error() string {
	return "resuming task: Step Functions answered " + e.Code
}

// Unwrap returns privacy.ErrTaskGone when the task is gone, and the SDK's
// error.
func (e *TaskError) Unwrap() []error {
	if e.gone {
		return []error{privacy.ErrTaskGone, e.err}
	}
	return []error{e.err}
}

// Stop stops the execution of a request that was closed, so it no longer
// waits; an execution that does not exist or has ended is left alone.
func (w *Workflow) Stop(ctx context.Context, requestID, cause string) error {
	_, err := w.client.StopExecution(ctx, &awssfn.StopExecutionInput{
		ExecutionArn: aws.String(ExecutionARN(w.arn, requestID)),
		Cause:        aws.String(cause),
	})
	var missing *types.ExecutionDoesNotExist
	if err != nil && !errors.As(err, &missing) {
		return fmt.Errorf("stopping execution: %w", err)
	}
	return nil
}

// ExecutionARN is the ARN of the execution named name of the state machine
// stateMachineARN (arn:aws:states:<region>:<account>:stateMachine:<machine>).
func ExecutionARN(stateMachineARN, name string) string {
	return strings.Replace(stateMachineARN, ":stateMachine:", ":execution:", 1) + ":" + name
}

// Running reports whether the request's execution exists and is running.
func (w *Workflow) Running(ctx context.Context, requestID string) (exists, running bool, err error) {
	out, err := w.client.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{
		ExecutionArn: aws.String(ExecutionARN(w.arn, requestID)),
	})
	var missing *types.ExecutionDoesNotExist
	if errors.As(err, &missing) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("describing execution: %w", err)
	}
	return true, out.Status == types.ExecutionStatusRunning, nil
}
