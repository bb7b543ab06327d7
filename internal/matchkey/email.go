package matchkey

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// ErrInvalidEmail is wrapped by every error that Email returns. The message
// says what is wrong but never repeats the address.
var ErrInvalidEmail = errors.New("invalid email address")

// Limits from RFC 5321 section 4.5.3.1 and RFC 1035.
const (
	maxLocalLen   = 64
	maxAddressLen = 254
	maxDomainLen  = 253
	maxLabelLen   = 63

	// maxInputLen bounds the work done on an untrusted value. It leaves room
	// for code points that the IDNA mapping drops, such as soft hyphens.
	maxInputLen = 1024
)

// Domains whose mailboxes ignore dots in the local part. googlemail.com is
// the same service as gmail.com and is keyed as gmail.com.
const (
	gmailDomain      = "gmail.com"
	googlemailDomain = "googlemail.com"
)

// Email returns the matching key of an email address, or an error wrapping
// ErrInvalidEmail when the address is outside the accepted subset described
// in the package documentation. The key is itself an accepted address and
// its own key.
func Email(raw string) (string, error) {
	s := strings.TrimFunc(raw, isBlank)

	// Reject what no accepted address can contain before splitting it.
	if s == "" {
		return "", invalidEmail("empty")
	}
	if len(s) > maxInputLen {
		return "", invalidEmail("longer than 1024 octets before normalisation")
	}
	if !utf8.ValidString(s) {
		return "", invalidEmail("not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return "", invalidEmail("contains a space or control character")
		}
	}

	// Split at the only @.
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return "", invalidEmail("no @")
	}
	if strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", invalidEmail("more than one @")
	}
	local, domain := s[:at], s[at+1:]

	// Check both parts and the length of the address as it goes on the wire.
	if err := checkLocal(local); err != nil {
		return "", err
	}
	host, err := hostKey(domain)
	if err != nil {
		return "", err
	}
	if len(local)+1+len(host) > maxAddressLen {
		return "", invalidEmail("longer than 254 octets")
	}

	// Build the key.
	if host == googlemailDomain {
		host = gmailDomain
	}
	return localKey(strings.ToLower(local), host == gmailDomain) + "@" + host, nil
}

// isBlank reports whether r is trimmed from either end of an address: a
// space, a tab or a Unicode space separator, but not a line break.
func isBlank(r rune) bool {
	return r == ' ' || r == '\t' || unicode.Is(unicode.Zs, r)
}

// checkLocal reports whether local is an unquoted dot-atom of ASCII atext of
// at most 64 octets.
func checkLocal(local string) error {
	switch {
	case local == "":
		return invalidEmail("empty local part")
	case len(local) > maxLocalLen:
		return invalidEmail("local part longer than 64 octets")
	case strings.HasPrefix(local, `"`):
		return invalidEmail("quoted local part")
	case !isDotAtom(local):
		return invalidEmail("local part is not a dot-atom of ASCII characters")
	}
	return nil
}

// isDotAtom reports whether s is a non-empty run of atext with single dots
// between characters.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '.' && !isAtext(s[i]) {
			return false
		}
	}
	return true
}

// isAtext reports whether c is an RFC 5322 atext character.
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// hostKey returns the lower-case ASCII (punycode) form of domain, checked as
// a host name with at least two labels.
func hostKey(domain string) (string, error) {
	switch {
	case domain == "":
		return "", invalidEmail("empty domain")
	case strings.HasPrefix(domain, "["):
		return "", invalidEmail("IP literal domain")
	case strings.HasSuffix(domain, "."):
		return "", invalidEmail("domain ends with a dot")
	}

	// The idna error is not wrapped: its message quotes the offending label.
	host, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", invalidEmail("domain is not a valid host name")
	}
	host = strings.ToLower(host)
	if len(host) > maxDomainLen {
		return "", invalidEmail("domain longer than 253 octets")
	}
	labels := strings.Split(host, ".")
	if len(labels) < 2 {
		return "", invalidEmail("domain has no dot")
	}
	for _, label := range labels {
		if !isLDHLabel(label) {
			return "", invalidEmail("domain is not a valid host name")
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return "", invalidEmail("numeric top-level domain")
	}
	return host, nil
}

// isLDHLabel reports whether label is 1 to 63 letters, digits and hyphens,
// with no hyphen at either end.
func isLDHLabel(label string) bool {
	if label == "" || len(label) > maxLabelLen ||
		label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isDigits reports whether s is made of ASCII digits only.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// localKey strips the "+tag" from a lower-cased local part and, for gmail,
// drops its dots. The tag is kept when stripping it would leave an empty or
// malformed local part, so that the key of a key is the key.
func localKey(local string, gmail bool) string {
	base := local
	if i := strings.IndexByte(local, '+'); i >= 0 {
		base = local[:i]
	}
	if gmail {
		base = strings.ReplaceAll(base, ".", "")
	}
	if isDotAtom(base) {
		return base
	}
	if gmail {
		return strings.ReplaceAll(local, ".", "")
	}
	return local
}

// invalidEmail returns an error wrapping ErrInvalidEmail with a reason that
// must not contain any part of the address.
func invalidEmail(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidEmail, reason)
}
