package dataset

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

func TestLoadCLIExample(t *testing.T) {
	t.Parallel()
	ds, errs := load(t, readFile(t, "testdata/cli-example.json"), nil)
	if errs != nil {
		t.Fatalf("the example of cli.md has problems:\n%v", errs)
	}
	if len(ds.Customers) != 1 || len(ds.Readings) != 1 || ds.Supplier == nil || ds.Calendar == nil {
		t.Fatalf("read %+v", ds)
	}
}

func TestLoadFull(t *testing.T) {
	t.Parallel()
	ds, errs := load(t, readFile(t, "testdata/full.json"), fullKnown())
	if errs != nil {
		t.Fatalf("testdata/full.json has problems:\n%v", errs)
	}
	if ds.Version != 1 || ds.Supplier.PeppolID != "9939:40003000000" || ds.Supplier.Address.City != "Rīga" {
		t.Errorf("supplier %+v", ds.Supplier)
	}
	if got := ds.Calendar.ExtraWorkingDays; len(got) != 1 || got[0] != calendar.MustDate("2026-11-14") {
		t.Errorf("extra working days %v", got)
	}
	energy := ds.PricePlans[0].Components[0]
	if energy.Prices[1].From != calendar.MustDate("2026-11-16") || energy.Prices[1].Price.String() != "0.151234" ||
		!energy.VATRate.Equal(decimal.NewFromInt(21)) || energy.NameIn("en") != "Electricity" {
		t.Errorf("component %+v", energy)
	}

	c0, c1 := ds.Customers[0], ds.Customers[1]
	if c0.Users[0].Password != "demo-only-secret" || c0.Users[1].Password != "" || c0.Users[1].Role != RoleReadings {
		t.Errorf("users %+v", c0.Users)
	}
	ct := c0.Contracts[0]
	if ct.Number != "L-2025-0001" || ct.PaymentTermDays != 15 || ct.MonthlyEstimateKWh.String() != "1200" ||
		ct.BilledThrough != calendar.MustDate("2026-10-31") || !ct.End.IsZero() {
		t.Errorf("contract %+v", ct)
	}
	if got := strings.Join(ct.Delivery.Formats, ","); got != "pdf,ubl,csv" {
		t.Errorf("formats %s, want pdf added before the file's ubl,csv", got)
	}
	if mp := ct.MeteringPoints[1]; mp.Multiplier != 40 || mp.Digits != 5 || strings.Join(mp.Registers, ",") != "DAY,NIGHT" {
		t.Errorf("metering point %+v", mp)
	}
	if c1.Language != billing.English || c1.PostalAddress == nil || c1.PostalAddress.Country != "LT" || c1.Contracts[0].End != calendar.MustDate("2026-12-31") {
		t.Errorf("customer %+v", c1)
	}
	if got := c1.Contracts[0].Delivery; got.Method != billing.Paper || strings.Join(got.Formats, ",") != "pdf" {
		t.Errorf("paper delivery %+v", got)
	}

	r := ds.Readings[3]
	if r.Index != 3 || !r.Confirmed || r.Value.String() != "12345" || r.Source != billing.SourcePortal ||
		!r.SubmittedAt.Equal(time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("reading %+v", r)
	}
	if r := ds.Readings[2]; r.SubmittedBy != "operator@example.lv" || r.Value.String() != "99999.999" {
		t.Errorf("reading %+v", r)
	}
	if r := ds.Readings[5]; r.Source != billing.SourceImport || r.Index != 5 {
		t.Errorf("reading without source: %+v, want source import", r)
	}
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	doc := mutate(t, readFile(t, "testdata/full.json"),
		del("customers.0.language"), del("customers.1.contracts.0.monthly_estimate_kwh"),
		del("supplier"), del("calendar"), set("customers.0.users.0.email", "Anna@Example.lv"))
	ds, errs := load(t, doc, fullKnown())
	if errs != nil {
		t.Fatal(errs)
	}
	if ds.Customers[0].Language != billing.Latvian {
		t.Errorf("language %q, want lv", ds.Customers[0].Language)
	}
	if !ds.Customers[1].Contracts[0].MonthlyEstimateKWh.IsZero() {
		t.Errorf("monthly estimate %s, want 0", ds.Customers[1].Contracts[0].MonthlyEstimateKWh)
	}
	if ds.Supplier != nil || ds.Calendar != nil {
		t.Errorf("supplier %v, calendar %v; want none", ds.Supplier, ds.Calendar)
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc string
		line, col int
		msg       string
	}{
		{"empty", "", 1, 1, "empty"},
		{"blank", "\n  \n", 3, 1, "empty"},
		{"trailing comma", "{\n  \"version\": 1,\n}", 3, 1, "invalid character '}'"},
		{"unclosed", "{\"version\": 1,\n \"customers\": [", 2, 16, "not closed"},
		{"bare word", "{\"version\": 1, \"supplier\": nul}", 1, 31, "invalid character"},
		{"column counts characters", "{\"a\": \"Rīga\" \"b\"}", 1, 14, "invalid character"},
		{"invalid UTF-8", "{\"version\": 1,\n\"x\": \"R\xeeg\"}", 2, 8, "UTF-8"},
		{"data after the object", "{\"version\": 1} {}", 1, 16, "after the end"},
		{"too deep", strings.Repeat("[", 100) + strings.Repeat("]", 100), 1, 66, "levels deep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tc.doc))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse: %v (%T), want *SyntaxError", err, err)
			}
			if se.Line != tc.line || se.Column != tc.col || !strings.Contains(se.Message, tc.msg) {
				t.Errorf("got %v, want line %d, column %d: …%s…", se, tc.line, tc.col, tc.msg)
			}
			if billing.ErrorCode(err) != billing.ErrInvalid {
				t.Errorf("ErrorCode %q, want invalid", billing.ErrorCode(err))
			}
		})
	}
}

func TestByteOrderMark(t *testing.T) {
	t.Parallel()
	doc := append([]byte("\xef\xbb\xbf"), readFile(t, "testdata/cli-example.json")...)
	if _, err := Parse(bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
}

func TestDuplicateField(t *testing.T) {
	t.Parallel()
	doc := `{"version": 1, "calendar": {"extra_holidays": [], "extra_holidays": ["2026-07-06"]}}`
	_, errs := load(t, []byte(doc), nil)
	if len(errs) != 1 || errs[0].Record != "calendar" || errs[0].Field != "extra_holidays" || !strings.Contains(errs[0].Message, "more than once") {
		t.Fatalf("problems:\n%v", errs)
	}
}

func TestNotAnObject(t *testing.T) {
	t.Parallel()
	_, err := Parse(strings.NewReader(`[{"version": 1}]`))
	if err == nil || !strings.Contains(err.Error(), "a dataset is a JSON object") {
		t.Fatalf("Parse: %v", err)
	}
}

// Another version has another shape: only the version is reported.
func TestOtherVersion(t *testing.T) {
	t.Parallel()
	doc := mutate(t, readFile(t, "testdata/full.json"), set("version", 2), set("customers.0.name", 7))
	_, errs := load(t, doc, nil)
	if len(errs) != 1 || errs[0].Field != "version" || !strings.Contains(errs[0].Message, "unsupported version 2") {
		t.Fatalf("problems:\n%v\nwant only the version", errs)
	}
}

// Parse reports problems of shape only, and no dataset with them.
func TestParseShapeOnly(t *testing.T) {
	t.Parallel()
	doc := mutate(t, readFile(t, "testdata/full.json"),
		set("customers.0.registration_number", "123"), // a rule: Parse does not check it
		set("readings.1.value", 4321))                 // shape: a number for an amount
	ds, err := Parse(bytes.NewReader(doc))
	var errs Errors
	if !errors.As(err, &errs) || ds != nil {
		t.Fatalf("Parse: %v, %v; want Errors and no dataset", ds, err)
	}
	if len(errs) != 1 || errs[0].Record != "readings[1] (MP-000124/DAY 2026-10-31)" || errs[0].Field != "value" {
		t.Fatalf("problems:\n%v", errs)
	}
}

// A dataset built in code gets the checks that Parse makes by construction.
func TestValidateBuilt(t *testing.T) {
	t.Parallel()
	ds, errs := load(t, readFile(t, "testdata/full.json"), fullKnown())
	if errs != nil {
		t.Fatal(errs)
	}
	ds.Customers[0].Contracts[0].Delivery.Formats = []string{"ubl"}
	ds.Customers[0].Language = ""
	ds.Readings[0].Source = ""
	ds.Version = 3
	got := Validate(ds, fullKnown())
	want := []string{
		" | version",
		cu0 + " | language",
		cu0 + " | contracts[0].delivery.formats",
		rd0 + " | source",
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%v\nwant %v", got, want)
	}
	for i, e := range got {
		if e.Record+" | "+e.Field != want[i] {
			t.Errorf("problem %d: %v, want %s", i, e, want[i])
		}
	}
	if errs := Validate(nil, nil); len(errs) != 1 {
		t.Errorf("Validate(nil): %v", errs)
	}
}

// Without Known, references to the database are problems.
func TestNothingKnown(t *testing.T) {
	t.Parallel()
	_, errs := load(t, readFile(t, "testdata/full.json"), nil)
	want := []string{
		cu1 + " | contracts[1].price_plan",
		rd5 + " | metering_point",
	}
	if len(errs) != len(want) {
		t.Fatalf("problems:\n%v\nwant %v", errs, want)
	}
	for i, e := range errs {
		if e.Record+" | "+e.Field != want[i] {
			t.Errorf("problem %d: %v, want %s", i, e, want[i])
		}
	}
}

// A file with many problems lists every one, in file order, one per line.
func TestEveryProblemListed(t *testing.T) {
	t.Parallel()
	doc := mutate(t, readFile(t, "testdata/full.json"),
		set("readings.0.value", 10500),                                   // shape
		set("readings.0.source", "estimate"),                             // rule, same record
		set("customers.1.contracts.0.metering_points.0.digits", 13),      // rule
		set("customers.0.vat_number", "LV1"),                             // rule
		set("customers.0.contracts.0.delivery.formats", []any{"xml"}),    // rule
		set("customers.0.contracts.0.metering_points.0.multiplier", "1"), // shape
		set("price_plans.0.components.0.prices.0.price", 0.1452),         // shape
		set("supplier.email", "x"),                                       // rule
		set("colour", "blue"),                                            // shape
		del("version"),                                                   // shape
	)
	ds, err := Load(bytes.NewReader(doc), fullKnown())
	if ds != nil {
		t.Error("Load returned a dataset with its problems")
	}
	want := []string{
		"version: required: this program reads dataset version 1",
		"colour: unknown field",
		"supplier: email: not a valid e-mail address (give a bare address such as name@example.lv)",
		`price_plans[0] (BIZ-1): components[0].prices[0].price: must be a JSON string holding a decimal, such as "0.1452": amounts are strings, never JSON numbers`,
		`customers[0] (40003012345): contracts[0].metering_points[0].multiplier: must be a whole number such as 15, not a string`,
		`customers[0] (40003012345): vat_number: "LV1": a Latvian VAT number is LV followed by 11 digits`,
		`customers[0] (40003012345): contracts[0].delivery.formats[1]: "xml" is not a format: use pdf, ubl or csv`,
		"customers[1] (50103098765): contracts[0].metering_points[0].digits: 13 is not a number of register digits: 1 to 12",
		`readings[0] (MP-000123/T1 2026-10-31): value: must be a JSON string holding a decimal, such as "10500": amounts are strings, never JSON numbers`,
		"readings[0] (MP-000123/T1 2026-10-31): source: estimate readings are made by billing and cannot be imported; use one of portal, api, import, operator",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("got:\n%v\n\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	if billing.ErrorCode(err) != billing.ErrInvalid {
		t.Errorf("ErrorCode %q, want invalid", billing.ErrorCode(err))
	}
}

func TestErrorFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{"customers[0] (40003012345)", "contracts[0].number", "required"}, "customers[0] (40003012345): contracts[0].number: required"},
		{FieldError{"", "version", "required"}, "version: required"},
		{FieldError{"customers[1]", "", "must be an object"}, "customers[1]: must be an object"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
	var be *billing.Error
	if !errors.As(Errors{{"readings[2]", "value", "required"}}, &be) || be.Field != "readings[2].value" {
		t.Errorf("as billing.Error: %+v", be)
	}
}

func TestLabels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{customerLabel(2, Customer{Customer: billing.Customer{Name: "SIA X"}}), "customers[2] (SIA X)"},
		{customerLabel(2, Customer{}), "customers[2]"},
		{readingLabel(1, Reading{Reading: billing.Reading{MeteringPoint: "MP-1"}}), "readings[1] (MP-1)"},
		{planLabel(0, billing.PricePlan{Code: "A\nB"}), `price_plans[0] ("A\nB")`},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
