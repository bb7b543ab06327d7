package matchkey

import (
	"errors"
	"strings"
	"testing"
)

func TestPhone(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		region string
		want   string
	}{
		{"DE international", "+49 151 23456789", "DE", "+4915123456789"},
		{"DE international without region", "+49 151 23456789", "", "+4915123456789"},
		{"DE national", "0151 23456789", "DE", "+4915123456789"},
		{"DE national with slash", "0151/23456789", "DE", "+4915123456789"},
		{"DE with 00 prefix", "0049 151 23456789", "DE", "+4915123456789"},
		{"DE international with foreign region", "+49-151-234-567-89", "US",
			"+4915123456789"},
		{"DE region in lower case", "015123456789", "de", "+4915123456789"},
		{"US national with brackets", "(201) 555-0123", "US", "+12015550123"},
		{"US with trunk 1", "1 (201) 555-0123", "US", "+12015550123"},
		{"US dotted", "201.555.0123", "US", "+12015550123"},
		{"US international", "+1 201 555 0123", "GB", "+12015550123"},
		{"US with extension", "+1 201 555 0123 ext. 45", "US", "+12015550123"},
		{"GB national", "07400 123456", "GB", "+447400123456"},
		{"FR national", "06 12 34 56 78", "FR", "+33612345678"},
		{"blanks around", "  +44 7400 123456\t", "", "+447400123456"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Phone(tc.raw, tc.region)
			if err != nil {
				t.Fatalf("Phone(%q, %q): %v", tc.raw, tc.region, err)
			}
			if got != tc.want {
				t.Errorf("Phone(%q, %q) = %q, want %q", tc.raw, tc.region, got, tc.want)
			}
		})
	}
}

func TestPhoneInvalid(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		region string
	}{
		{"empty", "", "DE"},
		{"letters", "not a number", "DE"},
		{"too short", "12", "DE"},
		{"too long", "0151 2345678901234567890", "DE"},
		{"national without region", "0151 23456789", ""},
		{"national with unknown region", "0151 23456789", "XX"},
		{"region as a name", "0151 23456789", "Germany"},
		{"unassigned country code", "+999 1234 5678", ""},
		{"invalid for its region", "+49 0000 0000", ""},
		{"US number with invalid area code", "(099) 555-0123", "US"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Phone(tc.raw, tc.region)
			if err == nil {
				t.Fatalf("Phone(%q, %q) = %q, want an error", tc.raw, tc.region, got)
			}
			if !errors.Is(err, ErrInvalidPhone) {
				t.Errorf("Phone(%q, %q) error %v does not wrap ErrInvalidPhone",
					tc.raw, tc.region, err)
			}
			digits := strings.Map(func(r rune) rune {
				if '0' <= r && r <= '9' {
					return r
				}
				return -1
			}, tc.raw)
			if len(digits) >= 3 && strings.Contains(err.Error(), digits[len(digits)-3:]) {
				t.Errorf("error %q repeats digits of the number", err)
			}
		})
	}
}

// FuzzPhone checks that Phone never panics and that every key is its own key
// in any region.
func FuzzPhone(f *testing.F) {
	f.Add("+49 151 23456789", "DE")
	f.Add("0151 23456789", "DE")
	f.Add("(201) 555-0123", "US")
	f.Add("+1 201 555 0123 ext. 45", "")
	f.Add("tel:+44-7400-123456;phone-context=+44", "GB")
	f.Fuzz(func(t *testing.T, raw, region string) {
		key, err := Phone(raw, region)
		if err != nil {
			if !errors.Is(err, ErrInvalidPhone) {
				t.Fatalf("Phone(%q, %q) error %v does not wrap ErrInvalidPhone",
					raw, region, err)
			}
			return
		}
		for _, r := range []string{region, "", "US"} {
			if again, err := Phone(key, r); err != nil || again != key {
				t.Errorf("Phone(%q, %q) = %q, but Phone(%q, %q) = %q, %v",
					raw, region, key, key, r, again, err)
			}
		}
	})
}
