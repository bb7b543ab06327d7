// Package id makes identifiers and secrets: random, URL-safe, and prefixed by
// what they name so a stray id in a log says what it is.
package id

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

var lower = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// New returns prefix + "_" + 26 random characters (128 bits).
func New(prefix string) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms.
	return prefix + "_" + lower.EncodeToString(b[:])
}

// Valid reports whether s looks like an id New(prefix) made, so a malformed id
// is refused before any lookup.
func Valid(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix+"_")
	if !ok || len(rest) != 26 {
		return false
	}
	_, err := lower.DecodeString(rest)
	return err == nil
}

// Token returns a secret of 256 random bits, base64url without padding, for
// links sent by email. Only its Hash is ever stored.
func Token() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Hash returns the hex SHA-256 of a token. Tokens carry 256 random bits, so a
// plain hash is enough to make the stored form useless to a reader.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ValidToken reports whether s has the shape Token makes.
func ValidToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
