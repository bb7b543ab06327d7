// Package standintest starts the local stand-ins for AWS services from tests
// of other packages. Each helper skips the test, with the reason, when
// infra/local/node_modules or node is missing, stops the stand-in when the
// test ends, and prints the stand-in's output when the test fails.
package standintest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/immagnify/immagnify/infra/local/standin"
)

// Region is the region every test client uses.
const Region = "us-east-1"

// DynamoDB starts dynalite for the test and returns its endpoint.
func DynamoDB(t testing.TB) string {
	t.Helper()
	return start(t, standin.DynamoDB)
}

// SQS starts fauxqs for the test and returns its endpoint.
func SQS(t testing.TB) string {
	t.Helper()
	return start(t, standin.SQS)
}

// SES starts aws-ses-v2-local for the test and returns its endpoint; GET
// <endpoint>/store lists the mail sent.
func SES(t testing.TB) string {
	t.Helper()
	return start(t, standin.SES)
}

// AWSConfig returns an SDK configuration that reaches only endpoint: region
// us-east-1, static credentials "test"/"test" and BaseEndpoint set, so that
// no shared config, environment variable or instance metadata is consulted.
func AWSConfig(endpoint string) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

func start(t testing.TB, kind standin.Kind) string {
	t.Helper()
	out := &tail{max: 16 << 10}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := standin.Start(ctx, kind, standin.Options{Log: out})
	switch {
	case errors.Is(err, standin.ErrNoNodeModules), errors.Is(err, standin.ErrNoNode):
		t.Skipf("skipping: the %s stand-in is not installed: %v", kind, err)
	case err != nil:
		t.Fatalf("starting the %s stand-in: %v\n%s", kind, err, out.String())
	}
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("stopping the %s stand-in: %v", kind, err)
		}
		if t.Failed() {
			t.Logf("output of the %s stand-in (last %d bytes):\n%s",
				kind, out.max, out.String())
		}
	})
	return p.Endpoint()
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (w *tail) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if over := len(w.buf) - w.max; over > 0 {
		w.buf = append(w.buf[:0], w.buf[over:]...)
	}
	return len(p), nil
}

func (w *tail) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
