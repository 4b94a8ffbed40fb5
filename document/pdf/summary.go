package pdf

import (
	"errors"
	"strings"
)

const (
	qrSize   = 30.0
	payBoxH  = qrSize + 12
	totalRow = 4.8
)

// summaryHeight is the room the VAT breakdown, totals and payment details need.
func (d *doc) summaryHeight() float64 {
	h := max(float64(len(d.inv.VAT)+1)*4.5+6, 3*totalRow+12) + 6
	if !d.credit() {
		h += payBoxH + 4
	}
	return h + 6
}

// summary draws the VAT breakdown, the totals and, on invoices, the payment details with
// the SEPA QR code. It starts a new page rather than split them.
func (d *doc) summary() {
	if d.y+d.summaryHeight() > footerTop {
		d.continuation()
	}
	inv, l := d.inv, d.l
	top := d.y

	// VAT breakdown.
	x, y := marginL, top
	ws := []float64{22, 34, 30}
	d.font(true, 7, colMuted)
	d.text(x, y, 86, 4, "L", strings.ToUpper(l.vatBreakdown))
	y += 5
	d.font(true, 7, colText)
	cx := x
	for i, h := range []string{l.vatRate, l.vatBase, l.vatAmount} {
		align := "R"
		if i == 0 {
			align = "L"
		}
		d.text(cx, y, ws[i], 4, align, h)
		cx += ws[i]
	}
	y += 4.5
	d.rule(x, y, x+ws[0]+ws[1]+ws[2], colRule, 0.2)
	d.font(false, 8, colText)
	for _, v := range inv.VAT {
		cx = x
		for i, s := range []string{l.vatCategory(v.Category, v.Rate), l.money(v.Base), l.money(v.Amount)} {
			align := "R"
			if i == 0 {
				align = "L"
			}
			d.text(cx, y+0.5, ws[i], 4, align, s)
			cx += ws[i]
		}
		y += 4.5
	}
	leftEnd := y

	// Totals.
	tx, tw := marginL+contentW-78, 78.0
	y = top
	cur := currency(inv)
	for _, r := range []struct{ k, v string }{
		{l.totalNet, l.money(inv.Totals.Net)},
		{l.totalVAT, l.money(inv.Totals.VAT)},
		{l.totalGross, l.money(inv.Totals.Gross)},
	} {
		d.font(false, 8.5, colText)
		d.text(tx, y, tw-30, totalRow, "L", r.k+", "+cur)
		d.text(tx+tw-30, y, 30, totalRow, "R", r.v)
		y += totalRow
	}
	y += 1.5
	label := l.payable
	if d.credit() {
		label = l.creditable
	}
	d.fill(tx, y, tw, 9, colShade)
	d.font(true, 9.5, colText)
	d.text(tx+1, y, tw-34, 9, "L", label+", "+cur)
	d.font(true, 12, colText)
	d.text(tx+tw-34, y, 33, 9, "R", l.money(inv.Totals.Payable))
	y += 9
	d.y = max(leftEnd, y) + 6

	if !d.credit() {
		d.payment()
	}
	d.font(false, 7, colMuted)
	d.text(marginL, d.y, contentW, 4, "L", l.noSignature)
	d.y += 4
}

// payment draws the payment details and the SEPA QR code for the amount due.
func (d *doc) payment() {
	inv, l := d.inv, d.l
	s := inv.Supplier
	y := d.y
	d.pdf.SetDrawColor(colRule[0], colRule[1], colRule[2])
	d.pdf.SetLineWidth(0.3)
	d.pdf.Rect(marginL, y, contentW, payBoxH, "D")

	x := marginL + 4
	payload, err := EPCPayload(Payment{BIC: s.BIC, Name: s.Name, IBAN: s.IBAN, Amount: inv.Totals.Payable, Reference: inv.PaymentReference})
	if err == nil {
		var m [][]bool
		if m, err = qrModules(payload); err == nil {
			d.drawQR(m, x, y+4, qrSize)
			x += qrSize + 6
		}
	}
	if err != nil && !errors.Is(err, ErrNoQR) {
		d.pdf.SetError(err)
	}

	w := marginL + contentW - x - 4
	ty := y + 3.5
	d.font(true, 9, colAccent)
	d.text(x, ty, w, 5, "L", l.payTitle)
	ty += 6
	const kw = 34.0
	for _, r := range []struct {
		k, v string
		bold bool
	}{
		{l.payRecipient, s.Name, false},
		{l.iban, iban(s.IBAN), true},
		{l.bank, strings.TrimSpace(s.Bank + "   " + l.bic + " " + s.BIC), false},
		{l.payAmount, l.money(inv.Totals.Payable) + " " + currency(inv), true},
		{l.reference, inv.PaymentReference, true},
		{l.dueDate, l.date(inv.DueDate), false},
	} {
		d.font(false, 8, colMuted)
		d.text(x, ty, kw, 4.2, "L", r.k)
		d.font(r.bold, 8.5, colText)
		d.text(x+kw, ty, w-kw, 4.2, "L", d.fit(r.v, w-kw))
		ty += 4.2
	}
	if err == nil {
		d.font(false, 7, colMuted)
		d.text(x, y+payBoxH-5.5, w, 4, "L", l.payScan)
	}
	d.y = y + payBoxH + 4
}
