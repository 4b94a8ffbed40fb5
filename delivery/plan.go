package delivery

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
)

// ForInvoice returns the deliveries an issued invoice needs under its contract's settings at
// issue: one per e-invoice recipient, with the contract's formats; none for paper, which the
// day's print batch takes.
func ForInvoice(inv *billing.Invoice, s billing.DeliverySettings, now time.Time) []Delivery {
	if s.Method != billing.EInvoice {
		return nil
	}
	var out []Delivery
	seen := map[string]bool{}
	for _, r := range s.Recipients {
		r = strings.ToLower(strings.TrimSpace(r))
		if r == "" || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, New(KindInvoice, inv, r, formatsOrPDF(s.Formats), now))
	}
	return out
}

// New is a queued delivery of inv (nil for a confirmation) to one recipient.
func New(kind string, inv *billing.Invoice, recipient string, formats []string, now time.Time) Delivery {
	d := Delivery{Kind: kind, Recipient: recipient, Formats: formats, Status: Queued, CreatedAt: now}
	if inv != nil {
		d.InvoiceID, d.InvoiceNumber, d.ContractID, d.Contract = inv.ID, inv.Number, inv.ContractID, inv.ContractNumber
		d.Language = inv.Language
		d.MessageID = NewMessageID(inv.Supplier.Email)
	}
	return d
}

func formatsOrPDF(f []string) []string {
	if len(f) == 0 {
		return []string{billing.FormatPDF}
	}
	return f
}

// NewMessageID is a fresh Message-ID (without angle brackets) in the domain of addr; it is
// stored with the delivery and used for every attempt, so a retry is recognisable.
func NewMessageID(addr string) string {
	domain := "erekins.invalid"
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		domain = strings.ToLower(addr[i+1:])
	}
	b := make([]byte, 12)
	rand.Read(b)
	return "erekins." + hex.EncodeToString(b) + "@" + domain
}
