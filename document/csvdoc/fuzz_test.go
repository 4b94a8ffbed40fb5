package csvdoc_test

import (
	"strings"
	"testing"

	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// FuzzText puts arbitrary text in the invoice's text fields: rendering never panics, the
// file reads back with every row as wide as the header and one row per line, and every text
// cell holds the text, with the apostrophe exactly when it is formulaic.
func FuzzText(f *testing.F) {
	for _, seed := range [][3]string{
		{`SIA "Kūdras Rūpnīca"`, "Elektroenerģija", "MP-000123"},
		{"=1+1", "+1", "-1"},
		{"@x", "\tx", "\rx"},
		{"a;b", "line\nbreak", "cr\r\nlf"},
		{`"`, `""`, `;"\n`},
		{"'=x", "'", ""},
		{"\xff\xfe", "\uFEFF", "\x00"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	base := sample.Cases()[1].Invoice // two kWh registers and a fee line
	f.Fuzz(func(t *testing.T, name, desc, mp string) {
		inv := *base
		inv.Lines = append(inv.Lines[:0:0], base.Lines...)
		inv.Customer.Name, inv.Number = name, mp
		for i := range inv.Lines {
			inv.Lines[i].Description, inv.Lines[i].MeteringPoint = desc, mp
		}
		b, err := csvdoc.Render(&inv, csvdoc.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rows := readCSV(t, b)
		if len(rows) != len(inv.Lines) {
			t.Fatalf("%d rows, want %d", len(rows), len(inv.Lines))
		}
		for _, r := range rows {
			for col, want := range map[string]string{"customer_name": name, "description": desc, "metering_point": mp, "invoice_number": mp} {
				if got := r[index(col)]; got != cellOf(want) {
					t.Fatalf("%s = %q, want %q", col, got, cellOf(want))
				}
			}
		}
	})
}

// cellOf is the text as an importer reads the cell: neutralised when formulaic, and with
// CRLF read as LF, as encoding/csv does inside quoted fields.
func cellOf(s string) string {
	if csvdoc.Formulaic(s) {
		s = "'" + s
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}
