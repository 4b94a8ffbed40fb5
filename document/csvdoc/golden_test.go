package csvdoc_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden renders every sample invoice with its customer's language and compares it with
// testdata/<case>.csv. Run with -update to rewrite them, then read the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range sample.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got, err := csvdoc.Render(c.Invoice, csvdoc.Options{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", c.Name+".csv"), got)
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
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
		t.Errorf("%s differs from the rendering (run go test -update and review the diff):\ngot:\n%s", path, got)
	}
}
