package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// call is one invocation seen by recorder.
type call struct {
	function  string
	payload   []byte
	requestID string
	arn       string
	at        time.Time // the (fake) clock when the call came
}

// recorder is an Invoker that records its calls and fails when told to.
type recorder struct {
	mu    sync.Mutex
	calls []call
	err   error
}

func (r *recorder) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	c := call{function: function, payload: payload, at: time.Now()}
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		c.requestID, c.arn = lc.AwsRequestID, lc.InvokedFunctionArn
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return []byte("null"), r.err
}

func (r *recorder) got() []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]call(nil), r.calls...)
}

var uuidRE = regexp.MustCompile(
	`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		expr string
		wait time.Duration
		want []string // event times, RFC 3339
	}{
		{
			// The synctest clock starts at 2000-01-01T00:00:00Z.
			name: "cron every 15 minutes", expr: "cron(0/15 * * * ? *)",
			wait: 50 * time.Minute,
			want: []string{"2000-01-01T00:15:00Z", "2000-01-01T00:30:00Z", "2000-01-01T00:45:00Z"},
		},
		{
			name: "rate every 5 minutes", expr: "rate(5 minutes)",
			wait: 11 * time.Minute,
			want: []string{"2000-01-01T00:05:00Z", "2000-01-01T00:10:00Z"},
		},
		{
			name: "a schedule that ends", expr: "cron(0 0 1 1 ? 2000-2001)",
			wait: 3 * 366 * 24 * time.Hour,
			want: []string{"2001-01-01T00:00:00Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, err := Parse(tt.expr)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(t.Context(), tt.wait)
				defer cancel()
				inv := &recorder{}
				err = Run(ctx, s, "escalate-deadlines", "escalate", inv, quietLog())
				if err != nil {
					t.Fatalf("Run() error = %v", err)
				}

				calls := inv.got()
				if len(calls) != len(tt.want) {
					t.Fatalf("got %d invocations, want %d", len(calls), len(tt.want))
				}
				for i, c := range calls {
					var ev events.EventBridgeEvent
					if err := json.Unmarshal(c.payload, &ev); err != nil {
						t.Fatalf("invocation %d: payload is not an event: %v", i, err)
					}
					if got := ev.Time.Format(time.RFC3339); got != tt.want[i] {
						t.Errorf("invocation %d: event time = %s, want %s", i, got, tt.want[i])
					}
					if !c.at.Equal(ev.Time) {
						t.Errorf("invocation %d: invoked at %v, want %v", i, c.at, ev.Time)
					}
					if c.function != "escalate" {
						t.Errorf("invocation %d: function = %q, want escalate", i, c.function)
					}
					if !uuidRE.MatchString(c.requestID) {
						t.Errorf("invocation %d: lambda request id = %q, want a UUID",
							i, c.requestID)
					}
					want := "arn:aws:lambda:us-east-1:000000000000:function:escalate"
					if c.arn != want {
						t.Errorf("invocation %d: function ARN = %q, want %q", i, c.arn, want)
					}
				}
			})
		})
	}
}

func TestRunKeepsGoingAfterAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := Parse("rate(1 minute)")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute+time.Second)
		defer cancel()
		inv := &recorder{err: errors.New("boom")}
		if err := Run(ctx, s, "r", "f", inv, quietLog()); err != nil {
			t.Fatalf("Run() error = %v", err)
		}
		if got := len(inv.got()); got != 3 {
			t.Errorf("got %d invocations, want 3", got)
		}
	})
}

func TestRunInvalid(t *testing.T) {
	s, err := Parse("rate(1 hour)")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		s        Schedule
		rule, fn string
		inv      Invoker
	}{
		{"zero schedule", Schedule{}, "r", "f", &recorder{}},
		{"no rule", s, "", "f", &recorder{}},
		{"no function", s, "r", "", &recorder{}},
		{"no invoker", s, "r", "f", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Run(t.Context(), tt.s, tt.rule, tt.fn, tt.inv, quietLog()); err == nil {
				t.Error("Run() = nil, want an error")
			}
		})
	}
}

// TestNewEvent compares the event with a Scheduled Event as EventBridge
// documents it, except for the fields that vary.
func TestNewEvent(t *testing.T) {
	var sample events.EventBridgeEvent
	if err := json.Unmarshal([]byte(scheduledEventSample), &sample); err != nil {
		t.Fatal(err)
	}
	got := NewEvent("my-schedule", time.Date(2015, 10, 8, 16, 53, 6, 500, time.UTC))

	if !uuidRE.MatchString(got.ID) {
		t.Errorf("ID = %q, want a UUID", got.ID)
	}
	if got.Time.Format(time.RFC3339Nano) != "2015-10-08T16:53:06Z" {
		t.Errorf("Time = %v, want whole seconds", got.Time)
	}
	if want := "arn:aws:events:us-east-1:000000000000:rule/my-schedule"; len(got.Resources) != 1 ||
		got.Resources[0] != want {
		t.Errorf("Resources = %q, want [%q]", got.Resources, want)
	}
	for _, f := range []struct{ name, got, want string }{
		{"version", got.Version, sample.Version},
		{"detail-type", got.DetailType, sample.DetailType},
		{"source", got.Source, sample.Source},
		{"detail", string(got.Detail), string(sample.Detail)},
		{"region", got.Region, sample.Region},
		{"account", got.AccountID, "000000000000"},
	} {
		if f.got != f.want {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}

	// The JSON must carry the names EventBridge uses, and nothing else.
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var gotKeys, wantKeys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &gotKeys); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(scheduledEventSample), &wantKeys); err != nil {
		t.Fatal(err)
	}
	for k := range wantKeys {
		if _, ok := gotKeys[k]; !ok {
			t.Errorf("JSON event lacks %q: %s", k, raw)
		}
	}
	if len(gotKeys) != len(wantKeys) {
		t.Errorf("JSON event has %d keys, want %d: %s", len(gotKeys), len(wantKeys), raw)
	}
	if got := string(gotKeys["time"]); got != `"2015-10-08T16:53:06Z"` {
		t.Errorf("JSON time = %s, want \"2015-10-08T16:53:06Z\"", got)
	}
}

// scheduledEventSample is a Scheduled Event in the shape EventBridge sends.
const scheduledEventSample = `{
	"version": "0",
	"id": "0d9b9c2e-54a6-4bb8-9e4c-5f0a1b7c3d21",
	"detail-type": "Scheduled Event",
	"source": "aws.events",
	"account": "111122223333",
	"time": "2015-10-08T16:53:06Z",
	"region": "us-east-1",
	"resources": ["arn:aws:events:us-east-1:111122223333:rule/my-schedule"],
	"detail": {}
}`
