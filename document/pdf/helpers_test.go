package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

var (
	rendererOnce sync.Once
	shared       *Renderer
	sharedErr    error
)

// renderer is one Renderer for all tests, which also shows that it can be shared.
func renderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() { shared, sharedErr = New() })
	if sharedErr != nil {
		t.Fatalf("New: %v", sharedErr)
	}
	return shared
}

// pdftotext returns `pdftotext -layout` of b, pages separated by form feeds. Without the
// tool the test is skipped, loudly, and fails under CI=true.
func pdftotext(t *testing.T, b []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: install poppler-utils (apt-get install -y poppler-utils)")
		}
		t.Skip("SKIPPED: pdftotext is missing, so the PDF text is NOT checked; install poppler-utils")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pdfConf is pdfcpu's relaxed validation, without reading or writing a configuration
// directory.
func pdfConf() *model.Configuration {
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

func validate(t testing.TB, b []byte) {
	t.Helper()
	if err := api.Validate(bytes.NewReader(b), pdfConf()); err != nil {
		t.Fatalf("pdfcpu validation: %v", err)
	}
}
