package privacycenter

import (
	"strings"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/privacy"
)

func TestPages(t *testing.T) {
	hostile := `<script>alert(1)</script>"'&`
	req := privacy.Request{
		ID: "req_x", Type: privacy.Access, Status: privacy.AwaitingVerification,
		ReceivedAt: time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC),
		DueAt:      time.Date(2027, 1, 4, 16, 0, 0, 0, time.UTC),
	}
	tests := []struct {
		name string
		page string
		want []string
	}{
		{"form", FormPage(NewForm("erasure", hostile, hostile, hostile, "ccpa", hostile)),
			[]string{`value="erasure" required checked`, `id="form-error"`, `value="ccpa" selected`,
				`action="/privacy/requests"`}},
		{"ack", AckPage(Ack{RequestID: "req_x", DueAt: req.DueAt, StatusURL: "/privacy/requests/req_x?token=t"}),
			[]string{`id="request-id">req_x<`, "4 January 2027", `href="/privacy/requests/req_x?token=t"`}},
		{"status with cancel", StatusPage(Status{Request: req, Token: "tok", CanCancel: true}),
			[]string{"Waiting for you to confirm", `name="token" value="tok"`, "/privacy/requests/req_x/cancel"}},
		{"verify valid", VerifyPage(Verify{State: privacy.TokenValid, Token: "tok", Request: req}),
			[]string{`id="confirm"`, `name="token" value="tok"`}},
		{"verify confirmed", VerifyPage(Verify{State: privacy.TokenValid, Confirmed: true, Request: req}),
			[]string{"your request is confirmed"}},
		{"verify used", VerifyPage(Verify{State: privacy.TokenUsed}), []string{"Already confirmed"}},
		{"verify expired", VerifyPage(Verify{State: privacy.TokenExpired}), []string{"has expired"}},
		{"verify unknown", VerifyPage(Verify{State: privacy.TokenUnknown}), []string{"not valid"}},
		{"message", MessagePage(Message{Title: hostile, Text: hostile}), []string{"&lt;script&gt;"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(tt.page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(tt.page, "<script") {
				t.Error("page has a script element or an unescaped value")
			}
			if !strings.Contains(tt.page, `<meta name="referrer" content="no-referrer">`) {
				t.Error("page lacks the referrer policy")
			}
		})
	}
}

func TestStatusTextCoversEveryStatus(t *testing.T) {
	for _, s := range []privacy.Status{
		privacy.AwaitingVerification, privacy.Verified, privacy.InProgress, privacy.Completed,
		privacy.Denied, privacy.Expired, privacy.Cancelled, privacy.Failed,
	} {
		if got := StatusText(s); got == string(s) || got == "" {
			t.Errorf("StatusText(%s) = %q, want a sentence", s, got)
		}
	}
}
