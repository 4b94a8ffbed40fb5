package csvdoc

import (
	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// Header is the column names of the CSV and the XLSX sheet, in order. The header is a
// stable interface for accounting imports: columns are only ever added at the end.
var Header = []string{
	"invoice_number",
	"invoice_type",
	"issue_date",
	"due_date",
	"period_start",
	"period_end",
	"contract_number",
	"customer_name",
	"customer_registration_number",
	"customer_vat_number",
	"currency",
	"payment_reference",
	"corrects_number",
	"corrects_issue_date",
	"line_no",
	"description",
	"metering_point",
	"register",
	"line_period_start",
	"line_period_end",
	"previous_reading",
	"current_reading",
	"multiplier",
	"quantity",
	"unit",
	"unit_price",
	"line_net",
	"vat_category",
	"vat_rate",
	"estimated",
	"total_net",
	"total_vat",
	"total_gross",
	"total_payable",
}

// Decimal places of each kind of number.
const (
	qtyPlaces   = 3 // kWh, months, meter readings
	pricePlaces = 6 // unit prices
	moneyPlaces = 2 // amounts and VAT rates
)

type kind uint8

const (
	kindText kind = iota
	kindDate
	kindDecimal
	kindInt
	kindBool
	kindEmpty // a number or date the line does not have (fee lines have no readings)
)

// cell is one typed value of a row, shared by the CSV and XLSX encoders.
type cell struct {
	kind   kind
	places int32
	text   string
	date   billing.Date
	dec    decimal.Decimal
	num    int
	flag   bool
}

func text(s string) cell                  { return cell{kind: kindText, text: s} }
func num(n int) cell                      { return cell{kind: kindInt, num: n} }
func flag(b bool) cell                    { return cell{kind: kindBool, flag: b} }
func dec(d decimal.Decimal, p int32) cell { return cell{kind: kindDecimal, dec: d, places: p} }

func date(d billing.Date) cell {
	if d.IsZero() {
		return cell{kind: kindEmpty}
	}
	return cell{kind: kindDate, date: d}
}

func optDec(d *decimal.Decimal, p int32) cell {
	if d == nil {
		return cell{kind: kindEmpty}
	}
	return dec(*d, p)
}

func optNum(n int) cell {
	if n == 0 {
		return cell{kind: kindEmpty}
	}
	return num(n)
}

// row appends the cells of line i (0-based) of inv to dst, in Header order.
func row(dst []cell, inv *billing.Invoice, i int) []cell {
	l := &inv.Lines[i]
	return append(dst,
		text(inv.Number),
		text(inv.Type),
		date(inv.IssueDate),
		date(inv.DueDate),
		date(inv.Period.Start),
		date(inv.Period.End),
		text(inv.ContractNumber),
		text(inv.Customer.Name),
		text(inv.Customer.RegistrationNumber),
		text(inv.Customer.VATNumber),
		text(inv.Currency),
		text(inv.PaymentReference),
		text(inv.Corrects),
		date(inv.CorrectsDate),
		num(i+1),
		text(l.Description),
		text(l.MeteringPoint),
		text(l.Register),
		date(l.Period.Start),
		date(l.Period.End),
		optDec(l.PreviousReading, qtyPlaces),
		optDec(l.CurrentReading, qtyPlaces),
		optNum(l.Multiplier),
		dec(l.Quantity, qtyPlaces),
		text(l.Unit),
		dec(l.UnitPrice, pricePlaces),
		dec(l.Net, moneyPlaces),
		text(l.VATCategory),
		dec(l.VATRate, moneyPlaces),
		flag(l.Estimated),
		dec(inv.Totals.Net, moneyPlaces),
		dec(inv.Totals.VAT, moneyPlaces),
		dec(inv.Totals.Gross, moneyPlaces),
		dec(inv.Totals.Payable, moneyPlaces),
	)
}
