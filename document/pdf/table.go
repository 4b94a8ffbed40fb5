package pdf

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// column is one column of the line table.
type column struct {
	w     float64
	align string
	label func(l *labels) string
}

// The line table: a row per line, the metering point, zone, readings and multiplier on the
// first row of each register, numbers right-aligned.
var columns = []column{
	{18, "L", func(l *labels) string { return l.colPoint }},
	{12, "L", func(l *labels) string { return l.colRegister }},
	{42, "L", func(l *labels) string { return l.colDescription }},
	{17, "R", func(l *labels) string { return l.colPrevious }},
	{17, "R", func(l *labels) string { return l.colCurrent }},
	{9, "R", func(l *labels) string { return l.colMultiplier }},
	{18, "R", func(l *labels) string { return l.colQuantity }},
	{9, "L", func(l *labels) string { return l.colUnit }},
	{15, "R", func(l *labels) string { return l.colPrice }},
	{8, "R", func(l *labels) string { return l.colVAT }},
	{17, "R", func(l *labels) string { return l.colNet }},
}

const (
	colDescription = 2
	rowFont        = 7.5
	rowLine        = 3.6 // height of one text line in a row
	rowPad         = 0.9 // above and below the text of a row
	headFont       = 6.8
	headLine       = 3.0
	maxDescLines   = 4
)

// tableHeader draws the column titles, each on up to two lines, on a shaded band.
func (d *doc) tableHeader() {
	h := 2*headLine + 2
	d.fill(marginL, d.y, contentW, h, colShade)
	d.font(true, headFont, colText)
	x := marginL
	for _, c := range columns {
		words := d.headerLines(c.label(&d.l.labels), c.w)
		y := d.y + 1 + float64(2-len(words))*headLine
		d.lines(x, y, c.w, headLine, c.align, words)
		x += c.w
	}
	d.y += h
	d.rule(marginL, d.y, pageW-marginR, colText, 0.3)
}

// headerLines breaks a column title into at most two lines.
func (d *doc) headerLines(s string, w float64) []string {
	ls := d.wrap(s, w, 2)
	if len(ls) == 1 { // bottom-align one-line titles
		return ls
	}
	return ls[:2]
}

// row is a table row ready to draw: encoded cell texts, the description possibly wrapped.
type row struct {
	cells [11]string
	desc  []string
	first bool // first row of a register: a rule above it
}

func (r row) height() float64 { return float64(max(1, len(r.desc)))*rowLine + 2*rowPad }

// rows builds the table rows from the invoice lines.
func (d *doc) rows() []row {
	inv, l := d.inv, d.l
	d.font(false, rowFont, colText)
	out := make([]row, 0, len(inv.Lines))
	prevKey := "\x00"
	for _, ln := range inv.Lines {
		var r row
		key := ln.MeteringPoint + "\x00" + ln.Register
		if key != prevKey {
			r.first = true
			if ln.MeteringPoint != "" {
				r.cells[0] = d.enc.encode(d.fit(ln.MeteringPoint, columns[0].w))
				r.cells[1] = d.enc.encode(d.fit(ln.Register, columns[1].w))
				r.cells[3] = reading(l, ln.PreviousReading, false)
				r.cells[4] = reading(l, ln.CurrentReading, ln.Estimated)
				if ln.Multiplier != 0 {
					r.cells[5] = strconv.Itoa(ln.Multiplier)
				}
			}
			prevKey = key
		}
		desc := ln.Description
		if ln.Period != inv.Period && !ln.Period.Start.IsZero() {
			desc += ", " + l.shortPeriod(ln.Period)
		}
		r.desc = d.wrap(desc, columns[colDescription].w, maxDescLines)
		r.cells[6] = d.enc.encode(quantity(l, ln))
		if ln.Estimated {
			r.cells[6] += "*"
		}
		r.cells[7] = d.enc.encode(l.unit(ln.Unit))
		r.cells[8] = l.trimmed(ln.UnitPrice, 2, 6)
		r.cells[9] = l.rate(ln.VATRate)
		r.cells[10] = l.money(ln.Net)
		out = append(out, r)
	}
	return out
}

// cell draws an encoded table cell. A trailing "*" (an estimate) goes into the cell's
// padding, so the digits stay aligned with the rows above and below.
func (d *doc) cell(x, y, w float64, align, s string) {
	star := align == "R" && strings.HasSuffix(s, "*")
	s = strings.TrimSuffix(s, "*")
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, rowLine, s, "", 0, align+"M", false, 0, "")
	if star {
		d.pdf.SetXY(x+w-cellPad-0.1, y)
		d.pdf.SetCellMargin(0)
		d.pdf.CellFormat(1.5, rowLine, "*", "", 0, "LM", false, 0, "")
		d.pdf.SetCellMargin(cellPad)
	}
}

// reading formats a meter reading; an estimated one carries "*".
func reading(l *locale, v *decimal.Decimal, estimated bool) string {
	if v == nil {
		return ""
	}
	s := l.trimmed(*v, 0, 3)
	if estimated {
		s += "*"
	}
	return s
}

// quantity is kWh with 3 decimals; months as few decimals as they need.
func quantity(l *locale, ln billing.Line) string {
	if ln.Unit == billing.UnitKWh {
		return l.fixed(ln.Quantity, 3)
	}
	return l.trimmed(ln.Quantity, 0, 3)
}

// table draws the line table, starting continuation pages with the column titles again
// when the rows overflow.
func (d *doc) table() {
	d.tableHeader()
	estimated := false
	var group [2]string // the metering point and zone of the current register
	for i, r := range d.rows() {
		if r.first {
			group = [2]string{r.cells[0], r.cells[1]}
		}
		h := r.height()
		if d.y+h > footerTop {
			d.continuation()
			d.tableHeader()
			if !r.first { // name the register again at the top of the page
				r.cells[0], r.cells[1] = group[0], group[1]
			}
			r.first = false
		}
		if r.first && i > 0 {
			d.rule(marginL, d.y, pageW-marginR, colRule, 0.15)
		}
		d.font(false, rowFont, colText)
		x := marginL
		for j, c := range columns {
			if j == colDescription {
				d.lines(x, d.y+rowPad, c.w, rowLine, "L", r.desc)
			} else if r.cells[j] != "" {
				d.cell(x, d.y+rowPad, c.w, c.align, r.cells[j])
			}
			x += c.w
		}
		d.y += h
		estimated = estimated || strings.HasSuffix(r.cells[6], "*")
	}
	d.rule(marginL, d.y, pageW-marginR, colText, 0.3)
	d.y += 1.5
	if estimated {
		d.font(false, 7, colMuted)
		for _, ln := range d.wrap(d.l.estimatedLegend, contentW, 2) {
			d.pdf.SetXY(marginL, d.y)
			d.pdf.CellFormat(contentW, 3.5, ln, "", 0, "LM", false, 0, "")
			d.y += 3.5
		}
	}
	d.y += 3
}
