// Package apigw stands in for an API Gateway HTTP API with Lambda proxy
// integrations on the local host. Its Server turns each HTTP request into
// the payload format 2.0 event API Gateway would send
// (events.APIGatewayV2HTTPRequest), invokes the function of the matching
// route, and turns the function's result back into an HTTP response by the
// same rules as API Gateway.
package apigw

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Invoker invokes a function by name with a JSON payload and returns its
// JSON result. The local host implements it over a registry of
// lambda.Handler values built with lambda.NewHandler.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// Limits that API Gateway and Lambda apply.
const (
	// DefaultMaxBody is API Gateway's limit on a request body: 10 MB.
	DefaultMaxBody = 10 << 20
	// DefaultTimeout is API Gateway's integration timeout: 30 s.
	DefaultTimeout = 30 * time.Second
	// maxInvokePayload is Lambda's limit on a synchronous invocation's
	// event and on its result: 6 MB.
	maxInvokePayload = 6 << 20
)

// Options configure a Server. The zero value gives API Gateway's defaults.
type Options struct {
	// Logger receives one line per request (ids, route, status, duration;
	// never paths, queries or bodies) and function errors. Default:
	// slog.Default().
	Logger *slog.Logger
	// APIID is the API id in the request context. Default: "local".
	APIID string
	// AccountID is the account id in the request context and in function
	// ARNs. Default: "000000000000".
	AccountID string
	// Region is the region in function ARNs. Default: "us-east-1".
	Region string
	// MaxBody is the largest request body accepted; a larger one is
	// answered 413. Default: DefaultMaxBody.
	MaxBody int64
	// Timeout bounds each invocation, which is answered 503 when it runs
	// out. Default: DefaultTimeout.
	Timeout time.Duration
}

// Server is an http.Handler that routes requests to functions as an API
// Gateway HTTP API does. It is safe for concurrent use.
type Server struct {
	routes []*route // every route but $default
	def    *route   // the $default route, if any
	inv    Invoker
	opts   Options
	log    *slog.Logger
}

// New returns a Server for routes. It fails when a route is malformed or
// conflicts with another (same method and same path up to parameter names).
func New(routes []Route, inv Invoker, opts Options) (*Server, error) {
	if inv == nil {
		return nil, errors.New("creating API: no invoker")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.APIID == "" {
		opts.APIID = "local"
	}
	if opts.AccountID == "" {
		opts.AccountID = "000000000000"
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	s := &Server{inv: inv, opts: opts, log: opts.Logger}
	shapes := map[string]string{}
	for _, r := range routes {
		rt, err := parseRoute(r)
		if err != nil {
			return nil, fmt.Errorf("creating API: route %q: %w", r.Key(), err)
		}
		if other, ok := shapes[rt.shape()]; ok {
			return nil, fmt.Errorf("creating API: route %q conflicts with %q", rt.key, other)
		}
		shapes[rt.shape()] = rt.key
		if rt.key == DefaultRoute {
			s.def = rt
			continue
		}
		s.routes = append(s.routes, rt)
	}
	return s, nil
}

// route finds the route for a request and its path parameters.
func (s *Server) route(method, path string) (*route, map[string]string) {
	segs := splitPath(path)
	var best *route
	var bestParams map[string]string
	for _, rt := range s.routes {
		if rt.Method != method && rt.Method != "ANY" {
			continue
		}
		params, ok := rt.match(segs)
		if ok && (best == nil || moreSpecific(rt, best)) {
			best, bestParams = rt, params
		}
	}
	if best == nil {
		return s.def, nil
	}
	return best, bestParams
}

// ServeHTTP answers one request by invoking the function of its route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	reqID := newRequestID()
	w.Header().Set("Apigw-Requestid", reqID)
	rt, params := s.route(r.Method, r.URL.Path)
	status, routeKey := s.serve(w, r, reqID, start, rt, params)
	s.log.Info("api request", "requestId", reqID, "routeKey", routeKey,
		"method", r.Method, "status", status, "duration", time.Since(start))
}

// serve does the work of ServeHTTP and returns the status it answered.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, reqID string,
	start time.Time, rt *route, params map[string]string) (int, string) {
	if rt == nil {
		return writeMessage(w, http.StatusNotFound), ""
	}
	if r.ContentLength > s.opts.MaxBody {
		return writeMessage(w, http.StatusRequestEntityTooLarge), rt.key
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, s.opts.MaxBody+1))
	if err != nil {
		s.log.Warn("reading request body", "requestId", reqID, "err", err)
		return writeMessage(w, http.StatusBadRequest), rt.key
	}
	if int64(len(body)) > s.opts.MaxBody {
		return writeMessage(w, http.StatusRequestEntityTooLarge), rt.key
	}

	ev := s.event(r, body, reqID, start, rt, params)
	payload, err := json.Marshal(wireEvent{APIGatewayV2HTTPRequest: ev,
		RequestContext: wireContext{APIGatewayV2HTTPRequestContext: ev.RequestContext}})
	if err != nil {
		s.log.Error("encoding event", "requestId", reqID, "err", err)
		return writeMessage(w, http.StatusInternalServerError), rt.key
	}
	if len(payload) > maxInvokePayload {
		// Lambda refuses the invocation; the client can only send less.
		return writeMessage(w, http.StatusRequestEntityTooLarge), rt.key
	}

	lc := &lambdacontext.LambdaContext{
		AwsRequestID: newUUID(),
		InvokedFunctionArn: fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s",
			s.opts.Region, s.opts.AccountID, rt.Function),
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.Timeout)
	defer cancel()
	out, err := s.inv.Invoke(lambdacontext.NewContext(ctx, lc), rt.Function, payload)
	log := s.log.With("requestId", reqID, "lambdaRequestId", lc.AwsRequestID,
		"function", rt.Function)
	switch {
	case err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		log.Error("function timed out", "timeout", s.opts.Timeout, "err", err)
		return writeMessage(w, http.StatusServiceUnavailable), rt.key
	case err != nil:
		log.Error("function failed", "err", err)
		return writeMessage(w, http.StatusInternalServerError), rt.key
	case len(out) > maxInvokePayload:
		log.Error("function result exceeds Lambda's 6 MB limit", "bytes", len(out))
		return writeMessage(w, http.StatusInternalServerError), rt.key
	}
	status, err := writeResult(w, out)
	if err != nil {
		log.Error("malformed function result", "err", err)
		return writeMessage(w, http.StatusInternalServerError), rt.key
	}
	return status, rt.key
}

// wireEvent is the event as API Gateway serialises it: without the
// authentication block, which it sends only for mutual TLS.
type wireEvent struct {
	events.APIGatewayV2HTTPRequest
	RequestContext wireContext `json:"requestContext"`
}

type wireContext struct {
	events.APIGatewayV2HTTPRequestContext
	Authentication *struct{} `json:"authentication,omitempty"`
}

// timeFormat is the layout of requestContext.time.
const timeFormat = "02/Jan/2006:15:04:05 -0700"

// event builds the payload format 2.0 event for a request.
func (s *Server) event(r *http.Request, body []byte, reqID string, now time.Time,
	rt *route, params map[string]string) events.APIGatewayV2HTTPRequest {
	sourceIP := r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		sourceIP = host
	}
	now = now.UTC()
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rt.key,
		RawPath:               r.URL.Path,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies(r.Header),
		Headers:               headers(r, len(body), sourceIP),
		QueryStringParameters: queryParameters(r.URL.RawQuery),
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rt.key,
			AccountID:    s.opts.AccountID,
			Stage:        "$default",
			RequestID:    reqID,
			APIID:        s.opts.APIID,
			DomainName:   r.Host,
			DomainPrefix: domainPrefix(r.Host),
			Time:         now.Format(timeFormat),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(r.Header.Get("Content-Type")) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// headers returns the request headers as API Gateway passes them: names in
// lower case, repeated values joined by commas, cookies left out (they go
// in the cookies field), and the headers API Gateway adds.
func headers(r *http.Request, bodyLen int, sourceIP string) map[string]string {
	h := make(map[string]string, len(r.Header)+6)
	for k, vs := range r.Header {
		k = strings.ToLower(k)
		if k == "cookie" {
			continue
		}
		if prev, ok := h[k]; ok {
			vs = append([]string{prev}, vs...)
		}
		h[k] = strings.Join(vs, ",")
	}
	h["host"] = r.Host
	h["content-length"] = strconv.Itoa(bodyLen)
	if xff := h["x-forwarded-for"]; xff != "" {
		h["x-forwarded-for"] = xff + ", " + sourceIP
	} else {
		h["x-forwarded-for"] = sourceIP
	}
	h["x-forwarded-proto"] = "http"
	if r.TLS != nil {
		h["x-forwarded-proto"] = "https"
	}
	h["x-forwarded-port"] = localPort(r)
	if h["x-amzn-trace-id"] == "" {
		h["x-amzn-trace-id"] = newTraceID()
	}
	return h
}

// localPort returns the port the request came in on.
func localPort(r *http.Request) string {
	if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, port, err := net.SplitHostPort(addr.String()); err == nil {
			return port
		}
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil {
		return port
	}
	if r.TLS != nil {
		return "443"
	}
	return "80"
}

// cookies splits the Cookie headers into the event's cookies field.
func cookies(h http.Header) []string {
	var out []string
	for _, line := range h.Values("Cookie") {
		for c := range strings.SplitSeq(line, ";") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// queryParameters decodes a query string as API Gateway does: repeated
// values joined by commas, in order.
func queryParameters(raw string) map[string]string {
	var q map[string]string
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, v = unescape(k), unescape(v)
		if q == nil {
			q = map[string]string{}
		}
		if prev, ok := q[k]; ok {
			v = prev + "," + v
		}
		q[k] = v
	}
	return q
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// domainPrefix returns the first label of host, without the port.
func domainPrefix(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	prefix, _, _ := strings.Cut(host, ".")
	return prefix
}

// isText reports whether API Gateway passes a body of this content type as
// text rather than base64. HTTP APIs do not document the list; observed
// on AWS, text/* and JSON, XML and JavaScript are text, and everything
// else is base64, including application/x-www-form-urlencoded and a body
// without a content type.
func isText(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(contentType), ";")
		mt = strings.TrimSpace(mt)
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// writeMessage answers with API Gateway's own JSON error for status.
func writeMessage(w http.ResponseWriter, status int) int {
	msg := map[int]string{
		http.StatusBadRequest:            "Bad Request",
		http.StatusNotFound:              "Not Found",
		http.StatusRequestEntityTooLarge: "Request Entity Too Large",
		http.StatusInternalServerError:   "Internal Server Error",
		http.StatusServiceUnavailable:    "Service Unavailable",
	}[status]
	body, _ := json.Marshal(map[string]string{"message": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

// result is the payload format 2.0 response a function may return.
// API Gateway ignores multiValueHeaders in this format.
type result struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Cookies         []string          `json:"cookies"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// writeResult turns a function's result into the response. A JSON object
// with statusCode is a response description; any other JSON is the body of
// a 200 application/json response, as API Gateway infers it.
func writeResult(w http.ResponseWriter, out []byte) (int, error) {
	if !json.Valid(out) {
		return 0, errors.New("result is not JSON")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(out, &fields); err != nil || fields["statusCode"] == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
		return http.StatusOK, nil
	}

	var res result
	if err := json.Unmarshal(out, &res); err != nil {
		return 0, fmt.Errorf("decoding response: %w", err)
	}
	if res.StatusCode < 100 || res.StatusCode > 599 {
		return 0, fmt.Errorf("status code %d is not an HTTP status", res.StatusCode)
	}
	body := []byte(res.Body)
	if res.IsBase64Encoded {
		var err error
		if body, err = base64.StdEncoding.DecodeString(res.Body); err != nil {
			return 0, fmt.Errorf("decoding base64 body: %w", err)
		}
	}
	for k, v := range res.Headers {
		w.Header().Set(k, v)
	}
	for _, c := range res.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header()["Content-Type"] = nil // send none rather than a guess
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(body)
	return res.StatusCode, nil
}

// newRequestID returns an id shaped like API Gateway's, such as
// "LV7fzho-PHcEJPw=".
func newRequestID() string {
	var b [11]byte
	_, _ = rand.Read(b[:])
	return base64.URLEncoding.EncodeToString(b[:])
}

// newTraceID returns an X-Ray trace header value, as API Gateway adds.
func newTraceID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("Root=1-%08x-%x", time.Now().Unix(), b)
}

// newUUID returns a random (version 4) UUID, the shape of Lambda request
// ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
