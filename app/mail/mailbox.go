package mail

import (
	"context"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"strings"
	"sync"
	"time"
)

// mailboxSize is how many mails a Mailbox keeps; older ones are dropped.
const mailboxSize = 100

// Mailbox is the Sender used in development: it logs each mail's recipient
// and subject and keeps the newest 100 mails in memory for the /dev/mail
// page, dropping older ones. It never logs a body, which may hold a reset
// link. It is safe for concurrent use.
type Mailbox struct {
	logger *slog.Logger

	mu     sync.Mutex
	mails  []Stored // newest first
	nextID int
}

// Stored is a mail kept by a Mailbox. IDs start at 1 and grow by one per
// mail, so a dropped mail's ID is never reused.
type Stored struct {
	ID     int
	SentAt time.Time
	Message
}

// NewMailbox returns an empty Mailbox that logs to logger.
func NewMailbox(logger *slog.Logger) *Mailbox {
	return &Mailbox{logger: logger, nextID: 1}
}

// Send validates msg, keeps it and logs its recipient and subject. It
// returns an error wrapping ErrInvalidMessage, and keeps nothing, when msg
// is invalid.
func (m *Mailbox) Send(ctx context.Context, msg Message) error {
	if err := msg.validate(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}

	m.keep(msg)
	m.logger.InfoContext(ctx, "mail kept in development mailbox",
		slog.String("to", msg.To), slog.String("subject", msg.Subject))
	return nil
}

// keep stores msg as the newest mail, dropping the oldest beyond
// mailboxSize.
func (m *Mailbox) keep(msg Message) {
	m.mu.Lock()
	defer m.mu.Unlock()

	s := Stored{ID: m.nextID, SentAt: time.Now(), Message: msg}
	m.nextID++
	m.mails = append([]Stored{s}, m.mails...)
	if len(m.mails) > mailboxSize {
		m.mails = m.mails[:mailboxSize]
	}
}

// List returns a copy of the kept mails, newest first; empty when none was
// sent.
func (m *Mailbox) List() []Stored {
	m.mu.Lock()
	defer m.mu.Unlock()

	return append([]Stored(nil), m.mails...)
}

// Latest returns the newest kept mail to the address to, compared without
// regard to case or to a display name, for tests that follow a link in a
// mail. It reports false when no kept mail went there.
func (m *Mailbox) Latest(to string) (Stored, bool) {
	want := bareAddress(to)

	m.mu.Lock()
	defer m.mu.Unlock()

	for _, s := range m.mails {
		if strings.EqualFold(bareAddress(s.To), want) {
			return s, true
		}
	}
	return Stored{}, false
}

// bareAddress returns the address in s without its display name, or s
// trimmed when it does not parse.
func bareAddress(s string) string {
	if a, err := netmail.ParseAddress(s); err == nil {
		return a.Address
	}
	return strings.TrimSpace(s)
}
