package pdf

import (
	"testing"

	"github.com/erekins/erekins/document/sample"
)

// BenchmarkRender renders the one-page single-rate invoice.
func BenchmarkRender(b *testing.B) {
	r := renderer(b)
	inv := sample.Cases()[0].Invoice
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := r.Render(inv); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// reportCPU adds the process CPU time per document (garbage collection included), which a
// machine shared with other work does not inflate the way it inflates ns/op.
func reportCPU(b *testing.B, start int64) {
	if end := cpuTime(); end > start {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkRenderParallel renders the one-page invoice on every core; docs/s is the
// throughput of the machine.
func BenchmarkRenderParallel(b *testing.B) {
	r := renderer(b)
	inv := sample.Cases()[0].Invoice
	b.ReportAllocs()
	start := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(inv); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	reportCPU(b, start)
}

// BenchmarkRenderSixty renders the five-page invoice with 60 metering points.
func BenchmarkRenderSixty(b *testing.B) {
	r := renderer(b)
	inv := sample.Cases()[5].Invoice
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(inv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQREncode encodes the EPC payload of the one-page invoice (version 6-M, all eight
// masks scored).
func BenchmarkQREncode(b *testing.B) {
	p := []byte("BCD\n002\n1\nSCT\nBANKLV2X\nAS \"Demo Enerģija\"\nLV80BANK0000435195001\nEUR295.86\n\nRF48ER2026000101")
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if _, err := qrEncode(p); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}
