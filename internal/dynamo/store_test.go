package dynamo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/immagnify/immagnify/infra/local/standin/standintest"
)

// testEnv is a Store on fresh tables in a dynalite of the test's own, with a
// clock the test can move and a count of the calls made to DynamoDB.
type testEnv struct {
	store  *Store
	client *dynamodb.Client
	now    time.Time
	calls  atomic.Int64
	// unprocess is how many batch calls to answer with every item
	// unprocessed.
	unprocess atomic.Int64
}

// newEnv starts dynalite, creates every table under a "test-" prefix and
// returns a Store on them with the given options (Now is set by newEnv).
func newEnv(t testing.TB, opts Options) *testEnv {
	t.Helper()
	endpoint := standintest.DynamoDB(t)
	env := &testEnv{now: time.Date(2030, 3, 14, 9, 26, 53, 589793238, time.UTC)}
	cfg := standintest.AWSConfig(endpoint)
	env.client = dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		o.HTTPClient = countingClient{
			calls: &env.calls, unprocess: &env.unprocess, next: http.DefaultClient,
		}
	})
	ctx := context.Background()
	names := func(table string) string { return "test-" + table }
	if err := CreateTables(ctx, env.client, names); err != nil {
		t.Fatalf("CreateTables: %v", err)
	}
	opts.Now = func() time.Time { return env.now }
	env.store = New(env.client, TablesFrom(names), opts)
	return env
}

// countingClient counts the HTTP requests the SDK sends, retries included.
// While *unprocess is above zero, it answers batch calls itself, with every
// item unprocessed, as DynamoDB does when it throttles.
type countingClient struct {
	calls     *atomic.Int64
	unprocess *atomic.Int64
	next      *http.Client
}

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	target := r.Header.Get("X-Amz-Target")
	batch := strings.HasSuffix(target, ".BatchWriteItem") ||
		strings.HasSuffix(target, ".BatchGetItem")
	if !batch || c.unprocess.Add(-1) < 0 {
		return c.next.Do(r)
	}
	var in struct{ RequestItems json.RawMessage }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return nil, err
	}
	body := `{"UnprocessedItems":` + string(in.RequestItems) + `}`
	if strings.HasSuffix(target, ".BatchGetItem") {
		body = `{"Responses":{},"UnprocessedKeys":` + string(in.RequestItems) + `}`
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:   io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)),
	}, nil
}

func TestCreateTablesIsIdempotent(t *testing.T) {
	env := newEnv(t, Options{})
	names := func(table string) string { return "test-" + table }
	if err := CreateTables(context.Background(), env.client, names); err != nil {
		t.Fatalf("second CreateTables: %v", err)
	}
	out, err := env.client.ListTables(context.Background(), &dynamodb.ListTablesInput{})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if got, want := len(out.TableNames), 7; got != want {
		t.Errorf("got %d tables %v, want %d", got, out.TableNames, want)
	}
}
