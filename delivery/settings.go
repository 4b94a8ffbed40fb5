package delivery

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/erekins/erekins/billing"
)

// MaxRecipients is how many addresses an e-invoice contract may name.
const MaxRecipients = 5

// formatOrder is the order formats are stored, attached and shown in: PDF always first.
var formatOrder = []string{billing.FormatPDF, billing.FormatUBL, billing.FormatCSV}

// NormalizeSettings validates delivery settings and returns them in canonical form: method
// paper or e-invoice; recipients bare e-mail addresses, lower-cased, without duplicates,
// 1–5 for e-invoice (at most 5 for paper, kept for a later switch); formats a subset of
// pdf, ubl and csv that always holds pdf.
func NormalizeSettings(s billing.DeliverySettings) (billing.DeliverySettings, error) {
	out := billing.DeliverySettings{Method: strings.TrimSpace(s.Method)}
	if out.Method != billing.Paper && out.Method != billing.EInvoice {
		return out, billing.Errorf(billing.ErrInvalid, "method", "%q: must be paper or e-invoice", s.Method)
	}
	for _, r := range s.Recipients {
		addr, err := ParseAddress(r)
		if err != nil {
			return out, err
		}
		if !slices.Contains(out.Recipients, addr) {
			out.Recipients = append(out.Recipients, addr)
		}
	}
	if len(out.Recipients) > MaxRecipients {
		return out, billing.Errorf(billing.ErrInvalid, "recipients", "%d addresses: at most %d", len(out.Recipients), MaxRecipients)
	}
	if out.Method == billing.EInvoice && len(out.Recipients) == 0 {
		return out, billing.Errorf(billing.ErrInvalid, "recipients", "e-invoice delivery needs at least one e-mail address")
	}
	want := map[string]bool{billing.FormatPDF: true}
	for _, f := range s.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if !slices.Contains(formatOrder, f) {
			return out, billing.Errorf(billing.ErrInvalid, "formats", "%q: must be pdf, ubl or csv", f)
		}
		want[f] = true
	}
	for _, f := range formatOrder {
		if want[f] {
			out.Formats = append(out.Formats, f)
		}
	}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	return out, nil
}

// ParseAddress accepts one bare e-mail address (no display name) and returns it lower-cased.
func ParseAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", billing.Errorf(billing.ErrInvalid, "recipients", "%q is not an e-mail address", s)
	}
	return strings.ToLower(s), nil
}

// Change is what a settings update changed, for the audit log and the confirmations.
type Change struct {
	Contract      string                   `json:"contract"`
	Before        billing.DeliverySettings `json:"before"`
	After         billing.DeliverySettings `json:"after"`
	NewRecipients []string                 `json:"new_recipients,omitempty"`
}

// Diff describes the change from before to after; NewRecipients are the addresses that will
// receive e-invoices and did not before, each of which gets a confirmation.
func Diff(contract string, before, after billing.DeliverySettings) Change {
	c := Change{Contract: contract, Before: before, After: after}
	if after.Method != billing.EInvoice {
		return c
	}
	for _, r := range after.Recipients {
		if before.Method != billing.EInvoice || !slices.Contains(before.Recipients, r) {
			c.NewRecipients = append(c.NewRecipients, r)
		}
	}
	return c
}

// Same reports whether the change changes nothing.
func (c Change) Same() bool {
	return c.Before.Method == c.After.Method && slices.Equal(c.Before.Recipients, c.After.Recipients) &&
		slices.Equal(c.Before.Formats, c.After.Formats)
}
