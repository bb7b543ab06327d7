// Package states is the local stand-in for AWS Step Functions: it runs
// Amazon States Language definitions itself and serves the Step Functions
// API (AWS JSON 1.0) over HTTP, so that code using the aws-sdk-go-v2 sfn
// client, pointed at it with AWS_ENDPOINT_URL_SFN, works as on AWS.
//
// It runs the subset of ASL that the project's definitions use: Task states
// calling Lambda functions (directly by ARN, through lambda:invoke, and with
// lambda:invoke.waitForTaskToken), Pass, Wait, Choice, Succeed and Fail,
// with Retry, Catch, timeouts, heartbeats, the input and output fields and
// the context object. Register refuses, by name, anything else.
//
// Executions live in memory only and behave like Standard workflows.
package states

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Invoker calls a Lambda function by its bare name with a JSON payload and
// returns the function's JSON output. An error from the function should be
// returned as the handler returned it, or as a
// *messages.InvokeResponse_Error, so that its error name is the one AWS
// would report.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// Options tunes an Engine; the zero value is ready to use.
type Options struct {
	// Logger receives one line per transition and outcome; slog.Default()
	// when nil. Inputs, outputs, causes and task tokens are never logged.
	Logger *slog.Logger
	// Second is the length of one ASL second, for Wait, retry intervals and
	// timeouts: time.Second when zero; tests shorten it.
	Second time.Duration
	// Region and Account go into the ARNs; us-east-1 and 000000000000 when
	// empty.
	Region, Account string
}

// Engine registers state machines, runs their executions and serves the
// Step Functions API. Its methods are safe for concurrent use.
type Engine struct {
	inv     Invoker
	log     *slog.Logger
	second  time.Duration
	region  string
	account string

	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup

	mu         sync.Mutex
	closed     bool
	machines   map[string]*machine
	executions map[string]*execution
	started    []*execution
	tasks      map[string]*task
}

// A machine is a registered state machine.
type machine struct {
	name string
	arn  string
	def  *definition
}

// errEngineClosed is the cancellation cause of executions that Close ends.
var errEngineClosed = errors.New("engine closed")

// New returns an Engine that calls Lambda functions through inv.
func New(inv Invoker, opts Options) *Engine {
	e := &Engine{
		inv:        inv,
		log:        opts.Logger,
		second:     opts.Second,
		region:     opts.Region,
		account:    opts.Account,
		machines:   map[string]*machine{},
		executions: map[string]*execution{},
		tasks:      map[string]*task{},
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	if e.second <= 0 {
		e.second = time.Second
	}
	if e.region == "" {
		e.region = "us-east-1"
	}
	if e.account == "" {
		e.account = "000000000000"
	}
	e.ctx, e.cancel = context.WithCancelCause(context.Background())
	return e
}

// Register parses and validates an ASL definition under name, after
// replacing each ${Key} placeholder with substitutions[Key] as CloudFormation
// does with DefinitionSubstitutions. A placeholder without a substitution,
// and any construct the engine does not run, is refused with an error that
// names it. Registering a name again replaces its definition for the
// executions started afterwards.
func (e *Engine) Register(name string, definition []byte,
	substitutions map[string]string) error {
	if !validName(name) {
		return fmt.Errorf("registering state machine %q: invalid name", name)
	}
	text, err := substitute(string(definition), substitutions)
	if err != nil {
		return fmt.Errorf("registering state machine %q: %w", name, err)
	}
	def, err := parseDefinition([]byte(text))
	if err != nil {
		return fmt.Errorf("registering state machine %q: %w", name, err)
	}
	m := &machine{name: name, arn: e.StateMachineArn(name), def: def}
	e.mu.Lock()
	e.machines[name] = m
	e.mu.Unlock()
	e.log.Info("state machine registered", "stateMachine", m.arn,
		"states", len(def.states))
	return nil
}

// StateMachineArn returns the ARN under which the machine called name is
// (or would be) registered.
func (e *Engine) StateMachineArn(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", e.region, e.account, name)
}

// Close aborts the running executions and waits for their goroutines,
// including Lambda invocations still under way. Executions cannot be
// started afterwards.
func (e *Engine) Close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.cancel(errEngineClosed)
	e.wg.Wait()
}

// substitute replaces ${Key} placeholders in s.
func substitute(s string, subs map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("unterminated placeholder %.20q", s[i:])
		}
		key := s[i+2 : i+j]
		v, ok := subs[key]
		if !ok {
			return "", fmt.Errorf("no substitution for ${%s}", key)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

// validName reports whether s is a valid state machine or execution name:
// 1 to 80 characters, without whitespace, brackets, wildcards, control
// characters or the punctuation AWS forbids.
func validName(s string) bool {
	if s == "" || len([]rune(s)) > 80 {
		return false
	}
	for _, r := range s {
		switch {
		case r <= 0x20, r >= 0x7f && r <= 0xa0, r == 0x1680, r >= 0x2000 && r <= 0x200a,
			r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
			return false
		case strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return false
		}
	}
	return true
}
