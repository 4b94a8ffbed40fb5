package csvdoc_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// readCSV reads a CSV file the way an importer would: strip the byte order mark, ';' as
// delimiter, every record as wide as the header.
func readCSV(t testing.TB, b []byte) [][]string {
	t.Helper()
	body, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Fatalf("no byte order mark: %q", b[:min(len(b), 8)])
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	r.FieldsPerRecord = len(csvdoc.Header)
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	if len(records) == 0 || !equalStrings(records[0], csvdoc.Header) {
		t.Fatalf("header = %q, want %q", records[0], csvdoc.Header)
	}
	return records[1:]
}

func equalStrings(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// parseDec reads a number cell with the given decimal separator, insisting on its places.
func parseDec(t testing.TB, s string, sep byte, places int) decimal.Decimal {
	t.Helper()
	other := byte('.')
	if sep == '.' {
		other = ','
	}
	if strings.IndexByte(s, other) >= 0 || strings.HasPrefix(s, "'") {
		t.Fatalf("number %q: wrong separator or neutralised", s)
	}
	if i := strings.IndexByte(s, sep); i < 0 || len(s)-i-1 != places {
		t.Fatalf("number %q: want %d decimal places after %q", s, places, sep)
	}
	d, err := decimal.NewFromString(strings.Replace(s, string(sep), ".", 1))
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return d
}

// decCol is a number column and the decimal it must read back as.
type decCol struct {
	name   string
	want   decimal.Decimal
	places int
}

// checkRows checks that the rows hold exactly the invoice's data, line by line.
func checkRows(t *testing.T, inv *billing.Invoice, rows [][]string, sep byte) {
	t.Helper()
	if len(rows) != len(inv.Lines) {
		t.Fatalf("%d rows, want one per line: %d", len(rows), len(inv.Lines))
	}
	col := map[string]int{}
	for i, name := range csvdoc.Header {
		col[name] = i
	}
	for i, r := range rows {
		l := inv.Lines[i]
		get := func(name string) string { return r[col[name]] }
		texts := map[string]string{
			"invoice_number": inv.Number, "invoice_type": inv.Type, "contract_number": inv.ContractNumber,
			"customer_name": inv.Customer.Name, "customer_registration_number": inv.Customer.RegistrationNumber,
			"customer_vat_number": inv.Customer.VATNumber, "currency": inv.Currency,
			"payment_reference": inv.PaymentReference, "corrects_number": inv.Corrects,
			"description": l.Description, "metering_point": l.MeteringPoint, "register": l.Register,
			"unit": l.Unit, "vat_category": l.VATCategory,
			"issue_date": inv.IssueDate.String(), "due_date": inv.DueDate.String(),
			"period_start": inv.Period.Start.String(), "period_end": inv.Period.End.String(),
			"corrects_issue_date": inv.CorrectsDate.String(),
			"line_period_start":   l.Period.Start.String(), "line_period_end": l.Period.End.String(),
			"line_no": strconv.Itoa(i + 1), "estimated": strconv.FormatBool(l.Estimated),
		}
		for name, want := range texts {
			if got := csvdoc.Unneutralise(get(name)); got != want {
				t.Errorf("row %d %s = %q, want %q", i+1, name, got, want)
			}
		}
		decs := []decCol{
			{"quantity", l.Quantity, 3}, {"unit_price", l.UnitPrice, 6}, {"line_net", l.Net, 2},
			{"vat_rate", l.VATRate, 2}, {"total_net", inv.Totals.Net, 2}, {"total_vat", inv.Totals.VAT, 2},
			{"total_gross", inv.Totals.Gross, 2}, {"total_payable", inv.Totals.Payable, 2},
		}
		if l.PreviousReading != nil {
			decs = append(decs, decCol{"previous_reading", *l.PreviousReading, 3}, decCol{"current_reading", *l.CurrentReading, 3})
		} else if get("previous_reading") != "" || get("current_reading") != "" {
			t.Errorf("row %d: readings on a line without readings", i+1)
		}
		for _, d := range decs {
			if got := parseDec(t, get(d.name), sep, d.places); !got.Equal(d.want) {
				t.Errorf("row %d %s = %s, want %s", i+1, d.name, got, d.want)
			}
		}
		wantMul := ""
		if l.Multiplier != 0 {
			wantMul = strconv.Itoa(l.Multiplier)
		}
		if got := get("multiplier"); got != wantMul {
			t.Errorf("row %d multiplier = %q, want %q", i+1, got, wantMul)
		}
	}
}

// TestReadBack reads every sample back with encoding/csv in both number conventions and
// checks that every value comes back as it was.
func TestReadBack(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		for _, opt := range []struct {
			opt csvdoc.Options
			sep byte
		}{
			{csvdoc.Options{Language: "lv"}, ','},
			{csvdoc.Options{Language: "en"}, '.'},
			{csvdoc.Options{Language: "lv", Decimal: '.'}, '.'},
			{csvdoc.Options{Language: "en", Decimal: ','}, ','},
		} {
			t.Run(c.Name+"/"+opt.opt.Language+string(opt.sep), func(t *testing.T) {
				t.Parallel()
				b, err := csvdoc.Render(c.Invoice, opt.opt)
				if err != nil {
					t.Fatal(err)
				}
				checkRows(t, c.Invoice, readCSV(t, b), opt.sep)
			})
		}
	}
}

func TestDefaultSeparatorFollowsInvoiceLanguage(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		b, err := csvdoc.Render(c.Invoice, csvdoc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sep := byte(',')
		if c.Invoice.Language == "en" {
			sep = '.'
		}
		checkRows(t, c.Invoice, readCSV(t, b), sep)
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	inv := sample.Cases()[0].Invoice
	b, err := csvdoc.Render(inv, csvdoc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBFinvoice_number;invoice_type;")) {
		t.Errorf("file starts %q, want the UTF-8 byte order mark and the header", b[:40])
	}
	if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != crlf || n != len(inv.Lines)+1 {
		t.Errorf("%d line feeds, %d CRLF; want %d CRLF line ends", n, crlf, len(inv.Lines)+1)
	}
}

func TestOptionErrors(t *testing.T) {
	t.Parallel()
	inv := sample.Cases()[0].Invoice
	for _, opt := range []csvdoc.Options{{Language: "de"}, {Decimal: ';'}} {
		if _, err := csvdoc.Render(inv, opt); err == nil {
			t.Errorf("Render with %+v: no error", opt)
		}
		w := csvdoc.NewWriter(&bytes.Buffer{}, opt)
		if err := w.Write(inv); err == nil {
			t.Errorf("Writer with %+v: no error", opt)
		}
	}
	unknown := *inv
	unknown.Language = "ru"
	if _, err := csvdoc.Render(&unknown, csvdoc.Options{}); err == nil {
		t.Error("Render of an invoice in an unknown language: no error")
	}
}

// TestPlacesNeverRounded: a value with more decimals than its column is an error, never a
// silent rounding.
func TestPlacesNeverRounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(*billing.Line)
	}{
		{"net with 3 places", func(l *billing.Line) { l.Net = decimal.RequireFromString("1.234") }},
		{"price with 7 places", func(l *billing.Line) { l.UnitPrice = decimal.RequireFromString("0.1234567") }},
		{"quantity with 4 places", func(l *billing.Line) { l.Quantity = decimal.RequireFromString("1.0001") }},
	} {
		inv := sample.Cases()[0].Invoice
		tc.edit(&inv.Lines[0])
		if _, err := csvdoc.Render(inv, csvdoc.Options{}); err == nil {
			t.Errorf("%s: no error", tc.name)
		} else if !strings.Contains(err.Error(), inv.Number) {
			t.Errorf("%s: error %q does not name the invoice", tc.name, err)
		}
	}
	// Trailing zeros beyond the places are not significant.
	inv := sample.Cases()[0].Invoice
	inv.Lines[0].Net = decimal.RequireFromString("179.1800")
	if _, err := csvdoc.Render(inv, csvdoc.Options{}); err != nil {
		t.Errorf("179.1800 as money: %v", err)
	}
}
