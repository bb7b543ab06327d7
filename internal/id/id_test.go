package id

import "testing"

func TestNewAndValid(t *testing.T) {
	got := New("req")
	if !Valid("req", got) {
		t.Fatalf("Valid(%q) = false, want true", got)
	}
	if New("req") == got {
		t.Fatal("two ids are equal")
	}
	tests := []struct {
		name, prefix, in string
		want             bool
	}{
		{"other prefix", "exp", got, false},
		{"empty", "req", "", false},
		{"short", "req", "req_abc", false},
		{"upper case", "req", "req_AAAAAAAAAAAAAAAAAAAAAAAAAA", false},
		{"path traversal", "req", "req_../../../../../../../etc", false},
		{"well formed", "req", "req_aaaaaaaaaaaaaaaaaaaaaaaaaa", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Valid(tt.prefix, tt.in); got != tt.want {
				t.Errorf("Valid(%q, %q) = %v, want %v", tt.prefix, tt.in, got, tt.want)
			}
		})
	}
}

func TestToken(t *testing.T) {
	tok := Token()
	if !ValidToken(tok) {
		t.Fatalf("ValidToken(%q) = false", tok)
	}
	if Hash(tok) == tok || len(Hash(tok)) != 64 {
		t.Fatalf("Hash(%q) = %q, want 64 hex characters", tok, Hash(tok))
	}
	if Hash(tok) != Hash(tok) {
		t.Fatal("Hash is not stable")
	}
	for _, bad := range []string{"", "short", tok + "x", tok[:42] + "!"} {
		if ValidToken(bad) {
			t.Errorf("ValidToken(%q) = true, want false", bad)
		}
	}
}
