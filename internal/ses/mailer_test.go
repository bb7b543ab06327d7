package ses

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	awsses "github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/immagnify/immagnify/infra/local/standin/standintest"
	"github.com/immagnify/immagnify/internal/privacy"
)

// storedEmail is one message as aws-ses-v2-local lists it on GET /store.
type storedEmail struct {
	From        string `json:"from"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		Text string `json:"text"`
	} `json:"body"`
}

func store(t *testing.T, endpoint string) []storedEmail {
	t.Helper()
	resp, err := http.Get(endpoint + "/store")
	if err != nil {
		t.Fatalf("GET /store: %v", err)
	}
	defer resp.Body.Close()
	var s struct {
		Emails []storedEmail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatalf("decoding /store: %v", err)
	}
	return s.Emails
}

func TestSend(t *testing.T) {
	endpoint := standintest.SES(t)
	client := awsses.NewFromConfig(standintest.AWSConfig(endpoint))
	m := NewMailer(client, "privacy@immagnify.test")

	tests := []struct {
		name    string
		msg     privacy.Message
		wantErr bool
	}{
		{name: "ascii", msg: privacy.Message{
			To: "anna@example.com", Subject: "Confirm your request",
			Text: "Open this link:\nhttps://example.test/verify?token=x\n",
		}},
		{name: "non-ascii subject and body", msg: privacy.Message{
			To: "zoe@example.com", Subject: "Bestätigen Sie Ihre Anfrage – Zoë",
			Text: "Grüße aus Århus. 日本語のテキスト. ✓\n",
		}},
		{name: "no recipient", msg: privacy.Message{Subject: "s", Text: "t"},
			wantErr: true},
		{name: "no subject", msg: privacy.Message{To: "a@example.com", Text: "t"},
			wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(store(t, endpoint))
			err := m.Send(context.Background(), tt.msg)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			emails := store(t, endpoint)
			if tt.wantErr {
				if len(emails) != before {
					t.Errorf("got %d emails stored, want %d", len(emails), before)
				}
				return
			}
			if len(emails) != before+1 {
				t.Fatalf("got %d emails stored, want %d", len(emails), before+1)
			}
			got := emails[len(emails)-1]
			if got.From != "privacy@immagnify.test" ||
				len(got.Destination.To) != 1 || got.Destination.To[0] != tt.msg.To ||
				got.Subject != tt.msg.Subject || got.Body.Text != tt.msg.Text {
				t.Errorf("stored %+v, want from privacy@immagnify.test, to %q, "+
					"subject %q, text %q", got, tt.msg.To, tt.msg.Subject, tt.msg.Text)
			}
		})
	}
}

// A rejection names the address in SES's message; the error text must not.
func TestSendErrorLeavesOutTheAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">` +
			`<Error><Type>Sender</Type><Code>MessageRejected</Code>` +
			`<Message>Email address is not verified: secret@example.com</Message>` +
			`</Error><RequestId>1</RequestId></ErrorResponse>`))
	}))
	defer srv.Close()
	client := awsses.NewFromConfig(standintest.AWSConfig(srv.URL))
	err := NewMailer(client, "privacy@immagnify.test").Send(context.Background(),
		privacy.Message{To: "secret@example.com", Subject: "s", Text: "t"})

	var rejected *types.MessageRejected
	if !errors.As(err, &rejected) {
		t.Fatalf("got %v, want a *types.MessageRejected inside", err)
	}
	var se *SendError
	if !errors.As(err, &se) || se.Code != "MessageRejected" {
		t.Errorf("got %v, want a *SendError with code MessageRejected", err)
	}
	if strings.Contains(err.Error(), "secret@") {
		t.Errorf("error text %q names the address", err.Error())
	}
}

func TestASCIIAddress(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{"zoe@northwind.example", "zoe@northwind.example", false},
		{"a@bücher.example", "a@xn--bcher-kva.example", false},
		{"a@ｂ.example", "a@b.example", false},
		{"A.B+tag@Example.COM", "A.B+tag@example.com", false},
		{"zoë@example.com", "", true},
		{"a b@example.com", "", true},
		{"no-at-sign", "", true},
		{"a@", "", true},
		{"a@bad_domain!.example", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ASCIIAddress(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ASCIIAddress(%q) = %q, %v; want %q (error %v)", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), tt.in) {
				t.Errorf("error %q repeats the address", err)
			}
		})
	}
}
