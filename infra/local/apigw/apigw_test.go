package apigw

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// invocation is one call seen by fakeInvoker.
type invocation struct {
	function string
	payload  []byte
	lc       *lambdacontext.LambdaContext
	deadline time.Time
}

// fakeInvoker records invocations and answers with out and err.
type fakeInvoker struct {
	mu    sync.Mutex
	calls []invocation
	out   []byte
	err   error
	block bool // wait for the context to end
}

func (f *fakeInvoker) Invoke(ctx context.Context, function string,
	payload []byte) ([]byte, error) {
	lc, _ := lambdacontext.FromContext(ctx)
	dl, _ := ctx.Deadline()
	f.mu.Lock()
	f.calls = append(f.calls, invocation{function, payload, lc, dl})
	f.mu.Unlock()
	if f.block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.out == nil && f.err == nil {
		return []byte(`{"statusCode":200}`), nil
	}
	return f.out, f.err
}

func (f *fakeInvoker) last(t *testing.T) invocation {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("the function was not invoked")
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeInvoker) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newServer(t *testing.T, routes []Route, inv Invoker, opts Options) *Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quietLog()
	}
	s, err := New(routes, inv, opts)
	if err != nil {
		t.Fatalf("New() error = %v", err)
	}
	return s
}

// decodeEvent decodes an invocation's payload.
func decodeEvent(t *testing.T, payload []byte) events.APIGatewayV2HTTPRequest {
	t.Helper()
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatalf("payload is not a v2 event: %v\n%s", err, payload)
	}
	return ev
}

// lambdaTestdata returns aws-lambda-go's events/testdata directory, from
// the module cache.
func lambdaTestdata(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}",
		"github.com/aws/aws-lambda-go").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Skipf("skipping: aws-lambda-go is not in the module cache (%v)", err)
	}
	return filepath.Join(dir, "events", "testdata")
}

func readSample(t *testing.T, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(lambdaTestdata(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return decodeEvent(t, b)
}

// clearVarying zeroes the fields that differ from one request to the next
// and the mutual-TLS block, which only a TLS client certificate fills.
func clearVarying(ev *events.APIGatewayV2HTTPRequest) {
	ev.RequestContext.RequestID = ""
	ev.RequestContext.Time = ""
	ev.RequestContext.TimeEpoch = 0
	ev.RequestContext.Authentication = events.APIGatewayV2HTTPRequestContextAuthentication{}
}

func asJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestNoAuthorizerSample sends the request behind aws-lambda-go's sample
// event apigw-v2-request-no-authorizer.json (curl to the $default route)
// and compares every field but those that vary.
func TestNoAuthorizerSample(t *testing.T) {
	want := readSample(t, "apigw-v2-request-no-authorizer.json")

	inv := &fakeInvoker{}
	s := newServer(t, []Route{{Path: DefaultRoute, Function: "fn"}}, inv,
		Options{APIID: "aaaaaaaaaa", AccountID: "123456789012"})
	req := httptest.NewRequest(http.MethodGet,
		"https://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/", nil)
	req.RemoteAddr = "1.2.3.4:50312"
	req.Header.Set("Accept", "*/*")
	req.Header.Set("User-Agent", "curl/7.58.0")
	req.Header.Set("X-Amzn-Trace-Id", "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c")
	before := time.Now()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	after := time.Now()

	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200", rec.Code)
	}
	payload := inv.last(t).payload
	got := decodeEvent(t, payload)

	// The fields that vary must still have API Gateway's shape.
	rc := got.RequestContext
	if rc.RequestID != rec.Header().Get("Apigw-Requestid") || len(rc.RequestID) != 16 {
		t.Errorf("requestId = %q, want 16 characters, equal to the apigw-requestid header %q",
			rc.RequestID, rec.Header().Get("Apigw-Requestid"))
	}
	tm, err := time.Parse(timeFormat, rc.Time)
	if err != nil || !strings.HasSuffix(rc.Time, " +0000") {
		t.Errorf("time = %q, want the layout %q in UTC (%v)", rc.Time, timeFormat, err)
	}
	epoch := time.UnixMilli(rc.TimeEpoch)
	if epoch.Before(before.Truncate(time.Millisecond)) || epoch.After(after) {
		t.Errorf("timeEpoch = %v, want between %v and %v", epoch, before, after)
	}
	if tm.Unix() != epoch.Unix() {
		t.Errorf("time %q and timeEpoch %d disagree", rc.Time, rc.TimeEpoch)
	}
	if bytes.Contains(payload, []byte(`"authentication"`)) {
		t.Errorf("payload has an authentication block without mutual TLS:\n%s", payload)
	}
	if bytes.Contains(payload, []byte(`"body"`)) {
		t.Errorf("payload has a body field for a request without body:\n%s", payload)
	}

	clearVarying(&got)
	clearVarying(&want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("event differs from the sample\ngot:  %s\nwant: %s", asJSON(got), asJSON(want))
	}
}

// TestJWTSampleFields sends the request behind the request part of
// aws-lambda-go's apigw-v2-request-jwt-authorizer.json (the authorizer and
// stage variables are API settings this host does not have) and compares
// the fields that come from the request.
func TestJWTSampleFields(t *testing.T) {
	want := readSample(t, "apigw-v2-request-jwt-authorizer.json")

	inv := &fakeInvoker{}
	s := newServer(t, []Route{{Path: DefaultRoute, Function: "fn"}}, inv, Options{})
	req := httptest.NewRequest(want.RequestContext.HTTP.Method,
		"/my/path?"+want.RawQueryString, strings.NewReader(want.Body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", strings.Join(want.Cookies, "; "))
	for k, v := range want.Headers {
		req.Header.Set(k, v)
	}
	s.ServeHTTP(httptest.NewRecorder(), req)
	got := decodeEvent(t, inv.last(t).payload)

	checks := []struct {
		field     string
		got, want any
	}{
		{"rawPath", got.RawPath, want.RawPath},
		{"rawQueryString", got.RawQueryString, want.RawQueryString},
		{"cookies", got.Cookies, want.Cookies},
		{"queryStringParameters", got.QueryStringParameters, want.QueryStringParameters},
		{"body", got.Body, want.Body},
		{"isBase64Encoded", got.IsBase64Encoded, want.IsBase64Encoded},
		{"requestContext.http.method", got.RequestContext.HTTP.Method,
			want.RequestContext.HTTP.Method},
		{"requestContext.http.path", got.RequestContext.HTTP.Path, want.RequestContext.HTTP.Path},
		{"routeKey", got.RouteKey, want.RouteKey},
	}
	for k, v := range want.Headers {
		checks = append(checks, struct {
			field     string
			got, want any
		}{"headers." + strings.ToLower(k), got.Headers[strings.ToLower(k)], v})
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.field, c.got, c.want)
		}
	}
}

func TestEvent(t *testing.T) {
	binary := []byte{0x00, 0x01, 0x02, 0xff, 0xfe}
	tests := []struct {
		name        string
		routes      []Route // default: $default only
		method      string
		target      string
		header      http.Header
		body        []byte
		wantFunc    string
		want        events.APIGatewayV2HTTPRequest // the fields compared below
		wantHeaders map[string]string              // a subset; "" means absent
	}{
		{
			name:   "repeated headers are joined by commas",
			method: "GET", target: "/h",
			header: http.Header{"X-Multi": {"a", "b"}, "X-Custom-Header": {"Value"}},
			want:   events.APIGatewayV2HTTPRequest{RouteKey: "$default", RawPath: "/h"},
			wantHeaders: map[string]string{
				"x-multi": "a,b", "x-custom-header": "Value", "content-length": "0",
				"host": "example.com", "x-forwarded-for": "192.0.2.1",
				"x-forwarded-proto": "http", "x-forwarded-port": "80",
			},
		},
		{
			name:   "a client's x-forwarded-for is extended",
			method: "GET", target: "/h",
			header:      http.Header{"X-Forwarded-For": {"203.0.113.9"}},
			want:        events.APIGatewayV2HTTPRequest{RouteKey: "$default", RawPath: "/h"},
			wantHeaders: map[string]string{"x-forwarded-for": "203.0.113.9, 192.0.2.1"},
		},
		{
			name:   "repeated query values are joined by commas and decoded",
			method: "GET", target: "/q?a=1&a=2&b=x%20y&c&d=p+q&e=%2C",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/q",
				RawQueryString: "a=1&a=2&b=x%20y&c&d=p+q&e=%2C",
				QueryStringParameters: map[string]string{
					"a": "1,2", "b": "x y", "c": "", "d": "p q", "e": ",",
				},
			},
		},
		{
			name:   "cookies move from the header to the cookies field",
			method: "GET", target: "/c",
			header: http.Header{"Cookie": {"session=abc; theme=dark", "lang=fr"}},
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/c",
				Cookies: []string{"session=abc", "theme=dark", "lang=fr"},
			},
			wantHeaders: map[string]string{"cookie": ""},
		},
		{
			name:   "a JSON body is text",
			method: "POST", target: "/privacy/requests",
			header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
			body:   []byte(`{"type":"access"}`),
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/privacy/requests",
				Body: `{"type":"access"}`,
			},
			wantHeaders: map[string]string{"content-length": "17"},
		},
		{
			name:   "a text/* body is text",
			method: "POST", target: "/t",
			header: http.Header{"Content-Type": {"text/csv"}},
			body:   []byte("a,b\n1,2\n"),
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/t", Body: "a,b\n1,2\n",
			},
		},
		{
			name:   "an XML body is text",
			method: "POST", target: "/t",
			header: http.Header{"Content-Type": {"application/xml"}},
			body:   []byte("<a/>"),
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/t", Body: "<a/>",
			},
		},
		{
			name:   "a form body is base64",
			method: "POST", target: "/privacy/requests",
			header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			body:   []byte("type=access&email=a%40b.example"),
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/privacy/requests",
				Body: base64.StdEncoding.EncodeToString(
					[]byte("type=access&email=a%40b.example")),
				IsBase64Encoded: true,
			},
		},
		{
			name:   "a binary body is base64",
			method: "PUT", target: "/b",
			header: http.Header{"Content-Type": {"application/octet-stream"}},
			body:   binary,
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/b",
				Body:            base64.StdEncoding.EncodeToString(binary),
				IsBase64Encoded: true,
			},
		},
		{
			name:   "a body without content type is base64",
			method: "POST", target: "/b",
			body: []byte("hello"),
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "$default", RawPath: "/b",
				Body: "aGVsbG8=", IsBase64Encoded: true,
			},
		},
		{
			name:   "path parameters",
			routes: []Route{{"GET", "/privacy/requests/{id}", "status"}},
			method: "GET", target: "/privacy/requests/r-123",
			wantFunc: "status",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "GET /privacy/requests/{id}", RawPath: "/privacy/requests/r-123",
				PathParameters: map[string]string{"id": "r-123"},
			},
		},
		{
			name:   "two path parameters, decoded",
			routes: []Route{{"DELETE", "/v1/lists/{id}/contacts/{contactId}", "lists"}},
			method: "DELETE", target: "/v1/lists/l%201/contacts/c-9",
			wantFunc: "lists",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey:       "DELETE /v1/lists/{id}/contacts/{contactId}",
				RawPath:        "/v1/lists/l 1/contacts/c-9",
				PathParameters: map[string]string{"id": "l 1", "contactId": "c-9"},
			},
		},
		{
			name:   "greedy path parameter",
			routes: []Route{{"ANY", "/files/{proxy+}", "files"}},
			method: "PATCH", target: "/files/a/b/c.txt",
			wantFunc: "files",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "ANY /files/{proxy+}", RawPath: "/files/a/b/c.txt",
				PathParameters: map[string]string{"proxy": "a/b/c.txt"},
			},
		},
		{
			name: "a literal path wins over a parameter",
			routes: []Route{
				{"GET", "/pets/{id}", "byID"}, {"GET", "/pets/dog", "dog"},
				{"GET", "/pets/{proxy+}", "rest"},
			},
			method: "GET", target: "/pets/dog", wantFunc: "dog",
			want: events.APIGatewayV2HTTPRequest{RouteKey: "GET /pets/dog", RawPath: "/pets/dog"},
		},
		{
			name: "a parameter wins over a greedy parameter",
			routes: []Route{
				{"GET", "/pets/{proxy+}", "rest"}, {"GET", "/pets/{id}", "byID"},
			},
			method: "GET", target: "/pets/cat", wantFunc: "byID",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "GET /pets/{id}", RawPath: "/pets/cat",
				PathParameters: map[string]string{"id": "cat"},
			},
		},
		{
			name: "the longer greedy prefix wins",
			routes: []Route{
				{"ANY", "/{proxy+}", "all"}, {"GET", "/pets/{proxy+}", "rest"},
			},
			method: "GET", target: "/pets/cat/1", wantFunc: "rest",
			want: events.APIGatewayV2HTTPRequest{
				RouteKey: "GET /pets/{proxy+}", RawPath: "/pets/cat/1",
				PathParameters: map[string]string{"proxy": "cat/1"},
			},
		},
		{
			name: "a named method wins over ANY",
			routes: []Route{
				{"ANY", "/v1/lists", "any"}, {"POST", "/v1/lists", "create"},
			},
			method: "POST", target: "/v1/lists", wantFunc: "create",
			want: events.APIGatewayV2HTTPRequest{RouteKey: "POST /v1/lists", RawPath: "/v1/lists"},
		},
		{
			name: "the $default route takes what no route matches",
			routes: []Route{
				{"GET", "/v1/lists", "lists"}, {Path: DefaultRoute, Function: "fallback"},
			},
			method: "POST", target: "/v1/lists", wantFunc: "fallback",
			want: events.APIGatewayV2HTTPRequest{RouteKey: "$default", RawPath: "/v1/lists"},
		},
		{
			name:   "the root path",
			routes: []Route{{"GET", "/", "root"}},
			method: "GET", target: "/", wantFunc: "root",
			want: events.APIGatewayV2HTTPRequest{RouteKey: "GET /", RawPath: "/"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			routes := tt.routes
			if routes == nil {
				routes = []Route{{Path: DefaultRoute, Function: "fn"}}
			}
			inv := &fakeInvoker{}
			s := newServer(t, routes, inv, Options{})
			req := httptest.NewRequest(tt.method, tt.target, bytes.NewReader(tt.body))
			maps.Copy(req.Header, tt.header)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
			}
			call := inv.last(t)
			if want := cmp.Or(tt.wantFunc, "fn"); call.function != want {
				t.Errorf("invoked %q, want %q", call.function, want)
			}
			got := decodeEvent(t, call.payload)

			if got.Version != "2.0" {
				t.Errorf("version = %q, want 2.0", got.Version)
			}
			if got.RequestContext.RouteKey != got.RouteKey {
				t.Errorf("requestContext.routeKey = %q, want %q",
					got.RequestContext.RouteKey, got.RouteKey)
			}
			if got.RequestContext.HTTP.Path != got.RawPath ||
				got.RequestContext.HTTP.Method != tt.method {
				t.Errorf("requestContext.http = %+v, want method %s and path %q",
					got.RequestContext.HTTP, tt.method, got.RawPath)
			}
			for _, c := range []struct {
				field     string
				got, want any
			}{
				{"routeKey", got.RouteKey, tt.want.RouteKey},
				{"rawPath", got.RawPath, tt.want.RawPath},
				{"rawQueryString", got.RawQueryString, tt.want.RawQueryString},
				{"cookies", got.Cookies, tt.want.Cookies},
				{"queryStringParameters", got.QueryStringParameters,
					tt.want.QueryStringParameters},
				{"pathParameters", got.PathParameters, tt.want.PathParameters},
				{"body", got.Body, tt.want.Body},
				{"isBase64Encoded", got.IsBase64Encoded, tt.want.IsBase64Encoded},
			} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s = %#v, want %#v", c.field, c.got, c.want)
				}
			}
			for k, want := range tt.wantHeaders {
				got, ok := got.Headers[k]
				if want == "" && ok {
					t.Errorf("headers[%q] = %q, want it absent", k, got)
				} else if want != "" && got != want {
					t.Errorf("headers[%q] = %q, want %q", k, got, want)
				}
			}
			for k := range got.Headers {
				if k != strings.ToLower(k) {
					t.Errorf("header name %q is not lower case", k)
				}
			}
			if tt.body == nil && bytes.Contains(call.payload, []byte(`"body"`)) {
				t.Errorf("payload has a body field without a body")
			}
		})
	}
}

func TestResponse(t *testing.T) {
	tests := []struct {
		name       string
		out        string
		err        error
		wantStatus int
		wantHeader http.Header // a subset; an empty list means absent
		wantBody   string
	}{
		{
			name: "status, headers and body",
			out: `{"statusCode":202,` +
				`"headers":{"content-type":"application/json","x-request":"r1"},` +
				`"body":"{\"requestId\":\"r1\"}"}`,
			wantStatus: 202,
			wantHeader: http.Header{"Content-Type": {"application/json"}, "X-Request": {"r1"}},
			wantBody:   `{"requestId":"r1"}`,
		},
		{
			name:       "cookies become Set-Cookie headers",
			out:        `{"statusCode":200,"cookies":["a=1; HttpOnly; Secure","b=2"],"body":"ok"}`,
			wantStatus: 200,
			wantHeader: http.Header{"Set-Cookie": {"a=1; HttpOnly; Secure", "b=2"}},
			wantBody:   "ok",
		},
		{
			name: "a base64 body is decoded",
			out: `{"statusCode":200,"headers":{"content-type":"image/png"},` +
				`"body":"AAEC/w==","isBase64Encoded":true}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"image/png"}},
			wantBody:   "\x00\x01\x02\xff",
		},
		{
			name:       "no content type is sent when the function sets none",
			out:        `{"statusCode":204}`,
			wantStatus: 204,
			wantHeader: http.Header{"Content-Type": {}},
		},
		{
			name:       "multiValueHeaders are ignored in format 2.0",
			out:        `{"statusCode":200,"multiValueHeaders":{"x-many":["1","2"]},"body":"x"}`,
			wantStatus: 200,
			wantHeader: http.Header{"X-Many": {}},
			wantBody:   "x",
		},
		{
			name: "an aws-lambda-go response with null fields",
			out: `{"statusCode":404,"headers":null,"multiValueHeaders":null,` +
				`"body":"gone","cookies":null}`,
			wantStatus: 404,
			wantBody:   "gone",
		},
		{
			name:       "JSON without statusCode is inferred",
			out:        `{"hello":"world"}`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
			wantBody:   `{"hello":"world"}`,
		},
		{
			name:       "a string is inferred",
			out:        `"hello"`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
			wantBody:   `"hello"`,
		},
		{
			name:       "null is inferred",
			out:        `null`,
			wantStatus: 200,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
			wantBody:   `null`,
		},
		{
			name:       "a function error",
			err:        errors.New("boom"),
			wantStatus: 500,
			wantHeader: http.Header{"Content-Type": {"application/json"}},
			wantBody:   `{"message":"Internal Server Error"}`,
		},
		{
			name:       "a result that is not JSON",
			out:        `not json`,
			wantStatus: 500,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
		{
			name:       "a bad status code",
			out:        `{"statusCode":42}`,
			wantStatus: 500,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
		{
			name:       "a status code that is not a number",
			out:        `{"statusCode":"200"}`,
			wantStatus: 500,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
		{
			name:       "a bad base64 body",
			out:        `{"statusCode":200,"body":"***","isBase64Encoded":true}`,
			wantStatus: 500,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &fakeInvoker{out: []byte(tt.out), err: tt.err}
			var logs bytes.Buffer
			s := newServer(t, []Route{{Path: DefaultRoute, Function: "fn"}}, inv,
				Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))

			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Body.String(); got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
			for k, want := range tt.wantHeader {
				if got := rec.Header().Values(k); !slices.Equal(got, want) {
					t.Errorf("header %s = %q, want %q", k, got, want)
				}
			}
			if id := rec.Header().Get("Apigw-Requestid"); len(id) != 16 {
				t.Errorf("apigw-requestid = %q, want an id", id)
			}
			if tt.wantStatus == 500 && !strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("the failure was not logged:\n%s", logs.String())
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	routes := []Route{
		{"GET", "/privacy", "page"},
		{"POST", "/privacy/requests", "intake"},
		{"GET", "/files/{proxy+}", "files"},
		{"GET", "/pets/{id}", "pet"},
	}
	tests := []struct{ name, method, target string }{
		{"no such path", "GET", "/nowhere"},
		{"method mismatch", "DELETE", "/privacy/requests"},
		{"HEAD is not GET", "HEAD", "/privacy"},
		{"trailing slash", "GET", "/privacy/"},
		{"greedy needs a segment", "GET", "/files/"},
		{"greedy needs a segment, without slash", "GET", "/files"},
		{"parameter needs a value", "GET", "/pets/"},
		{"extra segment", "GET", "/pets/1/toys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &fakeInvoker{}
			s := newServer(t, routes, inv, Options{})
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != http.StatusNotFound {
				t.Errorf("status = %d, want 404", rec.Code)
			}
			if tt.method != "HEAD" {
				if got, want := rec.Body.String(), `{"message":"Not Found"}`; got != want {
					t.Errorf("body = %s, want %s", got, want)
				}
			}
			if n := inv.count(); n != 0 {
				t.Errorf("the function was invoked %d times, want 0", n)
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	tests := []struct {
		name        string
		maxBody     int64
		size        int
		contentType string
		wantStatus  int
	}{
		{"at the limit", 10, 10, "text/plain", 200},
		{"over the limit", 10, 11, "text/plain", 413},
		{"over the default 10 MB", 0, 10<<20 + 1, "text/plain", 413},
		{"a base64 event over Lambda's 6 MB", 0, 5 << 20, "application/octet-stream", 413},
		{"a text event under Lambda's 6 MB", 0, 5 << 20, "text/plain", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &fakeInvoker{}
			s := newServer(t, []Route{{Path: DefaultRoute, Function: "fn"}}, inv,
				Options{MaxBody: tt.maxBody})
			body := bytes.Repeat([]byte("a"), tt.size)
			req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			req.Header.Set("Content-Type", tt.contentType)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus == 413 {
				want := `{"message":"Request Entity Too Large"}`
				if got := rec.Body.String(); got != want {
					t.Errorf("body = %s, want %s", got, want)
				}
				if n := inv.count(); n != 0 {
					t.Errorf("the function was invoked %d times, want 0", n)
				}
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	inv := &fakeInvoker{block: true}
	s := newServer(t, []Route{{Path: DefaultRoute, Function: "fn"}}, inv,
		Options{Timeout: 20 * time.Millisecond})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if got, want := rec.Body.String(), `{"message":"Service Unavailable"}`; got != want {
		t.Errorf("body = %s, want %s", got, want)
	}
}

var uuidRE = regexp.MustCompile(
	`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestLambdaContext(t *testing.T) {
	inv := &fakeInvoker{}
	s := newServer(t, []Route{{"POST", "/privacy/requests", "intake"}}, inv,
		Options{AccountID: "111122223333", Region: "eu-west-1"})
	var ids []string
	for range 2 {
		start := time.Now()
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/privacy/requests", nil))
		call := inv.last(t)
		if call.lc == nil {
			t.Fatal("the invoke context has no lambdacontext")
		}
		if !uuidRE.MatchString(call.lc.AwsRequestID) {
			t.Errorf("AwsRequestID = %q, want a UUID", call.lc.AwsRequestID)
		}
		want := "arn:aws:lambda:eu-west-1:111122223333:function:intake"
		if call.lc.InvokedFunctionArn != want {
			t.Errorf("InvokedFunctionArn = %q, want %q", call.lc.InvokedFunctionArn, want)
		}
		if d := call.deadline.Sub(start); d < DefaultTimeout || d > DefaultTimeout+time.Second {
			t.Errorf("invoke deadline in %v, want %v", d, DefaultTimeout)
		}
		ids = append(ids, call.lc.AwsRequestID)
	}
	if ids[0] == ids[1] {
		t.Errorf("two invocations share the request id %q", ids[0])
	}
}

func TestNew(t *testing.T) {
	const wholeSegment = "a parameter must be a whole segment"
	tests := []struct {
		name    string
		routes  []Route
		wantErr string // "" for success
	}{
		{"valid", []Route{
			{"GET", "/privacy", "page"}, {"POST", "/privacy/requests", "intake"},
			{"GET", "/privacy/requests/{id}", "status"},
			{"ANY", "/privacy/requests/{id}", "other"},
			{"GET", "/x/{proxy+}", "x"}, {"GET", "/", "root"},
			{"GET", "/v1/lists/{id}/contacts/{contactId}", "lists"},
			{Path: DefaultRoute, Function: "fallback"},
		}, ""},
		{"no routes", nil, ""},
		{"duplicate route", []Route{{"GET", "/a", "f"}, {"GET", "/a", "g"}},
			`route "GET /a" conflicts with "GET /a"`},
		{"parameter names differ", []Route{{"GET", "/a/{id}", "f"}, {"GET", "/a/{name}", "g"}},
			`route "GET /a/{name}" conflicts with "GET /a/{id}"`},
		{"two greedy routes", []Route{{"ANY", "/{proxy+}", "f"}, {"ANY", "/{path+}", "g"}},
			`conflicts with "ANY /{proxy+}"`},
		{"two default routes",
			[]Route{{Path: DefaultRoute, Function: "f"}, {Path: DefaultRoute, Function: "g"}},
			`route "$default" conflicts with "$default"`},
		{"no leading slash", []Route{{"GET", "privacy", "f"}}, `does not start with /`},
		{"trailing slash", []Route{{"GET", "/privacy/", "f"}}, `empty segment`},
		{"double slash", []Route{{"GET", "/a//b", "f"}}, `empty segment`},
		{"unclosed parameter", []Route{{"GET", "/a/{id", "f"}}, wholeSegment},
		{"partial parameter", []Route{{"GET", "/a/x{id}", "f"}}, wholeSegment},
		{"parameter with suffix", []Route{{"GET", "/a/{id}.json", "f"}}, wholeSegment},
		{"empty parameter", []Route{{"GET", "/a/{}", "f"}}, `bad parameter name`},
		{"greedy not last", []Route{{"GET", "/{proxy+}/x", "f"}}, `must be the last segment`},
		{"parameter twice", []Route{{"GET", "/a/{id}/b/{id}", "f"}},
			`parameter "id" appears twice`},
		{"lower-case method", []Route{{"get", "/a", "f"}}, `method "get" is not one of`},
		{"unknown method", []Route{{"FETCH", "/a", "f"}}, `method "FETCH" is not one of`},
		{"default route with a method", []Route{{"GET", DefaultRoute, "f"}}, `takes no method`},
		{"no function", []Route{{"GET", "/a", ""}}, `no function`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.routes, &fakeInvoker{}, Options{})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New() error = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New() error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	if _, err := New(nil, nil, Options{}); err == nil {
		t.Error("New() with no invoker succeeded, want an error")
	}
}

// registry is an Invoker over lambda.Handler values, as the local host
// builds it.
type registry map[string]lambda.Handler

func (r registry) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	h, ok := r[function]
	if !ok {
		return nil, errors.New("no function " + function)
	}
	return h.Invoke(ctx, payload)
}

// TestOverHTTP serves a real aws-lambda-go handler over a real connection.
func TestOverHTTP(t *testing.T) {
	var seen events.APIGatewayV2HTTPRequest
	var requestID string
	handler := func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (
		events.APIGatewayV2HTTPResponse, error) {
		seen = ev
		if lc, ok := lambdacontext.FromContext(ctx); ok {
			requestID = lc.AwsRequestID
		}
		if ev.PathParameters["id"] == "fail" {
			return events.APIGatewayV2HTTPResponse{}, errors.New("failed on purpose")
		}
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 200,
			Headers:    map[string]string{"Content-Type": "text/plain"},
			Cookies:    []string{"seen=1"},
			Body:       "request " + ev.PathParameters["id"],
		}, nil
	}
	s := newServer(t, []Route{{"GET", "/privacy/requests/{id}", "status"}},
		registry{"status": lambda.NewHandler(handler)}, Options{})
	srv := httptest.NewServer(s)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/privacy/requests/r-1?token=t")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "request r-1" {
		t.Errorf("response = %d %q, want 200 %q", resp.StatusCode, body, "request r-1")
	}
	if got := resp.Header.Values("Set-Cookie"); !slices.Equal(got, []string{"seen=1"}) {
		t.Errorf("Set-Cookie = %q, want [seen=1]", got)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	_, port, _ := strings.Cut(host, ":")
	for _, c := range []struct{ field, got, want string }{
		{"domainName", seen.RequestContext.DomainName, host},
		{"domainPrefix", seen.RequestContext.DomainPrefix, "127"},
		{"sourceIp", seen.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		{"protocol", seen.RequestContext.HTTP.Protocol, "HTTP/1.1"},
		{"userAgent", seen.RequestContext.HTTP.UserAgent, "Go-http-client/1.1"},
		{"headers.host", seen.Headers["host"], host},
		{"headers.x-forwarded-port", seen.Headers["x-forwarded-port"], port},
		{"headers.x-forwarded-proto", seen.Headers["x-forwarded-proto"], "http"},
		{"queryStringParameters.token", seen.QueryStringParameters["token"], "t"},
		{"stage", seen.RequestContext.Stage, "$default"},
		{"apiId", seen.RequestContext.APIID, "local"},
		{"accountId", seen.RequestContext.AccountID, "000000000000"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	traceRE := regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$`)
	if !traceRE.MatchString(seen.Headers["x-amzn-trace-id"]) {
		t.Errorf("x-amzn-trace-id = %q, want an X-Ray trace id", seen.Headers["x-amzn-trace-id"])
	}
	if !uuidRE.MatchString(requestID) {
		t.Errorf("the handler saw lambda request id %q, want a UUID", requestID)
	}

	resp, err = http.Get(srv.URL + "/privacy/requests/fail")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 500 || string(body) != `{"message":"Internal Server Error"}` {
		t.Errorf("response to a failing handler = %d %s, want 500", resp.StatusCode, body)
	}
}
