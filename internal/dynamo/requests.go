package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

// Layout of the requests table. A request and its audit events share the
// request id as partition key; an Idempotency-Key has an item of its own.
const (
	skRequest   = "request"
	skIdem      = "idem"
	eventPrefix = "event#"
	idemPrefix  = "idem#"
	// openValue marks a request that still needs work (open or failed); the
	// open-by-due index holds only items that carry it.
	openValue = "open"
	attrOpen  = "open"
)

// idemItem remembers which request an Idempotency-Key made.
type idemItem struct {
	PK        string `dynamodbav:"pk"`
	SK        string `dynamodbav:"sk"`
	RequestID string `dynamodbav:"requestId"`
	BodyHash  string `dynamodbav:"bodyHash"`
}

// eventItem is one audit event of a request.
type eventItem struct {
	PK     string    `dynamodbav:"pk"`
	SK     string    `dynamodbav:"sk"`
	At     time.Time `dynamodbav:"at"`
	Kind   string    `dynamodbav:"kind"`
	Detail string    `dynamodbav:"detail,omitempty"`
}

func requestKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": str(id), "sk": str(skRequest)}
}

// needsWork reports whether a request in status st belongs in the open index.
func needsWork(st privacy.Status) bool { return st.Open() || st == privacy.Failed }

// CreateRequest stores a new request. With an idempotency key hash it first
// claims the key; when the key was claimed before with the same body hash it
// returns the request made then, and with another body
// privacy.ErrIdempotencyMismatch. A request id that exists already is
// privacy.ErrConflict.
func (s *Store) CreateRequest(ctx context.Context, r privacy.Request,
	idem privacy.Idempotency) (privacy.Request, error) {
	if idem.KeyHash != "" {
		prev, claimed, err := s.claimIdempotencyKey(ctx, r.ID, idem)
		if err != nil {
			return privacy.Request{}, err
		}
		if !claimed {
			return s.replay(ctx, r, idem, prev)
		}
	}
	if err := s.putRequest(ctx, r); err != nil {
		if conditionFailed(err) {
			return privacy.Request{}, fmt.Errorf("request %s exists: %w", r.ID,
				privacy.ErrConflict)
		}
		return privacy.Request{}, fmt.Errorf("storing request: %w", err)
	}
	return r, nil
}

// claimIdempotencyKey writes the key's item unless a live one exists; it
// returns that one when it does.
func (s *Store) claimIdempotencyKey(ctx context.Context, requestID string,
	idem privacy.Idempotency) (prev idemItem, claimed bool, err error) {
	item, err := s.marshal(idemItem{
		PK: idemPrefix + idem.KeyHash, SK: skIdem, RequestID: requestID,
		BodyHash: idem.BodyHash,
	})
	if err != nil {
		return idemItem{}, false, fmt.Errorf("encoding idempotency key: %w", err)
	}
	now := s.now()
	item[resources.TTLAttribute] = epoch(now.Add(s.opts.IdempotencyTTL))
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableRequests),
		Item:      item,
		// An expired key that TTL has not deleted yet may be claimed again.
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR #exp <= :now"),
		ExpressionAttributeNames: map[string]string{"#exp": resources.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": epoch(now),
		},
	})
	if err == nil {
		return idemItem{}, true, nil
	}
	if !conditionFailed(err) {
		return idemItem{}, false, fmt.Errorf("claiming idempotency key: %w", err)
	}
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table(resources.TableRequests),
		Key:            map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return idemItem{}, false, fmt.Errorf("reading idempotency key: %w", err)
	}
	if out.Item == nil {
		// It expired and went between the two calls: the key is free.
		return s.claimIdempotencyKey(ctx, requestID, idem)
	}
	if err := s.unmarshal(out.Item, &prev); err != nil {
		return idemItem{}, false, fmt.Errorf("decoding idempotency key: %w", err)
	}
	return prev, false, nil
}

// replay answers a retried submission with the request its key made. When
// that request was never stored (the first attempt stopped between its two
// writes), r is stored under the earlier id, so that one key makes one
// request.
func (s *Store) replay(ctx context.Context, r privacy.Request,
	idem privacy.Idempotency, prev idemItem) (privacy.Request, error) {
	if prev.BodyHash != idem.BodyHash {
		return privacy.Request{}, privacy.ErrIdempotencyMismatch
	}
	stored, err := s.GetRequest(ctx, prev.RequestID)
	if !errors.Is(err, privacy.ErrNotFound) {
		return stored, err
	}
	r.ID = prev.RequestID
	err = s.putRequest(ctx, r)
	switch {
	case conditionFailed(err):
		// The first attempt stored it meanwhile.
		return s.GetRequest(ctx, prev.RequestID)
	case err != nil:
		return privacy.Request{}, fmt.Errorf("storing request: %w", err)
	}
	return r, nil
}

func (s *Store) putRequest(ctx context.Context, r privacy.Request) error {
	item, err := s.marshal(r)
	if err != nil {
		return fmt.Errorf("encoding request: %w", err)
	}
	item["pk"] = str(r.ID)
	item["sk"] = str(skRequest)
	if needsWork(r.Status) {
		item[attrOpen] = str(openValue)
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           s.table(resources.TableRequests),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	return err
}

// GetRequest returns a request, or privacy.ErrNotFound.
func (s *Store) GetRequest(ctx context.Context, id string) (privacy.Request, error) {
	out, err := s.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      s.table(resources.TableRequests),
		Key:            requestKey(id),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return privacy.Request{}, fmt.Errorf("reading request: %w", err)
	}
	if !s.live(out.Item) {
		return privacy.Request{}, privacy.ErrNotFound
	}
	var r privacy.Request
	if err := s.unmarshal(out.Item, &r); err != nil {
		return privacy.Request{}, fmt.Errorf("decoding request: %w", err)
	}
	return r, nil
}

// UpdateRequest applies u to a request whose status is one of from, and
// returns the request as it is now. It returns privacy.ErrConflict when the
// status is another, and privacy.ErrNotFound when there is no request.
// Closing a request takes it out of the open index, removes the person's
// own words (email, name, details, corrections) and sets its expiry.
func (s *Store) UpdateRequest(ctx context.Context, id string, from []privacy.Status,
	u privacy.Update) (privacy.Request, error) {
	if len(from) == 0 {
		return privacy.Request{}, fmt.Errorf("updating request: no status to update from: %w",
			privacy.ErrConflict)
	}
	at := u.At
	if at.IsZero() {
		at = s.now()
	}
	b := newUpdate()
	b.set("#status", "status", str(string(u.Status)))
	b.set("updatedAt", "", str(formatTime(at)))
	if !u.VerifiedAt.IsZero() {
		b.set("verifiedAt", "", str(formatTime(u.VerifiedAt)))
	}
	if u.Outcome != privacy.OutcomeNone {
		b.set("outcome", "", str(string(u.Outcome)))
	}
	if len(u.ContactIDs) > 0 {
		ids := make([]types.AttributeValue, len(u.ContactIDs))
		for i, c := range u.ContactIDs {
			ids[i] = str(c)
		}
		b.set("contactIds", "", &types.AttributeValueMemberL{Value: ids})
	}
	if u.ExportID != "" {
		b.set("exportId", "", str(u.ExportID))
	}
	if u.WorkflowStarted {
		b.set("workflowStarted", "", &types.AttributeValueMemberBOOL{Value: true})
	}
	switch {
	case u.Close:
		b.set("closedAt", "", str(formatTime(at)))
		if !u.ExpiresAt.IsZero() {
			b.set("#exp", resources.TTLAttribute, epoch(u.ExpiresAt))
		}
		b.remove("#open", attrOpen)
		b.remove("email", "")
		b.remove("#name", "name")
		b.remove("details", "")
		b.remove("corrections", "")
	case needsWork(u.Status):
		b.set("#open", attrOpen, str(openValue))
	default:
		b.remove("#open", attrOpen)
	}

	// The request must exist, be live and be in one of the from statuses.
	in := make([]string, len(from))
	for i, st := range from {
		in[i] = ":from" + strconv.Itoa(i)
		b.values[in[i]] = str(string(st))
	}
	b.names["#status"] = "status"
	b.names["#exp"] = resources.TTLAttribute
	b.values[":now"] = epoch(s.now())
	cond := "attribute_exists(pk) AND (attribute_not_exists(#exp) OR #exp > :now)" +
		" AND #status IN (" + strings.Join(in, ", ") + ")"

	out, err := s.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 s.table(resources.TableRequests),
		Key:                       requestKey(id),
		UpdateExpression:          aws.String(b.expression()),
		ConditionExpression:       aws.String(cond),
		ExpressionAttributeNames:  b.names,
		ExpressionAttributeValues: b.values,
		ReturnValues:              types.ReturnValueAllNew,
	})
	if conditionFailed(err) {
		// Tell a missing request from one in another status.
		if _, gerr := s.GetRequest(ctx, id); gerr != nil {
			return privacy.Request{}, gerr
		}
		return privacy.Request{}, privacy.ErrConflict
	}
	if err != nil {
		return privacy.Request{}, fmt.Errorf("updating request: %w", err)
	}
	var r privacy.Request
	if err := s.unmarshal(out.Attributes, &r); err != nil {
		return privacy.Request{}, fmt.Errorf("decoding request: %w", err)
	}
	return r, nil
}

// update builds an UpdateItem expression from SET and REMOVE clauses.
type update struct {
	sets, removes []string
	names         map[string]string
	values        map[string]types.AttributeValue
}

func newUpdate() *update {
	return &update{names: map[string]string{}, values: map[string]types.AttributeValue{}}
}

// set assigns v to attr; an attr starting with # is a placeholder for name.
func (b *update) set(attr, name string, v types.AttributeValue) {
	if name != "" {
		b.names[attr] = name
	}
	ph := ":v" + strconv.Itoa(len(b.values))
	b.values[ph] = v
	b.sets = append(b.sets, attr+" = "+ph)
}

// remove deletes attr; an attr starting with # is a placeholder for name.
func (b *update) remove(attr, name string) {
	if name != "" {
		b.names[attr] = name
	}
	b.removes = append(b.removes, attr)
}

func (b *update) expression() string {
	e := "SET " + strings.Join(b.sets, ", ")
	if len(b.removes) > 0 {
		e += " REMOVE " + strings.Join(b.removes, ", ")
	}
	return e
}

// AppendEvent adds an event to a request's audit trail.
func (s *Store) AppendEvent(ctx context.Context, id string, e privacy.Event) error {
	at := e.At
	if at.IsZero() {
		at = s.now()
	}
	item, err := s.marshal(eventItem{
		PK: id, SK: eventPrefix + formatTime(at) + "#" + randomSuffix(),
		At: at, Kind: e.Kind, Detail: e.Detail,
	})
	if err != nil {
		return fmt.Errorf("encoding event: %w", err)
	}
	if s.opts.EventRetention > 0 {
		item[resources.TTLAttribute] = epoch(at.Add(s.opts.EventRetention))
	}
	_, err = s.client.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: s.table(resources.TableRequests),
		Item:      item,
	})
	if err != nil {
		return fmt.Errorf("storing event: %w", err)
	}
	return nil
}

// Events returns a request's audit trail, oldest first.
func (s *Store) Events(ctx context.Context, id string) ([]privacy.Event, error) {
	var events []privacy.Event
	err := s.query(ctx, &dynamodb.QueryInput{
		TableName:              s.table(resources.TableRequests),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :prefix)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": str(id), ":prefix": str(eventPrefix),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		if !s.live(item) {
			return nil
		}
		var e eventItem
		if err := s.unmarshal(item, &e); err != nil {
			return err
		}
		events = append(events, privacy.Event{At: e.At, Kind: e.Kind, Detail: e.Detail})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading events: %w", err)
	}
	return events, nil
}

// OpenRequests returns requests that still need work (open or failed),
// soonest due first, at most limit of them. next is empty on the last page;
// otherwise it is the cursor for the page after. A cursor that the Store did
// not make is a *privacy.InvalidError.
func (s *Store) OpenRequests(ctx context.Context, limit int,
	cursor string) (rs []privacy.Request, next string, err error) {
	return s.OpenRequestsDueBefore(ctx, time.Time{}, limit, cursor)
}

// OpenRequestsDueBefore is OpenRequests limited to the requests due before
// dueBefore; a zero dueBefore means any due date.
func (s *Store) OpenRequestsDueBefore(ctx context.Context, dueBefore time.Time,
	limit int, cursor string) (rs []privacy.Request, next string, err error) {
	in := &dynamodb.QueryInput{
		TableName:                s.table(resources.TableRequests),
		IndexName:                aws.String(resources.IndexOpenByDue),
		KeyConditionExpression:   aws.String("#open = :open"),
		ExpressionAttributeNames: map[string]string{"#open": attrOpen},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":open": str(openValue),
		},
	}
	if !dueBefore.IsZero() {
		*in.KeyConditionExpression += " AND dueAt < :before"
		in.ExpressionAttributeValues[":before"] = str(formatTime(dueBefore))
	}
	if limit > 0 {
		in.Limit = aws.Int32(int32(min(limit, 1000)))
	}
	if cursor != "" {
		if in.ExclusiveStartKey, err = decodeCursor(cursor); err != nil {
			return nil, "", err
		}
	}
	out, err := s.client.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("querying open requests: %w", err)
	}
	for _, item := range out.Items {
		if !s.live(item) {
			continue
		}
		var r privacy.Request
		if err := s.unmarshal(item, &r); err != nil {
			return nil, "", fmt.Errorf("decoding request: %w", err)
		}
		rs = append(rs, r)
	}
	if len(out.LastEvaluatedKey) > 0 {
		if next, err = encodeCursor(out.LastEvaluatedKey); err != nil {
			return nil, "", err
		}
	}
	return rs, next, nil
}

// cursorKeys are the attributes of a key of the open-by-due index.
var cursorKeys = []string{"pk", "sk", attrOpen, "dueAt"}

// encodeCursor turns the last key of a page into opaque text.
func encodeCursor(key map[string]types.AttributeValue) (string, error) {
	m := map[string]string{}
	for _, k := range cursorKeys {
		v, ok := key[k].(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("encoding cursor: key attribute %q is not a string", k)
		}
		m[k] = v.Value
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encoding cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeCursor(c string) (map[string]types.AttributeValue, error) {
	bad := &privacy.InvalidError{Field: "cursor", Message: "is not a valid cursor"}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, bad
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || len(m) != len(cursorKeys) {
		return nil, bad
	}
	key := map[string]types.AttributeValue{}
	for _, k := range cursorKeys {
		v, ok := m[k]
		if !ok || v == "" {
			return nil, bad
		}
		key[k] = str(v)
	}
	if key[attrOpen].(*types.AttributeValueMemberS).Value != openValue {
		return nil, bad
	}
	return key, nil
}
