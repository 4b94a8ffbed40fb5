package delivery

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// KindReminder is the delivery kind of a readings reminder.
const KindReminder = "reminder"

// Kinds of readings reminder.
const (
	ReminderOpen    = "open"    // the window has opened
	ReminderClosing = "closing" // one working day before the window closes
)

// Reminder is one reminder round: a readings window and the kind of reminder.
type Reminder struct {
	Window billing.Window
	Kind   string
}

// ClosingDay is the day of a window's closing reminder: the last working day before the
// window's last day.
func ClosingDay(w billing.Window, days *calendar.Workdays) calendar.Date {
	d := w.Close.AddDays(-1)
	for !days.IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return d
}

// DueReminders are the reminder rounds due on day: the opening reminder from the day a
// window opens until its closing reminder is due, the closing reminder from its day until
// the window closes. A round is due on more than one day so that a day the workers did not
// run loses nothing; the store sends each round to a contract once.
func DueReminders(r billing.Rules, days *calendar.Workdays, day calendar.Date) []Reminder {
	var out []Reminder
	m := billing.MonthOf(day)
	for _, p := range []billing.Month{m.AddMonths(-1), m} {
		w := r.WindowOf(p)
		closing := ClosingDay(w, days)
		switch {
		case !day.Before(w.Open) && day.Before(closing):
			out = append(out, Reminder{Window: w, Kind: ReminderOpen})
		case !day.Before(closing) && !day.After(w.Close) && !day.Before(w.Open):
			out = append(out, Reminder{Window: w, Kind: ReminderClosing})
		}
	}
	return out
}

// ReminderTarget is a contract whose closing readings of a window are missing.
type ReminderTarget struct {
	ContractID int64
	Contract   string
	Language   string
	Contacts   []string // the customer's contacts' e-mail addresses
	Recipients []string // the contract's e-invoice recipients
}

// ReminderStore finds the contracts to remind and queues their e-mails.
type ReminderStore interface {
	// QueueReminders finds the contracts in force at the end of rem's period with a register
	// that has no reading (other than an estimate) dated in the window and no reminder of
	// rem yet; for each it records the reminder and queues the deliveries fn returns, with
	// their jobs, in one transaction. It returns how many contracts it reminded.
	QueueReminders(ctx context.Context, rem Reminder, at time.Time, fn func(ReminderTarget) []Delivery) (int, error)
	// ReminderMail returns what a reminder e-mail says.
	ReminderMail(ctx context.Context, d Delivery) (ReminderMail, error)
}

// ReminderMail is what a reminder e-mail tells.
type ReminderMail struct {
	Supplier billing.Supplier
	Customer string
	Contract string
	Kind     string
	Window   billing.Window
	Missing  []string // "metering point code (register)" still without a reading
}

// ReminderAddresses are where a contract's reminder goes: the customer's contacts, or, when
// none has an address, the contract's e-invoice recipients; lower-cased, each once.
func ReminderAddresses(t ReminderTarget) []string {
	var out []string
	add := func(list []string) {
		for _, a := range list {
			if addr, err := ParseAddress(a); err == nil && !slices.Contains(out, strings.ToLower(addr)) {
				out = append(out, strings.ToLower(addr))
			}
		}
	}
	add(t.Contacts)
	if len(out) == 0 {
		add(t.Recipients)
	}
	return out
}

// QueueReminders queues the reminders due on day and returns how many contracts got one.
func (s *Service) QueueReminders(ctx context.Context, r billing.Rules, days *calendar.Workdays, day calendar.Date) (int, error) {
	if s.Reminders == nil {
		return 0, fmt.Errorf("reminders: no store")
	}
	domain, err := s.mailDomain(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, rem := range DueReminders(r, days, day) {
		now := s.Now()
		n, err := s.Reminders.QueueReminders(ctx, rem, now, func(t ReminderTarget) []Delivery {
			var out []Delivery
			for _, addr := range ReminderAddresses(t) {
				d := New(KindReminder, nil, addr, nil, now)
				d.ContractID, d.Contract, d.Language, d.MessageID = t.ContractID, t.Contract, t.Language, NewMessageID(domain)
				out = append(out, d)
			}
			return out
		})
		if err != nil {
			return total, fmt.Errorf("%s reminders of %s: %w", rem.Kind, rem.Window.Period, err)
		}
		total += n
		if s.Log != nil && n > 0 {
			s.Log.Info("readings reminders queued", "period", rem.Window.Period.String(), "kind", rem.Kind, "contracts", n)
		}
	}
	return total, nil
}
