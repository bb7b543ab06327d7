package dynamo

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/immagnify/immagnify/internal/id"
	"github.com/immagnify/immagnify/internal/privacy"
)

func TestTokens(t *testing.T) {
	env := newEnv(t, Options{})
	ctx := context.Background()
	tok := privacy.Token{
		Hash: id.Hash(id.Token()), RequestID: id.New("req"), TaskToken: "task-token",
		CreatedAt: env.now, ExpiresAt: env.now.Add(time.Hour).Truncate(time.Second),
	}
	if err := env.store.PutToken(ctx, tok); err != nil {
		t.Fatalf("PutToken: %v", err)
	}
	got, err := env.store.GetToken(ctx, tok.Hash)
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if !reflect.DeepEqual(got, tok) {
		t.Errorf("GetToken returned\n%+v\nwant\n%+v", got, tok)
	}

	usedAt := env.now.Add(time.Minute)
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"use", func() error { return env.store.UseToken(ctx, tok.Hash, usedAt) }, nil},
		{"use again", func() error {
			return env.store.UseToken(ctx, tok.Hash, usedAt.Add(time.Second))
		}, privacy.ErrConflict},
		{"use an unknown token", func() error {
			return env.store.UseToken(ctx, id.Hash("nope"), usedAt)
		}, privacy.ErrNotFound},
		{"get an unknown token", func() error {
			_, err := env.store.GetToken(ctx, id.Hash("nope"))
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

	got, err = env.store.GetToken(ctx, tok.Hash)
	if err != nil {
		t.Fatalf("GetToken after use: %v", err)
	}
	if !got.UsedAt.Equal(usedAt) {
		t.Errorf("got UsedAt %v, want %v (the first use)", got.UsedAt, usedAt)
	}
	env.now = tok.ExpiresAt
	if _, err := env.store.GetToken(ctx, tok.Hash); !errors.Is(err, privacy.ErrNotFound) {
		t.Errorf("GetToken of an expired token: got %v, want ErrNotFound", err)
	}
}
