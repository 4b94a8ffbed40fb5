package pdf

import (
	"fmt"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// Renderer renders invoices and credit notes as PDF. It parses its fonts once in New and is
// safe for concurrent use: every Render builds its own document.
type Renderer struct {
	fonts *fontSet // in the order of fontSources, with the objects every document shares
	enc   *encoder
}

// New prepares the fonts.
func New() (*Renderer, error) {
	r := &Renderer{}
	var defs []fontDef
	drawable := [256]bool{}
	for i, src := range fontSources {
		def, can, err := loadFont(src.ttf, fontFile(i), src.stemV)
		if err != nil {
			return nil, fmt.Errorf("pdf renderer: %w", err)
		}
		defs = append(defs, def)
		for c := range drawable { // a byte is drawable when every style can draw it
			drawable[c] = can[c] && (i == 0 || drawable[c])
		}
	}
	r.fonts = newFontSet(defs)
	r.enc = newEncoder(drawable)
	return r, nil
}

// Render returns the PDF of an issued invoice or credit note. The same invoice always gives
// the same bytes: the document dates come from the invoice and nothing is random.
func (r *Renderer) Render(inv *billing.Invoice) ([]byte, error) {
	if inv == nil {
		return nil, fmt.Errorf("render pdf: no invoice")
	}
	d := r.newDoc(inv)
	d.render()
	b, err := d.pdf.Output()
	if err != nil {
		return nil, fmt.Errorf("render pdf %s: %w", inv.Number, err)
	}
	return b, nil
}

// created is the document's creation date: when the invoice was created, or the start of
// its issue date in Riga.
func created(inv *billing.Invoice) time.Time {
	if !inv.CreatedAt.IsZero() {
		return inv.CreatedAt.In(calendar.Riga)
	}
	if !inv.IssueDate.IsZero() {
		return inv.IssueDate.In(calendar.Riga)
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

func (r *Renderer) newDoc(inv *billing.Invoice) *doc {
	w := newWriter(r.fonts)
	d := &doc{pdf: w, enc: r.enc, inv: inv, l: localeOf(inv.Language)}
	title := d.title() + " " + inv.Number
	w.info = docInfo{title: title, subject: title, author: inv.Supplier.Name, created: created(inv), lang: d.l.lang}
	return d
}
