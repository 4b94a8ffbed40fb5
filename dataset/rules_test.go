package dataset

import (
	"strings"
	"testing"
)

// Record labels of testdata/full.json.
const (
	sup = "supplier"
	cal = "calendar"
	pp0 = "price_plans[0] (BIZ-1)"
	pp1 = "price_plans[1] (BIZ-2Z)"
	cu0 = "customers[0] (40003012345)"
	cu1 = "customers[1] (50103098765)"
	rd0 = "readings[0] (MP-000123/T1 2026-10-31)"
	rd1 = "readings[1] (MP-000124/DAY 2026-10-31)"
	rd3 = "readings[3] (MP-000777/DAY 2026-11-28)"
	rd4 = "readings[4] (MP-000777/NIGHT 2026-11-28)"
	rd5 = "readings[5] (MP-OLD-001/T1 2026-11-30)"
)

// ruleCase breaks testdata/full.json in one field. want lists every problem expected,
// "record | field", in file order; msg is a part of the first one's message.
type ruleCase struct {
	name string
	muts []mutation
	want []string
	msg  string
}

func one(name string, m mutation, record, field, msg string) ruleCase {
	return ruleCase{name: name, muts: []mutation{m}, want: []string{record + " | " + field}, msg: msg}
}

var ruleCases = []ruleCase{
	// The file as a whole.
	one("version missing", del("version"), "", "version", "required"),
	one("version as a string", set("version", "1"), "", "version", "whole number"),
	one("unknown top-level field", set("suppliers", map[string]any{}), "", "suppliers", `did you mean "supplier"`),
	{name: "price_plans not an array", muts: []mutation{set("price_plans", map[string]any{})},
		want: []string{" | price_plans", cu0 + " | contracts[0].price_plan", cu1 + " | contracts[0].price_plan"}, msg: "must be an array"},
	{name: "customer not an object", muts: []mutation{set("customers.1", "x")},
		want: []string{"customers[1] | ", rd3 + " | metering_point", rd4 + " | metering_point"}, msg: "must be an object"},

	// Supplier.
	one("supplier name empty", set("supplier.name", " "), sup, "name", "required"),
	one("supplier registration number of 10 digits", set("supplier.registration_number", "4000300000"), sup, "registration_number", "11 digits"),
	one("supplier VAT number missing", del("supplier.vat_number"), sup, "vat_number", "required"),
	one("supplier VAT number LV short", set("supplier.vat_number", "LV4000300000"), sup, "vat_number", "LV followed by 11 digits"),
	one("supplier address street missing", del("supplier.address.street"), sup, "address.street", "required"),
	one("supplier address unknown field", set("supplier.address.zip", "1"), sup, "address.zip", "unknown field"),
	one("supplier IBAN check digits", set("supplier.iban", "LV80BANK0000435195002"), sup, "iban", "check digits"),
	one("supplier IBAN missing", del("supplier.iban"), sup, "iban", "required"),
	one("supplier BIC", set("supplier.bic", "bank"), sup, "bic", "not a BIC"),
	one("supplier e-mail invalid", set("supplier.email", "rekini.example.lv"), sup, "email", "not a valid e-mail"),
	one("supplier e-mail with a name", set("supplier.email", "Rēķini <rekini@example.lv>"), sup, "email", "bare address"),
	one("supplier website", set("supplier.website", "example.lv"), sup, "website", "web address"),
	one("supplier Peppol id", set("supplier.peppol_id", "40003000000"), sup, "peppol_id", "Peppol"),
	one("supplier not an object", set("supplier", []any{}), sup, "", "must be an object"),

	// Calendar.
	one("calendar date invalid", set("calendar.extra_holidays.0", "2026-02-30"), cal, "extra_holidays[0]", "YYYY-MM-DD"),
	one("calendar date a number", set("calendar.extra_holidays.0", 20260706), cal, "extra_holidays[0]", "must be a date string"),
	one("calendar day both holiday and working", set("calendar.extra_working_days", []any{"2026-07-06"}), cal, "extra_working_days[0]", "also an extra holiday"),
	one("calendar holiday twice", set("calendar.extra_holidays", []any{"2026-07-06", "2026-07-06"}), cal, "extra_holidays[1]", "listed twice"),

	// Price plans.
	{name: "plan code empty", muts: []mutation{set("price_plans.0.code", "")},
		want: []string{"price_plans[0] | code", cu0 + " | contracts[0].price_plan"}, msg: "required"},
	{name: "plan code duplicate", muts: []mutation{set("price_plans.1.code", "BIZ-1")},
		want: []string{"price_plans[1] (BIZ-1) | code", cu1 + " | contracts[0].price_plan"}, msg: `duplicate price plan code "BIZ-1", also in price_plans[0] (BIZ-1)`},
	one("plan without components", set("price_plans.0.components", []any{}), pp0, "components", "at least one component"),
	one("component code empty", set("price_plans.0.components.0.code", ""), pp0, "components[0].code", "required"),
	one("component code duplicate", set("price_plans.0.components.1.code", "ENERGY"), pp0, "components[1].code", "duplicate component code"),
	one("component name lv missing", del("price_plans.0.components.0.name.lv"), pp0, "components[0].name.lv", "required"),
	one("component name in another language", set("price_plans.0.components.0.name.de", "Strom"), pp0, "components[0].name.de", "unknown language"),
	one("component name not an object", set("price_plans.0.components.0.name", "Energy"), pp0, "components[0].name", "must be an object"),
	one("component unit unknown", set("price_plans.0.components.0.unit", "kwh"), pp0, "components[0].unit", "not a unit"),
	one("component unit missing", del("price_plans.0.components.0.unit"), pp0, "components[0].unit", "required"),
	one("component zone on a month component", set("price_plans.0.components.2.zone", "T1"), pp0, "components[2].zone", "only kWh components"),
	one("component zone unknown", set("price_plans.0.components.0.zone", "T2"), pp0, "components[0].zone", "not a register zone"),
	one("component VAT category unknown", set("price_plans.0.components.0.vat_category", "X"), pp0, "components[0].vat_category", "not a VAT category"),
	one("component VAT category missing", del("price_plans.0.components.0.vat_category"), pp0, "components[0].vat_category", "required"),
	one("component VAT rate above 100", set("price_plans.0.components.0.vat_rate", "101"), pp0, "components[0].vat_rate", "above 100"),
	one("component VAT rate negative", set("price_plans.0.components.0.vat_rate", "-21"), pp0, "components[0].vat_rate", "below 0"),
	one("component VAT rate a JSON number", set("price_plans.0.components.0.vat_rate", 21), pp0, "components[0].vat_rate", "never JSON numbers"),
	one("component VAT rate three decimals", set("price_plans.0.components.0.vat_rate", "21.125"), pp0, "components[0].vat_rate", "more than 2 decimals"),
	one("component VAT rate of exempt not zero", set("price_plans.1.components.3.vat_rate", "21"), pp1, "components[3].vat_rate", "carries a rate of 0"),
	one("component VAT rate of S zero", set("price_plans.0.components.0.vat_rate", "0"), pp0, "components[0].vat_rate", "above 0"),
	one("component prices empty", set("price_plans.0.components.1.prices", []any{}), pp0, "components[1].prices", "at least one price"),
	one("component price dates out of order", set("price_plans.0.components.0.prices.1.from", "2024-12-31"), pp0, "components[0].prices[1].from", "date order"),
	one("component price dates equal", set("price_plans.0.components.0.prices.1.from", "2025-01-01"), pp0, "components[0].prices[1].from", "one price per date"),
	one("component price from missing", del("price_plans.0.components.0.prices.0.from"), pp0, "components[0].prices[0].from", "required"),
	one("component price from not a date", set("price_plans.0.components.0.prices.0.from", "2025-1-1"), pp0, "components[0].prices[0].from", "YYYY-MM-DD"),
	one("component price negative", set("price_plans.0.components.0.prices.0.price", "-0.1"), pp0, "components[0].prices[0].price", "below 0"),
	one("component price seven decimals", set("price_plans.0.components.0.prices.0.price", "0.1452001"), pp0, "components[0].prices[0].price", "more than 6 decimals"),
	one("component price with exponent", set("price_plans.0.components.0.prices.0.price", "1e-1"), pp0, "components[0].prices[0].price", "not a decimal"),
	one("component price with comma", set("price_plans.0.components.0.prices.0.price", "0,1452"), pp0, "components[0].prices[0].price", "not a decimal"),
	one("component unknown field", set("price_plans.0.components.0.currency", "EUR"), pp0, "components[0].currency", "unknown field"),
	one("component field in capitals", set("price_plans.0.components.0.Code", "X"), pp0, "components[0].Code", `did you mean "code"`),
	one("component price missing", del("price_plans.0.components.0.prices.1.price"), pp0, "components[0].prices[1].price", "required"),
	one("component VAT rate missing", del("price_plans.0.components.0.vat_rate"), pp0, "components[0].vat_rate", "required"),

	// Customers.
	one("customer registration number with a letter", set("customers.0.registration_number", "4000301234X"), "customers[0] (4000301234X)", "registration_number", "11 digits"),
	{name: "customer registration number duplicate", muts: []mutation{set("customers.1.registration_number", "40003012345")},
		want: []string{"customers[1] (40003012345) | registration_number"}, msg: "also in " + cu0},
	one("customer name missing", del("customers.0.name"), cu0, "name", "required"),
	one("customer name with a line break", set("customers.0.name", "SIA\nX"), cu0, "name", "control characters"),
	one("customer VAT number LV short", set("customers.0.vat_number", "LV4000301234"), cu0, "vat_number", "LV followed by 11 digits"),
	one("customer VAT number of Greece as GR", set("customers.0.vat_number", "GR123456789"), cu0, "vat_number", "EU VAT number"),
	one("customer VAT number too short", set("customers.0.vat_number", "DE1"), cu0, "vat_number", "EU VAT number"),
	one("customer language", set("customers.0.language", "de"), cu0, "language", "lv or en"),
	one("customer address city missing", del("customers.0.address.city"), cu0, "address.city", "required"),
	one("customer address missing", del("customers.0.address"), cu0, "address", "required"),
	one("customer address country in lower case", set("customers.0.address.country", "lv"), cu0, "address.country", "two-letter"),
	one("customer address Latvian postal code", set("customers.0.address.postal_code", "1010"), cu0, "address.postal_code", "LV-"),
	one("customer postal address country missing", del("customers.1.postal_address.country"), cu1, "postal_address.country", "required"),
	one("customer Peppol id", set("customers.1.peppol_id", "x"), cu1, "peppol_id", "Peppol"),
	one("contact e-mail invalid", set("customers.0.contacts.0.email", "gramatvediba@"), cu0, "contacts[0].email", "not a valid e-mail"),
	one("contact e-mail without a dot in the domain", set("customers.0.contacts.0.email", "a@localhost"), cu0, "contacts[0].email", "domain"),
	one("contact name missing", del("customers.0.contacts.0.name"), cu0, "contacts[0].name", "required"),
	one("user e-mail invalid", set("customers.0.users.0.email", "anna"), cu0, "users[0].email", "not a valid e-mail"),
	one("user e-mail duplicate", set("customers.0.users.1.email", "ANNA@example.lv"), cu0, "users[1].email", "duplicate user e-mail"),
	one("user role unknown", set("customers.0.users.0.role", "owner"), cu0, "users[0].role", "not a role"),
	one("user role missing", del("customers.0.users.1.role"), cu0, "users[1].role", "required"),
	one("user password short", set("customers.0.users.0.password", "short-pass1"), cu0, "users[0].password", "12 to 256"),
	one("user field misspelt", set("customers.0.users.1.pasword", "long-enough-password"), cu0, "users[1].pasword", `did you mean "password"`),

	// Contracts.
	one("contract number empty", set("customers.0.contracts.0.number", ""), cu0, "contracts[0].number", "required"),
	one("contract number with spaces", set("customers.0.contracts.0.number", "L-2025-0001 "), cu0, "contracts[0].number", "spaces"),
	one("contract number duplicate", set("customers.1.contracts.1.number", "L-2025-0001"), cu1, "contracts[1].number", "also in "+cu0+" contracts[0].number"),
	one("contract start missing", del("customers.0.contracts.0.start_date"), cu0, "contracts[0].start_date", "required"),
	one("contract start invalid", set("customers.0.contracts.0.start_date", "2025-13-01"), cu0, "contracts[0].start_date", "YYYY-MM-DD"),
	one("contract end before start", set("customers.1.contracts.0.end_date", "2024-03-14"), cu1, "contracts[0].end_date", "before the start date"),
	one("contract price plan unknown", set("customers.0.contracts.0.price_plan", "NOPE"), cu0, "contracts[0].price_plan", "neither in the file nor in the database"),
	one("contract price plan missing", del("customers.0.contracts.0.price_plan"), cu0, "contracts[0].price_plan", "required"),
	one("contract payment term above 365", set("customers.0.contracts.0.payment_term_days", 366), cu0, "contracts[0].payment_term_days", "0 to 365"),
	one("contract payment term negative", set("customers.0.contracts.0.payment_term_days", -1), cu0, "contracts[0].payment_term_days", "0 to 365"),
	one("contract payment term missing", del("customers.0.contracts.0.payment_term_days"), cu0, "contracts[0].payment_term_days", "required"),
	one("contract payment term a string", set("customers.0.contracts.0.payment_term_days", "15"), cu0, "contracts[0].payment_term_days", "whole number"),
	one("contract payment term a fraction", set("customers.0.contracts.0.payment_term_days", 15.5), cu0, "contracts[0].payment_term_days", "whole number"),
	one("contract monthly estimate negative", set("customers.0.contracts.0.monthly_estimate_kwh", "-5"), cu0, "contracts[0].monthly_estimate_kwh", "below 0"),
	one("contract monthly estimate four decimals", set("customers.0.contracts.0.monthly_estimate_kwh", "1.2345"), cu0, "contracts[0].monthly_estimate_kwh", "more than 3 decimals"),
	one("contract monthly estimate a JSON number", set("customers.0.contracts.0.monthly_estimate_kwh", 1200), cu0, "contracts[0].monthly_estimate_kwh", `"1200"`),
	one("contract billed through before start", set("customers.0.contracts.0.billed_through", "2024-12-30"), cu0, "contracts[0].billed_through", "before the contract starts"),
	one("contract billed through mid-month", set("customers.0.contracts.0.billed_through", "2026-10-15"), cu0, "contracts[0].billed_through", "last day of a month"),
	one("contract billed through after end", set("customers.1.contracts.0.billed_through", "2027-01-31"), cu1, "contracts[0].billed_through", "after the contract ends"),
	one("delivery method unknown", set("customers.0.contracts.0.delivery.method", "email"), cu0, "contracts[0].delivery.method", "paper or e-invoice"),
	one("delivery missing", del("customers.0.contracts.0.delivery"), cu0, "contracts[0].delivery.method", "required"),
	one("e-invoice without recipients", del("customers.0.contracts.0.delivery.recipients"), cu0, "contracts[0].delivery.recipients", "1 to 5"),
	one("e-invoice with six recipients", set("customers.0.contracts.0.delivery.recipients", []any{"a@x.lv", "b@x.lv", "c@x.lv", "d@x.lv", "e@x.lv", "f@x.lv"}), cu0, "contracts[0].delivery.recipients", "at most 5"),
	one("e-invoice recipient twice", set("customers.0.contracts.0.delivery.recipients.1", "Gramatvediba@example.lv"), cu0, "contracts[0].delivery.recipients[1]", "duplicate recipient"),
	one("e-invoice recipient invalid", set("customers.0.contracts.0.delivery.recipients.1", "arhivs"), cu0, "contracts[0].delivery.recipients[1]", "not a valid e-mail"),
	one("delivery format unknown", set("customers.0.contracts.0.delivery.formats", []any{"pdf", "xml"}), cu0, "contracts[0].delivery.formats[1]", "not a format"),
	one("delivery format twice", set("customers.0.contracts.0.delivery.formats", []any{"pdf", "ubl", "ubl"}), cu0, "contracts[0].delivery.formats[2]", "listed twice"),
	one("contract without metering points", set("customers.1.contracts.1.metering_points", []any{}), cu1, "contracts[1].metering_points", "at least one metering point"),

	// Metering points.
	{name: "metering point code empty", muts: []mutation{set("customers.0.contracts.0.metering_points.0.code", "")},
		want: []string{cu0 + " | contracts[0].metering_points[0].code", rd0 + " | metering_point"}, msg: "required"},
	{name: "metering point code duplicate", muts: []mutation{set("customers.1.contracts.1.metering_points.0.code", "MP-000123")},
		want: []string{cu1 + " | contracts[1].metering_points[0].code"}, msg: "also in " + cu0 + " contracts[0].metering_points[0].code"},
	one("metering point multiplier zero", set("customers.0.contracts.0.metering_points.1.multiplier", 0), cu0, "contracts[0].metering_points[1].multiplier", "at least 1"),
	one("metering point multiplier a fraction", set("customers.0.contracts.0.metering_points.1.multiplier", 1.5), cu0, "contracts[0].metering_points[1].multiplier", "whole number"),
	one("metering point multiplier missing", del("customers.0.contracts.0.metering_points.1.multiplier"), cu0, "contracts[0].metering_points[1].multiplier", "required"),
	one("metering point digits zero", set("customers.0.contracts.0.metering_points.0.digits", 0), cu0, "contracts[0].metering_points[0].digits", "1 to 12"),
	one("metering point digits 13", set("customers.0.contracts.0.metering_points.0.digits", 13), cu0, "contracts[0].metering_points[0].digits", "1 to 12"),
	{name: "metering point registers mixed", muts: []mutation{set("customers.0.contracts.0.metering_points.0.registers", []any{"T1", "DAY"})},
		want: []string{cu0 + " | contracts[0].metering_points[0].registers"}, msg: "not a register set"},
	one("metering point registers twice", set("customers.1.contracts.1.metering_points.0.registers", []any{"T1", "T1"}), cu1, "contracts[1].metering_points[0].registers", "not a register set"),
	one("metering point registers empty", set("customers.1.contracts.1.metering_points.0.registers", []any{}), cu1, "contracts[1].metering_points[0].registers", "not a register set"),
	one("metering point address postal code missing", set("customers.0.contracts.0.metering_points.0.address.postal_code", ""), cu0, "contracts[0].metering_points[0].address.postal_code", "required"),
	one("metering point meter serial missing", del("customers.0.contracts.0.metering_points.0.meter_serial"), cu0, "contracts[0].metering_points[0].meter_serial", "required"),

	// Readings.
	one("reading metering point unknown", set("readings.0.metering_point", "MP-999"), "readings[0] (MP-999/T1 2026-10-31)", "metering_point", "neither in the file nor in the database"),
	one("reading metering point missing", del("readings.0.metering_point"), "readings[0] (/T1 2026-10-31)", "metering_point", "required"),
	one("reading register not on the meter", set("readings.0.register", "DAY"), "readings[0] (MP-000123/DAY 2026-10-31)", "register", `its registers are ["T1"]`),
	one("reading register not on a known meter", set("readings.5.register", "NIGHT"), "readings[5] (MP-OLD-001/NIGHT 2026-11-30)", "register", "has no register"),
	one("reading date invalid", set("readings.0.date", "2026-10-32"), "readings[0] (MP-000123/T1)", "date", "YYYY-MM-DD"),
	one("reading date missing", del("readings.0.date"), "readings[0] (MP-000123/T1)", "date", "required"),
	one("reading value negative", set("readings.0.value", "-1"), rd0, "value", "below 0"),
	one("reading value four decimals", set("readings.0.value", "10500.0001"), rd0, "value", "more than 3 decimals"),
	one("reading value a JSON number", set("readings.0.value", 10500), rd0, "value", "never JSON numbers"),
	one("reading value missing", del("readings.0.value"), rd0, "value", "required"),
	one("reading value beyond the register", set("readings.0.value", "1000000"), rd0, "value", "6-digit register"),
	one("reading value beyond a known register", set("readings.5.value", "1000000"), rd5, "value", "6-digit register"),
	one("reading source estimate", set("readings.0.source", "estimate"), rd0, "source", "cannot be imported"),
	one("reading source unknown", set("readings.0.source", "manual"), rd0, "source", "not a reading source"),
	one("reading submitted_at missing", del("readings.0.submitted_at"), rd0, "submitted_at", "required"),
	one("reading submitted_at without offset", set("readings.0.submitted_at", "2026-10-31T10:00:00"), rd0, "submitted_at", "RFC 3339"),
	one("reading submitted_at with a space", set("readings.0.submitted_at", "2026-10-31 10:00:00+02:00"), rd0, "submitted_at", "RFC 3339"),
	one("reading submitted before the reading date in Riga", set("readings.0.submitted_at", "2026-10-30T21:59:59Z"), rd0, "submitted_at", "submitted on 2026-10-30 in Riga"),
	one("reading confirmed not a boolean", set("readings.3.confirmed", "yes"), rd3, "confirmed", "true or false"),
	one("reading submitted_by with a line break", set("readings.1.submitted_by", "a\nb"), rd1, "submitted_by", "control characters"),
	{name: "reading duplicate", muts: []mutation{set("readings.4.register", "DAY"), set("readings.4.submitted_at", "2026-11-28T12:00:00+02:00")},
		want: []string{"readings[4] (MP-000777/DAY 2026-11-28) | date"}, msg: "duplicate reading \"MP-000777/DAY 2026-11-28\", also in " + rd3},
	one("reading unknown field", set("readings.4.meter", "x"), rd4, "meter", "unknown field"),
}

func TestRules(t *testing.T) {
	t.Parallel()
	base := readFile(t, "testdata/full.json")
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, errs := load(t, mutate(t, base, tc.muts...), fullKnown())
			var got []string
			for _, e := range errs {
				got = append(got, e.Record+" | "+e.Field)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("problems:\n%v\nwant:\n%s", errs, strings.Join(tc.want, "\n"))
			}
			if !strings.Contains(errs[0].Message, tc.msg) {
				t.Errorf("message %q does not say %q", errs[0].Message, tc.msg)
			}
		})
	}
}
