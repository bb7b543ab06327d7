// Package ses sends the platform's email through Amazon SES (the v1
// SendEmail API): plain text, UTF-8, one recipient a message.
package ses

import (
	"strings"

	"context"
	"errors"
	"fmt"
	"golang.org/x/net/idna"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsses "github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/ses/types"
	"github.com/aws/smithy-go"

	"github.com/immagnify/immagnify/internal/privacy"
)

var _ privacy.Mailer = (*Mailer)(nil)

// charset is the character set of every subject and body sent.
const charset = "UTF-8"

// Mailer sends email from one verified address.
type Mailer struct {
	client *awsses.Client
	from   string
}

// NewMailer returns a Mailer that sends from the address from, which SES
// must have verified.
func NewMailer(client *awsses.Client, from string) *Mailer {
	return &Mailer{client: client, from: from}
}

// Send sends m as a plain text email. An error that SES answers is a
// *SendError, which reports its code only, since SES puts addresses in its
// messages; errors.As still finds the SES error type.
func (ml *Mailer) Send(ctx context.Context, m privacy.Message) error {
	switch {
	case m.To == "":
		return errors.New("sending email: no recipient")
	case m.Subject == "":
		return errors.New("sending email: no subject")
	}
	to, err := ASCIIAddress(m.To)
	if err != nil {
		return err
	}
	out, err := ml.client.SendEmail(ctx, &awsses.SendEmailInput{
		Source:      aws.String(ml.from),
		Destination: &types.Destination{ToAddresses: []string{to}},
		Message: &types.Message{
			Subject: &types.Content{Data: aws.String(m.Subject), Charset: aws.String(charset)},
			Body: &types.Body{
				Text: &types.Content{Data: aws.String(m.Text), Charset: aws.String(charset)},
			},
		},
	})
	if err != nil {
		return redact(err)
	}
	slog.DebugContext(ctx, "email sent", "messageId", aws.ToString(out.MessageId))
	return nil
}

// SendError is a failed send whose text leaves out what SES said, which may
// hold addresses; Unwrap gives the full error.
type SendError struct {
	// Code is the SES error code, such as MessageRejected.
	Code string
	err  error
}

func (e *SendError) Error() string { return "sending email: SES answered " + e.Code }

// Unwrap returns the error of the SDK.
func (e *SendError) Unwrap() error { return e.err }

// redact hides the message of an error that SES answered; other errors
// (no connection, a deadline) hold no address and keep their text.
func redact(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		return &SendError{Code: api.ErrorCode(), err: err}
	}
	return fmt.Errorf("sending email: %w", err)
}

// ASCIIAddress writes an address the way SES accepts it: 7-bit ASCII, with an
// internationalised domain in punycode. A local part that is not ASCII
// cannot be sent through SES and is an error, which never repeats the address.
func ASCIIAddress(addr string) (string, error) {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "", errors.New("sending email: the recipient is not an address")
	}
	local, domain := addr[:at], addr[at+1:]
	for i := 0; i < len(local); i++ {
		if local[i] >= 0x80 || local[i] < 0x21 {
			return "", errors.New("sending email: SES takes ASCII local parts only")
		}
	}
	d, err := idna.Lookup.ToASCII(domain)
	if err != nil {
		return "", errors.New("sending email: the recipient's domain is not valid")
	}
	return local + "@" + d, nil
}
