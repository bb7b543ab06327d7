package dynamo

import (
	"context"
	"errors"
	"testing"

	"github.com/immagnify/immagnify/internal/contact"
)

func TestCustomers(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()

	tests := []struct {
		name    string
		put     *contact.Customer
		get     string
		want    contact.Customer
		wantErr error
	}{
		{name: "unknown", get: "cus_1", wantErr: contact.ErrNotFound},
		{name: "put and get", put: &contact.Customer{ID: "cus_1", Name: "Acme"},
			get: "cus_1", want: contact.Customer{ID: "cus_1", Name: "Acme"}},
		{name: "put replaces",
			put:  &contact.Customer{ID: "cus_1", Name: "Acme AG", NoticeEmail: "dpo@acme.test"},
			get:  "cus_1",
			want: contact.Customer{ID: "cus_1", Name: "Acme AG", NoticeEmail: "dpo@acme.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.put != nil {
				if err := env.store.PutCustomer(ctx, *tt.put); err != nil {
					t.Fatalf("PutCustomer: %v", err)
				}
			}
			got, err := env.store.GetCustomer(ctx, tt.get)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
