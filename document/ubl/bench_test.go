package ubl

import (
	"bytes"
	"testing"

	"github.com/erekins/erekins/document/sample"
)

// BenchmarkRender renders a one-page invoice (the single-rate sample, four lines) with a
// 30 KB PDF attached; BenchmarkRenderSixtyMeters the 180-line sample.
func BenchmarkRender(b *testing.B) {
	benchRender(b, "single-rate")
}

func BenchmarkRenderSixtyMeters(b *testing.B) {
	benchRender(b, "sixty-meters")
}

func benchRender(b *testing.B, name string) {
	var c sample.Case
	for _, s := range sample.Cases() {
		if s.Name == name {
			c = s
		}
	}
	pdf := bytes.Repeat(testPDF[:1000], 30)
	b.ReportAllocs()
	b.SetBytes(int64(len(pdf)))
	for b.Loop() {
		if _, err := Render(c.Invoice, pdf, "invoice.pdf"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invoices/s")
}

func BenchmarkCheck(b *testing.B) {
	c := sample.Cases()[0]
	doc, err := Render(c.Invoice, testPDF, "invoice.pdf")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Check(doc)
	}
}
