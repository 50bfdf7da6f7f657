// Package mail sends the plain-text mails the app writes, such as password
// reset links: through an SMTP server in production, or into an in-memory
// mailbox in development.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
)

// Message is one plain-text mail to a single recipient.
type Message struct {
	// To is one address, bare (ana@school.example) or with a name
	// (Ana Ruiz <ana@school.example>).
	To string
	// Subject is a single line.
	Subject string
	// Body is the text of the mail; it may span lines.
	Body string
}

// Sender sends mail. Send returns an error wrapping ErrInvalidMessage, and
// sends nothing, when the message fails validation.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrInvalidMessage means a Message was refused before sending: its To is not
// exactly one address, or a header holds a line break.
var ErrInvalidMessage = errors.New("invalid mail message")

// validate refuses a message whose headers could be split to smuggle in
// other headers or recipients.
func (m Message) validate() error {
	if strings.ContainsAny(m.To, "\r\n") {
		return fmt.Errorf("%w: recipient holds a line break", ErrInvalidMessage)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("%w: subject holds a line break", ErrInvalidMessage)
	}
	if _, err := netmail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("%w: recipient is not a single address: %w", ErrInvalidMessage, err)
	}
	return nil
}
