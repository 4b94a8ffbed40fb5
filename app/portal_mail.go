package app

import (
	"context"
	"fmt"

	"github.com/erekins/erekins/delivery"
)

// SendMail sends one message that is not an invoice (the portal's invitations and password
// reset links) through the same mailer as invoices: the SMTP server, or the built-in outbox.
// The sender is the one invoices have. It is sent at once, not queued: the person who asked
// is waiting for it and can ask again, and a link must not linger in a queue.
func (a *App) SendMail(ctx context.Context, to, subject, text string) error {
	sup, err := a.Supplier(ctx)
	if err != nil {
		return err
	}
	from := a.Config.Mail.From
	if from == "" {
		from = sup.Email
	}
	m := &delivery.Message{From: from, FromName: sup.Name, To: to, Subject: subject, Text: text,
		MessageID: delivery.NewMessageID(from), Date: a.Now()}
	res := a.Delivery.Mailer.Send(ctx, m)
	if res.Outcome != delivery.OutcomeAccepted {
		return fmt.Errorf("send mail to %s: %s %d %s", to, res.Outcome, res.Code, res.Reply)
	}
	return nil
}
