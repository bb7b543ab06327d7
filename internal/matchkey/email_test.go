package matchkey

import (
	"errors"
	"strings"
	"testing"
)

func TestEmail(t *testing.T) {
	long64 := strings.Repeat("a", 64)
	domain189 := hostOfLen(t, 189)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "user@example.com", "user@example.com"},
		{"gmail dots tag case and blanks", "  John.Doe+news@GMail.com ",
			"johndoe@gmail.com"},
		{"googlemail is gmail", "john.doe@googlemail.com", "johndoe@gmail.com"},
		{"googlemail upper case with tag", "J.O.H.N+x@GoogleMail.COM",
			"john@gmail.com"},
		{"gmail without dots", "johndoe@gmail.com", "johndoe@gmail.com"},
		{"non-gmail dots kept", "John.Doe@Example.com", "john.doe@example.com"},
		{"non-gmail tag stripped", "john.doe+news@example.com",
			"john.doe@example.com"},
		{"only the first plus starts the tag", "a+b+c@example.com", "a@example.com"},
		{"subdomain of gmail keeps dots", "a.b@mail.gmail.com", "a.b@mail.gmail.com"},
		{"IDN domain", "info@Bücher.example", "info@xn--bcher-kva.example"},
		{"upper-case IDN domain", "info@BÜCHER.EXAMPLE", "info@xn--bcher-kva.example"},
		{"IDN domain in NFD", "info@bu\u0308cher.example",
			"info@xn--bcher-kva.example"},
		{"punycode domain kept", "test@xn--hxajbheg2az3al.xn--jxalpdlp",
			"test@xn--hxajbheg2az3al.xn--jxalpdlp"},
		{"upper-case punycode", "test@XN--BCHER-KVA.example",
			"test@xn--bcher-kva.example"},
		{"CJK domain", "user@例え.jp", "user@xn--r8jz45g.jp"},
		{"sharp s is not mapped to ss", "user@straße.de", "user@xn--strae-oqa.de"},
		{"symbol allowed by the lookup profile", "user@exa\u2764mple.com",
			"user@xn--example-098d.com"},
		{"soft hyphens dropped by the mapping", "user@exa\u00admple.com",
			"user@example.com"},
		{"ideographic full stop", "user@example\u3002com", "user@example.com"},
		{"tab and no-break space trimmed", "\t\u00a0user@example.com\u3000",
			"user@example.com"},
		{"tag alone kept", "+news@example.com", "+news@example.com"},
		{"tag kept when base would end with a dot", "a.+news@example.com",
			"a.+news@example.com"},
		{"gmail tag alone kept without dots", "+news.x@gmail.com", "+newsx@gmail.com"},
		{"gmail dot before tag", "a.+news@gmail.com", "a@gmail.com"},
		{"apostrophe", "O'Brien@Example.com", "o'brien@example.com"},
		{"all atext", "!#$%&'*/=?^_`{|}~-@example.com", "!#$%&'*/=?^_`{|}~-@example.com"},
		{"digits", "123@123.com", "123@123.com"},
		{"one-letter TLD", "test@iana.a", "test@iana.a"},
		{"hyphenated TLD", "test@iana.co-uk", "test@iana.co-uk"},
		{"local part of 64 octets", long64 + "@example.com", long64 + "@example.com"},
		{"address of 254 octets", long64 + "@" + domain189, long64 + "@" + domain189},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Email(tc.in)
			if err != nil {
				t.Fatalf("Email(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("Email(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestEmailInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"blanks only", " \t "},
		{"no at", "plainaddress"},
		{"two ats", "someone@@example.com"},
		{"at in local part", "some@one@example.com"},
		{"empty local part", "@example.com"},
		{"empty domain", "someone@"},
		{"dotless domain", "someone@localhost"},
		{"IPv4 literal", "someone@[192.0.2.1]"},
		{"IPv6 literal", "someone@[IPv6:2001:db8::1]"},
		{"bare IPv4", "someone@192.0.2.1"},
		{"numeric TLD", "someone@example.123"},
		{"quoted local part", `"someone"@example.com`},
		{"quoted local part with space", `"some one"@example.com`},
		{"leading comment", "(comment)someone@example.com"},
		{"trailing comment", "someone@example.com(comment)"},
		{"space in local part", "some one@example.com"},
		{"space in domain", "someone@exam ple.com"},
		{"space before at", "someone @example.com"},
		{"line feed", "someone@example.com\n"},
		{"carriage return and line feed", "\r\nsomeone@example.com"},
		{"NUL", "some\x00one@example.com"},
		{"DEL", "some\x7fone@example.com"},
		{"leading dot", ".someone@example.com"},
		{"trailing dot in local part", "someone.@example.com"},
		{"consecutive dots", "some..one@example.com"},
		{"backslash", `some\one@example.com`},
		{"comma", "some,one@example.com"},
		{"label starts with hyphen", "someone@-example.com"},
		{"label ends with hyphen", "someone@example-.com"},
		{"empty label", "someone@example..com"},
		{"leading dot in domain", "someone@.example.com"},
		{"trailing dot in domain", "someone@example.com."},
		{"underscore in domain", "someone@exa_mple.com"},
		{"slash in domain", "someone@iana/icann.org"},
		{"local part of 65 octets", strings.Repeat("e", 65) + "@example.com"},
		{"label of 64 octets", "someone@" + strings.Repeat("f", 64) + ".com"},
		{"domain of 254 octets", "x@" + hostOfLen(t, 254)},
		{"input of 1025 octets", "x@example.com" + strings.Repeat("\u00ad", 506)},
		{"address of 255 octets", strings.Repeat("g", 64) + "@" + hostOfLen(t, 190)},
		{"non-ASCII local part", "jürgen@example.com"},
		{"invalid UTF-8 in local part", "some\xffone@example.com"},
		{"invalid UTF-8 in domain", "someone@exam\xffple.com"},
		{"private-use code point in domain", "someone@exa\ue000mple.com"},
		{"bidi rule broken in domain", "someone@a\u05d0.com"},
		{"symbol in domain", "someone@exa$mple.com"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Email(tc.in)
			if err == nil {
				t.Fatalf("Email(%q) = %q, want an error", tc.in, got)
			}
			if !errors.Is(err, ErrInvalidEmail) {
				t.Errorf("Email(%q) error %v does not wrap ErrInvalidEmail", tc.in, err)
			}
			assertNoEcho(t, err, tc.in)
		})
	}
}

// hostOfLen returns a host name of exactly n octets (n >= 6) made of labels
// of at most 63 octets and ending in ".com".
func hostOfLen(t *testing.T, n int) string {
	t.Helper()
	b := []byte(strings.Repeat("h", n-len(".com")))
	for i := 63; i < len(b); i += 64 {
		b[i] = '.'
	}
	if b[len(b)-1] == '.' {
		b[len(b)-2], b[len(b)-1] = '.', 'h'
	}
	host := string(b) + ".com"
	if len(host) != n {
		t.Fatalf("hostOfLen(%d) built %d octets", n, len(host))
	}
	return host
}

// assertNoEcho fails when the error message repeats the input or any part of
// it four or more octets long, split at "@", "." and blanks.
func assertNoEcho(t *testing.T, err error, in string) {
	t.Helper()
	msg := err.Error()
	parts := strings.FieldsFunc(in, func(r rune) bool {
		return r == '@' || r == '.' || r == ' ' || r == '"' || r == '(' || r == ')'
	})
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if len(p) >= 4 && strings.Contains(msg, p) {
			t.Errorf("error %q repeats %q from the input", msg, p)
		}
	}
}

// FuzzEmail checks that Email never panics, that every key is an accepted
// address whose own key is itself, and that every error wraps
// ErrInvalidEmail.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{
		"  John.Doe+news@GMail.com ",
		"john.doe@googlemail.com",
		"info@Bücher.example",
		"user@straße.de",
		"+news.x@gmail.com",
		"a.+news@example.com",
		"user@example\u3002com",
		"test@xn--hxajbheg2az3al.xn--jxalpdlp",
		`"quoted"@example.com`,
		"someone@[192.0.2.1]",
		"some..one@example.com",
		"\u00a0x@y.z\u3000",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		key, err := Email(in)
		if err != nil {
			if !errors.Is(err, ErrInvalidEmail) {
				t.Fatalf("Email(%q) error %v does not wrap ErrInvalidEmail", in, err)
			}
			return
		}
		if len(key) > maxAddressLen {
			t.Errorf("Email(%q) = %q, longer than 254 octets", in, key)
		}
		for i := 0; i < len(key); i++ {
			if key[i] >= 0x80 || 'A' <= key[i] && key[i] <= 'Z' {
				t.Fatalf("Email(%q) = %q, not lower-case ASCII", in, key)
			}
		}
		again, err := Email(key)
		if err != nil {
			t.Fatalf("Email(%q) = %q, which is rejected: %v", in, key, err)
		}
		if again != key {
			t.Errorf("Email(%q) = %q, but Email(%q) = %q", in, key, key, again)
		}
	})
}
