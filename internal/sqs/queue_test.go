package sqs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssqs "github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/immagnify/immagnify/infra/local/standin/standintest"
	"github.com/immagnify/immagnify/internal/privacy"
)

// faultyClient passes requests to fauxqs, except that it answers the next
// SendMessageBatch calls itself with every entry failed, as planned in
// faults (one fault per call; true means the sender is at fault).
type faultyClient struct {
	mu     sync.Mutex
	faults []bool
	calls  int
}

func (c *faultyClient) fail(faults ...bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults = faults
}

func (c *faultyClient) batchCalls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls
}

func (c *faultyClient) Do(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".SendMessageBatch") {
		c.mu.Unlock()
		return http.DefaultClient.Do(r)
	}
	c.calls++
	if len(c.faults) == 0 {
		c.mu.Unlock()
		return http.DefaultClient.Do(r)
	}
	sender := c.faults[0]
	c.faults = c.faults[1:]
	c.mu.Unlock()

	var in struct{ Entries []struct{ Id string } }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return nil, err
	}
	type failure struct {
		Id, Code, Message string
		SenderFault       bool
	}
	var out struct {
		Successful []struct{}
		Failed     []failure
	}
	out.Successful = []struct{}{}
	for _, e := range in.Entries {
		out.Failed = append(out.Failed, failure{
			Id: e.Id, Code: "InternalError", Message: "try again", SenderFault: sender,
		})
	}
	body, _ := json.Marshal(out)
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:          io.NopCloser(strings.NewReader(string(body))),
		ContentLength: int64(len(body)),
	}, nil
}

// newQueue starts fauxqs, creates a queue and returns a client on it.
func newQueue(t *testing.T) (*awssqs.Client, string, *faultyClient) {
	t.Helper()
	fc := &faultyClient{}
	client := awssqs.NewFromConfig(standintest.AWSConfig(standintest.SQS(t)),
		func(o *awssqs.Options) { o.HTTPClient = fc })
	out, err := client.CreateQueue(context.Background(), &awssqs.CreateQueueInput{
		QueueName: aws.String("recipient-notices"),
	})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	return client, aws.ToString(out.QueueUrl), fc
}

// receiveAll reads and deletes messages until a receive finds none.
func receiveAll(t *testing.T, client *awssqs.Client, url string) []types.Message {
	t.Helper()
	var msgs []types.Message
	for {
		out, err := client.ReceiveMessage(context.Background(), &awssqs.ReceiveMessageInput{
			QueueUrl: aws.String(url), MaxNumberOfMessages: 10,
			MessageAttributeNames: []string{"All"},
		})
		if err != nil {
			t.Fatalf("ReceiveMessage: %v", err)
		}
		if len(out.Messages) == 0 {
			return msgs
		}
		msgs = append(msgs, out.Messages...)
		for _, m := range out.Messages {
			_, err := client.DeleteMessage(context.Background(), &awssqs.DeleteMessageInput{
				QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle,
			})
			if err != nil {
				t.Fatalf("DeleteMessage: %v", err)
			}
		}
	}
}

func notices(n int) []privacy.Notice {
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	ns := make([]privacy.Notice, n)
	for i := range ns {
		ns[i] = privacy.Notice{
			ID: fmt.Sprintf("notice-%02d", i), RequestID: "req_1",
			CustomerID: fmt.Sprintf("cus_%d", i%4), ContactID: "con_1",
			Action: "erasure", At: at,
		}
	}
	return ns
}

func TestSendNotices(t *testing.T) {
	client, url, fc := newQueue(t)
	q := NewNoticeQueue(client, url)
	q.q.backoff = time.Millisecond

	tests := []struct {
		name      string
		notices   []privacy.Notice
		faults    []bool
		wantErr   bool
		wantCalls int
		wantSent  int
	}{
		{name: "23 notices in three batches", notices: notices(23),
			wantCalls: 3, wantSent: 23},
		{name: "none", notices: nil, wantCalls: 0, wantSent: 0},
		{name: "failed entries are sent again", notices: notices(12),
			faults: []bool{false, false}, wantCalls: 4, wantSent: 12},
		{name: "entries still failing are an error", notices: notices(3),
			faults:  []bool{false, false, false, false, false},
			wantErr: true, wantCalls: sendRounds, wantSent: 0},
		{name: "the sender's fault is not retried", notices: notices(3),
			faults: []bool{true}, wantErr: true, wantCalls: 1, wantSent: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc.fail(tt.faults...)
			before := fc.batchCalls()
			err := q.SendNotices(context.Background(), tt.notices)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Fatalf("got error %v, want error %v", err, tt.wantErr)
			}
			var be *BatchError
			if tt.wantErr && !errors.As(err, &be) {
				t.Errorf("got %T %v, want a *BatchError", err, err)
			}
			if calls := fc.batchCalls() - before; calls != tt.wantCalls {
				t.Errorf("got %d SendMessageBatch calls, want %d", calls, tt.wantCalls)
			}

			msgs := receiveAll(t, client, url)
			if len(msgs) != tt.wantSent {
				t.Fatalf("received %d messages, want %d", len(msgs), tt.wantSent)
			}
			if tt.wantSent == 0 {
				return
			}
			var got []privacy.Notice
			for _, m := range msgs {
				var n privacy.Notice
				if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &n); err != nil {
					t.Fatalf("message body %q: %v", aws.ToString(m.Body), err)
				}
				got = append(got, n)
				kind := aws.ToString(m.MessageAttributes[KindAttribute].StringValue)
				if kind != NoticeKind {
					t.Errorf("got kind %q, want %q", kind, NoticeKind)
				}
			}
			sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
			if !reflect.DeepEqual(got, tt.notices) {
				t.Errorf("got notices\n%+v\nwant\n%+v", got, tt.notices)
			}
		})
	}
}
