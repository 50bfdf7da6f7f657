package mail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestMailbox returns a Mailbox and the buffer its log is written to.
func newTestMailbox(t *testing.T) (*Mailbox, *syncBuffer) {
	t.Helper()

	logs := &syncBuffer{}
	return NewMailbox(slog.New(slog.NewTextHandler(logs, nil))), logs
}

// syncBuffer is a bytes.Buffer that several goroutines may log to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// sendN sends n valid mails to s. It reports failures with t.Errorf, so
// that it may run in goroutines other than the test's.
func sendN(t *testing.T, s Sender, n int) {
	t.Helper()

	for i := range n {
		m := Message{To: fmt.Sprintf("t%d@school.example", i), Subject: fmt.Sprintf("mail %d", i)}
		if err := s.Send(t.Context(), m); err != nil {
			t.Errorf("Send %d: %v", i, err)
			return
		}
	}
}

func TestMailboxKeepsNewestFirst(t *testing.T) {
	t.Parallel()

	box, _ := newTestMailbox(t)
	if got := box.List(); len(got) != 0 {
		t.Fatalf("new mailbox holds %d mails", len(got))
	}
	sendN(t, box, 3)

	got := box.List()
	if len(got) != 3 {
		t.Fatalf("List() has %d mails; want 3", len(got))
	}
	for i, want := range []int{3, 2, 1} {
		if got[i].ID != want || got[i].Subject != fmt.Sprintf("mail %d", want-1) {
			t.Errorf("List()[%d] = ID %d %q; want ID %d", i, got[i].ID, got[i].Subject, want)
		}
		if got[i].SentAt.IsZero() {
			t.Errorf("List()[%d] has no SentAt", i)
		}
	}
}

func TestMailboxCapsAt100(t *testing.T) {
	t.Parallel()

	box, _ := newTestMailbox(t)
	sendN(t, box, 105)

	got := box.List()
	if len(got) != 100 {
		t.Fatalf("List() has %d mails; want 100", len(got))
	}
	if got[0].ID != 105 || got[99].ID != 6 {
		t.Errorf("kept IDs %d..%d; want 105..6", got[0].ID, got[99].ID)
	}
}

func TestMailboxLatest(t *testing.T) {
	t.Parallel()

	box, _ := newTestMailbox(t)
	for _, m := range []Message{
		{To: "ana@school.example", Subject: "first"},
		{To: "ben@school.example", Subject: "other"},
		{To: "Ana Ruiz <ANA@School.example>", Subject: "second"},
	} {
		if err := box.Send(t.Context(), m); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}

	for _, tc := range []struct {
		to, want string
		found    bool
	}{
		{"ana@school.example", "second", true},
		{"Ana@SCHOOL.example", "second", true},
		{"ben@school.example", "other", true},
		{"cy@school.example", "", false},
	} {
		got, ok := box.Latest(tc.to)
		if ok != tc.found || got.Subject != tc.want {
			t.Errorf("Latest(%q) = %q, %v; want %q, %v", tc.to, got.Subject, ok, tc.want, tc.found)
		}
	}
}

func TestMailboxLogsWithoutBody(t *testing.T) {
	t.Parallel()

	box, logs := newTestMailbox(t)
	m := Message{To: "ana@school.example", Subject: "Reset your password", Body: "secret-reset-token"}
	if err := box.Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}

	out := logs.String()
	for _, want := range []string{"mail kept in development mailbox", "ana@school.example", "Reset your password"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, m.Body) {
		t.Errorf("log %q holds the body", out)
	}
}

func TestMailboxConcurrentSends(t *testing.T) {
	t.Parallel()

	box, _ := newTestMailbox(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { sendN(t, box, 40) })
	}
	wg.Wait()

	seen := map[int]bool{}
	for _, s := range box.List() {
		seen[s.ID] = true
	}
	if len(seen) != 100 || !seen[160] {
		t.Errorf("kept %d distinct IDs (newest 160: %v); want 100", len(seen), seen[160])
	}
}

func TestSendRefusesInvalidMessages(t *testing.T) {
	t.Parallel()

	box, _ := newTestMailbox(t)
	// Nothing listens on port 1: validation must fail before dialling.
	smtp, err := NewSMTP("smtp://127.0.0.1:1", "Goal Tracker <no-reply@school.example>")
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}

	for _, m := range []Message{
		{To: "ana@school.example\r\nBcc: all@school.example", Subject: "hi"},
		{To: "ana@school.example\n", Subject: "hi"},
		{To: "ana@school.example", Subject: "hi\r\nBcc: all@school.example"},
		{To: "ana@school.example", Subject: "hi\nthere"},
		{To: "ana@school.example, ben@school.example", Subject: "hi"},
		{To: "not an address", Subject: "hi"},
		{To: "", Subject: "hi"},
	} {
		for name, s := range map[string]Sender{"mailbox": box, "smtp": smtp} {
			if err := s.Send(t.Context(), m); !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("%s.Send(%q, %q) = %v; want ErrInvalidMessage", name, m.To, m.Subject, err)
			}
		}
	}
	if n := len(box.List()); n != 0 {
		t.Errorf("mailbox kept %d invalid mails", n)
	}
}

func TestNewSMTPRejectsBadSettings(t *testing.T) {
	t.Parallel()

	const secret = "s3cret-pw"
	const from = "Goal Tracker <no-reply@school.example>"
	for _, tc := range []struct {
		name, url, from string
		isURLErr        bool
	}{
		{"http scheme", "http://mailer:" + secret + "@mail.example", from, true},
		{"no scheme", "mailer:" + secret + "@mail.example:587", from, true},
		{"no host", "smtp://mailer:" + secret + "@", from, true},
		{"opaque", "smtp:mailer:" + secret + "@mail.example", from, true},
		{"empty", "", from, true},
		{"port not a number", "smtp://mailer:" + secret + "@mail.example:abc", from, true},
		{"port out of range", "smtps://mailer:" + secret + "@mail.example:70000", from, true},
		{"unparsable", "smtp://mailer:" + secret + "@mail example\x7f", from, true},
		{"bad from", "smtp://mailer:" + secret + "@mail.example", "no-reply", false},
		{"from with line break", "smtp://mailer:" + secret + "@mail.example", "a@b.example\r\nBcc: c@d.example", false},
	} {
		_, err := NewSMTP(tc.url, tc.from)
		if err == nil {
			t.Errorf("%s: NewSMTP accepted it", tc.name)
			continue
		}
		if errors.Is(err, ErrInvalidSMTPURL) != tc.isURLErr {
			t.Errorf("%s: error %q; want errors.Is ErrInvalidSMTPURL = %v", tc.name, err, tc.isURLErr)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error %q reveals the password", tc.name, err)
		}
	}
}

func TestNewSMTPPorts(t *testing.T) {
	t.Parallel()

	for _, tc := range []struct{ url, want string }{
		{"smtp://mail.example", "mail.example:587"},
		{"smtps://mail.example", "mail.example:465"},
		{"smtp://mailer:pw@mail.example:2525", "mail.example:2525"},
		{"smtps://mailer:pw@mail.example:2465/", "mail.example:2465"},
	} {
		s, err := NewSMTP(tc.url, "no-reply@school.example")
		if err != nil {
			t.Errorf("NewSMTP(%q): %v", tc.url, err)
			continue
		}
		if got := s.(*smtpSender).client.ServerAddr(); got != tc.want {
			t.Errorf("NewSMTP(%q) dials %s; want %s", tc.url, got, tc.want)
		}
	}
}

func TestSMTPRoundTrip(t *testing.T) {
	t.Parallel()

	addr, received := startFakeSMTP(t)
	sender, err := NewSMTP("smtp://"+addr, "Goal Tracker <no-reply@school.example>")
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}

	body := "Open this link to choose a new password:\n" +
		"https://goals.school.example/reset?token=abc123&next=%2F\n\nIt works for 30 minutes.\n"
	msg := Message{To: "Ana Ruiz <ana@school.example>", Subject: "Reset your Goal Tracker password", Body: body}
	if err := sender.Send(t.Context(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := waitForMail(t, received)
	checkEnvelope(t, got, "no-reply@school.example", "ana@school.example")
	checkContent(t, got.data, msg)
}

// fakeMail is what the fake server received in one transaction.
type fakeMail struct {
	from string
	to   []string
	data []byte
}

// startFakeSMTP starts a server on 127.0.0.1 that speaks just enough SMTP
// to take mail, offers no STARTTLS and no AUTH, and sends each mail it
// takes to the returned channel. It stops when the test ends.
func startFakeSMTP(t *testing.T) (string, <-chan fakeMail) {
	t.Helper()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { ln.Close() })

	received := make(chan fakeMail, 10)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveFakeSMTP(conn, received)
		}
	}()
	return ln.Addr().String(), received
}

func serveFakeSMTP(conn net.Conn, received chan<- fakeMail) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(conn)
	reply := func(line string) { _ = tp.PrintfLine("%s", line) }

	reply("220 fake.example ESMTP")
	var m fakeMail
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			reply("250 fake.example")
		case "MAIL":
			m = fakeMail{from: angleAddress(arg)}
			reply("250 OK")
		case "RCPT":
			m.to = append(m.to, angleAddress(arg))
			reply("250 OK")
		case "DATA":
			reply("354 end with .")
			if m.data, err = tp.ReadDotBytes(); err != nil {
				return
			}
			received <- m
			reply("250 OK queued")
		case "NOOP", "RSET":
			reply("250 OK")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// angleAddress returns the address between < and > in an argument such as
// "FROM:<a@b.example> BODY=8BITMIME".
func angleAddress(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

func waitForMail(t *testing.T, received <-chan fakeMail) fakeMail {
	t.Helper()

	select {
	case m := <-received:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("the fake server received no mail")
		return fakeMail{}
	}
}

func checkEnvelope(t *testing.T, got fakeMail, from, to string) {
	t.Helper()

	if got.from != from {
		t.Errorf("MAIL FROM %q; want %q", got.from, from)
	}
	if len(got.to) != 1 || got.to[0] != to {
		t.Errorf("RCPT TO %q; want [%q]", got.to, to)
	}
}

// checkContent parses data as a mail and compares its headers and decoded
// body with want.
func checkContent(t *testing.T, data []byte, want Message) {
	t.Helper()

	parsed, err := netmail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatalf("parse received mail: %v", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != want.Subject {
		t.Errorf("Subject %q (%v); want %q", subject, err, want.Subject)
	}
	if to := parsed.Header.Get("To"); !strings.Contains(to, "<ana@school.example>") {
		t.Errorf("To header %q; want the recipient", to)
	}

	body := io.Reader(parsed.Body)
	if strings.EqualFold(parsed.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	got := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if strings.TrimRight(got, "\n") != strings.TrimRight(want.Body, "\n") {
		t.Errorf("body %q; want %q", got, want.Body)
	}
}
