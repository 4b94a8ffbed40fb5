package csvdoc_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// TestXLSX writes every sample into a workbook, opens it with excelize and checks the
// header, the frozen pane, the cell types and every value against the invoices.
func TestXLSX(t *testing.T) {
	t.Parallel()
	var invs []*billing.Invoice
	for _, c := range sample.Cases() {
		invs = append(invs, c.Invoice)
	}
	var buf bytes.Buffer
	if err := csvdoc.XLSX(&buf, slices.Values(invs), "lv"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Rēķini"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !equalStrings(rows[0], csvdoc.Header) {
		t.Errorf("header = %q", rows[0])
	}
	style, err := f.GetCellStyle(sheet, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v, %v: want bold", s, err)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v: want the header row frozen", panes, err)
	}

	r := 2
	for _, inv := range invs {
		for i, l := range inv.Lines {
			cell := func(col string) string {
				ref, _ := excelize.CoordinatesToCellName(index(col)+1, r)
				return ref
			}
			number := func(col string, want decimal.Decimal) {
				t.Helper()
				ref := cell(col)
				if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
					t.Errorf("%s %s %s: cell type %v, want a number", inv.Number, ref, col, typ)
				}
				raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
				got, err := decimal.NewFromString(raw)
				if err != nil || !got.Equal(want) {
					t.Errorf("%s %s %s = %q, want %s", inv.Number, ref, col, raw, want)
				}
			}
			text := func(col, want string) {
				t.Helper()
				ref := cell(col)
				if got, _ := f.GetCellValue(sheet, ref); got != want {
					t.Errorf("%s %s %s = %q, want %q", inv.Number, ref, col, got, want)
				}
			}
			for col, want := range map[string]decimal.Decimal{
				"quantity": l.Quantity, "unit_price": l.UnitPrice, "line_net": l.Net, "vat_rate": l.VATRate,
				"total_net": inv.Totals.Net, "total_vat": inv.Totals.VAT, "total_gross": inv.Totals.Gross,
				"total_payable": inv.Totals.Payable, "line_no": decimal.NewFromInt(int64(i + 1)),
			} {
				number(col, want)
			}
			if l.CurrentReading != nil {
				number("previous_reading", *l.PreviousReading)
				number("current_reading", *l.CurrentReading)
				number("multiplier", decimal.NewFromInt(int64(l.Multiplier)))
			}
			// Text is written as it is: a typed cell is never run as a formula.
			text("customer_name", inv.Customer.Name)
			text("invoice_number", inv.Number)
			text("description", l.Description)
			text("corrects_number", inv.Corrects)
			// Dates are numbers shown as ISO dates.
			text("issue_date", inv.IssueDate.String())
			text("line_period_end", l.Period.End.String())
			text("corrects_issue_date", inv.CorrectsDate.String())
			if typ, _ := f.GetCellType(sheet, cell("issue_date")); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("issue_date cell type %v, want a date serial number", typ)
			}
			if typ, _ := f.GetCellType(sheet, cell("estimated")); typ != excelize.CellTypeBool {
				t.Errorf("estimated cell type %v, want a boolean", typ)
			}
			if formula, _ := f.GetCellFormula(sheet, cell("customer_name")); formula != "" {
				t.Errorf("customer name became formula %q", formula)
			}
			r++
		}
	}
	if len(rows) != r-1 {
		t.Errorf("%d rows, want a header and %d lines", len(rows), r-2)
	}
	net, _ := excelize.CoordinatesToCellName(index("line_net")+1, 2)
	if fmtd, _ := f.GetCellValue(sheet, net); fmtd != "179.18" {
		t.Errorf("line_net formatted %q, want 179.18 (#,##0.00)", fmtd)
	}
}

func TestXLSXErrors(t *testing.T) {
	t.Parallel()
	inv := sample.Cases()[0].Invoice
	if err := csvdoc.XLSX(&bytes.Buffer{}, slices.Values([]*billing.Invoice{inv}), "de"); err == nil {
		t.Error("language de: no error")
	}
	bad := sample.Cases()[0].Invoice
	bad.Lines[0].Net = decimal.RequireFromString("1.001")
	if err := csvdoc.XLSX(&bytes.Buffer{}, slices.Values([]*billing.Invoice{inv, bad}), "en"); err == nil {
		t.Error("net with 3 places: no error")
	}
	huge := sample.Cases()[0].Invoice
	huge.Totals.Gross = decimal.RequireFromString("12345678901234567.89")
	if err := csvdoc.XLSX(&bytes.Buffer{}, slices.Values([]*billing.Invoice{huge}), "en"); err == nil {
		t.Error("19 significant digits: no error")
	}
}
