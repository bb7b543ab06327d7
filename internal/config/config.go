// Package config reads a function's settings from its environment, once, and
// builds the AWS clients, adapters and services those settings name. Every
// function's main and the local host build through it, so a setting means the
// same everywhere.
package config

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awsses "github.com/aws/aws-sdk-go-v2/service/ses"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/immagnify/immagnify/internal/dynamo"
	"github.com/immagnify/immagnify/internal/matchkey"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
	"github.com/immagnify/immagnify/internal/ses"
	"github.com/immagnify/immagnify/internal/sfn"
	"github.com/immagnify/immagnify/internal/sqs"
)

// Settings are what a function reads from its environment.
type Settings struct {
	Function        resources.Function
	Tables          map[string]string
	NoticeQueueURL  string
	StateMachineARN string
	PublicBaseURL   string
	MailFrom        string
	PrivacyTeam     string
	SuppressionKey  []byte
	LinkKey         []byte
	VerifyTimeout   time.Duration
	ExportTTL       time.Duration
	// ContactRetention, DisclosureRetention and RecordRetention set the TTL
	// of contacts, disclosures and closed requests.
	ContactRetention    time.Duration
	DisclosureRetention time.Duration
	RecordRetention     time.Duration
}

// Setting names that are not derived from a table, queue or state machine.
const (
	EnvPublicBaseURL       = "PUBLIC_BASE_URL"
	EnvMailFrom            = "MAIL_FROM"
	EnvPrivacyTeam         = "PRIVACY_TEAM_EMAIL"
	EnvSuppressionKey      = "SUPPRESSION_KEY"
	EnvLinkKey             = "LINK_KEY"
	EnvVerifyTimeout       = "VERIFY_TIMEOUT"
	EnvExportTTL           = "EXPORT_TTL"
	EnvContactRetention    = "CONTACT_RETENTION"
	EnvDisclosureRetention = "DISCLOSURE_RETENTION"
	EnvRecordRetention     = "RECORD_RETENTION"
)

// MaxVerifyTimeout keeps the verification wait well inside the state
// machine's own 90-day limit, so the expiry step always runs.
const MaxVerifyTimeout = 60 * 24 * time.Hour

// Defaults of the optional settings.
const (
	DefaultVerifyTimeout       = 7 * 24 * time.Hour
	DefaultExportTTL           = 7 * 24 * time.Hour
	DefaultContactRetention    = 365 * 24 * time.Hour
	DefaultDisclosureRetention = 2 * 365 * 24 * time.Hour
	DefaultRecordRetention     = 3 * 365 * 24 * time.Hour
)

// Load reads the settings function fn needs. A missing or malformed setting is
// an error that names it.
func Load(getenv func(string) string, fn string) (Settings, error) {
	var f resources.Function
	for _, c := range resources.Functions() {
		if c.Name == fn {
			f = c
		}
	}
	if f.Name == "" {
		return Settings{}, fmt.Errorf("unknown function %q", fn)
	}
	s := Settings{Function: f, Tables: map[string]string{}}
	var errs []error
	need := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			errs = append(errs, fmt.Errorf("%s is not set", name))
		}
		return v
	}
	for _, t := range f.Tables {
		s.Tables[t] = need(resources.TableEnv(t))
	}
	for _, q := range f.SendsTo {
		if q == resources.QueueRecipientNotices {
			s.NoticeQueueURL = need(resources.QueueEnv(q))
		}
	}
	if f.StartsWorkflow {
		s.StateMachineARN = need(resources.StateMachineEnv(resources.StateMachineDSAR))
	}
	if f.SendsEmail {
		s.MailFrom = need(EnvMailFrom)
		s.PrivacyTeam = strings.TrimSpace(getenv(EnvPrivacyTeam))
	}
	if len(f.Routes) > 0 || f.SendsEmail {
		s.PublicBaseURL = strings.TrimRight(need(EnvPublicBaseURL), "/")
	}
	if f.Name == resources.FunctionIntake || f.Name == resources.FunctionVerify ||
		f.Name == resources.FunctionEscalate {
		s.LinkKey = key(getenv, EnvLinkKey, &errs)
	}
	if f.Name == resources.FunctionFulfil {
		s.SuppressionKey = key(getenv, EnvSuppressionKey, &errs)
	}
	s.VerifyTimeout = duration(getenv, EnvVerifyTimeout, DefaultVerifyTimeout, &errs)
	if s.VerifyTimeout < time.Minute || s.VerifyTimeout > MaxVerifyTimeout {
		errs = append(errs, fmt.Errorf("%s must be between 1m and %s", EnvVerifyTimeout,
			MaxVerifyTimeout))
	}
	s.ExportTTL = duration(getenv, EnvExportTTL, DefaultExportTTL, &errs)
	s.ContactRetention = duration(getenv, EnvContactRetention, DefaultContactRetention, &errs)
	s.DisclosureRetention = duration(getenv, EnvDisclosureRetention,
		DefaultDisclosureRetention, &errs)
	s.RecordRetention = duration(getenv, EnvRecordRetention, DefaultRecordRetention, &errs)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return Settings{}, fmt.Errorf("settings of %s: %s", fn, strings.Join(msgs, "; "))
	}
	return s, nil
}

// key reads a secret given as base64 of at least 32 bytes.
func key(getenv func(string) string, name string, errs *[]error) []byte {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		*errs = append(*errs, fmt.Errorf("%s is not set", name))
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) < matchkey.MinHashKeyLen {
		*errs = append(*errs, fmt.Errorf("%s must be base64 of at least %d bytes",
			name, matchkey.MinHashKeyLen))
		return nil
	}
	return b
}

func duration(getenv func(string) string, name string, def time.Duration, errs *[]error) time.Duration {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		*errs = append(*errs, fmt.Errorf("%s must be a positive duration such as 168h", name))
		return def
	}
	return d
}

// Clients are the AWS service clients of a function.
type Clients struct {
	DynamoDB *dynamodb.Client
	SQS      *awssqs.Client
	SES      *awsses.Client
	SFN      *awssfn.Client
}

// NewClients builds the clients from the standard AWS settings. Endpoints
// given as AWS_ENDPOINT_URL_<SERVICE> (the local stack, LocalStack) and static
// keys are read through getenv, so several functions hosted in one process
// can each be given their own.
func NewClients(ctx context.Context, getenv func(string) string) (Clients, error) {
	opts := []func(*awsconfig.LoadOptions) error{}
	if r := getenv("AWS_REGION"); r != "" {
		opts = append(opts, awsconfig.WithRegion(r))
	}
	if id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"); id != "" {
		opts = append(opts, awsconfig.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(id, secret, getenv("AWS_SESSION_TOKEN"))))
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return Clients{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	endpoint := func(service string) *string {
		if v := getenv("AWS_ENDPOINT_URL_" + service); v != "" {
			return aws.String(v)
		}
		return nil
	}
	return Clients{
		DynamoDB: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
			o.BaseEndpoint = endpoint("DYNAMODB")
		}),
		SQS: awssqs.NewFromConfig(cfg, func(o *awssqs.Options) {
			o.BaseEndpoint = endpoint("SQS")
		}),
		SES: awsses.NewFromConfig(cfg, func(o *awsses.Options) {
			o.BaseEndpoint = endpoint("SES")
		}),
		SFN: awssfn.NewFromConfig(cfg, func(o *awssfn.Options) {
			o.BaseEndpoint = endpoint("SFN")
		}),
	}, nil
}

// Deps are the adapters and services a function's handler uses.
type Deps struct {
	Settings Settings
	Store    *dynamo.Store
	Mailer   *ses.Mailer
	Service  *privacy.Service
}

// Build reads the settings of function fn and builds its dependencies.
func Build(ctx context.Context, fn string, getenv func(string) string) (*Deps, error) {
	s, err := Load(getenv, fn)
	if err != nil {
		return nil, err
	}
	c, err := NewClients(ctx, getenv)
	if err != nil {
		return nil, err
	}
	return Wire(s, c)
}

// Wire builds the adapters and services from settings and clients.
func Wire(s Settings, c Clients) (*Deps, error) {
	store := dynamo.New(c.DynamoDB, dynamo.Tables(s.Tables), dynamo.Options{
		ContactRetention:    s.ContactRetention,
		DisclosureRetention: s.DisclosureRetention,
		// A request's audit trail outlives its longest possible life.
		EventRetention: s.RecordRetention + 180*24*time.Hour,
	})
	d := &Deps{Settings: s, Store: store}
	svc := &privacy.Service{
		Config: privacy.Config{
			PublicBaseURL: s.PublicBaseURL, VerifyTimeout: s.VerifyTimeout,
			ExportTTL: s.ExportTTL, RecordRetention: s.RecordRetention,
			ContactRetention: s.ContactRetention, LinkKey: s.LinkKey,
			PrivacyTeam: s.PrivacyTeam,
		},
		Requests: store, Tokens: store, Exports: store, Contacts: store, Limits: store,
		Suppressions: store, Disclosures: store, Customers: store,
	}
	if s.MailFrom != "" {
		d.Mailer = ses.NewMailer(c.SES, s.MailFrom)
		svc.Mailer = d.Mailer
	}
	if s.StateMachineARN != "" {
		svc.Workflow = sfn.NewWorkflow(c.SFN, s.StateMachineARN)
	}
	if s.NoticeQueueURL != "" {
		svc.Notices = sqs.NewNoticeQueue(c.SQS, s.NoticeQueueURL)
	}
	if s.SuppressionKey != nil {
		h, err := matchkey.NewHasher(s.SuppressionKey)
		if err != nil {
			return nil, fmt.Errorf("suppression key: %w", err)
		}
		svc.Hasher = h
	}
	d.Service = svc
	return d, nil
}
