package dynamo

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

func newExport(now time.Time, title string) privacy.Export {
	src := contact.Source{Kind: contact.PublicWeb, Name: "site", CollectedAt: now}
	e := privacy.Export{
		ID: id.New("exp"), RequestID: id.New("req"), TokenHash: id.Hash("t"),
		SubjectHash: id.Hash("s"), CreatedAt: now,
		ExpiresAt: now.Add(7 * 24 * time.Hour).Truncate(time.Second),
	}
	e.Document = privacy.Document{
		ExportID: e.ID, RequestID: e.RequestID, GeneratedAt: now,
		Controller: "Immagnify", Purposes: []string{"prospecting"},
		LegalBasis: "legitimate interest", Retention: "2 years", Rights: "all",
		Contacts: []privacy.ExportContact{{
			ContactID: "c1", CreatedAt: now, UpdatedAt: now,
			Fields: map[contact.Field]contact.Value{
				contact.FirstName: {Value: "Zoë", Source: src},
				contact.Title:     {Value: title, Source: src},
			},
		}},
		Recipients: []privacy.ExportRecipient{{
			ContactID: "c1", Recipient: "Acme", FirstDisclosedAt: now, LastDisclosedAt: now,
			Disclosures: 1, Fields: []contact.Field{contact.Email}, Channels: []string{"search"},
		}},
	}
	return e
}

func TestExports(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()

	tests := []struct {
		name    string
		export  privacy.Export
		advance time.Duration
		wantPut error
		wantGet error
	}{
		{name: "round trip", export: newExport(env.now, "CTO")},
		{name: "near the item limit",
			export: newExport(env.now, strings.Repeat("x", MaxItemSize-2000))},
		{name: "over the item limit",
			export:  newExport(env.now, strings.Repeat("x", MaxItemSize)),
			wantPut: ErrItemTooLarge, wantGet: privacy.ErrNotFound},
		{name: "expired", export: newExport(env.now, "CTO"),
			advance: 7 * 24 * time.Hour, wantGet: privacy.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := env.store.PutExport(ctx, tt.export); !errors.Is(err, tt.wantPut) {
				t.Fatalf("PutExport: got error %v, want %v", err, tt.wantPut)
			}
			env.now = env.now.Add(tt.advance)
			got, err := env.store.GetExport(ctx, tt.export.ID)
			if !errors.Is(err, tt.wantGet) {
				t.Fatalf("GetExport: got error %v, want %v", err, tt.wantGet)
			}
			if err == nil && !reflect.DeepEqual(got, tt.export) {
				t.Errorf("GetExport returned\n%+v\nwant\n%+v", got, tt.export)
			}
		})
	}
}

// The size check counts as DynamoDB does: dynalite, which enforces the
// limit, takes an item of exactly MaxItemSize and refuses one byte more.
func TestItemSizeMatchesDynamoDB(t *testing.T) {
	env := newEnv(t, Options{})
	list := &types.AttributeValueMemberL{Value: []types.AttributeValue{
		str("a"), &types.AttributeValueMemberBOOL{Value: true},
		&types.AttributeValueMemberNULL{Value: true},
	}}
	values := []struct {
		name string
		v    types.AttributeValue
	}{
		{"negative decimal", &types.AttributeValueMemberN{Value: "-1234.5600"}},
		{"even digits at an even power", &types.AttributeValueMemberN{Value: "12"}},
		{"odd digits", &types.AttributeValueMemberN{Value: "1712345678"}},
		{"small fraction", &types.AttributeValueMemberN{Value: "0.00012"}},
		{"exponent", &types.AttributeValueMemberN{Value: "5E+3"}},
		{"zero", &types.AttributeValueMemberN{Value: "0"}},
		{"map with a list", &types.AttributeValueMemberM{
			Value: map[string]types.AttributeValue{"l": list, "s": str("abc")},
		}},
		{"string set", &types.AttributeValueMemberSS{Value: []string{"a", "bc"}}},
	}
	for _, v := range values {
		for _, extra := range []int{0, 1} {
			item := map[string]types.AttributeValue{"pk": str("exp_1"), "v": v.v}
			fill := MaxItemSize - itemSize(item) - len("fill") + extra
			item["fill"] = str(strings.Repeat("x", fill))
			_, err := env.client.PutItem(context.Background(), &dynamodb.PutItemInput{
				TableName: aws.String("test-" + resources.TableExports),
				Item:      item,
			})
			if got, want := err == nil, extra == 0; got != want {
				t.Errorf("%s, %d bytes over: stored %v (%v), want %v",
					v.name, extra, got, err, want)
			}
		}
	}
}

func TestDeleteExportsOf(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	mine, theirs := id.Hash("mine"), id.Hash("theirs")
	var ids []string
	for i := 0; i < 30; i++ { // more than one batch of deletes
		e := newExport(env.now, "CTO")
		e.SubjectHash = mine
		if err := env.store.PutExport(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	other := newExport(env.now, "CFO")
	other.SubjectHash = theirs
	if err := env.store.PutExport(ctx, other); err != nil {
		t.Fatal(err)
	}

	if err := env.store.DeleteExportsOf(ctx, mine); err != nil {
		t.Fatalf("DeleteExportsOf() = %v", err)
	}
	for _, id := range ids {
		if _, err := env.store.GetExport(ctx, id); !errors.Is(err, privacy.ErrNotFound) {
			t.Errorf("GetExport(%s) after delete = %v, want ErrNotFound", id, err)
		}
	}
	if _, err := env.store.GetExport(ctx, other.ID); err != nil {
		t.Errorf("another person's export is gone: %v", err)
	}
	if err := env.store.DeleteExportsOf(ctx, mine); err != nil {
		t.Errorf("deleting again = %v, want nil", err)
	}
}
