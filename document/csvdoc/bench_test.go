package csvdoc_test

import (
	"io"
	"iter"
	"testing"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// BenchmarkRender renders a one-page invoice (single rate, four lines) and reports
// invoices per second.
func BenchmarkRender(b *testing.B) {
	inv := sample.Cases()[0].Invoice
	b.ReportAllocs()
	for b.Loop() {
		if _, err := csvdoc.Render(inv, csvdoc.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}

// BenchmarkWriter streams one-page invoices into one file, as a period export does.
func BenchmarkWriter(b *testing.B) {
	inv := sample.Cases()[0].Invoice
	w := csvdoc.NewWriter(io.Discard, csvdoc.Options{})
	b.ReportAllocs()
	for b.Loop() {
		if err := w.Write(inv); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}

// BenchmarkXLSX writes 1,000 one-page invoices as a workbook.
func BenchmarkXLSX(b *testing.B) {
	inv := sample.Cases()[0].Invoice
	const n = 1000
	b.ReportAllocs()
	for b.Loop() {
		if err := csvdoc.XLSX(io.Discard, repeat(inv, n), "lv"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "invoices/s")
}

func repeat(inv *billing.Invoice, n int) iter.Seq[*billing.Invoice] {
	return func(yield func(*billing.Invoice) bool) {
		for range n {
			if !yield(inv) {
				return
			}
		}
	}
}
