package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/erekins/erekins/billing"
)

// ErrStale says a job was overtaken: its delivery is final, or a later job owns it.
var ErrStale = errors.New("delivery job is stale")

// Result is what a Mailer made of one attempt.
type Result struct {
	Outcome string // OutcomeAccepted, OutcomeDeferred or OutcomeRejected
	Code    int    // the SMTP reply code; 0 when there was none (a connection error)
	Reply   string // the server's reply or the error, for operators
}

// Mailer sends a message, or stores it in the outbox.
type Mailer interface {
	Send(ctx context.Context, m *Message) Result
	// Server names where messages go, as attempts record it ("smtp.example.lv:587", "outbox").
	Server() string
}

// Store is the storage delivery needs. Methods that change a delivery's status queue the
// job of its next attempt in the same transaction, so status and queue never disagree.
type Store interface {
	// Claim starts an attempt: if seq is still the delivery's current job and the delivery
	// is not final, it becomes sending, its attempt count grows and the attempt is recorded
	// as started; otherwise ErrStale. The returned delivery's Attempts is this attempt's number.
	Claim(ctx context.Context, id int64, seq int, at time.Time, server string) (Delivery, error)
	// Finish records an attempt's outcome and the delivery's new status (see Finish).
	Finish(ctx context.Context, f Finish) error
	// InvoiceDocuments returns an invoice and its stored documents in the given formats.
	InvoiceDocuments(ctx context.Context, invoiceID int64, formats []string) (*billing.Invoice, []billing.Document, error)
	// Confirmation returns what a confirmation e-mail tells about its contract.
	Confirmation(ctx context.Context, d Delivery) (Confirmation, error)
}

// Finish is the end of one attempt.
type Finish struct {
	ID     int64
	Seq    int
	N      int // the attempt's number
	At     time.Time
	Result Result
	Status string    // Sent, Retrying or Failed
	Next   time.Time // when Retrying: the next attempt, queued as job Seq+1
}

// Service sends deliveries and manages contracts' delivery settings.
type Service struct {
	Store    Store
	Settings SettingsStore
	// Reminders finds the contracts whose readings are missing (readings reminders).
	Reminders ReminderStore
	Mailer    Mailer
	Composer  Composer
	Policy    Policy
	// Supplier is the supplier in force, for confirmations and Message-IDs.
	Supplier func(ctx context.Context) (billing.Supplier, error)
	Now      func() time.Time
	Log      *slog.Logger
}

// Attempt makes one attempt at job's delivery and records it. A stale job does nothing.
// It returns an error only when storage fails, so the job is retried as a whole; every
// mail failure is recorded as the delivery's status instead.
func (s *Service) Attempt(ctx context.Context, job Job) error {
	d, err := s.Store.Claim(ctx, job.DeliveryID, job.Seq, s.Now(), s.Mailer.Server())
	if errors.Is(err, ErrStale) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("claim delivery %d: %w", job.DeliveryID, err)
	}
	res := s.send(ctx, d)
	if ctx.Err() != nil && res.Outcome != OutcomeAccepted {
		// shutting down mid-attempt: leave it sending, the job runs again and resends
		return ctx.Err()
	}
	f := Finish{ID: d.ID, Seq: d.Seq, N: d.Attempts, At: s.Now(), Result: res}
	switch res.Outcome {
	case OutcomeAccepted:
		f.Status = Sent
	case OutcomeDeferred:
		if next, ok := s.policy().Next(d.CreatedAt, d.Attempts, f.At); ok {
			f.Status, f.Next = Retrying, next
		} else {
			f.Status = Failed
			f.Result.Reply += " (retries exhausted)"
		}
	default:
		f.Status = Failed
	}
	if err := s.Store.Finish(ctx, f); err != nil {
		return fmt.Errorf("record delivery %d attempt %d: %w", d.ID, d.Attempts, err)
	}
	if s.Log != nil {
		s.Log.Info("delivery attempt", "delivery", d.ID, "invoice", d.InvoiceNumber, "attempt", d.Attempts,
			"status", f.Status, "code", res.Code, "reply", res.Reply)
	}
	return nil
}

func (s *Service) policy() Policy {
	if s.Policy.Window == 0 {
		return DefaultPolicy()
	}
	return s.Policy
}

// send composes and sends; a message that cannot be composed is rejected, never retried.
func (s *Service) send(ctx context.Context, d Delivery) Result {
	m, err := s.compose(ctx, d)
	if err != nil {
		return Result{Outcome: OutcomeRejected, Reply: "compose: " + err.Error()}
	}
	return s.Mailer.Send(ctx, m)
}

func (s *Service) compose(ctx context.Context, d Delivery) (*Message, error) {
	if d.Kind == KindConfirmation {
		conf, err := s.Store.Confirmation(ctx, d)
		if err != nil {
			return nil, err
		}
		if s.Supplier != nil {
			if conf.Supplier, err = s.Supplier(ctx); err != nil {
				return nil, err
			}
		}
		return s.Composer.Confirmation(d, conf, s.Now())
	}
	if d.Kind == KindReminder {
		if s.Reminders == nil {
			return nil, fmt.Errorf("reminder %d: no reminder store", d.ID)
		}
		rm, err := s.Reminders.ReminderMail(ctx, d)
		if err != nil {
			return nil, err
		}
		if s.Supplier != nil {
			if rm.Supplier, err = s.Supplier(ctx); err != nil {
				return nil, err
			}
		}
		return s.Composer.Reminder(d, rm, s.Now())
	}
	inv, docs, err := s.Store.InvoiceDocuments(ctx, d.InvoiceID, d.Formats)
	if err != nil {
		return nil, err
	}
	return s.Composer.Invoice(d, inv, docs, s.Now())
}
