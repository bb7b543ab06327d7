package standintest

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

func TestAWSConfig(t *testing.T) {
	cfg := AWSConfig("http://127.0.0.1:1")
	if cfg.Region != "us-east-1" {
		t.Errorf("Region = %q, want us-east-1", cfg.Region)
	}
	if got := aws.ToString(cfg.BaseEndpoint); got != "http://127.0.0.1:1" {
		t.Errorf("BaseEndpoint = %q, want http://127.0.0.1:1", got)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("Credentials.Retrieve() error = %v", err)
	}
	if creds.AccessKeyID != "test" || creds.SecretAccessKey != "test" {
		t.Errorf("credentials = %q/%q, want test/test", creds.AccessKeyID, creds.SecretAccessKey)
	}
}

func TestStandIns(t *testing.T) {
	tests := []struct {
		name  string
		start func(testing.TB) string
		check func(t *testing.T, endpoint string)
	}{
		{"DynamoDB", DynamoDB, func(t *testing.T, endpoint string) {
			c := dynamodb.NewFromConfig(AWSConfig(endpoint))
			if _, err := c.ListTables(t.Context(), &dynamodb.ListTablesInput{}); err != nil {
				t.Errorf("ListTables() error = %v", err)
			}
		}},
		{"SQS", SQS, func(t *testing.T, endpoint string) {
			c := sqs.NewFromConfig(AWSConfig(endpoint))
			out, err := c.CreateQueue(t.Context(),
				&sqs.CreateQueueInput{QueueName: aws.String("q")})
			if err != nil {
				t.Fatalf("CreateQueue() error = %v", err)
			}
			if aws.ToString(out.QueueUrl) == "" {
				t.Error("CreateQueue() returned no queue URL")
			}
		}},
		{"SES", SES, func(t *testing.T, endpoint string) {
			resp, err := http.Get(endpoint + "/store")
			if err != nil {
				t.Fatalf("GET /store: %v", err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /store = %d %s, want 200", resp.StatusCode, body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, tt.start(t))
		})
	}
}
