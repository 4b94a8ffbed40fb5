package pdf

import (
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
)

// Page geometry in millimetres (A4) and type sizes in points.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 14.0
	marginR      = 14.0
	marginTop    = 13.0
	contentW     = pageW - marginL - marginR
	footerTop    = pageH - 15.0 // body content ends above this line
	cellPad      = 1.0

	family  = "go"
	nbAlias = "{nb}"
	ptToMM  = 25.4 / 72
)

// Colours of the document: near-black text, a muted grey for labels and rules, one accent.
var (
	colText   = [3]int{30, 34, 40}
	colMuted  = [3]int{105, 112, 122}
	colRule   = [3]int{200, 205, 212}
	colAccent = [3]int{0, 76, 140}
	colShade  = [3]int{236, 241, 247}
)

// doc is one document being drawn.
type doc struct {
	pdf *writer
	enc *encoder
	inv *billing.Invoice
	l   *locale
	y   float64
}

func (d *doc) credit() bool { return d.inv.Type == billing.TypeCreditNote }

func (d *doc) title() string {
	if d.credit() {
		return d.l.creditNote
	}
	return d.l.invoice
}

func (d *doc) font(bold bool, size float64, c [3]int) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
	d.pdf.SetTextColor(c[0], c[1], c[2])
}

// text draws UTF-8 s in a cell of width w at (x, y), aligned "L", "R" or "C"; the cell is
// h high and the text sits on its middle.
func (d *doc) text(x, y, w, h float64, align, s string) {
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, h, d.enc.encode(s), "", 0, align+"M", false, 0, "")
}

// fit shortens UTF-8 s with "…" until it fits width w in the current font.
func (d *doc) fit(s string, w float64) string {
	e := d.enc.encode(s)
	if d.pdf.GetStringWidth(e) <= w-2*cellPad {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if d.pdf.GetStringWidth(d.enc.encode(string(r))+"\x85") <= w-2*cellPad {
			break
		}
	}
	return strings.TrimSpace(string(r)) + "…"
}

// wrap splits UTF-8 s into at most max lines of width w in the current font, the last
// shortened with "…" if the text goes on. It returns encoded lines.
func (d *doc) wrap(s string, w float64, max int) []string {
	e := d.enc.encode(clean(s))
	if e == "" {
		return []string{""}
	}
	parts := d.pdf.SplitLines([]byte(e), w)
	out := make([]string, 0, min(len(parts), max))
	for i, p := range parts {
		line := strings.TrimSpace(string(p))
		if i == max-1 && len(parts) > max {
			for len(line) > 0 && d.pdf.GetStringWidth(line+"\x85") > w-2*cellPad {
				line = line[:len(line)-1]
			}
			out = append(out, line+"\x85")
			break
		}
		out = append(out, line)
	}
	return out
}

// lines draws already encoded lines from y, each lh high, and returns the y below them.
func (d *doc) lines(x, y, w, lh float64, align string, ls []string) float64 {
	for _, l := range ls {
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(w, lh, l, "", 0, align+"M", false, 0, "")
		y += lh
	}
	return y
}

func (d *doc) rule(x1, y, x2 float64, c [3]int, width float64) {
	d.pdf.SetDrawColor(c[0], c[1], c[2])
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y, x2, y)
}

func (d *doc) fill(x, y, w, h float64, c [3]int) {
	d.pdf.SetFillColor(c[0], c[1], c[2])
	d.pdf.Rect(x, y, w, h, "F")
}

// render draws the whole document.
func (d *doc) render() {
	d.pdf.SetFooterFunc(d.footer)
	d.pdf.AddPage()
	d.header()
	d.parties()
	d.notes()
	d.table()
	d.summary()
}

// address is "Street, City, LV-1010" with the country when it is not Latvia.
func address(a billing.Address) string {
	var parts []string
	for _, p := range []string{a.Street, a.City, a.PostalCode} {
		if p = clean(p); p != "" {
			parts = append(parts, p)
		}
	}
	if c := clean(a.Country); c != "" && !strings.EqualFold(c, "LV") {
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
}

// iban groups an IBAN in fours for reading: "LV80 BANK 0000 4351 9500 1".
func iban(s string) string {
	s = strings.ReplaceAll(s, " ", "")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// header draws the supplier on the left and the document title, number and dates on the
// right.
func (d *doc) header() {
	inv, l := d.inv, d.l
	s := inv.Supplier
	const leftW = 100.0
	rightX, rightW := marginL+leftW+8, contentW-leftW-8

	y := marginTop
	d.font(true, 13, colText)
	y = d.lines(marginL, y, leftW, 6, "L", d.wrap(s.Name, leftW, 2))
	y += 0.8
	d.font(false, 8, colMuted)
	info := []string{address(s.Address)}
	ids := l.regNo + " " + s.RegistrationNumber
	if s.VATNumber != "" {
		ids += "   " + l.vatNo + " " + s.VATNumber
	}
	info = append(info, ids)
	bank := l.bank + " " + s.Bank
	if s.BIC != "" {
		bank += "   " + l.bic + " " + s.BIC
	}
	info = append(info, bank, l.iban+" "+iban(s.IBAN))
	var contact []string
	if s.Phone != "" {
		contact = append(contact, l.phone+" "+s.Phone)
	}
	if s.Email != "" {
		contact = append(contact, s.Email)
	}
	if len(contact) > 0 {
		info = append(info, strings.Join(contact, "   "))
	}
	if s.Website != "" {
		info = append(info, strings.TrimPrefix(strings.TrimPrefix(s.Website, "https://"), "http://"))
	}
	for _, t := range info {
		d.text(marginL, y, leftW, 3.9, "L", d.fit(t, leftW))
		y += 3.9
	}

	// Title block.
	ry := marginTop - 1
	d.font(true, 20, colAccent)
	d.text(rightX, ry, rightW, 9, "R", d.title())
	ry += 9
	d.font(true, 11, colText)
	d.text(rightX, ry, rightW, 6, "R", d.fit(l.number+" "+inv.Number, rightW))
	ry += 8

	type kv struct {
		k, v string
		bold bool
	}
	rows := []kv{
		{l.issueDate, l.date(inv.IssueDate), false},
		{l.period, l.span(inv.Period), false},
		{l.supplyDate, l.date(inv.Period.End), false},
		{l.contract, inv.ContractNumber, false},
	}
	if !d.credit() {
		rows = append(rows,
			kv{l.paymentTerm, strconv.Itoa(inv.PaymentTermDays) + " " + l.days, false},
			kv{l.dueDate, l.date(inv.DueDate), true})
	}
	if inv.PaymentReference != "" {
		rows = append(rows, kv{l.reference, inv.PaymentReference, false})
	}
	for _, r := range rows {
		d.font(false, 8, colMuted)
		d.text(rightX, ry, rightW/2, 4.3, "L", r.k)
		d.font(r.bold, 8.5, colText)
		d.text(rightX+rightW/2-8, ry, rightW/2+8, 4.3, "R", d.fit(r.v, rightW/2+8))
		ry += 4.3
	}
	d.y = max(y, ry) + 4
	d.rule(marginL, d.y, pageW-marginR, colRule, 0.3)
	d.y += 4
}

// parties draws the buyer and, beside it, the amount to pay or credit.
func (d *doc) parties() {
	inv, l := d.inv, d.l
	c := inv.Customer
	const leftW = 100.0
	y := d.y
	d.font(true, 7, colMuted)
	d.text(marginL, y, leftW, 4, "L", strings.ToUpper(l.buyer))
	y += 4.5
	d.font(true, 10.5, colText)
	y = d.lines(marginL, y, leftW, 5, "L", d.wrap(c.Name, leftW, 3))
	d.font(false, 8, colText)
	var info []string
	ids := l.regNo + " " + c.RegistrationNumber
	if c.VATNumber != "" {
		ids += "   " + l.vatNo + " " + c.VATNumber
	}
	info = append(info, ids)
	info = append(info, d.wrapUTF8(l.address+": "+address(c.Address), leftW, 3)...)
	if c.PostalAddress != nil {
		info = append(info, d.wrapUTF8(l.postal+": "+address(*c.PostalAddress), leftW, 3)...)
	}
	for _, t := range info {
		d.text(marginL, y, leftW, 4, "L", t)
		y += 4
	}

	// The amount box.
	bx, bw := marginL+leftW+8, contentW-leftW-8
	by, bh := d.y+1, 19.0
	d.fill(bx, by, bw, bh, colShade)
	label, amount := l.payable, inv.Totals.Payable
	if d.credit() {
		label = l.creditable
	}
	d.font(false, 8, colMuted)
	d.text(bx+2, by+1.5, bw-4, 4.5, "L", label)
	d.font(true, 16, colText)
	d.text(bx+2, by+6, bw-4, 8, "R", l.money(amount)+" "+currency(inv))
	if !d.credit() {
		d.font(false, 8, colText)
		d.text(bx+2, by+14, bw-4, 4, "R", l.dueDate+" "+l.date(inv.DueDate))
	}
	d.y = max(y, by+bh) + 4
}

// wrapUTF8 wraps s in the current font and returns the lines as UTF-8 again, for callers
// that draw through text.
func (d *doc) wrapUTF8(s string, w float64, max int) []string {
	ls := d.wrap(s, w, max)
	for i, l := range ls {
		ls[i] = decode(l)
	}
	return ls
}

// decode turns Windows-1257 bytes back into UTF-8.
func decode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			b.WriteByte(c)
		} else {
			b.WriteRune(cp1257[c-0x80].r)
		}
	}
	return b.String()
}

func currency(inv *billing.Invoice) string {
	if inv.Currency == "" {
		return "EUR"
	}
	return inv.Currency
}

// notes draws the sentences a reader must not miss: what a credit note corrects and why,
// and the e-invoice payment term.
func (d *doc) notes() {
	inv, l := d.inv, d.l
	var ls []string
	if inv.Corrects != "" {
		ls = append(ls, l.corrects(inv.Corrects, l.date(inv.CorrectsDate)))
		if r := clean(inv.Reason); r != "" {
			ls = append(ls, l.reason+": "+r)
		}
	}
	if inv.EInvoice && !d.credit() {
		ls = append(ls, l.eInvoice(inv.EInvoiceExtension, inv.MaxPaymentTerm, inv.PaymentTermDays))
	}
	if len(ls) == 0 {
		return
	}
	d.font(false, 8, colText)
	var enc []string
	for _, s := range ls {
		enc = append(enc, d.wrap(s, contentW-4, 3)...)
	}
	h := float64(len(enc))*4 + 2
	d.pdf.SetDrawColor(colAccent[0], colAccent[1], colAccent[2])
	d.pdf.SetLineWidth(0.6)
	d.pdf.Line(marginL, d.y, marginL, d.y+h)
	d.lines(marginL+2, d.y+1, contentW-2, 4, "L", enc)
	d.y += h + 4
}

// footer draws the document name and the page number on every page.
func (d *doc) footer() {
	inv, l := d.inv, d.l
	y := footerTop + 3
	d.rule(marginL, y, pageW-marginR, colRule, 0.2)
	d.font(false, 7, colMuted)
	d.text(marginL, y+1, contentW*0.7, 4, "L", d.fit(inv.Supplier.Name+" · "+d.title()+" "+l.number+" "+inv.Number, contentW*0.7))
	page := l.page(strconv.Itoa(d.pdf.PageNo()), nbAlias)
	d.pdf.SetXY(marginL+contentW*0.5, y+1)
	d.pdf.cellNb(contentW*0.5, 4, d.enc.encode(page), "RM")
}

// continuation starts a new page with a short header that names the document.
func (d *doc) continuation() {
	d.pdf.AddPage()
	inv, l := d.inv, d.l
	d.font(true, 9, colText)
	d.text(marginL, marginTop, contentW/2, 5, "L", d.fit(inv.Supplier.Name, contentW/2))
	d.font(false, 9, colMuted)
	d.text(marginL+contentW/2, marginTop, contentW/2, 5, "R",
		d.title()+" "+l.number+" "+inv.Number+" ("+l.continued+")")
	d.y = marginTop + 7
	d.rule(marginL, d.y, pageW-marginR, colRule, 0.3)
	d.y += 4
}
