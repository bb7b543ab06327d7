package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/privacy"
)

type customers map[string]contact.Customer

func (c customers) GetCustomer(_ context.Context, id string) (contact.Customer, error) {
	if v, ok := c[id]; ok {
		return v, nil
	}
	return contact.Customer{}, contact.ErrNotFound
}

func (c customers) PutCustomer(_ context.Context, v contact.Customer) error {
	c[v.ID] = v
	return nil
}

type mailer struct {
	sent []privacy.Message
	fail bool
}

func (m *mailer) Send(_ context.Context, msg privacy.Message) error {
	if m.fail {
		return errors.New("ses unavailable")
	}
	m.sent = append(m.sent, msg)
	return nil
}

func loadBatch(t *testing.T) events.SQSEvent {
	t.Helper()
	b, err := os.ReadFile("../../../events/notify/sqs-batch.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.SQSEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestHandle(t *testing.T) {
	northwind := contact.Customer{ID: "cus_demo_northwind", Name: "Northwind",
		NoticeEmail: "dpo@northwind.example"}
	tests := []struct {
		name       string
		customers  customers
		fallback   string
		failMail   bool
		wantFailed []string
		wantTo     []string
	}{
		{"notice to the customer, bad message retried", customers{northwind.ID: northwind}, "",
			false, []string{"2e1424d4-f796-459a-8184-9c92662be6da"}, []string{"dpo@northwind.example"}},
		{"customer without address goes to the fallback",
			customers{northwind.ID: {ID: northwind.ID, Name: "Northwind"}}, "team@immagnify.example",
			false, []string{"2e1424d4-f796-459a-8184-9c92662be6da"}, []string{"team@immagnify.example"}},
		{"no address at all fails the message", customers{}, "", false,
			[]string{"059f36b4-87a3-44ab-83d2-661975830a7d", "2e1424d4-f796-459a-8184-9c92662be6da"}, nil},
		{"mail failure is retried", customers{northwind.ID: northwind}, "", true,
			[]string{"059f36b4-87a3-44ab-83d2-661975830a7d", "2e1424d4-f796-459a-8184-9c92662be6da"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &mailer{fail: tt.failMail}
			h := &Handler{Customers: tt.customers, Mailer: m, Fallback: tt.fallback,
				Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			resp, err := h.Handle(context.Background(), loadBatch(t))
			if err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			var got []string
			for _, f := range resp.BatchItemFailures {
				got = append(got, f.ItemIdentifier)
			}
			if strings.Join(got, ",") != strings.Join(tt.wantFailed, ",") {
				t.Errorf("failures = %v, want %v", got, tt.wantFailed)
			}
			var to []string
			for _, msg := range m.sent {
				to = append(to, msg.To)
				if !strings.Contains(msg.Text, "ct_bbbbbbbbbbbbbbbbbbbbbbbbbb") {
					t.Errorf("notice does not name the contact: %q", msg.Text)
				}
			}
			if strings.Join(to, ",") != strings.Join(tt.wantTo, ",") {
				t.Errorf("sent to %v, want %v", to, tt.wantTo)
			}
		})
	}
}
