package pdf

import (
	"testing"

	"github.com/erekins/erekins/document/sample"
)

func BenchmarkScratchNoQR(b *testing.B) {
	r := renderer(b)
	inv := *sample.Cases()[0].Invoice
	inv.PaymentReference = "x" // no QR
	start := cpuTime()
	for b.Loop() {
		r.Render(&inv)
	}
	reportCPU(b, start)
}
