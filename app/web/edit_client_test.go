package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
)

// editor is one teacher's browser editing one goal's title in place, as
// htmx does: it posts the new title, with the session cookie, the CSRF
// token and the version of the last answer, and reads the field the
// server sends back. Like wrk, it speaks HTTP/1.1 over one kept-alive
// connection of its own and does little else, so that the load test's
// processors go to the server: a real teacher's browser runs on another
// machine.
type editor struct {
	addr, cookie, csrf string
	goal               int64
	version            string

	conn net.Conn
	in   *bufio.Reader
	out  []byte
}

// edit saves title number i, reading the field first when it has no
// version yet.
func (e *editor) edit(i int64) error {
	if e.version == "" {
		if err := e.send("GET", ""); err != nil {
			return err
		}
	}
	return e.send("POST", "value=Edited+title+"+strconv.FormatInt(i, 10)+"&version="+url.QueryEscape(e.version))
}

func (e *editor) close() {
	if e.conn != nil {
		_ = e.conn.Close()
	}
}

// send makes one request for the goal's title field and keeps the
// version of its 200 answer.
func (e *editor) send(method, form string) error {
	if e.conn == nil {
		conn, err := net.Dial("tcp", e.addr)
		if err != nil {
			return err
		}
		e.conn, e.in = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	b := append(e.out[:0], method...)
	b = append(b, " /goals/"...)
	b = strconv.AppendInt(b, e.goal, 10)
	b = append(b, "/fields/title HTTP/1.1\r\nHost: "...)
	b = append(b, e.addr...)
	b = append(b, "\r\nCookie: "...)
	b = append(b, e.cookie...)
	b = append(b, "\r\nAccept-Encoding: gzip\r\n"...)
	if method == "POST" {
		b = append(b, "HX-Request: true\r\nX-CSRF-Token: "...)
		b = append(b, e.csrf...)
		b = append(b, "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(form)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	b = append(b, form...)
	e.out = b
	if _, err := e.conn.Write(b); err != nil {
		return err
	}

	status, body, err := e.readResponse()
	if err != nil {
		return fmt.Errorf("%s goal %d: %w", method, e.goal, err)
	}
	if status != "200" {
		return fmt.Errorf("%s goal %d = %s: %s", method, e.goal, status, body)
	}
	_, rest, found := bytes.Cut(body, []byte(`data-version="`))
	version, _, closed := bytes.Cut(rest, []byte(`"`))
	if !found || !closed {
		return fmt.Errorf("%s goal %d: no version in %s", method, e.goal, body)
	}
	e.version = string(version)
	return nil
}

// readResponse reads one answer: its status code and its body, unzipped.
// The app answers with a Content-Length, never in chunks.
func (e *editor) readResponse() (string, []byte, error) {
	line, err := e.in.ReadSlice('\n')
	if err != nil {
		return "", nil, err
	}
	fields := bytes.Fields(line)
	if len(fields) < 2 {
		return "", nil, fmt.Errorf("bad status line %q", line)
	}
	status := string(fields[1])
	length, zipped := -1, false
	for {
		line, err := e.in.ReadSlice('\n')
		if err != nil {
			return "", nil, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return "", nil, fmt.Errorf("bad length %q", value)
			}
		case bytes.EqualFold(name, []byte("Content-Encoding")):
			zipped = bytes.EqualFold(value, []byte("gzip"))
		}
	}
	if length < 0 {
		return "", nil, fmt.Errorf("answer without a Content-Length")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(e.in, body); err != nil {
		return "", nil, err
	}
	if zipped {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return "", nil, err
		}
		if body, err = io.ReadAll(zr); err != nil {
			return "", nil, err
		}
	}
	return status, body, nil
}
