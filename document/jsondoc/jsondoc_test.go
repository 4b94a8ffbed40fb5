package jsondoc_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/jsondoc"
	"github.com/erekins/erekins/document/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares every sample invoice with testdata/<case>.json. Run with -update to
// rewrite them, then read the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got, err := jsondoc.Render(c.Invoice)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := jsondoc.Render(c.Invoice)
			if !bytes.Equal(got, again) {
				t.Error("two renderings differ")
			}
			path := filepath.Join("testdata", c.Name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the rendering (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

// decoded is what a client of the API reads; amounts are strings.
type decoded struct {
	Number            string `json:"number"`
	Type              string `json:"type"`
	IssueDate         string `json:"issue_date"`
	DueDate           string `json:"due_date"`
	PaymentTermDays   int    `json:"payment_term_days"`
	Corrects          string `json:"corrects"`
	CorrectsIssueDate string `json:"corrects_issue_date"`
	Reason            string `json:"reason"`
	Customer          struct {
		Name string `json:"name"`
	} `json:"customer"`
	Lines []struct {
		Description     string  `json:"description"`
		PreviousReading *string `json:"previous_reading"`
		CurrentReading  *string `json:"current_reading"`
		Multiplier      int     `json:"multiplier"`
		Quantity        string  `json:"quantity"`
		UnitPrice       string  `json:"unit_price"`
		Net             string  `json:"net"`
		VATRate         string  `json:"vat_rate"`
		Estimated       bool    `json:"estimated"`
	} `json:"lines"`
	VAT []struct {
		Rate, Base, Amount string
	} `json:"vat"`
	Totals struct {
		Net, VAT, Gross, Payable string
	} `json:"totals"`
}

// TestDecode reads every sample back and checks that every amount is a string with its
// fixed places that parses back to the invoice's decimal.
func TestDecode(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		inv := c.Invoice
		b, err := jsondoc.Render(inv)
		if err != nil {
			t.Fatal(err)
		}
		var d decoded
		dec := json.NewDecoder(bytes.NewReader(b))
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		amount := func(what, s string, want decimal.Decimal, places int) {
			t.Helper()
			if i := strings.IndexByte(s, '.'); i < 0 || len(s)-i-1 != places {
				t.Errorf("%s %s = %q: want %d decimal places", c.Name, what, s, places)
			}
			if got, err := decimal.NewFromString(s); err != nil || !got.Equal(want) {
				t.Errorf("%s %s = %q, want %s", c.Name, what, s, want)
			}
		}
		if d.Number != inv.Number || d.Type != inv.Type || d.IssueDate != inv.IssueDate.String() ||
			d.DueDate != inv.DueDate.String() || d.PaymentTermDays != inv.PaymentTermDays ||
			d.Customer.Name != inv.Customer.Name || d.Corrects != inv.Corrects ||
			d.CorrectsIssueDate != inv.CorrectsDate.String() || d.Reason != inv.Reason {
			t.Errorf("%s: header fields %+v", c.Name, d)
		}
		if len(d.Lines) != len(inv.Lines) || len(d.VAT) != len(inv.VAT) {
			t.Fatalf("%s: %d lines and %d VAT subtotals, want %d and %d", c.Name, len(d.Lines), len(d.VAT), len(inv.Lines), len(inv.VAT))
		}
		for i, l := range inv.Lines {
			g := d.Lines[i]
			amount("quantity", g.Quantity, l.Quantity, 3)
			amount("unit_price", g.UnitPrice, l.UnitPrice, 6)
			amount("net", g.Net, l.Net, 2)
			amount("vat_rate", g.VATRate, l.VATRate, 2)
			if (g.PreviousReading == nil) != (l.PreviousReading == nil) || (g.CurrentReading == nil) != (l.CurrentReading == nil) {
				t.Errorf("%s line %d: readings present %v, want %v", c.Name, i+1, g.PreviousReading != nil, l.PreviousReading != nil)
			} else if l.PreviousReading != nil {
				amount("previous_reading", *g.PreviousReading, *l.PreviousReading, 3)
				amount("current_reading", *g.CurrentReading, *l.CurrentReading, 3)
			}
			if g.Multiplier != l.Multiplier || g.Estimated != l.Estimated || g.Description != l.Description {
				t.Errorf("%s line %d: %+v", c.Name, i+1, g)
			}
		}
		for i, v := range inv.VAT {
			amount("vat rate", d.VAT[i].Rate, v.Rate, 2)
			amount("vat base", d.VAT[i].Base, v.Base, 2)
			amount("vat amount", d.VAT[i].Amount, v.Amount, 2)
		}
		amount("total net", d.Totals.Net, inv.Totals.Net, 2)
		amount("total vat", d.Totals.VAT, inv.Totals.VAT, 2)
		amount("total gross", d.Totals.Gross, inv.Totals.Gross, 2)
		amount("total payable", d.Totals.Payable, inv.Totals.Payable, 2)
	}
}

// TestNoJSONNumbers walks the document: the only JSON numbers are the payment term and
// meter multipliers, which are counts, not amounts.
func TestNoJSONNumbers(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		b, err := jsondoc.Render(c.Invoice)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		walk(v, "", func(path string, n json.Number) {
			if path != "payment_term_days" && path != "lines.multiplier" {
				t.Errorf("%s: %s is the JSON number %s", c.Name, path, n)
			}
		})
	}
}

func walk(v any, path string, number func(string, json.Number)) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walk(e, strings.TrimPrefix(path+"."+k, "."), number)
		}
	case []any:
		for _, e := range v {
			walk(e, path, number)
		}
	case json.Number:
		number(path, v)
	}
}

func TestPlacesNeverRounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		edit func(*billing.Invoice)
	}{
		{"line net", func(inv *billing.Invoice) { inv.Lines[0].Net = decimal.RequireFromString("1.005") }},
		{"unit price", func(inv *billing.Invoice) { inv.Lines[1].UnitPrice = decimal.RequireFromString("0.0000001") }},
		{"reading", func(inv *billing.Invoice) { r := decimal.RequireFromString("1.0005"); inv.Lines[0].CurrentReading = &r }},
		{"vat amount", func(inv *billing.Invoice) { inv.VAT[0].Amount = decimal.RequireFromString("51.351") }},
		{"total", func(inv *billing.Invoice) { inv.Totals.Payable = decimal.RequireFromString("295.865") }},
	} {
		inv := sample.Cases()[0].Invoice
		tc.edit(inv)
		if _, err := jsondoc.Render(inv); err == nil {
			t.Errorf("%s: no error", tc.name)
		} else if !strings.Contains(err.Error(), inv.Number) {
			t.Errorf("%s: error %q does not name the invoice", tc.name, err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	inv := sample.Cases()[0].Invoice
	b.ReportAllocs()
	for b.Loop() {
		if _, err := jsondoc.Render(inv); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}
