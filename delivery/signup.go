package delivery

import (
	"context"
	"slices"
	"time"

	"github.com/erekins/erekins/billing"
)

// ContractSettings are a contract's delivery settings with what the e-mails need.
type ContractSettings struct {
	Contract string                   `json:"contract"`
	Customer string                   `json:"customer"`
	Language string                   `json:"language"`
	Settings billing.DeliverySettings `json:"delivery"`
}

// Update is what a settings change writes in one transaction: the new settings, the audit
// entry and the confirmations to queue.
type Update struct {
	Settings      billing.DeliverySettings
	Change        Change
	Confirmations []Delivery
}

// Resend is what a resend writes in one transaction.
type Resend struct {
	Deliveries []Delivery
}

// SettingsStore stores delivery settings and operators' requests.
type SettingsStore interface {
	ContractSettings(ctx context.Context, contract string) (ContractSettings, error)
	// UpdateSettings reads the contract's settings, calls fn and, unless fn fails, stores
	// the update, audits it as actor at the given time and queues the confirmations, all
	// in one transaction; the settings apply to invoices issued after it commits.
	UpdateSettings(ctx context.Context, contract, actor string, at time.Time, fn func(ContractSettings) (Update, error)) (Update, error)
	// ResendInvoice reads the invoice and the recipients of its earlier deliveries, calls fn
	// and queues the deliveries it returns, audited as actor, in one transaction.
	ResendInvoice(ctx context.Context, number, actor string, at time.Time,
		fn func(inv *billing.Invoice, current billing.DeliverySettings, earlier []string) ([]Delivery, error)) ([]Delivery, error)
}

// SetSettings validates and stores a contract's delivery settings; each new recipient gets a
// confirmation e-mail. Setting what is already set changes nothing and sends nothing.
func (s *Service) SetSettings(ctx context.Context, contract string, in billing.DeliverySettings, actor string) (Change, error) {
	after, err := NormalizeSettings(in)
	if err != nil {
		return Change{}, err
	}
	domain, err := s.mailDomain(ctx)
	if err != nil {
		return Change{}, err
	}
	now := s.Now()
	u, err := s.Settings.UpdateSettings(ctx, contract, actor, now, func(cur ContractSettings) (Update, error) {
		ch := Diff(cur.Contract, cur.Settings, after)
		u := Update{Settings: after, Change: ch}
		for _, r := range ch.NewRecipients {
			d := New(KindConfirmation, nil, r, after.Formats, now)
			d.Contract, d.Language, d.MessageID, d.RequestedBy = cur.Contract, cur.Language, NewMessageID(domain), actor
			u.Confirmations = append(u.Confirmations, d)
		}
		return u, nil
	})
	return u.Change, err
}

// ResendInvoice queues an invoice's e-mail again: to the address given, or to every address
// it went to before. The new deliveries have their own Message-IDs.
func (s *Service) ResendInvoice(ctx context.Context, number, to, actor string) ([]Delivery, error) {
	if to != "" {
		addr, err := ParseAddress(to)
		if err != nil {
			return nil, billing.Errorf(billing.ErrInvalid, "to", "%q is not an e-mail address", to)
		}
		to = addr
	}
	now := s.Now()
	return s.Settings.ResendInvoice(ctx, number, actor, now, func(inv *billing.Invoice, cur billing.DeliverySettings, earlier []string) ([]Delivery, error) {
		targets := earlier
		if to != "" {
			targets = []string{to}
		}
		if len(targets) == 0 {
			return nil, billing.Errorf(billing.ErrInvalid, "to", "invoice %s was never e-mailed: name an address with --to", number)
		}
		formats := cur.Formats
		if !slices.Contains(formats, billing.FormatPDF) {
			formats = []string{billing.FormatPDF}
		}
		var out []Delivery
		for _, r := range targets {
			d := New(KindResend, inv, r, formats, now)
			d.RequestedBy = actor
			out = append(out, d)
		}
		return out, nil
	})
}

// mailDomain is the supplier's e-mail, whose domain Message-IDs carry.
func (s *Service) mailDomain(ctx context.Context) (string, error) {
	if s.Composer.From != "" || s.Supplier == nil {
		return s.Composer.From, nil
	}
	sup, err := s.Supplier(ctx)
	if err != nil {
		return "", err
	}
	return sup.Email, nil
}
