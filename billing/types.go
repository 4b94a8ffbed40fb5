package billing

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/calendar"
)

// Date is a business day in Europe/Riga.
type Date = calendar.Date

// Address is a postal address.
type Address struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// Supplier is the utility that issues the invoices; it is configuration, and every issued
// document keeps a snapshot of it.
type Supplier struct {
	Name               string  `json:"name"`
	RegistrationNumber string  `json:"registration_number"`
	VATNumber          string  `json:"vat_number"`
	Address            Address `json:"address"`
	IBAN               string  `json:"iban"`
	BIC                string  `json:"bic"`
	Bank               string  `json:"bank"`
	Email              string  `json:"email"`
	Phone              string  `json:"phone"`
	Website            string  `json:"website"`
	PeppolID           string  `json:"peppol_id,omitempty"`
}

// Languages a customer can prefer.
const (
	Latvian = "lv"
	English = "en"
)

// Customer is a legal entity the supplier bills.
type Customer struct {
	ID                 int64     `json:"-"`
	RegistrationNumber string    `json:"registration_number"`
	Name               string    `json:"name"`
	VATNumber          string    `json:"vat_number,omitempty"`
	Language           string    `json:"language"`
	Address            Address   `json:"address"`
	PostalAddress      *Address  `json:"postal_address,omitempty"`
	PeppolID           string    `json:"peppol_id,omitempty"`
	Contacts           []Contact `json:"contacts,omitempty"`
}

// Contact is a person at a customer.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
	Role  string `json:"role,omitempty"`
}

// Delivery methods and document formats.
const (
	Paper    = "paper"
	EInvoice = "e-invoice"

	FormatPDF = "pdf"
	FormatUBL = "ubl"
	FormatCSV = "csv"
)

// DeliverySettings say how a contract's invoices reach the customer.
type DeliverySettings struct {
	Method     string   `json:"method"`
	Recipients []string `json:"recipients,omitempty"`
	Formats    []string `json:"formats,omitempty"`
}

// Contract binds a customer, its metering points and a price plan.
type Contract struct {
	ID                 int64            `json:"-"`
	Number             string           `json:"number"`
	CustomerID         int64            `json:"-"`
	Start              Date             `json:"start_date"`
	End                Date             `json:"end_date,omitzero"`
	PricePlan          string           `json:"price_plan"`
	PaymentTermDays    int              `json:"payment_term_days"`
	MonthlyEstimateKWh decimal.Decimal  `json:"monthly_estimate_kwh"`
	BilledThrough      Date             `json:"billed_through,omitzero"`
	Delivery           DeliverySettings `json:"delivery"`
	MeteringPoints     []MeteringPoint  `json:"metering_points"`
}

// MeteringPoint is a meter at an address with one or more registers (zones).
type MeteringPoint struct {
	ID          int64    `json:"-"`
	Code        string   `json:"code"`
	Address     Address  `json:"address"`
	MeterSerial string   `json:"meter_serial"`
	Multiplier  int      `json:"multiplier"`
	Digits      int      `json:"digits"`
	Registers   []string `json:"registers"`
}

// Register zones.
const (
	ZoneSingle = "T1"
	ZoneDay    = "DAY"
	ZoneNight  = "NIGHT"
)

// Reading sources.
const (
	SourcePortal   = "portal"
	SourceAPI      = "api"
	SourceImport   = "import"
	SourceOperator = "operator"
	SourceEstimate = "estimate"
)

// Reading is a register's value on a date. Readings are never changed: a correction is a
// new reading that supersedes an earlier one, with a reason.
type Reading struct {
	ID            int64           `json:"id"`
	MeteringPoint string          `json:"metering_point"`
	Register      string          `json:"register"`
	Date          Date            `json:"date"`
	Value         decimal.Decimal `json:"value"`
	Source        string          `json:"source"`
	SubmittedBy   string          `json:"submitted_by,omitempty"`
	SubmittedAt   time.Time       `json:"submitted_at"`
	Confirmed     bool            `json:"confirmed,omitempty"`
	Supersedes    int64           `json:"supersedes,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

// Estimated reports whether the reading was estimated by the system.
func (r Reading) Estimated() bool { return r.Source == SourceEstimate }

// Units of price components, as UN/ECE Recommendation 20 codes appear on documents.
const (
	UnitKWh   = "kWh"
	UnitMonth = "month"
)

// PricePlan is a set of priced components.
type PricePlan struct {
	Code       string      `json:"code"`
	Components []Component `json:"components"`
}

// Component is one priced part of a plan: energy per kWh of a zone, a network fee per kWh,
// a fixed fee per month, a tax per kWh.
type Component struct {
	Code        string            `json:"code"`
	Name        map[string]string `json:"name"`
	Unit        string            `json:"unit"`
	Zone        string            `json:"zone,omitempty"`
	VATCategory string            `json:"vat_category"`
	VATRate     decimal.Decimal   `json:"vat_rate"`
	Prices      []Price           `json:"prices"`
}

// Price is a unit price effective from a date (inclusive).
type Price struct {
	From  Date            `json:"from"`
	Price decimal.Decimal `json:"price"`
}

// NameIn is the component's name in lang, falling back to Latvian, then to its code.
func (c Component) NameIn(lang string) string {
	if n := c.Name[lang]; n != "" {
		return n
	}
	if n := c.Name[Latvian]; n != "" {
		return n
	}
	return c.Code
}

// Calendar holds the supplier's additions to the Latvian working-day calendar.
type Calendar struct {
	ExtraHolidays    []Date `json:"extra_holidays"`
	ExtraWorkingDays []Date `json:"extra_working_days"`
}
