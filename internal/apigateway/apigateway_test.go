package apigateway

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
)

func TestBody(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		limit      int
		want       string
		wantStatus int
	}{
		{"plain", Request{Body: `{"a":1}`}, 64, `{"a":1}`, 0},
		{"base64", Request{Body: base64.StdEncoding.EncodeToString([]byte("type=access")),
			IsBase64Encoded: true}, 64, "type=access", 0},
		{"bad base64", Request{Body: "%%%", IsBase64Encoded: true}, 64, "", 400},
		{"over limit", Request{Body: strings.Repeat("a", 65)}, 64, "", 413},
		{"base64 over limit", Request{Body: base64.StdEncoding.EncodeToString(
			make([]byte, 65)), IsBase64Encoded: true}, 64, "", 413},
		{"at limit", Request{Body: strings.Repeat("a", 64)}, 64, strings.Repeat("a", 64), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Body(tt.req, tt.limit)
			if tt.wantStatus != 0 {
				var e *Error
				if !errors.As(err, &e) || e.Status != tt.wantStatus {
					t.Fatalf("Body() error = %v, want status %d", err, tt.wantStatus)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("Body() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	type sub struct {
		Type  string            `json:"type"`
		Email string            `json:"email"`
		Extra map[string]string `json:"extra"`
	}
	tests := []struct {
		name     string
		body     string
		wantCode string
	}{
		{"valid", `{"type":"access","email":"a@example.com"}`, ""},
		{"nested valid", `{"extra":{"a":"1","b":"2"}}`, ""},
		{"broken", `{"type":`, "invalid_json"},
		{"not an object", `["type"]`, "invalid_json"},
		{"empty", ``, "invalid_json"},
		{"duplicate key", `{"email":"a@example.com","email":"b@example.com"}`, "duplicate_key"},
		{"case variant key", `{"email":"a@example.com","EMAIL":"b@example.com"}`, "duplicate_key"},
		{"nested duplicate", `{"extra":{"a":"1","A":"2"}}`, "duplicate_key"},
		{"same key in two objects", `{"extra":{"type":"1"},"type":"x"}`, ""},
		{"unknown field", `{"tipe":"access"}`, "unknown_field"},
		{"wrong type", `{"type":3}`, "invalid_json"},
		{"trailing data", `{"type":"access"} {}`, "invalid_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v sub
			err := DecodeJSON([]byte(tt.body), &v)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.wantCode || e.Status != 400 {
				t.Fatalf("DecodeJSON() = %v, want 400 %s", err, tt.wantCode)
			}
		})
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		name, accept string
		want         string
	}{
		{"absent", "", "application/json"},
		{"csv", "text/csv", "text/csv"},
		{"any", "*/*", "application/json"},
		{"browser", "text/html,application/xhtml+xml,*/*;q=0.8", "application/json"},
		{"quality", "application/json;q=0.5, text/csv", "text/csv"},
		{"nothing acceptable", "image/png", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Request{Headers: map[string]string{}}
			if tt.accept != "" {
				r.Headers["accept"] = tt.accept
			}
			if got := Accepts(r, "application/json", "text/csv"); got != tt.want {
				t.Errorf("Accepts(%q) = %q, want %q", tt.accept, got, tt.want)
			}
		})
	}
}

func TestServe(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name       string
		h          Handler
		wantStatus int
		wantBody   string
	}{
		{"typed error", func(context.Context, Request) (Response, error) {
			return Response{}, Errorf(404, "not_found", "no such thing")
		}, 404, `{"error":{"code":"not_found","message":"no such thing"}}`},
		{"unexpected error", func(context.Context, Request) (Response, error) {
			return Response{}, errors.New("db down")
		}, 500, `"code":"internal"`},
		{"panic", func(context.Context, Request) (Response, error) {
			panic("boom")
		}, 500, `"code":"internal"`},
		{"success", func(context.Context, Request) (Response, error) {
			return JSON(202, map[string]string{"ok": "yes"}), nil
		}, 202, `{"ok":"yes"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Serve(log, tt.h)(context.Background(), Request{})
			if err != nil {
				t.Fatalf("Serve() error = %v", err)
			}
			if got.StatusCode != tt.wantStatus || !strings.Contains(got.Body, tt.wantBody) {
				t.Errorf("Serve() = %d %s, want %d containing %s",
					got.StatusCode, got.Body, tt.wantStatus, tt.wantBody)
			}
			if got.Headers["content-type"] != "application/json" {
				t.Errorf("content-type = %q", got.Headers["content-type"])
			}
		})
	}
}
