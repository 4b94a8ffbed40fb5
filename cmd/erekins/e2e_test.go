package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the erekins binary built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "erekins-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "erekins")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary with args on db and returns its outputs and exit status.
func cli(t *testing.T, db string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "EREKINS_DB="+db)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	return o.String(), e.String(), code
}

// mustCLI runs the binary and fails the test unless it exits 0.
func mustCLI(t *testing.T, db string, args ...string) string {
	t.Helper()
	out, errOut, code := cli(t, db, args...)
	if code != 0 {
		t.Fatalf("erekins %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// cliExample is the dataset of shared/spec/cli.md.
const cliExample = `{
  "version": 1,
  "supplier": {"name": "AS \"Demo Enerģija\"", "registration_number": "40003000000", "vat_number": "LV40003000000",
               "address": {"street": "Pulkveža Brieža iela 12", "city": "Rīga", "postal_code": "LV-1230", "country": "LV"},
               "iban": "LV80BANK0000435195001", "bic": "BANKLV2X", "bank": "Demo Banka", "email": "rekini@example.lv",
               "phone": "+37167000000", "website": "https://example.lv"},
  "calendar": {"extra_holidays": ["2026-07-06"], "extra_working_days": []},
  "price_plans": [{
    "code": "BIZ-1",
    "components": [
      {"code": "ENERGY",  "name": {"lv": "Elektroenerģija", "en": "Electricity"}, "unit": "kWh",   "zone": "T1", "vat_category": "S", "vat_rate": "21",
       "prices": [{"from": "2025-01-01", "price": "0.145200"}, {"from": "2026-11-16", "price": "0.151234"}]},
      {"code": "NETWORK", "name": {"lv": "Sadales tīkla pakalpojums", "en": "Distribution network"}, "unit": "kWh", "vat_category": "S", "vat_rate": "21",
       "prices": [{"from": "2025-01-01", "price": "0.041800"}]},
      {"code": "FIXED",   "name": {"lv": "Pieslēguma maksa", "en": "Connection fee"}, "unit": "month", "vat_category": "S", "vat_rate": "21",
       "prices": [{"from": "2025-01-01", "price": "12.50"}]}
    ]
  }],
  "customers": [{
    "registration_number": "40003012345",
    "name": "SIA \"Kūdras Rūpnīca\"",
    "vat_number": "LV40003012345",
    "language": "lv",
    "address": {"street": "Brīvības iela 1", "city": "Rīga", "postal_code": "LV-1010", "country": "LV"},
    "contacts": [{"name": "Anna Bērziņa", "email": "gramatvediba@example.lv", "phone": "+37120000000", "role": "invoices"}],
    "users": [{"email": "anna@example.lv", "name": "Anna Bērziņa", "role": "admin", "password": "demo-only-secret"}],
    "contracts": [{
      "number": "L-2025-0001",
      "start_date": "2025-01-01",
      "price_plan": "BIZ-1",
      "payment_term_days": 15,
      "monthly_estimate_kwh": "1200",
      "billed_through": "2026-10-31",
      "delivery": {"method": "e-invoice", "recipients": ["gramatvediba@example.lv"], "formats": ["pdf", "ubl", "csv"]},
      "metering_points": [{
        "code": "MP-000123",
        "address": {"street": "Rūpnīcas iela 5", "city": "Ogre", "postal_code": "LV-5001", "country": "LV"},
        "meter_serial": "12345678", "multiplier": 1, "digits": 6, "registers": ["T1"]
      }]
    }]
  }],
  "readings": [
    {"metering_point": "MP-000123", "register": "T1", "date": "2026-10-31", "value": "10500", "source": "import", "submitted_at": "2026-10-31T10:00:00+02:00"}
  ]
}`

type shownInvoice struct {
	Number          string `json:"number"`
	Type            string `json:"type"`
	IssueDate       string `json:"issue_date"`
	DueDate         string `json:"due_date"`
	PaymentTermDays int    `json:"payment_term_days"`
	Corrects        string `json:"corrects"`
	Lines           []struct {
		Component string `json:"description"`
		Quantity  string `json:"quantity"`
		UnitPrice string `json:"unit_price"`
		Net       string `json:"net"`
		Estimated bool   `json:"estimated"`
	} `json:"lines"`
	Totals struct {
		Net, VAT, Gross, Payable string
	} `json:"totals"`
}

func show(t *testing.T, db, number string) shownInvoice {
	t.Helper()
	var inv shownInvoice
	if err := json.Unmarshal([]byte(mustCLI(t, db, "invoice", "show", number, "--json")), &inv); err != nil {
		t.Fatalf("invoice show %s: %v", number, err)
	}
	return inv
}

// TestCLIEndToEnd drives the operator's command line as the README describes it: import the
// spec's dataset, submit a reading late on 30 November UTC (already 1 December in Riga),
// bill, look at the invoice, export its documents, correct the reading after issue.
func TestCLIEndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "e.db")
	file := filepath.Join(dir, "data.json")
	os.WriteFile(file, []byte(cliExample), 0o644)

	if out := mustCLI(t, db, "import", file); !strings.Contains(out, "1 customers, 1 contracts, 1 metering points, 1 price plans, 1 readings") {
		t.Errorf("import said %q", out)
	}
	mustCLI(t, db, "import", file) // the same file again changes nothing and does not fail

	// 23:30 UTC on 30 November is 01:30 on 1 December in Riga: complete on Tuesday 1 Dec.
	mustCLI(t, db, "reading", "add", "--metering-point", "MP-000123", "--register", "T1", "--date", "2026-11-30",
		"--value", "11700", "--at", "2026-11-30T23:30:00Z")
	if out := mustCLI(t, db, "bill", "--date", "2026-12-01", "--json"); !strings.Contains(out, `"issued": []`) {
		t.Errorf("billed on the completion day itself: %s", out)
	}
	var run struct {
		Issued []struct{ Number string } `json:"issued"`
	}
	json.Unmarshal([]byte(mustCLI(t, db, "bill", "--date", "2026-12-02", "--json")), &run)
	if len(run.Issued) != 1 || run.Issued[0].Number != "ER-2026-000001" {
		t.Fatalf("bill 2026-12-02 issued %+v, want ER-2026-000001", run.Issued)
	}
	if out := mustCLI(t, db, "bill", "--date", "2026-12-02", "--json"); !strings.Contains(out, `"issued": []`) {
		t.Errorf("second run issued again: %s", out)
	}

	inv := show(t, db, "ER-2026-000001")
	// 1200 kWh; energy split 15/15 days at the price change of 16 Nov; e-invoice: 15+5 days.
	want := []struct{ component, qty, net string }{
		{"Elektroenerģija", "600.000", "87.12"}, {"Elektroenerģija", "600.000", "90.74"},
		{"Sadales tīkla pakalpojums", "1200.000", "50.16"}, {"Pieslēguma maksa", "1.000", "12.50"},
	}
	if len(inv.Lines) != len(want) {
		t.Fatalf("lines = %+v", inv.Lines)
	}
	for i, w := range want {
		if l := inv.Lines[i]; l.Component != w.component || l.Quantity != w.qty || l.Net != w.net {
			t.Errorf("line %d = %s %s %s, want %+v", i+1, l.Component, l.Quantity, l.Net, w)
		}
	}
	if inv.IssueDate != "2026-12-02" || inv.PaymentTermDays != 20 || inv.DueDate != "2026-12-22" {
		t.Errorf("issue %s term %d due %s, want 2026-12-02, 20, 2026-12-22", inv.IssueDate, inv.PaymentTermDays, inv.DueDate)
	}
	if inv.Totals.Net != "240.52" || inv.Totals.VAT != "50.51" || inv.Totals.Gross != "291.03" || inv.Totals.Payable != "291.03" {
		t.Errorf("totals = %+v, want 240.52 / 50.51 / 291.03", inv.Totals)
	}

	for _, f := range []struct{ format, prefix string }{{"pdf", "%PDF-"}, {"ubl", "<?xml"}, {"csv", "\ufeff"}, {"json", "{"}} {
		out := filepath.Join(dir, "doc."+f.format)
		mustCLI(t, db, "invoice", "export", "ER-2026-000001", "--format", f.format, "-o", out)
		b, _ := os.ReadFile(out)
		if !bytes.HasPrefix(b, []byte(f.prefix)) {
			t.Errorf("%s export starts %q", f.format, b[:min(len(b), 10)])
		}
	}
	if list := mustCLI(t, db, "invoice", "list", "--customer", "40003012345"); !strings.Contains(list, "ER-2026-000001") {
		t.Errorf("invoice list: %s", list)
	}

	// A correction after issue: a credit note for the old invoice and a new invoice.
	_, errOut, code := cli(t, db, "reading", "add", "--metering-point", "MP-000123", "--date", "2026-11-30", "--value", "11600",
		"--at", "2026-12-03T09:00:00+02:00")
	if code != exitConflict || !strings.Contains(errOut, "reason") {
		t.Errorf("correction without a reason: exit %d, %s", code, errOut)
	}
	mustCLI(t, db, "reading", "add", "--metering-point", "MP-000123", "--date", "2026-11-30", "--value", "11600",
		"--at", "2026-12-03T09:00:00+02:00", "--reason", "misread digit")
	json.Unmarshal([]byte(mustCLI(t, db, "bill", "--date", "2026-12-04", "--json")), &run)
	if len(run.Issued) != 2 || run.Issued[0].Number != "KR-2026-000001" || run.Issued[1].Number != "ER-2026-000002" {
		t.Fatalf("after the correction bill issued %+v, want KR-2026-000001 and ER-2026-000002", run.Issued)
	}
	if cn := show(t, db, "KR-2026-000001"); cn.Type != "credit_note" || cn.Corrects != "ER-2026-000001" || cn.Totals.Payable != "291.03" {
		t.Errorf("credit note = %+v", cn)
	}
	if inv := show(t, db, "ER-2026-000002"); inv.Lines[2].Quantity != "1100.000" {
		t.Errorf("new invoice network quantity %s, want 1100.000", inv.Lines[2].Quantity)
	}

	// The archive of a period as one CSV: a header and one row per line of all three documents.
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(mustCLI(t, db, "invoice", "archive", "--period", "2026-11"), "\ufeff")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("archive CSV: %v", err)
	}
	if len(records) != 1+3*4 || records[0][0] != "invoice_number" {
		t.Errorf("archive has %d records (header %v), want a header and 12 lines", len(records), records[0])
	}
	xlsx := filepath.Join(dir, "archive.xlsx")
	mustCLI(t, db, "invoice", "archive", "--from", "2026-12-01", "--format", "xlsx", "-o", xlsx)
	if b, _ := os.ReadFile(xlsx); !bytes.HasPrefix(b, []byte("PK")) {
		t.Error("the XLSX archive is not a zip file")
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "e.db")
	bad := strings.Replace(cliExample, `"multiplier": 1`, `"multiplier": 0`, 1)
	bad = strings.Replace(bad, `"value": "10500"`, `"value": "-5"`, 1)
	file := filepath.Join(dir, "bad.json")
	os.WriteFile(file, []byte(bad), 0o644)
	_, errOut, code := cli(t, db, "import", file)
	if code != exitInvalid {
		t.Errorf("bad import: exit %d, want %d", code, exitInvalid)
	}
	for _, want := range []string{"metering_points[0].multiplier", "readings[0]", "nothing was imported"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("bad import message lacks %q:\n%s", want, errOut)
		}
	}
	if out := mustCLI(t, db, "invoice", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("a rejected import left data: %s", out)
	}

	good := filepath.Join(dir, "good.json")
	os.WriteFile(good, []byte(cliExample), 0o644)
	mustCLI(t, db, "import", good)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown metering point", []string{"--metering-point", "MP-NOPE", "--date", "2026-11-30", "--value", "1"}, exitNotFound, "MP-NOPE"},
		{"outside the window", []string{"--metering-point", "MP-000123", "--date", "2026-11-15", "--value", "10600"}, exitInvalid, "window"},
		{"lower than previous", []string{"--metering-point", "MP-000123", "--date", "2026-11-30", "--value", "10400"}, exitInvalid, "lower than the last actual reading 10500"},
		{"in the future", []string{"--metering-point", "MP-000123", "--date", "2026-12-01", "--value", "10600"}, exitInvalid, "after the submission date"},
		{"not a number", []string{"--metering-point", "MP-000123", "--date", "2026-11-30", "--value", "12,5"}, exitInvalid, "value"},
		{"bad date", []string{"--metering-point", "MP-000123", "--date", "30.11.2026", "--value", "1"}, exitInvalid, "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := cli(t, db, append([]string{"reading", "add", "--at", "2026-11-30T12:00:00Z"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, errOut, c.code, c.want)
			}
		})
	}
}

// TestCLIDatasetHoliday: an extra holiday in the dataset's calendar moves the issue day.
func TestCLIDatasetHoliday(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "e.db")
	file := filepath.Join(dir, "data.json")
	os.WriteFile(file, []byte(strings.Replace(cliExample, `"extra_holidays": ["2026-07-06"]`, `"extra_holidays": ["2026-12-02"]`, 1)), 0o644)
	mustCLI(t, db, "import", file)
	mustCLI(t, db, "reading", "add", "--metering-point", "MP-000123", "--date", "2026-11-30", "--value", "11700", "--at", "2026-11-30T23:30:00Z")
	if out := mustCLI(t, db, "bill", "--date", "2026-12-02", "--json"); !strings.Contains(out, `"issued": []`) {
		t.Errorf("billed on the dataset's extra holiday: %s", out)
	}
	if inv := show(t, db, strings.TrimSpace(firstNumber(t, mustCLI(t, db, "bill", "--date", "2026-12-03", "--json")))); inv.IssueDate != "2026-12-03" {
		t.Errorf("issued %s, want 2026-12-03", inv.IssueDate)
	}
}

func firstNumber(t *testing.T, billJSON string) string {
	t.Helper()
	var run struct {
		Issued []struct{ Number string } `json:"issued"`
	}
	if err := json.Unmarshal([]byte(billJSON), &run); err != nil || len(run.Issued) == 0 {
		t.Fatalf("bill issued nothing: %s", billJSON)
	}
	return run.Issued[0].Number
}
