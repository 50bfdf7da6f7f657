package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Default ports: 587 is mail submission with STARTTLS, 465 is submission
// over implicit TLS.
const (
	defaultSMTPPort  = 587
	defaultSMTPSPort = 465
)

// ErrInvalidSMTPURL means the address given to NewSMTP cannot be used. Its
// messages never repeat the address, which may hold a password.
var ErrInvalidSMTPURL = errors.New("invalid smtp url")

// smtpSender delivers through one SMTP server, opening a connection per
// mail. The go-mail client only reads its settings while sending, so one
// smtpSender is safe for concurrent use.
type smtpSender struct {
	client *gomail.Client
	from   string
}

// NewSMTP returns a Sender that delivers through the server in rawURL, with
// from (an address such as "Goal Tracker <no-reply@school.example>") as the
// sender of every mail.
//
// rawURL is smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port].
// smtp:// defaults to port 587 and upgrades to TLS with STARTTLS when the
// server offers it, and goes on unencrypted when it does not. smtps://
// defaults to port 465 and speaks TLS from the first byte. The sender
// authenticates only when the URL holds a user name; it then picks the
// strongest mechanism the server offers, and over an unencrypted connection
// refuses mechanisms that would reveal the password.
//
// NewSMTP checks both arguments and connects to nothing. Its errors wrap
// ErrInvalidSMTPURL or describe from; they never include the password.
func NewSMTP(rawURL, from string) (Sender, error) {
	opts, host, err := smtpOptions(rawURL)
	if err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}
	if err := checkFrom(from); err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}

	client, err := gomail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("new smtp sender: %w", err)
	}
	return &smtpSender{client: client, from: from}, nil
}

// smtpOptions turns rawURL into the host and the go-mail options that
// reach it.
func smtpOptions(rawURL string) ([]gomail.Option, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included.
		return nil, "", fmt.Errorf("%w: cannot be parsed", ErrInvalidSMTPURL)
	}
	if u.Hostname() == "" {
		return nil, "", fmt.Errorf("%w: no host", ErrInvalidSMTPURL)
	}

	opts, port, err := schemeOptions(u.Scheme)
	if err != nil {
		return nil, "", err
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, "", fmt.Errorf("%w: port must be a number from 1 to 65535", ErrInvalidSMTPURL)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	return append(opts, authOptions(u.User)...), u.Hostname(), nil
}

// schemeOptions returns the TLS options and default port of scheme.
func schemeOptions(scheme string) ([]gomail.Option, int, error) {
	switch scheme {
	case "smtp":
		// Opportunistic: a relay inside the school network may offer no
		// STARTTLS, and mail must still go out.
		return []gomail.Option{gomail.WithTLSPolicy(gomail.TLSOpportunistic)}, defaultSMTPPort, nil
	case "smtps":
		return []gomail.Option{gomail.WithSSL()}, defaultSMTPSPort, nil
	default:
		return nil, 0, fmt.Errorf("%w: scheme must be smtp or smtps", ErrInvalidSMTPURL)
	}
}

// authOptions returns the options for SMTP AUTH, or none when user holds no
// user name.
func authOptions(user *url.Userinfo) []gomail.Option {
	if user == nil || user.Username() == "" {
		return nil
	}

	password, _ := user.Password()
	return []gomail.Option{
		// Auto-discovery never picks PLAIN or LOGIN on an unencrypted
		// connection, so the password is not sent in the clear.
		gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
		gomail.WithUsername(user.Username()),
		gomail.WithPassword(password),
	}
}

// checkFrom refuses a sender that is not exactly one address.
func checkFrom(from string) error {
	if strings.ContainsAny(from, "\r\n") {
		return errors.New("sender address holds a line break")
	}
	if _, err := netmail.ParseAddress(from); err != nil {
		return fmt.Errorf("parse sender address: %w", err)
	}
	return nil
}

// Send validates m, then connects, delivers m and disconnects. It returns an
// error wrapping ErrInvalidMessage without connecting when m is invalid. ctx
// bounds the connection and the delivery.
func (s *smtpSender) Send(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}

	msg, err := s.compose(m)
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}

	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}

// compose builds the go-mail message for m.
func (s *smtpSender) compose(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return nil, fmt.Errorf("set sender: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("set recipient: %w", err)
	}

	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}
