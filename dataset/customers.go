package dataset

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// The rules of customers: their contacts, portal users, contracts, delivery settings and
// metering points.

func (v *validator) customer(c check, cu *Customer) {
	if c.registrationNumber("registration_number", cu.RegistrationNumber) {
		c.unique(v.customers, "registration number", cu.RegistrationNumber, "registration_number", c.label)
	}
	c.text("name", cu.Name)
	if cu.VATNumber != "" {
		c.vatNumber("vat_number", cu.VATNumber)
	}
	switch cu.Language {
	case billing.Latvian, billing.English:
	case "":
		c.fail("language", "required: lv or en")
	default:
		c.fail("language", "%q is not a language of erekins: use lv or en", cu.Language)
	}
	c.address("address", cu.Address)
	if cu.PostalAddress != nil {
		c.address("postal_address", *cu.PostalAddress)
	}
	c.peppolID("peppol_id", cu.PeppolID)
	for i, ct := range cu.Contacts {
		path := index("contacts", i)
		c.text(join(path, "name"), ct.Name)
		c.email(join(path, "email"), ct.Email)
		c.optionalText(join(path, "phone"), ct.Phone)
		c.optionalText(join(path, "role"), ct.Role)
	}
	emails := make(map[string]string)
	for i, u := range cu.Users {
		path := index("users", i)
		if p := emailProblem(u.Email); p != "" {
			c.fail(join(path, "email"), "%s", p)
		} else {
			c.unique(emails, "user e-mail", strings.ToLower(u.Email), join(path, "email"), join(path, "email"))
		}
		c.optionalText(join(path, "name"), u.Name)
		switch {
		case u.Role == "":
			c.fail(join(path, "role"), "required: one of %s", strings.Join(roles, ", "))
		case !slices.Contains(roles, u.Role):
			c.fail(join(path, "role"), "%q is not a role: use one of %s", u.Role, strings.Join(roles, ", "))
		}
		if n := utf8.RuneCountInString(u.Password); u.Password != "" && (n < minPasswordLen || n > maxPasswordLen) {
			c.fail(join(path, "password"), "must be %d to %d characters long (leave it out to have the user set one by e-mail)", minPasswordLen, maxPasswordLen)
		}
	}
	for i, ct := range cu.Contracts {
		v.contract(c, index("contracts", i), ct)
	}
}

func (v *validator) contract(c check, path string, ct billing.Contract) {
	field := func(name string) string { return join(path, name) }
	if c.key(field("number"), ct.Number) {
		c.unique(v.contracts, "contract number", ct.Number, field("number"), c.where(field("number")))
	}
	if ct.Start.IsZero() {
		c.fail(field("start_date"), "required")
	}
	if !ct.End.IsZero() && !ct.Start.IsZero() && ct.End.Before(ct.Start) {
		c.fail(field("end_date"), "%s is before the start date %s", ct.End, ct.Start)
	}
	if c.key(field("price_plan"), ct.PricePlan) {
		if !v.filePlans[ct.PricePlan] && !v.known.HasPricePlan(ct.PricePlan) {
			c.fail(field("price_plan"), "price plan %q is neither in the file nor in the database", ct.PricePlan)
		}
	}
	if ct.PaymentTermDays < 0 || ct.PaymentTermDays > maxPaymentTermDays {
		c.fail(field("payment_term_days"), "%d is not a payment term: 0 to %d days", ct.PaymentTermDays, maxPaymentTermDays)
	}
	c.decimal(field("monthly_estimate_kwh"), ct.MonthlyEstimateKWh, decimal.Zero, nil, kwhPlaces)
	if bt := ct.BilledThrough; !bt.IsZero() && !ct.Start.IsZero() {
		before := ct.Start.AddDays(-1)
		switch {
		case bt.Before(before):
			c.fail(field("billed_through"), "%s is before the contract starts (%s); the earliest is %s, nothing billed", bt, ct.Start, before)
		case !ct.End.IsZero() && bt.After(ct.End):
			c.fail(field("billed_through"), "%s is after the contract ends (%s)", bt, ct.End)
		case !bt.Equal(bt.LastOfMonth()) && !bt.Equal(before) && !bt.Equal(ct.End):
			c.fail(field("billed_through"), "%s is not the end of a billing period: use the last day of a month (or the contract's end date)", bt)
		}
	}
	v.delivery(c, field("delivery"), ct.Delivery)
	if len(ct.MeteringPoints) == 0 {
		c.fail(field("metering_points"), "a contract needs at least one metering point")
	}
	for i, mp := range ct.MeteringPoints {
		v.meteringPoint(c, index(field("metering_points"), i), mp)
	}
}

func (v *validator) delivery(c check, path string, d billing.DeliverySettings) {
	switch d.Method {
	case billing.Paper, billing.EInvoice:
	case "":
		c.fail(join(path, "method"), "required: paper or e-invoice")
	default:
		c.fail(join(path, "method"), "%q is not a delivery method: use paper or e-invoice", d.Method)
	}
	recipients := join(path, "recipients")
	if d.Method == billing.EInvoice && len(d.Recipients) == 0 {
		c.fail(recipients, "e-invoice delivery needs 1 to %d recipients", maxRecipients)
	}
	if len(d.Recipients) > maxRecipients {
		c.fail(recipients, "%d recipients; at most %d", len(d.Recipients), maxRecipients)
	}
	seen := make(map[string]string)
	for i, r := range d.Recipients {
		field := index(recipients, i)
		if p := emailProblem(r); p != "" {
			c.fail(field, "%s", p)
			continue
		}
		c.unique(seen, "recipient", strings.ToLower(r), field, field)
	}
	seenFormat := make(map[string]bool)
	for i, f := range d.Formats {
		field := index(join(path, "formats"), i)
		switch {
		case !slices.Contains(formats, f):
			c.fail(field, "%q is not a format: use pdf, ubl or csv", f)
		case seenFormat[f]:
			c.fail(field, "%s is listed twice", f)
		}
		seenFormat[f] = true
	}
	if !seenFormat[billing.FormatPDF] {
		c.fail(join(path, "formats"), "must include pdf: every invoice is delivered as PDF")
	}
}

func (v *validator) meteringPoint(c check, path string, mp billing.MeteringPoint) {
	field := func(name string) string { return join(path, name) }
	if c.key(field("code"), mp.Code) {
		if _, dup := v.points[mp.Code]; !dup {
			v.points[mp.Code] = mp
		}
		c.unique(v.pointAt, "metering point code", mp.Code, field("code"), c.where(field("code")))
	}
	c.address(field("address"), mp.Address)
	c.text(field("meter_serial"), mp.MeterSerial)
	if mp.Multiplier < 1 {
		c.fail(field("multiplier"), "%d is not a meter multiplier: a whole number of at least 1", mp.Multiplier)
	}
	if mp.Digits < 1 || mp.Digits > maxDigits {
		c.fail(field("digits"), "%d is not a number of register digits: 1 to %d", mp.Digits, maxDigits)
	}
	sorted := slices.Sorted(slices.Values(mp.Registers))
	if !slices.ContainsFunc(registerSet, func(set []string) bool { return slices.Equal(sorted, set) }) {
		c.fail(field("registers"), "%s is not a register set: use [\"T1\"] (single rate) or [\"DAY\", \"NIGHT\"]", quoteList(mp.Registers))
	}
}
