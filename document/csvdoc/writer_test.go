package csvdoc_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

// TestWriter streams every sample into one file: one header, then each invoice's rows
// exactly as Render writes them.
func TestWriter(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"lv", "en"} {
		var out bytes.Buffer
		w := csvdoc.NewWriter(&out, csvdoc.Options{Language: lang})
		want := []byte(nil)
		for _, c := range sample.Cases() {
			if err := w.Write(c.Invoice); err != nil {
				t.Fatal(err)
			}
			one, err := csvdoc.Render(c.Invoice, csvdoc.Options{Language: lang})
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = one
			} else {
				want = append(want, one[bytes.IndexByte(one, '\n')+1:]...)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s: the Writer's file differs from the Render outputs joined", lang)
		}
		sep := byte(',')
		if lang == "en" {
			sep = '.'
		}
		rows := readCSV(t, out.Bytes())
		for _, c := range sample.Cases() {
			n := len(c.Invoice.Lines)
			checkRows(t, c.Invoice, rows[:n], sep)
			rows = rows[n:]
		}
	}
}

func TestWriterEmpty(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	w := csvdoc.NewWriter(&out, csvdoc.Options{})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, out.Bytes()); len(rows) != 0 {
		t.Errorf("%d rows in an empty file", len(rows))
	}
	if err := w.Write(sample.Cases()[0].Invoice); err == nil {
		t.Error("Write after Close: no error")
	}
}

// TestWriterStreams checks that a long export reaches the underlying writer before Close
// and that a failing one stops the Writer.
func TestWriterStreams(t *testing.T) {
	t.Parallel()
	big := sample.Cases()[5].Invoice // sixty meters
	sink := &countingWriter{}
	w := csvdoc.NewWriter(sink, csvdoc.Options{})
	for range 20 {
		if err := w.Write(big); err != nil {
			t.Fatal(err)
		}
	}
	if sink.n == 0 {
		t.Error("nothing written before Close")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	failing := csvdoc.NewWriter(failWriter{}, csvdoc.Options{})
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		err = failing.Write(big)
	}
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Write to a failing writer: %v", err)
	}
	if err := failing.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close after a failure: %v", err)
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

var errDiskFull = errors.New("disk full")

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }
