package csvdoc

import (
	"errors"
	"io"

	"github.com/erekins/erekins/billing"
)

// flushAt is the buffered size at which a Writer passes its rows on.
const flushAt = 64 << 10

// Writer streams many invoices into one CSV file, for the invoices of a period or a date
// range: one header, then each invoice's rows. It buffers, so Close must be called.
type Writer struct {
	w       io.Writer
	sep     byte
	buf     []byte
	cells   []cell
	started bool
	err     error
}

// NewWriter returns a Writer to w. The options are checked by the first Write or Close.
func NewWriter(w io.Writer, opt Options) *Writer {
	sep, err := opt.separator(billing.Latvian)
	return &Writer{w: w, sep: sep, err: err, cells: make([]cell, 0, len(Header))}
}

// Write appends the rows of inv. After an error the Writer refuses further work.
func (w *Writer) Write(inv *billing.Invoice) error {
	if w.err != nil {
		return w.err
	}
	w.start()
	buf, err := appendInvoice(w.buf, w.cells, inv, w.sep)
	if err != nil {
		w.err = err
		return err
	}
	w.buf = buf
	if len(w.buf) >= flushAt {
		return w.flush()
	}
	return nil
}

// Close writes what is buffered; a file with no invoices still has its header. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	w.start()
	if err := w.flush(); err != nil {
		return err
	}
	w.err = errors.New("csv: writer closed")
	return nil
}

func (w *Writer) start() {
	if !w.started {
		w.started = true
		w.buf = append(w.buf, preamble...)
	}
}

func (w *Writer) flush() error {
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	w.buf = w.buf[:0]
	return nil
}
