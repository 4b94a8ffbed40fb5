package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// SMTP sends through an SMTP server; it is safe for concurrent use. Connections are kept
// for the next message (up to maxIdle of them); a kept connection that the server closed
// meanwhile is noticed before MAIL FROM (go-mail's NOOP check) and replaced, so it never
// counts as a failed attempt.
type SMTP struct {
	client *mail.Client
	server string
	idle   chan *smtp.Client
}

const maxIdle = 16

// NewSMTP configures a sender from a URL: smtp://[user:password@]host[:port] (STARTTLS when
// offered; ?tls=required insists, ?tls=none refuses), or smtps://… for implicit TLS.
func NewSMTP(rawURL string, timeout time.Duration) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, billing.Errorf(billing.ErrInvalid, "smtp", "must be smtp://[user:password@]host:port or smtps://…")
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"smtp": "25", "smtps": "465"}[u.Scheme]
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return nil, billing.Errorf(billing.ErrInvalid, "smtp", "port %q is not a number", port)
	}
	opts := []mail.Option{mail.WithPort(p), mail.WithTimeout(timeout)}
	if u.Scheme == "smtps" {
		opts = append(opts, mail.WithSSL())
	} else {
		switch tlsMode := u.Query().Get("tls"); tlsMode {
		case "", "opportunistic":
			opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
		case "required":
			opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		case "none":
			opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		default:
			return nil, billing.Errorf(billing.ErrInvalid, "smtp", "tls=%q: must be required, none or opportunistic", tlsMode)
		}
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()), mail.WithPassword(pw))
	}
	c, err := mail.NewClient(host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp client: %w", err)
	}
	return &SMTP{client: c, server: net.JoinHostPort(host, port), idle: make(chan *smtp.Client, maxIdle)}, nil
}

// Server is host:port, never the credentials.
func (s *SMTP) Server() string { return s.server }

// Send delivers one message.
func (s *SMTP) Send(ctx context.Context, m *delivery.Message) delivery.Result {
	msg, err := build(m)
	if err != nil {
		return delivery.Result{Outcome: delivery.OutcomeRejected, Reply: err.Error()}
	}
	conn, pooled := s.get()
	for {
		if conn == nil {
			if conn, err = s.client.DialToSMTPClientWithContext(ctx); err != nil {
				return classify(fmt.Errorf("connect: %w", err))
			}
		}
		err = s.client.SendWithSMTPClient(conn, msg)
		var se *mail.SendError
		if pooled && !msg.IsDelivered() && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
			s.client.CloseWithSMTPClient(conn) // went stale while idle: dial afresh
			conn, pooled = nil, false
			continue
		}
		break
	}
	if err == nil {
		s.put(conn)
	} else {
		s.client.CloseWithSMTPClient(conn)
	}
	if msg.IsDelivered() {
		// accepted after DATA; a failure after that (RSET) does not undo it
		return delivery.Result{Outcome: delivery.OutcomeAccepted, Code: 250, Reply: strings.TrimSpace("250 " + msg.ServerResponse())}
	}
	if err == nil {
		err = errors.New("server did not confirm the message")
	}
	return classify(err)
}

func (s *SMTP) get() (*smtp.Client, bool) {
	select {
	case c := <-s.idle:
		return c, true
	default:
		return nil, false
	}
}

func (s *SMTP) put(c *smtp.Client) {
	select {
	case s.idle <- c:
	default:
		s.client.CloseWithSMTPClient(c)
	}
}

// Close closes the kept connections.
func (s *SMTP) Close() error {
	for {
		select {
		case c := <-s.idle:
			s.client.CloseWithSMTPClient(c)
		default:
			return nil
		}
	}
}
