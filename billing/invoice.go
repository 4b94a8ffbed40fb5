package billing

import (
	"time"

	"github.com/shopspring/decimal"
)

// Document types.
const (
	TypeInvoice    = "invoice"
	TypeCreditNote = "credit_note"
)

// Invoice is an issued invoice or credit note. Once issued it never changes: it carries
// snapshots of the supplier and the customer as they were on the issue date.
type Invoice struct {
	ID              int64  `json:"-"`
	Number          string `json:"number"`
	Type            string `json:"type"`
	IssueDate       Date   `json:"issue_date"`
	DueDate         Date   `json:"due_date"`
	PaymentTermDays int    `json:"payment_term_days"`
	EInvoice        bool   `json:"e_invoice"`
	// EInvoiceExtension and MaxPaymentTerm are the rule (8) in force at issue, which the
	// document's note explains to an e-invoice recipient; set by the planner, not stored.
	EInvoiceExtension int           `json:"-"`
	MaxPaymentTerm    int           `json:"-"`
	Period            Period        `json:"period"`
	Currency          string        `json:"currency"`
	Language          string        `json:"language"`
	ContractNumber    string        `json:"contract_number"`
	ContractID        int64         `json:"-"`
	CustomerID        int64         `json:"-"`
	Supplier          Supplier      `json:"supplier"`
	Customer          Customer      `json:"customer"`
	Lines             []Line        `json:"lines"`
	VAT               []VATSubtotal `json:"vat"`
	Totals            Totals        `json:"totals"`
	PaymentReference  string        `json:"payment_reference"`
	Corrects          string        `json:"corrects,omitempty"`
	CorrectsID        int64         `json:"-"`
	CorrectsDate      Date          `json:"corrects_issue_date,omitzero"`
	Reason            string        `json:"reason,omitempty"`
	Estimated         bool          `json:"estimated"`
	CreatedAt         time.Time     `json:"created_at"`
}

// Period is a billing period: a calendar month in Riga, or part of one at a contract's ends.
type Period struct {
	Start Date `json:"start"`
	End   Date `json:"end"`
}

// Line is one invoice line: a component for one register and sub-period, or a monthly fee.
type Line struct {
	Description     string           `json:"description"`
	Component       string           `json:"component"`
	MeteringPoint   string           `json:"metering_point,omitempty"`
	Register        string           `json:"register,omitempty"`
	Period          Period           `json:"period"`
	PreviousReading *decimal.Decimal `json:"previous_reading,omitempty"`
	CurrentReading  *decimal.Decimal `json:"current_reading,omitempty"`
	Multiplier      int              `json:"multiplier,omitempty"`
	Quantity        decimal.Decimal  `json:"quantity"`
	Unit            string           `json:"unit"`
	UnitPrice       decimal.Decimal  `json:"unit_price"`
	Net             decimal.Decimal  `json:"net"`
	VATCategory     string           `json:"vat_category"`
	VATRate         decimal.Decimal  `json:"vat_rate"`
	Estimated       bool             `json:"estimated"`
}

// VATSubtotal is the VAT of one category and rate (EN 16931 BG-23).
type VATSubtotal struct {
	Category string          `json:"category"`
	Rate     decimal.Decimal `json:"rate"`
	Base     decimal.Decimal `json:"base"`
	Amount   decimal.Decimal `json:"amount"`
}

// Totals are the document totals (EN 16931 BG-22).
type Totals struct {
	Net     decimal.Decimal `json:"net"`
	VAT     decimal.Decimal `json:"vat"`
	Gross   decimal.Decimal `json:"gross"`
	Payable decimal.Decimal `json:"payable"`
}
