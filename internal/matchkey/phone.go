package matchkey

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalidPhone is wrapped by every error that Phone returns. The message
// never repeats the number.
var ErrInvalidPhone = errors.New("invalid phone number")

// Phone returns the E.164 key ("+4915123456789") of a phone number written in
// any common format. region is the contact's country as an ISO 3166-1
// alpha-2 code, in any case; it is the default for numbers written without a
// country calling code. With an empty or unknown region only numbers that
// start with "+" parse. An extension is not part of the key.
func Phone(raw, region string) (string, error) {
	region = strings.ToUpper(strings.TrimSpace(region))
	num, err := phonenumbers.Parse(strings.TrimSpace(raw), region)
	if err != nil {
		// The library's messages are fixed strings without the number.
		return "", fmt.Errorf("%w: %v", ErrInvalidPhone, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("%w: not a valid number for its region", ErrInvalidPhone)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}
