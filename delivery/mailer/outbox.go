package mailer

import (
	"context"
	"time"

	"github.com/erekins/erekins/delivery"
)

// OutboxStore keeps messages that were not sent by SMTP.
type OutboxStore interface {
	SaveOutbox(ctx context.Context, m delivery.OutboxMessage) error
}

// Outbox stores messages in the database instead of sending them: the demo and any
// installation without --smtp. The back office lists them; nothing leaves the machine.
type Outbox struct {
	Store OutboxStore
	Now   func() time.Time
}

// Server names the outbox in attempts.
func (o *Outbox) Server() string { return "outbox" }

// Send stores the message; it is accepted once stored.
func (o *Outbox) Send(ctx context.Context, m *delivery.Message) delivery.Result {
	raw, err := Raw(m)
	if err != nil {
		return delivery.Result{Outcome: delivery.OutcomeRejected, Reply: err.Error()}
	}
	err = o.Store.SaveOutbox(ctx, delivery.OutboxMessage{MessageID: m.MessageID, CreatedAt: o.Now(), From: m.From, To: m.To,
		Subject: m.Subject, Raw: raw, Size: len(raw)})
	if err != nil {
		return delivery.Result{Outcome: delivery.OutcomeDeferred, Reply: "outbox: " + err.Error()}
	}
	return delivery.Result{Outcome: delivery.OutcomeAccepted, Code: 250, Reply: "stored in the outbox"}
}
