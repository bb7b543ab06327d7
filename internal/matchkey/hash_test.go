package matchkey

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testKey returns the 32 bytes 0x00 to 0x1f.
func testKey(t *testing.T) []byte {
	t.Helper()
	key := make([]byte, 32)
	for i := range key {
		key[i] = byte(i)
	}
	return key
}

func newTestHasher(t *testing.T, key []byte) *Hasher {
	t.Helper()
	h, err := NewHasher(key)
	if err != nil {
		t.Fatalf("NewHasher: %v", err)
	}
	return h
}

func TestNewHasher(t *testing.T) {
	tests := []struct {
		name    string
		keyLen  int
		wantErr bool
	}{
		{"nil key", 0, true},
		{"31 bytes", 31, true},
		{"32 bytes", 32, false},
		{"64 bytes", 64, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, err := NewHasher(bytes.Repeat([]byte{7}, tc.keyLen))
			if gotErr := err != nil; gotErr != tc.wantErr {
				t.Fatalf("NewHasher(%d bytes) error %v, want error %v",
					tc.keyLen, err, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, ErrShortHashKey) {
				t.Errorf("error %v does not wrap ErrShortHashKey", err)
			}
			if !tc.wantErr && h == nil {
				t.Error("NewHasher returned a nil Hasher and no error")
			}
		})
	}
}

// TestHasherVectors checks against HMAC-SHA256 values computed outside Go
// (Python's hmac module) for the key 0x00..0x1f.
func TestHasherVectors(t *testing.T) {
	h := newTestHasher(t, testKey(t))
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"email", h.Email("johndoe@gmail.com"),
			"ed7e550756234468fc3bd38c5e61c4d142dc617ec5f82ce8c97cec05aeeddc57"},
		{"phone", h.Phone("+4915123456789"),
			"e31f5de4a6c11d1884b335dc01f31888f92b992ba8df6fe262069282565d0d53"},
		{"name", h.Name("ana silva"),
			"036e62b430f06f2e4a702aff7fcde79ee97bc075b07ee34a594a4ed6052a486a"},
		{"generic email", h.Hash(KindEmail, "johndoe@gmail.com"),
			"ed7e550756234468fc3bd38c5e61c4d142dc617ec5f82ce8c97cec05aeeddc57"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
}

func TestHasherSeparation(t *testing.T) {
	h := newTestHasher(t, testKey(t))
	other := testKey(t)
	other[0] ^= 1
	h2 := newTestHasher(t, other)
	tests := []struct {
		name string
		a, b string
	}{
		{"email against phone", h.Email("x"), h.Phone("x")},
		{"email against name", h.Email("x"), h.Name("x")},
		{"phone against name", h.Phone("x"), h.Name("x")},
		{"prefix cannot be forged", h.Name("email:x"), h.Email("x")},
		{"two keys", h.Email("x"), h2.Email("x")},
		{"two values", h.Email("x"), h.Email("y")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.a == tc.b {
				t.Errorf("both hashes are %s", tc.a)
			}
			for _, s := range []string{tc.a, tc.b} {
				if len(s) != 64 || strings.Trim(s, "0123456789abcdef") != "" {
					t.Errorf("hash %q is not 64 lower-case hex digits", s)
				}
			}
		})
	}
}

func TestHasherCopiesKey(t *testing.T) {
	key := testKey(t)
	h := newTestHasher(t, key)
	before := h.Email("x")
	key[0] ^= 0xff
	if after := h.Email("x"); after != before {
		t.Errorf("hash changed from %s to %s after the caller changed its key",
			before, after)
	}
}

func TestHasherHidesKey(t *testing.T) {
	key := []byte(strings.Repeat("s3cr3t-", 5))
	h := newTestHasher(t, key)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		t.Run(verb, func(t *testing.T) {
			for _, v := range []any{h, *h} {
				got := fmt.Sprintf(verb, v)
				if strings.Contains(got, "s3cr3t") || strings.Contains(got, "115 51") {
					t.Errorf("Sprintf(%s, %T) = %q shows the key", verb, v, got)
				}
			}
		})
	}
}

func TestHashUnknownKind(t *testing.T) {
	h := newTestHasher(t, testKey(t))
	for _, kind := range []Kind{0, KindName + 1, -1} {
		t.Run(kind.String(), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Hash(%v) did not panic", kind)
				}
			}()
			h.Hash(kind, "x")
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind Kind
		want string
	}{
		{KindEmail, "email"},
		{KindPhone, "phone"},
		{KindName, "name"},
		{Kind(9), "Kind(9)"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.kind.String(); got != tc.want {
				t.Errorf("Kind(%d).String() = %q, want %q", int(tc.kind), got, tc.want)
			}
		})
	}
}
