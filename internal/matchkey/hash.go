package matchkey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// MinHashKeyLen is the shortest key NewHasher accepts, in bytes.
const MinHashKeyLen = 32

// ErrShortHashKey is returned by NewHasher for a key shorter than
// MinHashKeyLen.
var ErrShortHashKey = errors.New("hash key shorter than 32 bytes")

// Kind says what a key identifies. Each kind hashes under its own prefix, so
// the same text hashed as two kinds gives two unrelated hashes.
type Kind int

// The kinds of key a suppression entry holds.
const (
	KindEmail Kind = iota + 1 // a key from Email
	KindPhone                 // a key from Phone
	KindName                  // a key from Name or FullName
)

// String returns the kind's name, which is also its hash prefix without the
// colon.
func (k Kind) String() string {
	switch k {
	case KindEmail:
		return "email"
	case KindPhone:
		return "phone"
	case KindName:
		return "name"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Hasher computes keyed hashes (HMAC-SHA256) of normalised keys for the
// suppression list. It is safe for concurrent use. Its secret never appears
// in its formatted value.
type Hasher struct {
	secret []byte
}

// NewHasher returns a Hasher with a copy of key, which must be at least
// MinHashKeyLen bytes long.
func NewHasher(key []byte) (*Hasher, error) {
	if len(key) < MinHashKeyLen {
		return nil, fmt.Errorf("creating hasher: %w", ErrShortHashKey)
	}
	return &Hasher{secret: append([]byte(nil), key...)}, nil
}

// Hash returns the lower-case hex HMAC-SHA256 of "<kind>:<normalised>". The
// caller passes a key from Email, Phone, Name or FullName, never a raw value.
// It panics for a Kind other than the constants declared here, which is a
// programming error.
func (h *Hasher) Hash(kind Kind, normalised string) string {
	switch kind {
	case KindEmail, KindPhone, KindName:
	default:
		panic(fmt.Sprintf("matchkey: hash of unknown %v", kind))
	}
	mac := hmac.New(sha256.New, h.secret)
	mac.Write([]byte(kind.String() + ":" + normalised))
	return hex.EncodeToString(mac.Sum(nil))
}

// Email returns the suppression hash of an email key from Email.
func (h *Hasher) Email(key string) string { return h.Hash(KindEmail, key) }

// Phone returns the suppression hash of a phone key from Phone.
func (h *Hasher) Phone(key string) string { return h.Hash(KindPhone, key) }

// Name returns the suppression hash of a name key from Name or FullName.
func (h *Hasher) Name(key string) string { return h.Hash(KindName, key) }

// String hides the secret when a Hasher is printed or logged.
func (Hasher) String() string { return "matchkey.Hasher{secret:redacted}" }

// GoString hides the secret from %#v.
func (h Hasher) GoString() string { return h.String() }
