package dynamo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/contact"
	"github.com/immagnify/immagnify/internal/id"
)

func hashes(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = id.Hash(fmt.Sprintf("%s-%d", prefix, i))
	}
	return out
}

func TestSuppressions(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()

	// Sixty entries, one of them twice and one without a hash, take three
	// batches of at most 25.
	suppressed := hashes("suppressed", 60)
	var entries []contact.Suppression
	for _, h := range suppressed {
		entries = append(entries, contact.Suppression{
			Hash: h, Reason: contact.ReasonErasure, RequestID: "req_1", CreatedAt: env.now,
		})
	}
	entries = append(entries, entries[7], contact.Suppression{Reason: contact.ReasonObjection})
	before := env.calls.Load()
	if err := env.store.Suppress(ctx, entries); err != nil {
		t.Fatalf("Suppress: %v", err)
	}
	if got, want := env.calls.Load()-before, int64(3); got != want {
		t.Errorf("Suppress made %d calls, want %d", got, want)
	}
	// Adding what is there already is not an error.
	if err := env.store.Suppress(ctx, entries[:2]); err != nil {
		t.Errorf("Suppress again: %v", err)
	}

	clean := hashes("clean", 250)
	tests := []struct {
		name      string
		hashes    []string
		want      bool
		wantCalls int64
	}{
		{"none", nil, false, 0},
		{"one suppressed", suppressed[:1], true, 1},
		{"only empty hashes", []string{"", ""}, false, 0},
		{"250 clean take three batches", clean, false, 3},
		{"the last of 251 is suppressed", append(clean[:250:250], suppressed[59]), true, 3},
		{"the first of 251 is suppressed", append(suppressed[:1:1], clean...), true, 1},
		{"300 copies of one hash take one batch", repeat(clean[0], 300), false, 1},
		{"every suppressed hash", suppressed, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.calls.Load()
			got, err := env.store.AnySuppressed(ctx, tt.hashes)
			if err != nil {
				t.Fatalf("AnySuppressed: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if calls := env.calls.Load() - before; calls != tt.wantCalls {
				t.Errorf("got %d calls, want %d", calls, tt.wantCalls)
			}
		})
	}
	for i, h := range suppressed {
		if ok, err := env.store.AnySuppressed(ctx, []string{h}); err != nil || !ok {
			t.Errorf("entry %d: got %v, %v; want true", i, ok, err)
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// Items that DynamoDB leaves unprocessed are sent again until done.
func TestBatchesRetryUnprocessedItems(t *testing.T) {
	env := newEnv(t, Options{})
	env.store.backoff = time.Millisecond
	ctx := context.Background()
	entries := []contact.Suppression{
		{Hash: id.Hash("a"), Reason: contact.ReasonErasure},
		{Hash: id.Hash("b"), Reason: contact.ReasonObjection},
	}

	env.unprocess.Store(2)
	before := env.calls.Load()
	if err := env.store.Suppress(ctx, entries); err != nil {
		t.Fatalf("Suppress: %v", err)
	}
	if got, want := env.calls.Load()-before, int64(3); got != want {
		t.Errorf("Suppress made %d calls, want %d", got, want)
	}

	env.unprocess.Store(3)
	before = env.calls.Load()
	got, err := env.store.AnySuppressed(ctx, []string{id.Hash("b")})
	if err != nil || !got {
		t.Fatalf("AnySuppressed: got %v, %v; want true", got, err)
	}
	if got, want := env.calls.Load()-before, int64(4); got != want {
		t.Errorf("AnySuppressed made %d calls, want %d", got, want)
	}

	env.unprocess.Store(batchRounds)
	if err := env.store.Suppress(ctx, entries); err == nil {
		t.Error("Suppress succeeded although every round left items unprocessed")
	}
}
