// Package apigateway turns API Gateway HTTP API (payload 2.0) events into
// request data and answers back: body decoding and limits, strict JSON,
// content negotiation, the error body of every route, and safe HTML headers.
package apigateway

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Request and Response are the event types of an HTTP API with payload 2.0.
type (
	Request  = events.APIGatewayV2HTTPRequest
	Response = events.APIGatewayV2HTTPResponse
)

// Error is an answer other than success: a status, a machine-readable code and
// a message for people. Its message never carries personal data.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Errorf makes an Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Header returns a request header; API Gateway lower-cases their names.
func Header(r Request, name string) string {
	return r.Headers[strings.ToLower(name)]
}

// Body returns the request body, decoding a body that API Gateway delivered
// base64-encoded. A body over limit bytes is a 413, bad base64 a 400.
func Body(r Request, limit int) ([]byte, error) {
	if len(r.Body) > limit*4/3+4 {
		return nil, tooLarge(limit)
	}
	b := []byte(r.Body)
	if r.IsBase64Encoded {
		d, err := base64.StdEncoding.DecodeString(r.Body)
		if err != nil {
			return nil, Errorf(400, "invalid_body", "the body is not valid base64")
		}
		b = d
	}
	if len(b) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

func tooLarge(limit int) *Error {
	return Errorf(413, "body_too_large", "the body is larger than %d KB", limit/1024)
}

// MediaType returns the request's content type without parameters, lower-case.
func MediaType(r Request) string {
	mt, _, err := mime.ParseMediaType(Header(r, "content-type"))
	if err != nil {
		return ""
	}
	return mt
}

// Form parses an application/x-www-form-urlencoded body. Each field may appear
// once.
func Form(body []byte) (url.Values, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, Errorf(400, "invalid_form", "the form data cannot be read")
	}
	for k, vs := range v {
		if len(vs) > 1 {
			return nil, Errorf(400, "duplicate_field", "the field %q appears more than once", k)
		}
	}
	return v, nil
}

// DecodeJSON decodes one JSON object into v, strictly: unknown fields, a key
// given twice, two keys that differ only in letter case (Go would silently
// merge "email" and "EMAIL"), and data after the object are all 400s.
func DecodeJSON(body []byte, v any) error {
	if err := checkKeys(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		switch {
		case errors.As(err, &ute):
			return Errorf(400, "invalid_json", "the field %q has the wrong type", ute.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return Errorf(400, "unknown_field", "the body has a field this route does not take: %s",
				strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return Errorf(400, "invalid_json", "the body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return Errorf(400, "invalid_json", "the body has data after the JSON object")
	}
	return nil
}

// checkKeys walks the JSON tokens and refuses duplicate or case-variant keys
// in any object, and a top level that is not an object.
func checkKeys(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var stack []*jsonFrame
	first := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Errorf(400, "invalid_json", "the body is not valid JSON")
		}
		if first {
			if d, ok := tok.(json.Delim); !ok || d != '{' {
				return Errorf(400, "invalid_json", "the body must be a JSON object")
			}
			first = false
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				markValue(stack)
				continue
			}
			k := strings.ToLower(tok.(string))
			if top.keys[k] {
				return Errorf(400, "duplicate_key",
					"the key %q appears more than once (keys are compared without letter case)", tok)
			}
			top.keys[k] = true
			top.wantKey = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{object: true, keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			markValue(stack)
		default:
			markValue(stack)
		}
	}
	if first {
		return Errorf(400, "invalid_json", "the body is empty")
	}
	return nil
}

// jsonFrame is an object or array being walked by checkKeys.
type jsonFrame struct {
	object  bool
	keys    map[string]bool
	wantKey bool
}

// markValue notes that the object on top of the stack got a value and now
// expects a key.
func markValue(stack []*jsonFrame) {
	if n := len(stack); n > 0 && stack[n-1].object {
		stack[n-1].wantKey = true
	}
}

// FromEvent reads an event that may come from API Gateway or from elsewhere
// (a Step Functions task, say). It reports whether it is an API event, which
// always has a routeKey, and decodes it when it is.
func FromEvent(raw []byte) (Request, bool, error) {
	var probe struct {
		RouteKey string `json:"routeKey"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return Request{}, false, fmt.Errorf("decoding event: %w", err)
	}
	if probe.RouteKey == "" {
		return Request{}, false, nil
	}
	var r Request
	if err := json.Unmarshal(raw, &r); err != nil {
		return Request{}, false, fmt.Errorf("decoding API event: %w", err)
	}
	return r, true, nil
}
