package dynamo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

// PutToken stores a verification token under its hash until it expires.
func (s *Store) PutToken(ctx context.Context, t privacy.Token) error {
	item, err := s.marshal(t)
	if err != nil {
		return fmt.Errorf("encoding token: %w", err)
	}
	if !t.ExpiresAt.IsZero() {
		item[resources.TTLAttribute] = epoch(t.ExpiresAt)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableTokens),
		Item:      item,
	})
	if err != nil {
		return fmt.Errorf("storing token: %w", err)
	}
	return nil
}

// GetToken returns the token stored under hash, or privacy.ErrNotFound when
// there is none or it expired.
func (s *Store) GetToken(ctx context.Context, hash string) (privacy.Token, error) {
	item, err := s.getLive(ctx, resources.TableTokens, hash)
	if err != nil {
		return privacy.Token{}, fmt.Errorf("reading token: %w", err)
	}
	if item == nil {
		return privacy.Token{}, privacy.ErrNotFound
	}
	var t privacy.Token
	if err := s.unmarshal(item, &t); err != nil {
		return privacy.Token{}, fmt.Errorf("decoding token: %w", err)
	}
	t.ExpiresAt, _ = expiresAt(item)
	return t, nil
}

// UseToken marks a token used at at. It returns privacy.ErrConflict when the
// token was used already and privacy.ErrNotFound when there is none.
func (s *Store) UseToken(ctx context.Context, hash string, at time.Time) error {
	_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           s.table(resources.TableTokens),
		Key:                 map[string]types.AttributeValue{"pk": str(hash)},
		UpdateExpression:    aws.String("SET usedAt = :at"),
		ConditionExpression: aws.String("attribute_exists(pk) AND attribute_not_exists(usedAt)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":at": str(formatTime(at)),
		},
	})
	if conditionFailed(err) {
		if _, gerr := s.GetToken(ctx, hash); errors.Is(gerr, privacy.ErrNotFound) {
			return privacy.ErrNotFound
		}
		return privacy.ErrConflict
	}
	if err != nil {
		return fmt.Errorf("marking token used: %w", err)
	}
	return nil
}

// getLive reads the item with partition key pk of a table without a sort
// key, strongly consistent; it returns nil when there is none or it expired.
func (s *Store) getLive(ctx context.Context,
	table, pk string) (map[string]types.AttributeValue, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table(table),
		Key:            map[string]types.AttributeValue{"pk": str(pk)},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if !s.live(out.Item) {
		return nil, nil
	}
	return out.Item, nil
}
