package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

// ErrItemTooLarge means an item is over DynamoDB's limit of MaxItemSize.
var ErrItemTooLarge = errors.New("item larger than DynamoDB allows")

// PutExport stores an export, its document as a map, until it expires. A
// document too large for one item is ErrItemTooLarge.
func (s *Store) PutExport(ctx context.Context, e privacy.Export) error {
	item, err := s.marshal(e)
	if err != nil {
		return fmt.Errorf("encoding export: %w", err)
	}
	if !e.ExpiresAt.IsZero() {
		item[resources.TTLAttribute] = epoch(e.ExpiresAt)
	}
	if n := itemSize(item); n > MaxItemSize {
		return fmt.Errorf("storing export %s: %d bytes (%d contacts, %d recipients): %w",
			e.ID, n, len(e.Document.Contacts), len(e.Document.Recipients), ErrItemTooLarge)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableExports),
		Item:      item,
	})
	if err != nil {
		return fmt.Errorf("storing export: %w", err)
	}
	return nil
}

// GetExport returns an export, or privacy.ErrNotFound when there is none or
// it expired.
func (s *Store) GetExport(ctx context.Context, id string) (privacy.Export, error) {
	item, err := s.getLive(ctx, resources.TableExports, id)
	if err != nil {
		return privacy.Export{}, fmt.Errorf("reading export: %w", err)
	}
	if item == nil {
		return privacy.Export{}, privacy.ErrNotFound
	}
	var e privacy.Export
	if err := s.unmarshal(item, &e); err != nil {
		return privacy.Export{}, fmt.Errorf("decoding export: %w", err)
	}
	e.ExpiresAt, _ = expiresAt(item)
	return e, nil
}

// DeleteExportsOf deletes every export about the person whose keyed email
// hash is subjectHash, expired or not: an erasure leaves no copy behind.
func (s *Store) DeleteExportsOf(ctx context.Context, subjectHash string) error {
	var batch []types.WriteRequest
	err := s.query(ctx, &dynamodb.QueryInput{
		TableName:                 s.table(resources.TableExports),
		IndexName:                 aws.String(resources.IndexExportsByWho),
		KeyConditionExpression:    aws.String("subjectHash = :h"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":h": str(subjectHash)},
		ProjectionExpression:      aws.String("pk"),
	}, func(item map[string]types.AttributeValue) error {
		batch = append(batch, types.WriteRequest{DeleteRequest: &types.DeleteRequest{
			Key: map[string]types.AttributeValue{"pk": item["pk"]},
		}})
		if len(batch) == batchWriteChunk {
			err := s.batchWrite(ctx, resources.TableExports, batch)
			batch = batch[:0]
			return err
		}
		return nil
	})
	if err == nil {
		err = s.batchWrite(ctx, resources.TableExports, batch)
	}
	if err != nil {
		return fmt.Errorf("deleting exports: %w", err)
	}
	return nil
}
