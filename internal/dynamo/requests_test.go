package dynamo

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/privacy"
	"github.com/immagnify/immagnify/internal/resources"
)

// newRequest is an open GDPR access request received at now.
func newRequest(now time.Time) privacy.Request {
	return privacy.Request{
		ID: id.New("req"), Type: privacy.Access, Regime: privacy.GDPR,
		Status: privacy.AwaitingVerification, Email: "anna@example.com",
		Name: "Anna Ærø", Details: "please", Corrections: map[string]string{"title": "CTO"},
		ReceivedAt: now, DueAt: privacy.DueDate(privacy.GDPR, now),
	}
}

func mustCreate(t *testing.T, s *Store, r privacy.Request) {
	t.Helper()
	if _, err := s.CreateRequest(context.Background(), r, privacy.Idempotency{}); err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
}

func TestCreateAndGetRequest(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	r := newRequest(env.now)
	got, err := env.store.CreateRequest(ctx, r, privacy.Idempotency{})
	if err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("CreateRequest returned\n%+v\nwant\n%+v", got, r)
	}
	got, err = env.store.GetRequest(ctx, r.ID)
	if err != nil {
		t.Fatalf("GetRequest: %v", err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("GetRequest returned\n%+v\nwant\n%+v", got, r)
	}

	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"same id again", func() error {
			_, err := env.store.CreateRequest(ctx, r, privacy.Idempotency{})
			return err
		}, privacy.ErrConflict},
		{"unknown id", func() error {
			_, err := env.store.GetRequest(ctx, id.New("req"))
			return err
		}, privacy.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCreateRequestIdempotency(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	first := newRequest(env.now)
	idem := privacy.Idempotency{KeyHash: id.Hash("key"), BodyHash: id.Hash("body")}
	if _, err := env.store.CreateRequest(ctx, first, idem); err != nil {
		t.Fatalf("first CreateRequest: %v", err)
	}

	tests := []struct {
		name    string
		idem    privacy.Idempotency
		advance time.Duration
		wantID  func(retry privacy.Request) string
		wantErr error
	}{
		{
			name:   "same key and body returns the first request",
			idem:   idem,
			wantID: func(privacy.Request) string { return first.ID },
		},
		{
			name:    "same key with another body is refused",
			idem:    privacy.Idempotency{KeyHash: idem.KeyHash, BodyHash: id.Hash("other")},
			wantErr: privacy.ErrIdempotencyMismatch,
		},
		{
			name:   "another key makes a new request",
			idem:   privacy.Idempotency{KeyHash: id.Hash("key2"), BodyHash: idem.BodyHash},
			wantID: func(retry privacy.Request) string { return retry.ID },
		},
		{
			name:    "an expired key makes a new request",
			idem:    idem,
			advance: DefaultIdempotencyTTL + time.Second,
			wantID:  func(retry privacy.Request) string { return retry.ID },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.now = env.now.Add(tt.advance)
			retry := newRequest(env.now)
			got, err := env.store.CreateRequest(ctx, retry, tt.idem)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			if want := tt.wantID(retry); got.ID != want {
				t.Errorf("got request %s, want %s", got.ID, want)
			}
			if _, err := env.store.GetRequest(ctx, got.ID); err != nil {
				t.Errorf("GetRequest(%s): %v", got.ID, err)
			}
		})
	}
}

// A first attempt that claimed its key but stopped before it stored the
// request leaves the key pointing at nothing; the retry stores the request
// under the id the key names, so the key still makes one request only.
func TestCreateRequestFinishesInterruptedAttempt(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	idem := privacy.Idempotency{KeyHash: id.Hash("key"), BodyHash: id.Hash("body")}
	lost := id.New("req")
	if _, _, err := env.store.claimIdempotencyKey(ctx, lost, idem); err != nil {
		t.Fatalf("claimIdempotencyKey: %v", err)
	}
	got, err := env.store.CreateRequest(ctx, newRequest(env.now), idem)
	if err != nil {
		t.Fatalf("CreateRequest: %v", err)
	}
	if got.ID != lost {
		t.Errorf("got request %s, want %s", got.ID, lost)
	}
	stored, err := env.store.GetRequest(ctx, lost)
	if err != nil {
		t.Fatalf("GetRequest: %v", err)
	}
	if stored.Status != privacy.AwaitingVerification {
		t.Errorf("got status %s, want %s", stored.Status, privacy.AwaitingVerification)
	}
}

func TestUpdateRequest(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	verified := env.now.Add(time.Minute)
	closing := env.now.Add(time.Hour)
	expires := closing.Add(365 * 24 * time.Hour)

	tests := []struct {
		name    string
		from    []privacy.Status
		u       privacy.Update
		missing bool
		want    func(r privacy.Request) privacy.Request
		wantErr error
	}{
		{
			name: "verify",
			from: []privacy.Status{privacy.AwaitingVerification},
			u: privacy.Update{
				Status: privacy.Verified, At: verified, VerifiedAt: verified,
				WorkflowStarted: true,
			},
			want: func(r privacy.Request) privacy.Request {
				r.Status, r.VerifiedAt, r.WorkflowStarted = privacy.Verified, verified, true
				return r
			},
		},
		{
			name: "record an erasure plan and an export",
			from: []privacy.Status{privacy.Verified, privacy.AwaitingVerification},
			u: privacy.Update{
				Status: privacy.InProgress, ContactIDs: []string{"c1", "c2"},
				ExportID: "exp_1", Outcome: privacy.OutcomeErased,
			},
			want: func(r privacy.Request) privacy.Request {
				r.Status, r.ContactIDs = privacy.InProgress, []string{"c1", "c2"}
				r.ExportID, r.Outcome = "exp_1", privacy.OutcomeErased
				return r
			},
		},
		{
			name: "close clears the person's words",
			from: []privacy.Status{privacy.AwaitingVerification},
			u: privacy.Update{
				Status: privacy.Cancelled, At: closing, Close: true, ExpiresAt: expires,
			},
			want: func(r privacy.Request) privacy.Request {
				r.Status, r.ClosedAt = privacy.Cancelled, closing
				r.Email, r.Name, r.Details, r.Corrections = "", "", "", nil
				return r
			},
		},
		{
			name:    "another status is a conflict",
			from:    []privacy.Status{privacy.Verified, privacy.InProgress},
			u:       privacy.Update{Status: privacy.Completed},
			wantErr: privacy.ErrConflict,
		},
		{
			name:    "no status to update from is a conflict",
			u:       privacy.Update{Status: privacy.Completed},
			wantErr: privacy.ErrConflict,
		},
		{
			name:    "a missing request is not found",
			from:    []privacy.Status{privacy.AwaitingVerification},
			u:       privacy.Update{Status: privacy.Verified},
			missing: true,
			wantErr: privacy.ErrNotFound,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(env.now)
			if !tt.missing {
				mustCreate(t, env.store, r)
			}
			got, err := env.store.UpdateRequest(ctx, r.ID, tt.from, tt.u)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr != nil {
				return
			}
			want := tt.want(r)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("UpdateRequest returned\n%+v\nwant\n%+v", got, want)
			}
			stored, err := env.store.GetRequest(ctx, r.ID)
			if err != nil {
				t.Fatalf("GetRequest: %v", err)
			}
			if !reflect.DeepEqual(stored, want) {
				t.Errorf("GetRequest returned\n%+v\nwant\n%+v", stored, want)
			}
		})
	}
}

// A closed request is gone for readers once its record expires, although
// DynamoDB has not deleted it yet.
func TestClosedRequestExpires(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	r := newRequest(env.now)
	mustCreate(t, env.store, r)
	_, err := env.store.UpdateRequest(ctx, r.ID, []privacy.Status{r.Status}, privacy.Update{
		Status: privacy.Completed, Close: true, ExpiresAt: env.now.Add(time.Hour),
	})
	if err != nil {
		t.Fatalf("UpdateRequest: %v", err)
	}
	if _, err := env.store.GetRequest(ctx, r.ID); err != nil {
		t.Fatalf("GetRequest before expiry: %v", err)
	}
	env.now = env.now.Add(time.Hour)
	if _, err := env.store.GetRequest(ctx, r.ID); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("GetRequest after expiry: got %v, want ErrNotFound", err)
	}
	_, err = env.store.UpdateRequest(ctx, r.ID, []privacy.Status{privacy.Completed},
		privacy.Update{Status: privacy.Completed})
	if !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("UpdateRequest after expiry: got %v, want ErrNotFound", err)
	}

	// The item is still there: only the reads hide it.
	out, err := env.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("test-" + resources.TableRequests),
		Key:       requestKey(r.ID),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	for _, attr := range []string{"email", "name", "details", "corrections", attrOpen} {
		if _, ok := out.Item[attr]; ok {
			t.Errorf("closed request still has attribute %q", attr)
		}
	}
	if _, ok := out.Item[resources.TTLAttribute].(*types.AttributeValueMemberN); !ok {
		t.Errorf("closed request has no numeric %s", resources.TTLAttribute)
	}
}

func TestOpenRequests(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()

	// Five requests due one day apart; the third is closed, the fourth failed.
	var ids []string
	for i := range 5 {
		r := newRequest(env.now)
		r.DueAt = env.now.Add(time.Duration(i+1) * 24 * time.Hour)
		mustCreate(t, env.store, r)
		ids = append(ids, r.ID)
	}
	update := func(i int, u privacy.Update) {
		t.Helper()
		_, err := env.store.UpdateRequest(ctx, ids[i],
			[]privacy.Status{privacy.AwaitingVerification}, u)
		if err != nil {
			t.Fatalf("UpdateRequest: %v", err)
		}
	}
	update(2, privacy.Update{Status: privacy.Expired, Close: true,
		ExpiresAt: env.now.Add(time.Hour)})
	update(3, privacy.Update{Status: privacy.Failed})

	tests := []struct {
		name      string
		dueBefore time.Time
		limit     int
		want      []string
	}{
		{"all, one page", time.Time{}, 0, []string{ids[0], ids[1], ids[3], ids[4]}},
		{"all, pages of one", time.Time{}, 1, []string{ids[0], ids[1], ids[3], ids[4]}},
		{"due before the fifth, pages of two", env.now.Add(5*24*time.Hour - 1), 2,
			[]string{ids[0], ids[1], ids[3]}},
		{"due before the first", env.now.Add(24 * time.Hour), 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 10 {
					t.Fatal("paging does not end")
				}
				rs, next, err := env.store.OpenRequestsDueBefore(ctx, tt.dueBefore,
					tt.limit, cursor)
				if err != nil {
					t.Fatalf("OpenRequests: %v", err)
				}
				if tt.limit > 0 && len(rs) > tt.limit {
					t.Errorf("got %d requests on a page, want at most %d", len(rs), tt.limit)
				}
				for _, r := range rs {
					got = append(got, r.ID)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("a forged cursor is invalid", func(t *testing.T) {
		for _, c := range []string{"!!", "e30", "eyJwayI6IngifQ"} {
			_, _, err := env.store.OpenRequests(ctx, 1, c)
			var invalid *privacy.InvalidError
			if !errors.As(err, &invalid) {
				t.Errorf("cursor %q: got error %v, want *privacy.InvalidError", c, err)
			}
		}
	})
}

func TestEvents(t *testing.T) {
	env := newEnv(t, Options{EventRetention: 48 * time.Hour})
	ctx := context.Background()
	a, b := newRequest(env.now), newRequest(env.now)
	mustCreate(t, env.store, a)
	mustCreate(t, env.store, b)
	events := []privacy.Event{
		{At: env.now, Kind: "received", Detail: "access"},
		{At: env.now.Add(time.Second), Kind: "verification_sent"},
		{At: env.now.Add(time.Hour), Kind: "verified", Detail: "email"},
	}
	for _, e := range events {
		if err := env.store.AppendEvent(ctx, a.ID, e); err != nil {
			t.Fatalf("AppendEvent: %v", err)
		}
	}
	err := env.store.AppendEvent(ctx, b.ID, privacy.Event{At: env.now, Kind: "x"})
	if err != nil {
		t.Fatalf("AppendEvent: %v", err)
	}

	tests := []struct {
		name    string
		id      string
		advance time.Duration
		want    []privacy.Event
	}{
		{"in order, without the request or other requests' events", a.ID, 0, events},
		{"a request without events", id.New("req"), 0, nil},
		{"expired events are hidden", a.ID, 48*time.Hour + 30*time.Minute, events[2:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env.now = env.now.Add(tt.advance)
			got, err := env.store.Events(ctx, tt.id)
			if err != nil {
				t.Fatalf("Events: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAllow(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		got, err := env.store.Allow(ctx, "k1", 24*time.Hour, 3)
		if err != nil {
			t.Fatal(err)
		}
		if want := i <= 3; got != want {
			t.Errorf("use %d: Allow() = %v, want %v", i, got, want)
		}
	}
	if got, err := env.store.Allow(ctx, "k2", 24*time.Hour, 3); err != nil || !got {
		t.Errorf("another key: Allow() = %v, %v; want true", got, err)
	}
}
