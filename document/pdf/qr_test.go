package pdf

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/document/sample"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func day(s string) billing.Date    { return calendar.MustDate(s) }
func period(a, b string) billing.Period {
	return billing.Period{Start: day(a), End: day(b)}
}

func TestEPCPayload(t *testing.T) {
	ok := Payment{BIC: "BANKLV2X", Name: `AS "Demo Enerģija"`, IBAN: "LV80 BANK 0000 4351 9500 1",
		Amount: dec("295.86"), Reference: billing.PaymentReference("ER-2026-000101")}
	with := func(f func(p *Payment)) Payment { p := ok; f(&p); return p }
	tests := []struct {
		name string
		p    Payment
		want string // "" means ErrNoQR
	}{
		{"all fields, one per line, nothing after the reference", ok,
			"BCD\n002\n1\nSCT\nBANKLV2X\nAS \"Demo Enerģija\"\nLV80BANK0000435195001\nEUR295.86\n\nRF48ER2026000101"},
		{"amount to the cent", with(func(p *Payment) { p.Amount = dec("1234.5") }),
			"BCD\n002\n1\nSCT\nBANKLV2X\nAS \"Demo Enerģija\"\nLV80BANK0000435195001\nEUR1234.50\n\nRF48ER2026000101"},
		{"no BIC is allowed in version 002", with(func(p *Payment) { p.BIC = "" }),
			"BCD\n002\n1\nSCT\n\nAS \"Demo Enerģija\"\nLV80BANK0000435195001\nEUR295.86\n\nRF48ER2026000101"},
		{"name cut to 70 characters", with(func(p *Payment) { p.Name = strings.Repeat("ā", 80) }),
			"BCD\n002\n1\nSCT\nBANKLV2X\n" + strings.Repeat("ā", 70) + "\nLV80BANK0000435195001\nEUR295.86\n\nRF48ER2026000101"},
		{"zero amount", with(func(p *Payment) { p.Amount = decimal.Zero }), ""},
		{"negative amount", with(func(p *Payment) { p.Amount = dec("-1") }), ""},
		{"amount too large", with(func(p *Payment) { p.Amount = dec("1000000000") }), ""},
		{"IBAN check digits wrong", with(func(p *Payment) { p.IBAN = "LV81BANK0000435195001" }), ""},
		{"reference check digits wrong", with(func(p *Payment) { p.Reference = "RF49ER2026000101" }), ""},
		{"reference not RF", with(func(p *Payment) { p.Reference = "ER2026000101" }), ""},
		{"BIC of a wrong length", with(func(p *Payment) { p.BIC = "BANKLV" }), ""},
		{"no name", with(func(p *Payment) { p.Name = " " }), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EPCPayload(tt.p)
			if tt.want == "" {
				if !errors.Is(err, ErrNoQR) {
					t.Fatalf("got %q, %v; want ErrNoQR", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("payload\n%q\nwant\n%q", got, tt.want)
			}
			if len(got) > 331 {
				t.Errorf("payload is %d bytes, EPC069-12 allows 331", len(got))
			}
			if _, err := qrModules(got); err != nil {
				t.Errorf("no QR code for the payload: %v", err)
			}
		})
	}
}

// TestSampleReferencesValid checks the samples' RF references with the same check the
// payload builder uses.
func TestSampleReferencesValid(t *testing.T) {
	for _, c := range sample.Cases() {
		if !validMod97(c.Invoice.PaymentReference, 5, 25) {
			t.Errorf("%s: reference %s fails ISO 11649", c.Name, c.Invoice.PaymentReference)
		}
	}
}
