package dynamo

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/resources"
)

// disclosureItem is one disclosure, under the contact it disclosed, sorted
// by time.
type disclosureItem struct {
	ContactID   string          `dynamodbav:"pk"`
	SK          string          `dynamodbav:"sk"`
	CustomerID  string          `dynamodbav:"customerId"`
	DisclosedAt time.Time       `dynamodbav:"disclosedAt"`
	Fields      []contact.Field `dynamodbav:"fields"`
	Channel     string          `dynamodbav:"channel,omitempty"`
}

// RecordDisclosures writes disclosures to the log. Each expires
// DisclosureRetention after it happened.
func (s *Store) RecordDisclosures(ctx context.Context, ds []contact.Disclosure) error {
	reqs := make([]types.WriteRequest, 0, len(ds))
	for _, d := range ds {
		at := d.DisclosedAt
		if at.IsZero() {
			at = s.now()
		}
		item, err := s.marshal(disclosureItem{
			ContactID:  d.ContactID,
			SK:         formatTime(at) + "#" + d.CustomerID + "#" + randomSuffix(),
			CustomerID: d.CustomerID, DisclosedAt: at, Fields: d.Fields,
			Channel: d.Channel,
		})
		if err != nil {
			return fmt.Errorf("encoding disclosure: %w", err)
		}
		if s.opts.DisclosureRetention > 0 {
			item[resources.TTLAttribute] = epoch(at.Add(s.opts.DisclosureRetention))
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	if err := s.batchWrite(ctx, resources.TableDisclosures, reqs); err != nil {
		return fmt.Errorf("recording disclosures: %w", err)
	}
	return nil
}

// DisclosuresOf returns the live disclosures of a contact, oldest first.
func (s *Store) DisclosuresOf(ctx context.Context,
	contactID string) ([]contact.Disclosure, error) {
	var ds []contact.Disclosure
	err := s.query(ctx, &dynamodb.QueryInput{
		TableName:                 s.table(resources.TableDisclosures),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(contactID)},
		ConsistentRead:            aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		if !s.live(item) {
			return nil
		}
		var d disclosureItem
		if err := s.unmarshal(item, &d); err != nil {
			return err
		}
		ds = append(ds, contact.Disclosure{
			ContactID: d.ContactID, CustomerID: d.CustomerID,
			DisclosedAt: d.DisclosedAt, Fields: d.Fields, Channel: d.Channel,
		})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading disclosures: %w", err)
	}
	return ds, nil
}

// DeleteDisclosuresOf deletes every disclosure of a contact, expired ones
// included.
func (s *Store) DeleteDisclosuresOf(ctx context.Context, contactID string) error {
	var batch []types.WriteRequest
	flush := func() error {
		err := s.batchWrite(ctx, resources.TableDisclosures, batch)
		batch = batch[:0]
		return err
	}
	err := s.query(ctx, &dynamodb.QueryInput{
		TableName:                 s.table(resources.TableDisclosures),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(contactID)},
		ProjectionExpression:      aws.String("pk, sk"),
		ConsistentRead:            aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		batch = append(batch, types.WriteRequest{DeleteRequest: &types.DeleteRequest{
			Key: map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]},
		}})
		if len(batch) == batchWriteChunk {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("deleting disclosures: %w", err)
	}
	return nil
}
