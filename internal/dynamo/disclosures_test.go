package dynamo

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/resources"
)

func TestDisclosures(t *testing.T) {
	env := newEnv(t, Options{DisclosureRetention: 30 * 24 * time.Hour})
	env.store.pageLimit = 7 // many small pages
	ctx := context.Background()

	// Sixty disclosures of one contact, a minute apart, two of another, and
	// one of the first that is past its retention.
	var many []contact.Disclosure
	for i := range 60 {
		many = append(many, contact.Disclosure{
			ContactID: "con_a", CustomerID: fmt.Sprintf("cus_%d", i%3),
			DisclosedAt: env.now.Add(time.Duration(i) * time.Minute),
			Fields:      []contact.Field{contact.Email, contact.Phone}, Channel: "search",
		})
	}
	other := []contact.Disclosure{
		{ContactID: "con_b", CustomerID: "cus_1", DisclosedAt: env.now,
			Fields: []contact.Field{contact.Title}, Channel: "enrichment"},
		{ContactID: "con_b", CustomerID: "cus_2", DisclosedAt: env.now.Add(time.Second),
			Fields: []contact.Field{contact.Email}, Channel: "list"},
	}
	old := contact.Disclosure{
		ContactID: "con_a", CustomerID: "cus_9", DisclosedAt: env.now.Add(-31 * 24 * time.Hour),
		Fields: []contact.Field{contact.Email}, Channel: "search",
	}
	all := append(append(append([]contact.Disclosure{}, many...), other...), old)
	if err := env.store.RecordDisclosures(ctx, all); err != nil {
		t.Fatalf("RecordDisclosures: %v", err)
	}

	tests := []struct {
		name    string
		delete  string
		contact string
		want    []contact.Disclosure
	}{
		{name: "every page, oldest first, expired left out", contact: "con_a", want: many},
		{name: "another contact", contact: "con_b", want: other},
		{name: "no disclosures", contact: "con_c", want: nil},
		{name: "delete", delete: "con_a", contact: "con_a", want: nil},
		{name: "delete leaves other contacts", delete: "con_a", contact: "con_b",
			want: other},
		{name: "delete when there are none", delete: "con_c", contact: "con_c", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.delete != "" {
				if err := env.store.DeleteDisclosuresOf(ctx, tt.delete); err != nil {
					t.Fatalf("DeleteDisclosuresOf: %v", err)
				}
			}
			got, err := env.store.DisclosuresOf(ctx, tt.contact)
			if err != nil {
				t.Fatalf("DisclosuresOf: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %d disclosures %+v\nwant %d %+v", len(got), got,
					len(tt.want), tt.want)
			}
		})
	}

	// The expired disclosure went too, although reads had hidden it.
	out, err := env.client.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String("test-" + resources.TableDisclosures),
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str("con_a"),
		},
	})
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	if len(out.Items) != 0 {
		t.Errorf("got %d items of con_a left, want 0", len(out.Items))
	}
}
