// Package mailer sends delivery messages: by SMTP through github.com/wneessen/go-mail, or
// into the built-in outbox (a table) when no SMTP server is configured. It turns what the
// server said into a delivery.Result: accepted only when the server accepted the message
// after DATA; 5xx rejected; 4xx and connection errors deferred.
package mailer

import (
	"bytes"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/textproto"

	"github.com/wneessen/go-mail"

	"github.com/erekins/erekins/delivery"
)

// build turns a message into a go-mail message: text and HTML alternatives, attachments
// base64-encoded byte for byte, the delivery's fixed Message-ID.
func build(m *delivery.Message) (*mail.Msg, error) {
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	from, err := netmail.ParseAddress(m.From)
	if err != nil {
		return nil, fmt.Errorf("from %q: %w", m.From, err)
	}
	from.Name = m.FromName
	msg.FromMailAddress(from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.Date)
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.ContentType)))
	}
	return msg, nil
}

// Raw is the message as RFC 5322 bytes, as the outbox keeps it and tests parse it.
func Raw(m *delivery.Message) ([]byte, error) {
	msg, err := build(m)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// classify maps an SMTP error to a result: a reply code of 5xx is permanent, anything else
// (4xx, a dropped connection, a refused dial, a timeout) is temporary.
func classify(err error) delivery.Result {
	code := 0
	var se *mail.SendError
	var te *textproto.Error
	switch {
	case errors.As(err, &se):
		code = se.ErrorCode()
	case errors.As(err, &te):
		code = te.Code
	}
	if code >= 500 && code < 600 {
		return delivery.Result{Outcome: delivery.OutcomeRejected, Code: code, Reply: err.Error()}
	}
	return delivery.Result{Outcome: delivery.OutcomeDeferred, Code: code, Reply: err.Error()}
}
