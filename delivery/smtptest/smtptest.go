// Package smtptest is a real SMTP server for tests, in process on 127.0.0.1:0
// (github.com/emersion/go-smtp). It accepts messages, defers them with 4xx, rejects them
// with 5xx, drops the connection in the middle of DATA, or is down; tests switch between
// these at any time and wait on what it received, never on the clock.
package smtptest

import (
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mode is how the server answers.
type Mode int

const (
	Accept      Mode = iota // 250 after DATA
	Defer                   // 451 at RCPT (greylisting, mailbox busy)
	Reject                  // 550 at RCPT (no such mailbox)
	DropMidData             // reads part of DATA, then closes the connection
)

// Received is one accepted message.
type Received struct {
	From      string
	To        []string
	Data      []byte
	MessageID string
}

// Server is a running test server.
type Server struct {
	Addr string

	mu       sync.Mutex
	mode     Mode
	discard  bool
	delay    time.Duration
	srv      *smtp.Server
	ln       net.Listener
	received []Received
	sessions int
	open     int // connections whose session has not logged out
	notify   chan struct{}
}

// Start starts a server that accepts, stopped when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{notify: make(chan struct{}, 1)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(s.Down)
	return s
}

// URL is the server's address as --smtp takes it.
func (s *Server) URL() string { return "smtp://" + s.Addr + "?tls=none" }

func (s *Server) serve(ln net.Listener) {
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 64 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.mu.Lock()
	s.srv, s.ln = srv, ln
	s.mu.Unlock()
	go srv.Serve(ln)
}

// SetMode changes how the server answers from the next command on.
func (s *Server) SetMode(m Mode) {
	s.mu.Lock()
	s.mode = m
	s.mu.Unlock()
}

// SetDiscard makes the server keep only the envelope and the Message-ID of what it
// receives, as benchmarks want.
func (s *Server) SetDiscard(on bool) {
	s.mu.Lock()
	s.discard = on
	s.mu.Unlock()
}

// SetReplyDelay makes the server wait d after it has taken a message, before it answers
// 250: a client killed in that gap never learns that its message was accepted.
func (s *Server) SetReplyDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// Down stops listening and closes every connection: connections are refused.
func (s *Server) Down() {
	s.mu.Lock()
	srv, ln := s.srv, s.ln
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if ln != nil {
		ln.Close() // Serve may not have registered it yet
	}
	if srv != nil {
		srv.Close()
	}
}

// Up listens again on the same address.
func (s *Server) Up(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	deadline := time.Now().Add(5 * time.Second)
	for {
		if ln, err = net.Listen("tcp", s.Addr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond) // the port is being released; not waiting for work
	}
	if err != nil {
		t.Fatalf("smtptest: listen again on %s: %v", s.Addr, err)
	}
	s.serve(ln)
}

// Received returns the messages accepted so far.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Sessions counts the connections that reached a session.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// WaitFor waits until at least n messages were accepted, failing the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if got := s.Received(); len(got) >= n {
			return got
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("smtptest: %d messages received after %s, want %d", len(s.Received()), timeout, n)
		}
	}
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.sessions++
	s.open++
	s.mu.Unlock()
	return &session{s: s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
}

func (x *session) mode() Mode {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	return x.s.mode
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	switch x.mode() {
	case Defer:
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	case Reject:
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	if x.mode() == DropMidData {
		io.CopyN(io.Discard, r, 512)
		x.conn.Conn().Close()
		return errors.New("connection dropped")
	}
	rec := Received{From: x.from, To: x.to}
	x.s.mu.Lock()
	discard := x.s.discard
	x.s.mu.Unlock()
	if discard {
		m, err := mail.ReadMessage(r)
		if err != nil {
			return err
		}
		rec.MessageID = strings.Trim(m.Header.Get("Message-Id"), "<>")
		if _, err := io.Copy(io.Discard, m.Body); err != nil {
			return err
		}
	} else {
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		rec.Data = b
		if m, err := mail.ReadMessage(bytes.NewReader(b)); err == nil {
			rec.MessageID = strings.Trim(m.Header.Get("Message-Id"), "<>")
		}
	}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, rec)
	delay := x.s.delay
	x.s.mu.Unlock()
	select {
	case x.s.notify <- struct{}{}:
	default:
	}
	time.Sleep(delay) // the reply is late, the message is taken
	return nil
}

func (x *session) Reset() { x.from, x.to = "", nil }

func (x *session) Logout() error {
	x.s.mu.Lock()
	x.s.open--
	x.s.mu.Unlock()
	select {
	case x.s.notify <- struct{}{}:
	default:
	}
	return nil
}

// WaitIdle waits until every connection has ended, so Received holds everything the
// server took, even a message it was still reading when its client was killed; it fails
// the test after timeout.
func (s *Server) WaitIdle(t testing.TB, timeout time.Duration) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		open := s.open
		s.mu.Unlock()
		if open == 0 {
			return
		}
		select {
		case <-s.notify:
		case <-deadline.C:
			t.Fatalf("smtptest: %d connections still open after %s", open, timeout)
		}
	}
}
