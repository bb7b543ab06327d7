package dynamo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/privacy"
)

// reportCalls reports the DynamoDB calls made per operation since before.
func reportCalls(b *testing.B, env *testEnv, before int64) {
	b.Helper()
	b.ReportMetric(float64(env.calls.Load()-before)/float64(b.N), "calls/op")
}

func BenchmarkContactsByEmailKey(b *testing.B) {
	env := newEnv(b, Options{ContactRetention: 24 * time.Hour})
	ctx := context.Background()
	for i := range 1000 {
		key := fmt.Sprintf("p%d@example.com", i%500) // two contacts a key
		if err := env.store.PutContact(ctx, newContact(env.now, key, "")); err != nil {
			b.Fatalf("PutContact: %v", err)
		}
	}
	before := env.calls.Load()
	i := 0
	for b.Loop() {
		cs, err := env.store.ContactsByEmailKey(ctx, fmt.Sprintf("p%d@example.com", i%500))
		if err != nil || len(cs) != 2 {
			b.Fatalf("ContactsByEmailKey: got %d contacts, %v; want 2", len(cs), err)
		}
		i++
	}
	reportCalls(b, env, before)
}

func BenchmarkCreateRequest(b *testing.B) {
	for _, withKey := range []bool{false, true} {
		b.Run(fmt.Sprintf("idempotency=%v", withKey), func(b *testing.B) {
			env := newEnv(b, Options{})
			ctx := context.Background()
			before := env.calls.Load()
			for b.Loop() {
				var idem privacy.Idempotency
				if withKey {
					idem = privacy.Idempotency{KeyHash: id.Hash(id.Token()), BodyHash: "b"}
				}
				if _, err := env.store.CreateRequest(ctx, newRequest(env.now), idem); err != nil {
					b.Fatalf("CreateRequest: %v", err)
				}
			}
			reportCalls(b, env, before)
		})
	}
}
