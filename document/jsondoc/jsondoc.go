// Package jsondoc renders an invoice as the JSON document that the API serves and that
// `erekins invoice show --json` prints.
//
// Amounts, quantities, readings, prices and rates are JSON strings holding decimals with
// fixed places, never JSON numbers: quantities and readings 3, unit prices 6, amounts and
// VAT rates 2. They are formatted from the decimal values, never through floating point,
// and a value with more places than its field allows is an error rather than a silent
// rounding. The output is indented with two spaces, its keys in a fixed order, so the
// same invoice always gives the same bytes.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// Decimal places of each kind of number.
const (
	qtyPlaces   = 3 // kWh, months, meter readings
	pricePlaces = 6 // unit prices
	moneyPlaces = 2 // amounts and VAT rates
)

// document is the JSON form of an invoice; field order is output order.
type document struct {
	Number            string        `json:"number"`
	Type              string        `json:"type"`
	IssueDate         string        `json:"issue_date"`
	DueDate           string        `json:"due_date"`
	PaymentTermDays   int           `json:"payment_term_days"`
	Period            period        `json:"period"`
	ContractNumber    string        `json:"contract_number"`
	Currency          string        `json:"currency"`
	EInvoice          bool          `json:"e_invoice"`
	Estimated         bool          `json:"estimated"`
	Corrects          string        `json:"corrects,omitempty"`
	CorrectsIssueDate string        `json:"corrects_issue_date,omitempty"`
	Reason            string        `json:"reason,omitempty"`
	Customer          customer      `json:"customer"`
	Supplier          supplier      `json:"supplier"`
	Lines             []line        `json:"lines"`
	VAT               []vatSubtotal `json:"vat"`
	Totals            totals        `json:"totals"`
	PaymentReference  string        `json:"payment_reference"`
}

type period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type address struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type supplier struct {
	Name               string  `json:"name"`
	RegistrationNumber string  `json:"registration_number"`
	VATNumber          string  `json:"vat_number"`
	Address            address `json:"address"`
	IBAN               string  `json:"iban"`
	BIC                string  `json:"bic"`
	Bank               string  `json:"bank"`
	Email              string  `json:"email"`
	Phone              string  `json:"phone"`
	Website            string  `json:"website"`
	PeppolID           string  `json:"peppol_id,omitempty"`
}

type customer struct {
	Name               string  `json:"name"`
	RegistrationNumber string  `json:"registration_number"`
	VATNumber          string  `json:"vat_number"`
	Language           string  `json:"language"`
	Address            address `json:"address"`
}

type line struct {
	Description     string `json:"description"`
	MeteringPoint   string `json:"metering_point,omitempty"`
	Register        string `json:"register,omitempty"`
	Period          period `json:"period"`
	PreviousReading string `json:"previous_reading,omitempty"`
	CurrentReading  string `json:"current_reading,omitempty"`
	Multiplier      int    `json:"multiplier,omitempty"`
	Quantity        string `json:"quantity"`
	Unit            string `json:"unit"`
	UnitPrice       string `json:"unit_price"`
	Net             string `json:"net"`
	VATCategory     string `json:"vat_category"`
	VATRate         string `json:"vat_rate"`
	Estimated       bool   `json:"estimated"`
}

type vatSubtotal struct {
	Category string `json:"category"`
	Rate     string `json:"rate"`
	Base     string `json:"base"`
	Amount   string `json:"amount"`
}

type totals struct {
	Net     string `json:"net"`
	VAT     string `json:"vat"`
	Gross   string `json:"gross"`
	Payable string `json:"payable"`
}

// Render renders inv as indented JSON ending in a newline.
func Render(inv *billing.Invoice) ([]byte, error) {
	f := formatter{}
	doc := document{
		Number:            inv.Number,
		Type:              inv.Type,
		IssueDate:         inv.IssueDate.String(),
		DueDate:           inv.DueDate.String(),
		PaymentTermDays:   inv.PaymentTermDays,
		Period:            periodOf(inv.Period),
		ContractNumber:    inv.ContractNumber,
		Currency:          inv.Currency,
		EInvoice:          inv.EInvoice,
		Estimated:         inv.Estimated,
		Corrects:          inv.Corrects,
		CorrectsIssueDate: inv.CorrectsDate.String(),
		Reason:            inv.Reason,
		Supplier: supplier{
			Name: inv.Supplier.Name, RegistrationNumber: inv.Supplier.RegistrationNumber,
			VATNumber: inv.Supplier.VATNumber, Address: addressOf(inv.Supplier.Address),
			IBAN: inv.Supplier.IBAN, BIC: inv.Supplier.BIC, Bank: inv.Supplier.Bank,
			Email: inv.Supplier.Email, Phone: inv.Supplier.Phone, Website: inv.Supplier.Website,
			PeppolID: inv.Supplier.PeppolID,
		},
		Customer: customer{
			Name: inv.Customer.Name, RegistrationNumber: inv.Customer.RegistrationNumber,
			VATNumber: inv.Customer.VATNumber, Language: inv.Customer.Language,
			Address: addressOf(inv.Customer.Address),
		},
		Lines:            make([]line, len(inv.Lines)),
		VAT:              make([]vatSubtotal, len(inv.VAT)),
		PaymentReference: inv.PaymentReference,
	}
	for i, l := range inv.Lines {
		f.at = fmt.Sprintf("line %d", i+1)
		doc.Lines[i] = line{
			Description:     l.Description,
			MeteringPoint:   l.MeteringPoint,
			Register:        l.Register,
			Period:          periodOf(l.Period),
			PreviousReading: f.opt("previous_reading", l.PreviousReading, qtyPlaces),
			CurrentReading:  f.opt("current_reading", l.CurrentReading, qtyPlaces),
			Multiplier:      l.Multiplier,
			Quantity:        f.fixed("quantity", l.Quantity, qtyPlaces),
			Unit:            l.Unit,
			UnitPrice:       f.fixed("unit_price", l.UnitPrice, pricePlaces),
			Net:             f.fixed("net", l.Net, moneyPlaces),
			VATCategory:     l.VATCategory,
			VATRate:         f.fixed("vat_rate", l.VATRate, moneyPlaces),
			Estimated:       l.Estimated,
		}
	}
	for i, v := range inv.VAT {
		f.at = fmt.Sprintf("vat %d", i+1)
		doc.VAT[i] = vatSubtotal{
			Category: v.Category,
			Rate:     f.fixed("rate", v.Rate, moneyPlaces),
			Base:     f.fixed("base", v.Base, moneyPlaces),
			Amount:   f.fixed("amount", v.Amount, moneyPlaces),
		}
	}
	f.at = "totals"
	doc.Totals = totals{
		Net:     f.fixed("net", inv.Totals.Net, moneyPlaces),
		VAT:     f.fixed("vat", inv.Totals.VAT, moneyPlaces),
		Gross:   f.fixed("gross", inv.Totals.Gross, moneyPlaces),
		Payable: f.fixed("payable", inv.Totals.Payable, moneyPlaces),
	}
	if f.err != nil {
		return nil, fmt.Errorf("json: invoice %s: %w", inv.Number, f.err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("json: invoice %s: %w", inv.Number, err)
	}
	return buf.Bytes(), nil
}

func periodOf(p billing.Period) period { return period{Start: p.Start.String(), End: p.End.String()} }

func addressOf(a billing.Address) address {
	return address{Street: a.Street, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
}

// formatter formats decimals and keeps the first error, with where it happened.
type formatter struct {
	at  string
	err error
}

// fixed is d with exactly places decimals; more significant decimals are an error.
func (f *formatter) fixed(field string, d decimal.Decimal, places int32) string {
	if d.Exponent() < -places && !d.Truncate(places).Equal(d) && f.err == nil {
		f.err = fmt.Errorf("%s %s: %s has more than %d decimal places", f.at, field, d, places)
	}
	return d.StringFixed(places)
}

func (f *formatter) opt(field string, d *decimal.Decimal, places int32) string {
	if d == nil {
		return ""
	}
	return f.fixed(field, *d, places)
}
