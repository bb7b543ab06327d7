package matchkey

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// sharedData is the project's shared data pack, a sibling of the repository.
const sharedData = "../../../shared/data"

// readSharedData returns the bytes of a file in the shared data pack, or
// skips the test when the pack is not beside the repository.
func readSharedData(t *testing.T, name string) []byte {
	t.Helper()
	path := filepath.Join(sharedData, name)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("shared data %s is absent (expected beside the repository); "+
			"skipping the real-input test", path)
	}
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return b
}

// isemailTest is one <test> of isemail's tests.xml.
type isemailTest struct {
	ID        string `xml:"id,attr"`
	Address   string `xml:"address"`
	Category  string `xml:"category"`
	Diagnosis string `xml:"diagnosis"`
}

// controlFromPicture turns the U+2400 "SYMBOL FOR" pictures that tests.xml
// uses for ASCII control characters back into those characters.
func controlFromPicture(s string) string {
	return strings.Map(func(r rune) rune {
		if 0x2400 <= r && r < 0x2420 {
			return r - 0x2400
		}
		return r
	}, s)
}

// TestEmailIsemail runs every address of isemail's test suite.
//
// How each category is treated:
//   - ISEMAIL_VALID_CATEGORY: accepted, except single-label domains, which
//     are outside our subset (test 5, "test@io").
//   - ISEMAIL_DNSWARN: accepted. These are well-formed addresses whose domain
//     had no DNS record when the suite was written; we do no DNS look-up.
//   - ISEMAIL_RFC5321, ISEMAIL_RFC5322, ISEMAIL_DEPREC: rejected. They are
//     valid by some RFC but use quoted strings, IP or domain literals,
//     single-label or numeric top-level domains, comments or white space, or
//     are too long: none of that is in our subset.
//   - ISEMAIL_CFWS: rejected (comments, line breaks), except an address
//     whose only oddity is a space at either end, which we trim (tests 157
//     and 158).
//   - ISEMAIL_ERR: rejected, every one.
func TestEmailIsemail(t *testing.T) {
	var suite struct {
		Tests []isemailTest `xml:"test"`
	}
	if err := xml.Unmarshal(readSharedData(t, "validation/isemail-tests.xml"),
		&suite); err != nil {
		t.Fatalf("parsing isemail-tests.xml: %v", err)
	}
	if len(suite.Tests) < 150 {
		t.Fatalf("isemail-tests.xml has %d tests, want at least 150", len(suite.Tests))
	}

	acceptCategory := map[string]bool{
		"ISEMAIL_VALID_CATEGORY": true,
		"ISEMAIL_DNSWARN":        true,
		"ISEMAIL_RFC5321":        false,
		"ISEMAIL_RFC5322":        false,
		"ISEMAIL_DEPREC":         false,
		"ISEMAIL_CFWS":           false,
		"ISEMAIL_ERR":            false,
	}
	// Tests whose outcome differs from their category's, with the reason.
	exceptions := map[string]string{
		"5":   "single-label domain",
		"157": "leading space is trimmed",
		"158": "trailing space is trimmed",
	}

	seen := map[string]bool{}
	for _, tc := range suite.Tests {
		want, known := acceptCategory[tc.Category]
		if !known {
			t.Errorf("test %s: unknown category %s", tc.ID, tc.Category)
			continue
		}
		if _, ok := exceptions[tc.ID]; ok {
			want = !want
			seen[tc.ID] = true
		}
		addr := controlFromPicture(tc.Address)
		t.Run(tc.ID+"_"+tc.Diagnosis, func(t *testing.T) {
			key, err := Email(addr)
			if got := err == nil; got != want {
				t.Errorf("Email(%q) = %q, %v; want accepted %v (%s)",
					addr, key, err, want, tc.Category)
			}
			if err != nil && !errors.Is(err, ErrInvalidEmail) {
				t.Errorf("Email(%q) error %v does not wrap ErrInvalidEmail", addr, err)
			}
		})
	}
	for id, reason := range exceptions {
		if !seen[id] {
			t.Errorf("exception for test %s (%s) matches no test", id, reason)
		}
	}
}

// TestPhoneExamples checks every region's example mobile number from
// libphonenumber-js: written nationally with its region as the default, it
// must give a valid E.164 key, and its international form must give the
// same key.
func TestPhoneExamples(t *testing.T) {
	var examples map[string]string
	if err := json.Unmarshal(readSharedData(t,
		"validation/libphonenumber-js-examples.mobile.json"), &examples); err != nil {
		t.Fatalf("parsing libphonenumber-js-examples.mobile.json: %v", err)
	}
	if len(examples) < 200 {
		t.Fatalf("only %d regions in the examples, want at least 200", len(examples))
	}
	regions := make([]string, 0, len(examples))
	for region := range examples {
		regions = append(regions, region)
	}
	sort.Strings(regions)

	for _, region := range regions {
		national := examples[region]
		t.Run(region, func(t *testing.T) {
			key, err := Phone(national, region)
			if err != nil {
				t.Fatalf("Phone(%q, %q): %v", national, region, err)
			}
			num, err := phonenumbers.Parse(key, "")
			if err != nil || !phonenumbers.IsValidNumber(num) ||
				phonenumbers.Format(num, phonenumbers.E164) != key {
				t.Fatalf("Phone(%q, %q) = %q, not a valid E.164 number (%v)",
					national, region, key, err)
			}
			intl := phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
			for _, r := range []string{region, ""} {
				if got, err := Phone(intl, r); err != nil || got != key {
					t.Errorf("Phone(%q, %q) = %q, %v; want %q", intl, r, got, err, key)
				}
			}
		})
	}
}
