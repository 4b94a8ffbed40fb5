package pdf

import (
	"os"
	"testing"

	"github.com/erekins/erekins/document/sample"
)

func TestScratchWrite(t *testing.T) {
	r := renderer(t)
	os.MkdirAll("/tmp/pdfout", 0o755)
	for i, f := range r.fonts {
		t.Logf("font %d: json %d z %d", i, len(f.json), len(f.z))
	}
	for _, c := range sample.Cases() {
		b, _ := r.Render(c.Invoice)
		os.WriteFile("/tmp/pdfout/"+c.Name+".pdf", b, 0o644)
	}
}
