package dataset

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// Limits of the rules in docs/dataset.md.
const (
	maxPaymentTermDays = 365
	maxRecipients      = 5
	minPasswordLen     = 12
	maxPasswordLen     = 256
	maxDigits          = 12
	pricePlaces        = 6
	kwhPlaces          = 3
	vatRatePlaces      = 2
)

// VAT categories of UNCL5305 that EN 16931 allows.
var vatCategories = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M"}

// zeroRateCategories must carry a VAT rate of 0 (EN 16931 BR-Z-05, BR-E-05, BR-AE-05,
// BR-IC-05, BR-G-05, BR-O-05); S must carry a positive one (BR-S-05).
var zeroRateCategories = []string{"Z", "E", "AE", "K", "G", "O"}

var (
	hundred     = decimal.NewFromInt(100)
	importable  = []string{billing.SourcePortal, billing.SourceAPI, billing.SourceImport, billing.SourceOperator}
	roles       = []string{RoleAdmin, RoleBilling, RoleReadings, RoleViewer}
	formats     = []string{billing.FormatPDF, billing.FormatUBL, billing.FormatCSV}
	registerSet = [][]string{{billing.ZoneSingle}, {billing.ZoneDay, billing.ZoneNight}}
)

// Validate checks ds against the rules of docs/dataset.md, with known saying which price
// plans and metering points the database already holds (nil: none). It returns every
// problem, in file order; nil when there is none.
func Validate(ds *Dataset, known Known) Errors {
	if ds == nil {
		return Errors{{Message: "no dataset"}}
	}
	if known == nil {
		known = (*KnownSet)(nil)
	}
	v := &validator{
		ds:         ds,
		known:      known,
		plans:      make(map[string]string),
		customers:  make(map[string]string),
		contracts:  make(map[string]string),
		points:     make(map[string]billing.MeteringPoint),
		pointAt:    make(map[string]string),
		readings:   make(map[string]string),
		filePlans:  make(map[string]bool),
		filePoints: make(map[string]bool),
	}
	for _, p := range ds.PricePlans {
		v.filePlans[p.Code] = true
	}
	for _, cu := range ds.Customers {
		for _, ct := range cu.Contracts {
			for _, mp := range ct.MeteringPoints {
				v.filePoints[mp.Code] = true
			}
		}
	}
	if ds.Version != Version {
		v.errs = append(v.errs, FieldError{Field: "version", Message: fmt.Sprintf("unsupported version %d: this program reads dataset version %d", ds.Version, Version)})
	}
	if ds.Supplier != nil {
		v.supplier(v.record("supplier"), ds.Supplier)
	}
	if ds.Calendar != nil {
		v.calendar(v.record("calendar"), ds.Calendar)
	}
	for i, p := range ds.PricePlans {
		v.pricePlan(v.record(planLabel(i, p)), p)
	}
	for i := range ds.Customers {
		c := &ds.Customers[i]
		v.customer(v.record(customerLabel(i, *c)), c)
	}
	if ds.ReadingSet != nil {
		v.readingSet(ds.ReadingSet)
	} else {
		for i, r := range ds.Readings {
			v.reading(v.record(readingLabel(i, r)), r)
		}
	}
	return v.errs
}

type validator struct {
	ds    *Dataset
	known Known
	errs  Errors

	// Natural keys seen so far, with the record (and field) that holds them.
	plans     map[string]string
	customers map[string]string
	contracts map[string]string
	points    map[string]billing.MeteringPoint
	pointAt   map[string]string
	readings  map[string]string

	// Every code in the file, valid or not: a reference to an invalid record gets no error
	// of its own, as the record's errors already say what is wrong.
	filePlans  map[string]bool
	filePoints map[string]bool
}

// check collects the problems of one record.
type check struct {
	v     *validator
	label string
}

func (v *validator) record(label string) check { return check{v, label} }

func (c check) fail(field, format string, args ...any) {
	c.v.errs = append(c.v.errs, FieldError{Record: c.label, Field: field, Message: fmt.Sprintf(format, args...)})
}

// where names a field for a message about another record: "customers[0] (…) contracts[0].number".
func (c check) where(field string) string { return strings.TrimSpace(c.label + " " + field) }

func (c check) text(field, s string) {
	if p := textProblem(s); p != "" {
		c.fail(field, "%s", p)
	}
}

func (c check) optionalText(field, s string) {
	if s != "" && strings.TrimSpace(s) != "" {
		c.text(field, s)
	}
}

func (c check) key(field, s string) bool {
	if p := keyProblem(s); p != "" {
		c.fail(field, "%s", p)
		return false
	}
	return true
}

func (c check) email(field, s string) {
	if p := emailProblem(s); p != "" {
		c.fail(field, "%s", p)
	}
}

func (c check) address(field string, a billing.Address) {
	addressProblems(a, field, func(f, msg string) { c.fail(f, "%s", msg) })
}

func (c check) registrationNumber(field, s string) bool {
	switch {
	case s == "":
		c.fail(field, "required")
	case !registrationNumber.MatchString(s):
		c.fail(field, "%q is not a registration number: it must be 11 digits", s)
	default:
		return true
	}
	return false
}

func (c check) vatNumber(field, s string) {
	if p := vatNumberProblem(s); p != "" {
		c.fail(field, "%q: %s", s, p)
	}
}

func (c check) peppolID(field, s string) {
	if s != "" && !peppolID.MatchString(s) {
		c.fail(field, "%q is not a Peppol endpoint id: a 4-digit scheme, a colon and the id, such as 9939:40003012345", s)
	}
}

// decimal checks that d is within [lo, hi] (hi nil: no bound) with at most places decimals.
func (c check) decimal(field string, d decimal.Decimal, lo decimal.Decimal, hi *decimal.Decimal, places int32) {
	switch {
	case d.LessThan(lo):
		c.fail(field, "%s is below %s", d, lo)
	case hi != nil && d.GreaterThan(*hi):
		c.fail(field, "%s is above %s", d, hi)
	case !d.Equal(d.Round(places)):
		c.fail(field, "%s has more than %d decimals", d, places)
	}
}

// unique records key in seen, with where it is, and reports a repeat at field.
func (c check) unique(seen map[string]string, kind, key, field, where string) {
	if first, ok := seen[key]; ok {
		c.fail(field, "duplicate %s %q, also in %s", kind, key, first)
		return
	}
	seen[key] = where
}

func (v *validator) supplier(c check, s *billing.Supplier) {
	c.text("name", s.Name)
	c.registrationNumber("registration_number", s.RegistrationNumber)
	if s.VATNumber == "" {
		c.fail("vat_number", "required: invoices must show the supplier's VAT number")
	} else {
		c.vatNumber("vat_number", s.VATNumber)
	}
	c.address("address", s.Address)
	switch {
	case s.IBAN == "":
		c.fail("iban", "required")
	case !ibanValid(s.IBAN):
		c.fail("iban", "%q is not a valid IBAN (capitals, no spaces; the check digits must match)", s.IBAN)
	}
	if s.BIC != "" && !bic.MatchString(s.BIC) {
		c.fail("bic", "%q is not a BIC: 8 or 11 capitals and digits, such as BANKLV2X", s.BIC)
	}
	c.optionalText("bank", s.Bank)
	c.email("email", s.Email)
	c.optionalText("phone", s.Phone)
	if s.Website != "" && !websiteValid(s.Website) {
		c.fail("website", "%q is not a web address such as https://example.lv", s.Website)
	}
	c.peppolID("peppol_id", s.PeppolID)
}

func (v *validator) calendar(c check, cal *billing.Calendar) {
	holidays := make(map[calendar.Date]bool)
	for i, d := range cal.ExtraHolidays {
		field := index("extra_holidays", i)
		switch {
		case d.IsZero():
			c.fail(field, "required: a date in the form YYYY-MM-DD")
		case holidays[d]:
			c.fail(field, "%s is listed twice", d)
		}
		holidays[d] = true
	}
	working := make(map[calendar.Date]bool)
	for i, d := range cal.ExtraWorkingDays {
		field := index("extra_working_days", i)
		switch {
		case d.IsZero():
			c.fail(field, "required: a date in the form YYYY-MM-DD")
		case working[d]:
			c.fail(field, "%s is listed twice", d)
		case holidays[d]:
			c.fail(field, "%s is also an extra holiday; a day is one or the other", d)
		}
		working[d] = true
	}
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
}
