package dynamo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/immagnify/immagnify/internal/resources"
)

// tableWait bounds the wait for one table to become ACTIVE.
const tableWait = 5 * time.Minute

// CreateTables creates every table of resources.Tables, billed on demand,
// with its global secondary indexes projecting all attributes, and waits
// until each is ACTIVE. A table that exists already is left as it is. Time
// to live is turned on where the service supports it (dynalite does not).
// names maps a logical table name to the name to create; the local host and
// tests use it, deployments create tables with CDK or SAM instead.
func CreateTables(ctx context.Context, client *dynamodb.Client,
	names func(table string) string) error {
	for _, t := range resources.Tables() {
		name := names(t.Name)
		if err := createTable(ctx, client, name, t); err != nil {
			return fmt.Errorf("creating table %s: %w", name, err)
		}
	}
	for _, t := range resources.Tables() {
		name := names(t.Name)
		if err := waitActive(ctx, client, name); err != nil {
			return fmt.Errorf("waiting for table %s: %w", name, err)
		}
		if !t.TTL {
			continue
		}
		if err := enableTTL(ctx, client, name); err != nil {
			return fmt.Errorf("enabling time to live on %s: %w", name, err)
		}
	}
	return nil
}

func createTable(ctx context.Context, client *dynamodb.Client, name string,
	t resources.Table) error {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		KeySchema:   keySchema(t.PartitionKey, t.SortKey),
	}
	seen := map[string]bool{}
	define := func(k resources.Key) {
		if seen[k.Name] {
			return
		}
		seen[k.Name] = true
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(k.Name),
			AttributeType: types.ScalarAttributeType(k.Type),
		})
	}
	define(t.PartitionKey)
	if t.SortKey != nil {
		define(*t.SortKey)
	}
	for _, ix := range t.Indexes {
		define(ix.PartitionKey)
		if ix.SortKey != nil {
			define(*ix.SortKey)
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes,
			types.GlobalSecondaryIndex{
				IndexName:  aws.String(ix.Name),
				KeySchema:  keySchema(ix.PartitionKey, ix.SortKey),
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			})
	}
	_, err := client.CreateTable(ctx, in)
	var inUse *types.ResourceInUseException
	if errors.As(err, &inUse) {
		return nil // it exists already
	}
	return err
}

func keySchema(pk resources.Key, sk *resources.Key) []types.KeySchemaElement {
	ks := []types.KeySchemaElement{{
		AttributeName: aws.String(pk.Name), KeyType: types.KeyTypeHash,
	}}
	if sk != nil {
		ks = append(ks, types.KeySchemaElement{
			AttributeName: aws.String(sk.Name), KeyType: types.KeyTypeRange,
		})
	}
	return ks
}

// waitActive polls until the table and its indexes are ACTIVE.
func waitActive(ctx context.Context, client *dynamodb.Client, name string) error {
	ctx, cancel := context.WithTimeout(ctx, tableWait)
	defer cancel()
	for round := 0; ; round++ {
		out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{
			TableName: aws.String(name),
		})
		var notFound *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &notFound) {
			return err
		}
		if err == nil && active(out.Table) {
			return nil
		}
		if err := sleep(ctx, 100*time.Millisecond, round); err != nil {
			return err
		}
	}
}

func active(t *types.TableDescription) bool {
	if t == nil || t.TableStatus != types.TableStatusActive {
		return false
	}
	for _, ix := range t.GlobalSecondaryIndexes {
		if ix.IndexStatus != types.IndexStatusActive {
			return false
		}
	}
	return true
}

// enableTTL turns on time to live through resources.TTLAttribute, unless it
// is on already or the service does not know the operation.
func enableTTL(ctx context.Context, client *dynamodb.Client, name string) error {
	desc, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{
		TableName: aws.String(name),
	})
	if unsupported(err) {
		slog.DebugContext(ctx, "time to live not supported here", "table", name)
		return nil
	}
	if err != nil {
		return err
	}
	if d := desc.TimeToLiveDescription; d != nil &&
		(d.TimeToLiveStatus == types.TimeToLiveStatusEnabled ||
			d.TimeToLiveStatus == types.TimeToLiveStatusEnabling) {
		if aws.ToString(d.AttributeName) != resources.TTLAttribute {
			return fmt.Errorf("time to live is on for attribute %q, not %q",
				aws.ToString(d.AttributeName), resources.TTLAttribute)
		}
		return nil
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(name),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(resources.TTLAttribute),
			Enabled:       aws.Bool(true),
		},
	})
	if unsupported(err) {
		// dynalite describes time to live but cannot change it.
		slog.DebugContext(ctx, "time to live not supported here", "table", name)
		return nil
	}
	return err
}

// unsupported reports an error of a stand-in that lacks the operation.
func unsupported(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == "UnknownOperationException"
}
