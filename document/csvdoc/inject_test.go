package csvdoc_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// TestNeutralise puts text that a spreadsheet would run as a formula in every kind of text
// column and checks the cell as written and as read back.
func TestNeutralise(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text, cell string
	}{
		{"equals", "=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"plus", "+371 2000", "'+371 2000"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"apostrophe before a trigger", "'=1", "''=1"},
		{"apostrophes before a trigger", "''-1", "'''-1"},
		{"apostrophe alone", "'", "'"},
		{"apostrophe before text", "'Ogre' SIA", "'Ogre' SIA"},
		{"trigger inside", "SIA A=B", "SIA A=B"},
		{"space first", " =1", " =1"},
		{"empty", "", ""},
		{"Latvian", "Ēvalds & Ķēniņš", "Ēvalds & Ķēniņš"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			inv := sample.Cases()[1].Invoice // day-night: readings on every kWh line
			inv.Customer.Name, inv.ContractNumber = tc.text, tc.text
			for i := range inv.Lines {
				inv.Lines[i].Description = tc.text
				inv.Lines[i].MeteringPoint = tc.text
			}
			b, err := csvdoc.Render(inv, csvdoc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rows := readCSV(t, b)
			for _, col := range []string{"customer_name", "contract_number", "description", "metering_point"} {
				got := rows[0][index(col)]
				if got != tc.cell {
					t.Errorf("%s cell = %q, want %q", col, got, tc.cell)
				}
				if back := csvdoc.Unneutralise(got); back != tc.text {
					t.Errorf("%s read back as %q, want %q", col, back, tc.text)
				}
			}
			checkRows(t, inv, rows, ',')
		})
	}
}

// TestNegativeNumbersStayNumbers: a credited over-estimate gives a negative quantity and
// net; they are numbers, never neutralised as text starting with '-'.
func TestNegativeNumbersStayNumbers(t *testing.T) {
	t.Parallel()
	inv := sample.Cases()[0].Invoice
	l := &inv.Lines[0]
	l.Quantity, l.Net = decimal.RequireFromString("-12.345"), decimal.RequireFromString("-1.79")
	inv.Totals.Net = decimal.RequireFromString("-0.05")
	for _, tc := range []struct {
		lang          string
		qty, net, tot string
	}{
		{"lv", "-12,345", "-1,79", "-0,05"},
		{"en", "-12.345", "-1.79", "-0.05"},
	} {
		b, err := csvdoc.Render(inv, csvdoc.Options{Language: tc.lang})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), ";"+tc.qty+";") {
			t.Errorf("%s: no bare %q in\n%s", tc.lang, tc.qty, b)
		}
		r := readCSV(t, b)[0]
		for col, want := range map[string]string{"quantity": tc.qty, "line_net": tc.net, "total_net": tc.tot} {
			if got := r[index(col)]; got != want {
				t.Errorf("%s: %s = %q, want %q", tc.lang, col, got, want)
			}
		}
	}
}

// TestUnneutraliseInverts checks that the apostrophe rule is a bijection on a set of
// awkward strings: Unneutralise(cell(s)) == s.
func TestUnneutraliseInverts(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "'", "''", "=", "'=", "''=", "a", "'a", "-", "'-1", "@", "\t", "\r", "'\t", "x=1", "'x"} {
		cell := s
		if csvdoc.Formulaic(s) {
			cell = "'" + s
		}
		if csvdoc.Formulaic(cell) && !strings.HasPrefix(cell, "'") {
			t.Errorf("%q: cell %q is still formulaic", s, cell)
		}
		if got := csvdoc.Unneutralise(cell); got != s {
			t.Errorf("Unneutralise(%q) = %q, want %q", cell, got, s)
		}
	}
}

func index(col string) int {
	for i, name := range csvdoc.Header {
		if name == col {
			return i
		}
	}
	panic("no column " + col)
}
