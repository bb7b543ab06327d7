// Package host runs the whole platform on one machine: it starts the
// stand-ins for DynamoDB, SQS and SES, creates the tables and queues declared
// in internal/resources, and hosts every function in this process behind a
// local API Gateway, SQS event source mappings, EventBridge schedules and a
// Step Functions engine that runs the ASL definitions itself.
package host

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/immagnify/immagnify/infra/local/apigw"
	"github.com/immagnify/immagnify/infra/local/schedule"
	"github.com/immagnify/immagnify/infra/local/sqsmap"
	"github.com/immagnify/immagnify/infra/local/standin"
	"github.com/immagnify/immagnify/infra/local/states"
	"github.com/immagnify/immagnify/internal/config"
	"github.com/immagnify/immagnify/internal/dynamo"
	"github.com/immagnify/immagnify/internal/resources"
)

// Options configure a local stack. Zero ports pick free ones on 127.0.0.1.
type Options struct {
	APIPort      int
	SESPort      int
	DynamoDBPort int
	SQSPort      int
	SFNPort      int
	// Logger receives the functions' and the host's logs.
	Logger *slog.Logger
	// StandinLog receives the stand-ins' own output; discarded when nil.
	StandinLog io.Writer
	// Second is the length of one state machine second; tests shorten it.
	Second time.Duration
	// VerifyTimeout overrides how long verification links stay valid.
	VerifyTimeout time.Duration
	// NoSchedules leaves the EventBridge schedules off, for tests.
	NoSchedules bool
	// Env adds or overrides function settings.
	Env map[string]string
}

// Stack is a running local platform.
type Stack struct {
	// APIURL, SESURL, DynamoDBURL, SQSURL and SFNURL are the endpoints.
	APIURL, SESURL, DynamoDBURL, SQSURL, SFNURL string
	// Env is the environment the functions were built with.
	Env map[string]string
	// Deps are the built dependencies of each function.
	Deps map[string]*config.Deps

	log       *slog.Logger
	procs     []*standin.Process
	servers   []*http.Server
	engine    *states.Engine
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	functions *Functions
	closeOnce sync.Once
}

const (
	region  = "us-east-1"
	account = "000000000000"
)

// Start brings the stack up; Close stops everything it started.
func Start(ctx context.Context, o Options) (_ *Stack, err error) {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	runCtx, cancel := context.WithCancel(context.Background())
	s := &Stack{log: log, cancel: cancel, Deps: map[string]*config.Deps{}}
	defer func() {
		if err != nil {
			s.Close() // stop whatever started before the failure
		}
	}()

	// Start the stand-ins side by side.
	if err := s.startStandins(ctx, o); err != nil {
		return nil, err
	}

	// Listen for the API and Step Functions before the functions are built,
	// so their settings can name the real addresses.
	apiLn, err := listen(o.APIPort)
	if err != nil {
		return nil, fmt.Errorf("API port: %w", err)
	}
	sfnLn, err := listen(o.SFNPort)
	if err != nil {
		apiLn.Close()
		return nil, fmt.Errorf("Step Functions port: %w", err)
	}
	s.APIURL = "http://" + apiLn.Addr().String()
	s.SFNURL = "http://" + sfnLn.Addr().String()

	// Create the tables and queues.
	env, err := s.environment(o)
	if err != nil {
		apiLn.Close()
		sfnLn.Close()
		return nil, err
	}
	clients, err := config.NewClients(ctx, lookup(env))
	if err != nil {
		apiLn.Close()
		sfnLn.Close()
		return nil, err
	}
	if err := dynamo.CreateTables(ctx, clients.DynamoDB, tableName); err != nil {
		apiLn.Close()
		sfnLn.Close()
		return nil, fmt.Errorf("creating tables: %w", err)
	}
	queues, err := createQueues(ctx, clients.SQS)
	if err != nil {
		apiLn.Close()
		sfnLn.Close()
		return nil, err
	}
	for name, q := range queues {
		env[resources.QueueEnv(name)] = q.url
	}
	s.Env = env

	// Build every function as Lambda would run it.
	s.functions = &Functions{log: log, handlers: map[string]lambda.Handler{}}
	for _, f := range resources.Functions() {
		d, h, err := build(ctx, f.Name, lookup(env), log)
		if err != nil {
			apiLn.Close()
			sfnLn.Close()
			return nil, fmt.Errorf("building %s: %w", f.Name, err)
		}
		s.Deps[f.Name] = d
		s.functions.handlers[f.Name] = h
	}

	// The state machines, run by the host itself.
	s.engine = states.New(s.functions, states.Options{
		Logger: log, Second: o.Second, Region: region, Account: account,
	})
	for _, m := range resources.StateMachines() {
		def, err := os.ReadFile(filepath.Join(stateMachineDir(), m.Name+".asl.json"))
		if err != nil {
			apiLn.Close()
			sfnLn.Close()
			return nil, fmt.Errorf("reading state machine %s: %w", m.Name, err)
		}
		if err := s.engine.Register(m.Name, def, Substitutions(m)); err != nil {
			apiLn.Close()
			sfnLn.Close()
			return nil, fmt.Errorf("loading state machine %s: %w", m.Name, err)
		}
	}
	s.serve(sfnLn, s.engine)

	// The HTTP API.
	var routes []apigw.Route
	for _, f := range resources.Functions() {
		for _, r := range f.Routes {
			routes = append(routes, apigw.Route{Method: r.Method, Path: r.Path, Function: f.Name})
		}
	}
	api, err := apigw.New(routes, s.functions, apigw.Options{Logger: log})
	if err != nil {
		apiLn.Close()
		return nil, fmt.Errorf("building the API: %w", err)
	}
	s.serve(apiLn, api)

	// Queue mappings and schedules.
	for _, f := range resources.Functions() {
		for _, m := range f.Queues {
			q := queues[m.Queue]
			mapping := sqsmap.Mapping{
				QueueURL: q.url, QueueARN: q.arn, Function: f.Name,
				BatchSize: m.BatchSize, ReportBatchItemFailures: true,
			}
			s.goRun(func() error {
				return sqsmap.Run(runCtx, clients.SQS, mapping, s.functions, log)
			})
		}
		if o.NoSchedules {
			continue
		}
		for _, sc := range f.Schedules {
			parsed, err := schedule.Parse(sc.Expression)
			if err != nil {
				return nil, fmt.Errorf("schedule %s: %w", sc.Name, err)
			}
			name, fn := sc.Name, f.Name
			s.goRun(func() error {
				return schedule.Run(runCtx, parsed, name, fn, s.functions, log)
			})
		}
	}
	return s, nil
}

func (s *Stack) startStandins(ctx context.Context, o Options) error {
	type want struct {
		kind standin.Kind
		port int
		url  *string
	}
	wants := []want{
		{standin.DynamoDB, o.DynamoDBPort, &s.DynamoDBURL},
		{standin.SQS, o.SQSPort, &s.SQSURL},
		{standin.SES, o.SESPort, &s.SESURL},
	}
	procs := make([]*standin.Process, len(wants))
	errs := make([]error, len(wants))
	var wg sync.WaitGroup
	for i, w := range wants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			procs[i], errs[i] = standin.Start(ctx, w.kind,
				standin.Options{Port: w.port, Log: o.StandinLog})
		}()
	}
	wg.Wait()
	for i, p := range procs {
		if p != nil {
			s.procs = append(s.procs, p)
			*wants[i].url = p.Endpoint()
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("starting stand-ins: %w", err)
	}
	return nil
}

// environment is what every function is given, as Lambda would give it.
func (s *Stack) environment(o Options) (map[string]string, error) {
	linkKey, suppressionKey := make([]byte, 32), make([]byte, 32)
	if _, err := rand.Read(linkKey); err != nil {
		return nil, err
	}
	if _, err := rand.Read(suppressionKey); err != nil {
		return nil, err
	}
	env := map[string]string{
		"AWS_REGION":                region,
		"AWS_ACCESS_KEY_ID":         "local",
		"AWS_SECRET_ACCESS_KEY":     "local",
		"AWS_ENDPOINT_URL_DYNAMODB": s.DynamoDBURL,
		"AWS_ENDPOINT_URL_SQS":      s.SQSURL,
		"AWS_ENDPOINT_URL_SES":      s.SESURL,
		"AWS_ENDPOINT_URL_SFN":      s.SFNURL,
		config.EnvPublicBaseURL:     s.APIURL,
		config.EnvMailFrom:          "privacy@immagnify.example",
		config.EnvPrivacyTeam:       "privacy-team@immagnify.example",
		config.EnvLinkKey:           base64.StdEncoding.EncodeToString(linkKey),
		config.EnvSuppressionKey:    base64.StdEncoding.EncodeToString(suppressionKey),
		resources.StateMachineEnv(resources.StateMachineDSAR): StateMachineARN(resources.StateMachineDSAR),
	}
	for _, t := range resources.Tables() {
		env[resources.TableEnv(t.Name)] = tableName(t.Name)
	}
	if o.VerifyTimeout > 0 {
		env[config.EnvVerifyTimeout] = o.VerifyTimeout.String()
	}
	for k, v := range o.Env {
		env[k] = v
	}
	return env, nil
}

// tableName is a table's name in the local stack.
func tableName(t string) string { return "immagnify-" + t }

// StateMachineARN is the ARN of a state machine in the local stack.
func StateMachineARN(name string) string {
	return "arn:aws:states:" + region + ":" + account + ":stateMachine:" + name
}

// FunctionARN is the ARN of a function in the local stack.
func FunctionARN(name string) string {
	return "arn:aws:lambda:" + region + ":" + account + ":function:" + name
}

// Substitutions are the DefinitionSubstitutions of a state machine: one
// <Name>FunctionArn per function it invokes, as CDK and SAM pass them.
func Substitutions(m resources.StateMachine) map[string]string {
	subs := map[string]string{}
	for _, f := range m.Functions {
		subs[SubstitutionKey(f)] = FunctionARN(f)
	}
	return subs
}

// SubstitutionKey is the placeholder name of a function in ASL files, for
// example VerifyFunctionArn.
func SubstitutionKey(function string) string {
	b := []byte(function)
	if len(b) > 0 && b[0] >= 'a' && b[0] <= 'z' {
		b[0] -= 'a' - 'A'
	}
	return string(b) + "FunctionArn"
}

type queue struct{ url, arn string }

// createQueues makes every queue with its dead-letter queue and redrive
// policy.
func createQueues(ctx context.Context, c *awssqs.Client) (map[string]queue, error) {
	out := map[string]queue{}
	for _, q := range resources.Queues() {
		dlq, err := c.CreateQueue(ctx, &awssqs.CreateQueueInput{
			QueueName: aws.String(q.DLQName()),
			Attributes: map[string]string{
				"MessageRetentionPeriod": strconv.Itoa(int(14 * 24 * time.Hour / time.Second)),
			},
		})
		if err != nil {
			return nil, fmt.Errorf("creating queue %s: %w", q.DLQName(), err)
		}
		dlqARN := "arn:aws:sqs:" + region + ":" + account + ":" + q.DLQName()
		main, err := c.CreateQueue(ctx, &awssqs.CreateQueueInput{
			QueueName: aws.String(q.Name),
			Attributes: map[string]string{
				"VisibilityTimeout":      strconv.Itoa(int(q.VisibilityTimeout / time.Second)),
				"MessageRetentionPeriod": strconv.Itoa(int(q.Retention / time.Second)),
				"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"%d"}`,
					dlqARN, q.MaxReceiveCount),
			},
		})
		if err != nil {
			return nil, fmt.Errorf("creating queue %s: %w", q.Name, err)
		}
		out[q.Name] = queue{
			url: aws.ToString(main.QueueUrl),
			arn: "arn:aws:sqs:" + region + ":" + account + ":" + q.Name,
		}
		out[q.DLQName()] = queue{url: aws.ToString(dlq.QueueUrl), arn: dlqARN}
	}
	return out, nil
}

func listen(port int) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}

func lookup(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func (s *Stack) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 90 * time.Second, IdleTimeout: 2 * time.Minute,
	}
	s.servers = append(s.servers, srv)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("server stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
}

func (s *Stack) goRun(f func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := f(); err != nil && !errors.Is(err, context.Canceled) {
			s.log.Error("background task stopped", "err", err)
		}
	}()
}

// Close stops everything the stack started, stand-ins included.
func (s *Stack) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, srv := range s.servers {
			_ = srv.Shutdown(ctx)
		}
		if s.engine != nil {
			s.engine.Close()
		}
		s.wg.Wait()
		for _, p := range s.procs {
			if err := p.Stop(); err != nil {
				s.log.Warn("stopping stand-in", "kind", p.Kind().String(), "err", err)
			}
		}
	})
}

// stateMachineDir finds infra/statemachine from the module root.
func stateMachineDir() string {
	if d := os.Getenv("IMMAGNIFY_STATEMACHINE_DIR"); d != "" {
		return d
	}
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "infra", "statemachine")); err == nil {
			return filepath.Join(dir, "infra", "statemachine")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("infra", "statemachine")
		}
		dir = parent
	}
}
