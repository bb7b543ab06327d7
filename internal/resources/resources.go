// Package resources declares the platform's tables, queues, functions, routes,
// schedules and state machines once. The local host builds its stack from these
// declarations, and the deployments (CDK, SAM) are checked against them, so a
// table or queue is named and shaped in one place only.
package resources

import (
	"strings"
	"time"
)

// Table names, as the functions see them through their settings.
const (
	TableRequests     = "requests"
	TableTokens       = "tokens"
	TableContacts     = "contacts"
	TableSuppressions = "suppressions"
	TableDisclosures  = "disclosures"
	TableExports      = "exports"
	TableCustomers    = "customers"
)

// Index names of the global secondary indexes.
const (
	IndexOpenByDue     = "open-by-due"
	IndexContactsEmail = "by-email"
	IndexContactsPhone = "by-phone"
	IndexExportsByWho  = "by-subject"
)

// Queue names.
const (
	QueueRecipientNotices = "recipient-notices"
)

// Function names.
const (
	FunctionIntake   = "intake"
	FunctionVerify   = "verify"
	FunctionFulfil   = "fulfil"
	FunctionEscalate = "escalate"
	FunctionNotify   = "notify"
)

// StateMachineDSAR is the data subject request workflow.
const StateMachineDSAR = "dsar"

// TTLAttribute is the attribute DynamoDB's time to live reads on every table
// that has one: epoch seconds after which the item is gone.
const TTLAttribute = "expires_at"

// AttrType is a DynamoDB key attribute type.
type AttrType string

// Key attribute types.
const (
	String AttrType = "S"
	Number AttrType = "N"
)

// Key is one key attribute.
type Key struct {
	Name string
	Type AttrType
}

// Index is a global secondary index that projects all attributes.
type Index struct {
	Name         string
	PartitionKey Key
	SortKey      *Key
}

// Table is a DynamoDB table billed on demand.
type Table struct {
	Name         string
	PartitionKey Key
	SortKey      *Key
	Indexes      []Index
	// TTL is true when items expire through TTLAttribute.
	TTL bool
	// Retain keeps the table when the stack is deleted.
	Retain bool
}

// Queue is a standard SQS queue with its dead-letter queue.
type Queue struct {
	Name              string
	VisibilityTimeout time.Duration
	// MaxReceiveCount is how many receives a message gets before it moves to the
	// dead-letter queue named Name+"-dlq".
	MaxReceiveCount int
	Retention       time.Duration
}

// DLQName is the name of q's dead-letter queue.
func (q Queue) DLQName() string { return q.Name + "-dlq" }

// DefaultRoute is the path of the catch-all route of the HTTP API.
const DefaultRoute = "$default"

// Route is one API Gateway HTTP API route; the DefaultRoute has no method.
type Route struct {
	Method string
	Path   string
}

// QueueMapping is an SQS event source mapping with ReportBatchItemFailures.
type QueueMapping struct {
	Queue     string
	BatchSize int
}

// Schedule is an EventBridge schedule that invokes a function.
type Schedule struct {
	Name       string
	Expression string
}

// Function is one Lambda function.
type Function struct {
	Name        string
	Description string
	Timeout     time.Duration
	MemoryMB    int
	Routes      []Route
	Queues      []QueueMapping
	Schedules   []Schedule
	// Tables lists the tables the function reads or writes.
	Tables []string
	// SendsTo lists the queues the function sends to.
	SendsTo []string
	// StartsWorkflow is true when the function starts or resumes executions of
	// the state machines.
	StartsWorkflow bool
	// SendsEmail is true when the function sends mail through SES.
	SendsEmail bool
}

// StateMachine is a Standard Step Functions state machine whose definition is
// the ASL file infra/statemachine/<Name>.asl.json. Its ${<Function>FunctionArn}
// placeholders name the functions it invokes.
type StateMachine struct {
	Name      string
	Functions []string
}

// Tables returns every table of the platform.
func Tables() []Table {
	str := func(n string) Key { return Key{Name: n, Type: String} }
	sk := func(n string) *Key { k := str(n); return &k }
	return []Table{
		{
			Name: TableRequests, PartitionKey: str("pk"), SortKey: sk("sk"),
			Indexes: []Index{{
				Name: IndexOpenByDue, PartitionKey: str("open"), SortKey: sk("dueAt"),
			}},
			TTL: true, Retain: true,
		},
		{Name: TableTokens, PartitionKey: str("pk"), TTL: true},
		{
			Name: TableContacts, PartitionKey: str("pk"),
			Indexes: []Index{
				{Name: IndexContactsEmail, PartitionKey: str("emailKey")},
				{Name: IndexContactsPhone, PartitionKey: str("phoneKey")},
			},
			TTL: true, Retain: true,
		},
		// Suppressions have no TTL and are never restored with the contacts.
		{Name: TableSuppressions, PartitionKey: str("pk"), Retain: true},
		{
			Name: TableDisclosures, PartitionKey: str("pk"), SortKey: sk("sk"),
			TTL: true, Retain: true,
		},
		{
			Name: TableExports, PartitionKey: str("pk"),
			Indexes: []Index{{Name: IndexExportsByWho, PartitionKey: str("subjectHash")}},
			TTL:     true,
		},
		{Name: TableCustomers, PartitionKey: str("pk"), Retain: true},
	}
}

// Queues returns every queue of the platform, without their dead-letter queues.
func Queues() []Queue {
	return []Queue{{
		Name:              QueueRecipientNotices,
		VisibilityTimeout: 60 * time.Second,
		MaxReceiveCount:   5,
		Retention:         14 * 24 * time.Hour,
	}}
}

// Functions returns every function of the platform.
func Functions() []Function {
	return []Function{
		{
			Name:        FunctionIntake,
			Description: "Privacy center form and request intake",
			Timeout:     10 * time.Second, MemoryMB: 256,
			Routes: []Route{
				{Method: "GET", Path: "/privacy"},
				{Method: "POST", Path: "/privacy/requests"},
				{Method: "GET", Path: "/privacy/requests/{id}"},
				{Method: "POST", Path: "/privacy/requests/{id}/cancel"},
				// Every other path and method gets the platform's error body.
				{Path: DefaultRoute},
			},
			Tables:         []string{TableRequests},
			StartsWorkflow: true,
		},
		{
			Name:        FunctionVerify,
			Description: "Identity verification email and confirmation",
			Timeout:     10 * time.Second, MemoryMB: 256,
			Routes: []Route{
				{Method: "GET", Path: "/privacy/verify"},
				{Method: "POST", Path: "/privacy/verify"},
			},
			Tables:         []string{TableRequests, TableTokens},
			StartsWorkflow: true, SendsEmail: true,
		},
		{
			Name:        FunctionFulfil,
			Description: "Fulfils verified requests and serves exports",
			Timeout:     60 * time.Second, MemoryMB: 512,
			Routes: []Route{
				{Method: "GET", Path: "/privacy/exports/{id}"},
			},
			Tables: []string{
				TableRequests, TableContacts, TableSuppressions,
				TableDisclosures, TableExports, TableCustomers, TableTokens,
			},
			SendsTo:    []string{QueueRecipientNotices},
			SendsEmail: true,
		},
		{
			Name:        FunctionEscalate,
			Description: "Deadline escalation and failed-request alerts",
			Timeout:     60 * time.Second, MemoryMB: 256,
			Schedules: []Schedule{
				{Name: "deadlines", Expression: "rate(1 hour)"},
			},
			Tables:         []string{TableRequests},
			StartsWorkflow: true, SendsEmail: true,
		},
		{
			Name:        FunctionNotify,
			Description: "Art. 19 notices to the recipients of erased contacts",
			Timeout:     30 * time.Second, MemoryMB: 256,
			Queues: []QueueMapping{
				{Queue: QueueRecipientNotices, BatchSize: 10},
			},
			Tables:     []string{TableCustomers},
			SendsEmail: true,
		},
	}
}

// StateMachines returns every state machine of the platform.
func StateMachines() []StateMachine {
	return []StateMachine{{
		Name: StateMachineDSAR,
		Functions: []string{
			FunctionVerify, FunctionFulfil, FunctionEscalate,
		},
	}}
}

// TableEnv is the setting that carries a table's deployed name, for example
// REQUESTS_TABLE for the requests table.
func TableEnv(table string) string { return envName(table) + "_TABLE" }

// QueueEnv is the setting that carries a queue's URL, for example
// RECIPIENT_NOTICES_QUEUE_URL.
func QueueEnv(queue string) string { return envName(queue) + "_QUEUE_URL" }

// StateMachineEnv is the setting that carries a state machine's ARN, for
// example DSAR_STATE_MACHINE_ARN.
func StateMachineEnv(name string) string { return envName(name) + "_STATE_MACHINE_ARN" }

func envName(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c == '-':
			b[i] = '_'
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Allowed returns the methods of the routes whose path template matches
// path, such as "/privacy/requests/{id}" for "/privacy/requests/req_1".
func Allowed(path string) []string {
	var out []string
	for _, f := range Functions() {
		for _, r := range f.Routes {
			if r.Path != DefaultRoute && matches(r.Path, path) {
				out = append(out, r.Method)
			}
		}
	}
	return out
}

func matches(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, t := range ts {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if t != ps[i] {
			return false
		}
	}
	return true
}
