package dynamo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/resources"
)

// Allow counts one use of key in the current window and reports whether it
// stays within max. The counter is an item of the requests table, keyed by
// the key (a keyed hash, never an address) and the window's start, and it
// expires one window after the window ends. One conditional write per call.
func (s *Store) Allow(ctx context.Context, key string, window time.Duration, max int) (bool, error) {
	now := s.now()
	start := now.Truncate(window)
	_, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: s.table(resources.TableRequests),
		Key: map[string]types.AttributeValue{
			"pk": str("limit#" + key), "sk": str(start.Format(time.RFC3339)),
		},
		UpdateExpression:    aws.String("ADD #n :one SET #ttl = :ttl"),
		ConditionExpression: aws.String("attribute_not_exists(#n) OR #n < :max"),
		ExpressionAttributeNames: map[string]string{
			"#n": "uses", "#ttl": resources.TTLAttribute,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"},
			":max": &types.AttributeValueMemberN{Value: strconv.Itoa(max)},
			":ttl": epoch(start.Add(2 * window)),
		},
	})
	if conditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("counting use: %w", err)
	}
	return true, nil
}
