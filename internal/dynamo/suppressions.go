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

// suppressionItem is one entry of the suppression list. It has no time to
// live: a suppression lasts as long as the list.
type suppressionItem struct {
	Hash      string                    `dynamodbav:"pk"`
	Reason    contact.SuppressionReason `dynamodbav:"reason"`
	RequestID string                    `dynamodbav:"requestId,omitempty"`
	CreatedAt time.Time                 `dynamodbav:"createdAt"`
}

// batchGetChunk is the most keys one BatchGetItem takes.
const batchGetChunk = 100

// AnySuppressed reports whether any of hashes is on the suppression list.
// It reads strongly consistent, so an entry written a moment ago counts.
func (s *Store) AnySuppressed(ctx context.Context, hashes []string) (bool, error) {
	keys := distinct(hashes)
	name := s.tables.Name(resources.TableSuppressions)
	for start := 0; start < len(keys); start += batchGetChunk {
		end := min(start+batchGetChunk, len(keys))
		ka := types.KeysAndAttributes{
			ConsistentRead:       aws.Bool(true),
			ProjectionExpression: aws.String("pk"),
		}
		for _, k := range keys[start:end] {
			ka.Keys = append(ka.Keys, map[string]types.AttributeValue{"pk": str(k)})
		}
		pending := map[string]types.KeysAndAttributes{name: ka}
		for round := 0; len(pending[name].Keys) > 0; round++ {
			if round == batchRounds {
				return false, fmt.Errorf("checking suppressions: %d keys unprocessed after %d rounds",
					len(pending[name].Keys), batchRounds)
			}
			if round > 0 {
				if err := sleep(ctx, s.backoff, round-1); err != nil {
					return false, fmt.Errorf("checking suppressions: %w", err)
				}
			}
			out, err := s.client.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
				RequestItems: pending,
			})
			if err != nil {
				return false, fmt.Errorf("checking suppressions: %w", err)
			}
			if len(out.Responses[name]) > 0 {
				return true, nil
			}
			pending = out.UnprocessedKeys
		}
	}
	return false, nil
}

// Suppress adds entries to the suppression list. An entry whose hash is
// there already is written again, which is not an error.
func (s *Store) Suppress(ctx context.Context, entries []contact.Suppression) error {
	seen := map[string]bool{}
	var reqs []types.WriteRequest
	for _, e := range entries {
		if e.Hash == "" || seen[e.Hash] {
			continue
		}
		seen[e.Hash] = true
		createdAt := e.CreatedAt
		if createdAt.IsZero() {
			createdAt = s.now()
		}
		item, err := s.marshal(suppressionItem{
			Hash: e.Hash, Reason: e.Reason, RequestID: e.RequestID, CreatedAt: createdAt,
		})
		if err != nil {
			return fmt.Errorf("encoding suppression: %w", err)
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	if err := s.batchWrite(ctx, resources.TableSuppressions, reqs); err != nil {
		return fmt.Errorf("writing suppressions: %w", err)
	}
	return nil
}

// distinct returns the non-empty strings of ss, each once, in order.
func distinct(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
