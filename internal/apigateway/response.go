package apigateway

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"strconv"
	"strings"
)

// securityHeaders go on every answer: nothing is cached, sniffed, framed, or
// leaked through the Referer header (links carry tokens).
func securityHeaders(contentType string) map[string]string {
	return map[string]string{
		"content-type":           contentType,
		"cache-control":          "no-store",
		"x-content-type-options": "nosniff",
		"referrer-policy":        "no-referrer",
		"x-frame-options":        "DENY",
	}
}

// JSON answers with v as JSON.
func JSON(status int, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return ErrorResponse(Errorf(500, "internal", "the answer could not be encoded"))
	}
	return Response{
		StatusCode: status, Headers: securityHeaders("application/json"), Body: string(b),
	}
}

// HTML answers with a page. Pages load nothing from elsewhere and run no script.
func HTML(status int, page string) Response {
	h := securityHeaders("text/html; charset=utf-8")
	h["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	return Response{StatusCode: status, Headers: h, Body: page}
}

// Bytes answers with a body of the given type, for downloads.
func Bytes(status int, contentType, filename string, body []byte) Response {
	h := securityHeaders(contentType)
	if filename != "" {
		h["content-disposition"] = mime.FormatMediaType("attachment",
			map[string]string{"filename": filename})
	}
	return Response{StatusCode: status, Headers: h, Body: string(body)}
}

// errorBody is the body of every error answer.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// ErrorResponse answers with the error body.
func ErrorResponse(e *Error) Response {
	var b errorBody
	b.Error.Code, b.Error.Message = e.Code, e.Message
	body, _ := json.Marshal(b)
	return Response{
		StatusCode: e.Status, Headers: securityHeaders("application/json"), Body: string(body),
	}
}

// AsError returns err as an *Error, or a 500 for anything unexpected.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return Errorf(500, "internal", "something went wrong on our side; please try again")
}

// Handler is a route's logic; an error it returns becomes the error body.
type Handler func(ctx context.Context, r Request) (Response, error)

// Serve wraps a Handler for lambda.Start: unexpected errors and panics are
// logged (without the request) and answered with a 500 error body, so API
// Gateway never sees a failed invocation.
func Serve(log *slog.Logger, h Handler) func(context.Context, Request) (Response, error) {
	return func(ctx context.Context, r Request) (resp Response, err error) {
		defer func() {
			if p := recover(); p != nil {
				log.ErrorContext(ctx, "handler panicked", "route", r.RouteKey,
					"panic", strconv.Quote(strings.SplitN(panicText(p), "\n", 2)[0]))
				resp, err = ErrorResponse(AsError(nil)), nil
			}
		}()
		resp, err = h(ctx, r)
		if err == nil {
			return resp, nil
		}
		e := AsError(err)
		if e.Status >= 500 {
			log.ErrorContext(ctx, "request failed", "route", r.RouteKey, "err", err)
		}
		return ErrorResponse(e), nil
	}
}

func panicText(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "panic"
}

// Accepts picks the first of offers that the Accept header allows, by its
// quality values; with no Accept header it picks the first offer. It returns
// "" when none is acceptable.
func Accepts(r Request, offers ...string) string {
	accept := Header(r, "accept")
	if strings.TrimSpace(accept) == "" {
		return offers[0]
	}
	best, bestQ := "", 0.0
	for _, offer := range offers {
		for _, part := range strings.Split(accept, ",") {
			mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			q := 1.0
			if v, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
			if q > bestQ && mediaMatches(mt, offer) {
				best, bestQ = offer, q
			}
		}
	}
	return best
}

func mediaMatches(pattern, offer string) bool {
	if pattern == "*/*" || pattern == offer {
		return true
	}
	if typ, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(offer, typ+"/")
	}
	return false
}
