package pdf

import (
	"bytes"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// Renderer renders invoices and credit notes as PDF. It parses its fonts once in New and is
// safe for concurrent use: every Render builds its own document.
type Renderer struct {
	fonts []fontDef // in the order of fontSources
	enc   *encoder
}

// New prepares the fonts.
func New() (*Renderer, error) {
	r := &Renderer{}
	drawable := [256]bool{}
	for i, src := range fontSources {
		def, can, err := loadFont(src.ttf, fontFile(i), src.stemV)
		if err != nil {
			return nil, fmt.Errorf("pdf renderer: %w", err)
		}
		r.fonts = append(r.fonts, def)
		for c := range drawable { // a byte is drawable when every style can draw it
			drawable[c] = can[c] && (i == 0 || drawable[c])
		}
	}
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
	if err := d.pdf.Error(); err != nil {
		return nil, fmt.Errorf("render pdf %s: %w", inv.Number, err)
	}
	var buf bytes.Buffer
	buf.Grow(160 << 10)
	if err := d.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render pdf %s: %w", inv.Number, err)
	}
	return buf.Bytes(), nil
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
	p := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	t := created(inv)
	p.SetCreationDate(t)
	p.SetModificationDate(t)
	p.SetCatalogSort(true)
	p.SetCompression(false)
	p.SetAutoPageBreak(false, 0)
	p.SetMargins(marginL, marginTop, pageW-marginR)
	p.SetCellMargin(cellPad)
	p.AliasNbPages(nbAlias)
	for i, src := range fontSources {
		p.AddFontFromBytes(family, src.style, r.fonts[i].json, r.fonts[i].z)
	}
	d := &doc{pdf: p, enc: r.enc, inv: inv, l: localeOf(inv.Language)}
	title := d.title() + " " + inv.Number
	p.SetTitle(title, true)
	p.SetSubject(title, true)
	p.SetAuthor(inv.Supplier.Name, true)
	p.SetCreator("erekins", false)
	p.SetProducer("erekins", false)
	p.SetLang(d.l.lang)
	return d
}
