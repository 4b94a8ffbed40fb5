package delivery

import (
	"time"
)

// Statuses of a delivery.
const (
	Queued   = "queued"   // waiting for its first attempt
	Sending  = "sending"  // an attempt is under way (or was interrupted by a crash)
	Sent     = "sent"     // the server accepted the message
	Retrying = "retrying" // a temporary failure; the next attempt is scheduled
	Failed   = "failed"   // a permanent failure, or retries exhausted
)

// Statuses lists every status, in the order of a delivery's life.
var Statuses = []string{Queued, Sending, Sent, Retrying, Failed}

// Kinds of delivery.
const (
	KindInvoice      = "invoice"      // queued when the invoice was issued
	KindResend       = "resend"       // an operator asked for it again
	KindConfirmation = "confirmation" // a new recipient's sign-up confirmation
)

// Outcomes of one attempt.
const (
	OutcomeSending  = "sending"  // started, never finished (the process died)
	OutcomeAccepted = "accepted" // 2xx after DATA
	OutcomeDeferred = "deferred" // SMTP 4xx or a connection error: try again later
	OutcomeRejected = "rejected" // SMTP 5xx or an unsendable message: give up
)

// Delivery is one e-mail to one recipient: an invoice, a resend of one, or a confirmation.
type Delivery struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	InvoiceNumber string    `json:"invoice,omitempty"`
	InvoiceID     int64     `json:"-"`
	ContractID    int64     `json:"-"`
	Contract      string    `json:"contract"`
	Recipient     string    `json:"recipient"`
	Formats       []string  `json:"formats,omitempty"`
	Language      string    `json:"language"`
	MessageID     string    `json:"message_id"`
	Status        string    `json:"status"`
	Seq           int       `json:"-"` // the generation of job allowed to attempt it
	Attempts      int       `json:"attempts"`
	CreatedAt     time.Time `json:"created_at"`
	NextAttemptAt time.Time `json:"next_attempt_at,omitzero"`
	SentAt        time.Time `json:"sent_at,omitzero"`
	LastReply     string    `json:"last_reply,omitempty"`
	RequestedBy   string    `json:"requested_by,omitempty"`
	History       []Attempt `json:"attempts_log,omitempty"`
}

// Attempt is one try at sending a delivery.
type Attempt struct {
	N          int       `json:"n"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Server     string    `json:"server"`
	Outcome    string    `json:"outcome"`
	Code       int       `json:"code,omitempty"`
	Reply      string    `json:"reply,omitempty"`
}

// Job asks a worker to attempt a delivery; Seq makes a job that a later one replaced a no-op.
type Job struct {
	DeliveryID int64     `json:"delivery_id"`
	Seq        int       `json:"seq"`
	At         time.Time `json:"-"` // when it is due; zero: now
}

// Kind is the River job kind of delivery jobs.
func (Job) Kind() string { return "deliver" }

// Policy is the retry policy: exponential back-off from First, each step at most MaxStep,
// within Window of the delivery's creation; an attempt is always made at the window's end.
type Policy struct {
	First, MaxStep, Window time.Duration
}

// DefaultPolicy is 1 minute, doubling up to 6 hours a step, for 72 hours.
func DefaultPolicy() Policy {
	return Policy{First: time.Minute, MaxStep: 6 * time.Hour, Window: 72 * time.Hour}
}

// Next is when to try again after the attempts-th attempt failed temporarily at now; ok is
// false when the window is over and the delivery fails.
func (p Policy) Next(created time.Time, attempts int, now time.Time) (next time.Time, ok bool) {
	deadline := created.Add(p.Window)
	if !now.Before(deadline) {
		return time.Time{}, false
	}
	step := p.First
	for i := 1; i < attempts && step < p.MaxStep; i++ {
		step *= 2
	}
	step = min(step, p.MaxStep)
	next = now.Add(step)
	if next.After(deadline) {
		next = deadline
	}
	return next, true
}
