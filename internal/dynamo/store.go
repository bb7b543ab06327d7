// Package dynamo keeps the platform's data in DynamoDB: requests and their
// audit trail, verification tokens, exports, contacts, suppressions,
// disclosures and customers. One Store serves every table; it satisfies the
// storage interfaces of the privacy and contact packages.
//
// Tables with a time to live carry the epoch seconds after which an item is
// gone in resources.TTLAttribute. DynamoDB deletes such items late, so every
// read treats an item whose time has passed as absent.
package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

// The Store satisfies every storage interface of the domain packages.
var (
	_ privacy.Requests        = (*Store)(nil)
	_ privacy.Tokens          = (*Store)(nil)
	_ privacy.Exports         = (*Store)(nil)
	_ privacy.OpenRequests    = (*Store)(nil)
	_ contact.Store           = (*Store)(nil)
	_ contact.SuppressionList = (*Store)(nil)
	_ contact.DisclosureLog   = (*Store)(nil)
	_ contact.Customers       = (*Store)(nil)
)

// Tables maps a table's logical name (resources.TableRequests, ...) to the
// name it has in the account.
type Tables map[string]string

// TablesFrom maps every table of resources.Tables through name, for example
// a lookup of each table's setting resources.TableEnv(table).
func TablesFrom(name func(table string) string) Tables {
	t := Tables{}
	for _, tb := range resources.Tables() {
		t[tb.Name] = name(tb.Name)
	}
	return t
}

// Name returns the physical name of a logical table, or the logical name
// itself when the map has none.
func (t Tables) Name(table string) string {
	if n := t[table]; n != "" {
		return n
	}
	return table
}

// Missing lists those of tables that t gives no physical name, so that a
// function can refuse to start without them.
func (t Tables) Missing(tables ...string) []string {
	var out []string
	for _, tb := range tables {
		if t[tb] == "" {
			out = append(out, tb)
		}
	}
	return out
}

// Options tune the retention the Store gives the items it writes.
type Options struct {
	// ContactRetention is how long a contact is kept after its last update
	// when the contact names no expiry of its own; zero keeps it.
	ContactRetention time.Duration
	// DisclosureRetention is how long a disclosure is kept; zero keeps it.
	DisclosureRetention time.Duration
	// IdempotencyTTL is how long an Idempotency-Key is remembered; zero
	// means DefaultIdempotencyTTL.
	IdempotencyTTL time.Duration
	// EventRetention is how long an audit event of a request is kept after
	// it happened; zero keeps it.
	EventRetention time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// DefaultIdempotencyTTL is how long an Idempotency-Key is remembered unless
// Options say otherwise.
const DefaultIdempotencyTTL = 24 * time.Hour

// Store reads and writes the platform's tables.
type Store struct {
	client *dynamodb.Client
	tables Tables
	opts   Options
	enc    *attributevalue.Encoder
	dec    *attributevalue.Decoder
	// pageLimit bounds the items of one Query page; zero lets DynamoDB decide
	// (1 MB). Tests lower it to exercise paging.
	pageLimit int32
	// backoff is the first pause before a batch is sent again.
	backoff time.Duration
}

// New returns a Store on the tables named by tables.
func New(client *dynamodb.Client, tables Tables, opts Options) *Store {
	if opts.IdempotencyTTL == 0 {
		opts.IdempotencyTTL = DefaultIdempotencyTTL
	}
	return &Store{
		client: client,
		tables: tables,
		opts:   opts,
		enc: attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) {
			o.EncodeTime = encodeTime
			o.OmitEmptyTime = true
		}),
		dec:     attributevalue.NewDecoder(),
		backoff: minBackoff,
	}
}

// timeLayout writes times in UTC with a fixed number of digits, so that their
// text sorts in time order, which sort keys and index keys rely on.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func encodeTime(t time.Time) (types.AttributeValue, error) {
	return &types.AttributeValueMemberS{Value: formatTime(t)}, nil
}

func (s *Store) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Store) table(name string) *string { return aws.String(s.tables.Name(name)) }

// marshal encodes v as an item with the Store's time format.
func (s *Store) marshal(v any) (map[string]types.AttributeValue, error) {
	av, err := s.enc.Encode(v)
	if err != nil {
		return nil, err
	}
	m, ok := av.(*types.AttributeValueMemberM)
	if !ok {
		return nil, fmt.Errorf("%T does not encode as a map", v)
	}
	return m.Value, nil
}

func (s *Store) unmarshal(item map[string]types.AttributeValue, v any) error {
	return s.dec.Decode(&types.AttributeValueMemberM{Value: item}, v)
}

// str is a string attribute value.
func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// epoch is a number attribute holding t in epoch seconds.
func epoch(t time.Time) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}

// expiresAt reads an item's time to live; ok is false when it has none.
func expiresAt(item map[string]types.AttributeValue) (t time.Time, ok bool) {
	n, isNum := item[resources.TTLAttribute].(*types.AttributeValueMemberN)
	if !isNum {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}

// live reports whether an item exists for readers: present, and its time to
// live, if any, not yet passed.
func (s *Store) live(item map[string]types.AttributeValue) bool {
	if item == nil {
		return false
	}
	t, ok := expiresAt(item)
	return !ok || s.now().Before(t)
}

// randomSuffix makes sort keys written in the same nanosecond distinct.
func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

func conditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// query runs a Query to the end, page by page, and hands each item to f.
func (s *Store) query(ctx context.Context, in *dynamodb.QueryInput,
	f func(map[string]types.AttributeValue) error) error {
	in = cloneQuery(in)
	if in.Limit == nil && s.pageLimit > 0 {
		in.Limit = aws.Int32(s.pageLimit)
	}
	p := dynamodb.NewQueryPaginator(s.client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, item := range out.Items {
			if err := f(item); err != nil {
				return err
			}
		}
	}
	return nil
}

func cloneQuery(in *dynamodb.QueryInput) *dynamodb.QueryInput {
	c := *in
	return &c
}

// batchRounds bounds the rounds spent on unprocessed batch items; the pause
// between rounds doubles from minBackoff up to maxBackoff.
const (
	batchRounds = 10
	minBackoff  = 25 * time.Millisecond
	maxBackoff  = 2 * time.Second
)

// sleep waits for the backoff of round n (0-based), or until ctx ends.
func sleep(ctx context.Context, first time.Duration, n int) error {
	d := first << n
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// batchWriteChunk is the most requests one BatchWriteItem takes.
const batchWriteChunk = 25

// batchWrite writes reqs to one table in chunks, retrying unprocessed items
// with backoff. The requests must name distinct keys within a chunk.
func (s *Store) batchWrite(ctx context.Context, table string,
	reqs []types.WriteRequest) error {
	name := s.tables.Name(table)
	for start := 0; start < len(reqs); start += batchWriteChunk {
		end := min(start+batchWriteChunk, len(reqs))
		pending := map[string][]types.WriteRequest{name: reqs[start:end]}
		for round := 0; len(pending[name]) > 0; round++ {
			if round == batchRounds {
				return fmt.Errorf("%d items still unprocessed after %d rounds",
					len(pending[name]), batchRounds)
			}
			if round > 0 {
				if err := sleep(ctx, s.backoff, round-1); err != nil {
					return err
				}
			}
			out, err := s.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
				RequestItems: pending,
			})
			if err != nil {
				return err
			}
			pending = out.UnprocessedItems
		}
	}
	return nil
}
