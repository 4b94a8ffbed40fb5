package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
)

// writer is the small PDF writer the invoices are drawn with. It replaced go-pdf/fpdf,
// whose per-document costs were most of a page's rendering time: parsing the JSON font
// definitions, writing the unchanging font objects (two 26 KB font programs copied through
// strings and a buffer that grows by doubling) and fmt.Sprintf for every operator.
//
// The content streams are those fpdf wrote for the same calls (the same operators and
// numbers, %.2f in points), so the pages look the same; only the font resource names are
// shorter, and they are compressed (FlateDecode, zlib.BestSpeed, with pooled compressors).
// Everything that does not depend on the invoice is serialised once in New right after the
// header: the two font programs (objects 4 and 5) and an object stream (12) holding the
// resource dictionary, the encoding and both fonts with their widths and descriptors. A
// document appends its pages, the page tree, the information dictionary, the catalogue and
// a cross-reference stream (PDF 1.5: objects in an object stream cannot be listed in a
// cross-reference table).
//
// Object numbers: 1 page tree, 2 resources, 3 encoding, 4–5 font programs, 6–8 and 9–11
// font, widths and descriptor of the regular and the bold font, 12 object stream, 13
// information dictionary, 14 catalogue, 15 cross-reference stream, then 16+2i the page i
// (from 0) and 17+2i its content.
type writer struct {
	fonts *fontSet

	pages [][]byte // content stream of each page
	page  int      // current page, from 1; 0 before the first
	x, y  float64  // current position in mm from the top left
	cMarg float64  // cell margin

	font       int // index in fonts.defs, -1 before SetFont
	fontSizePt float64
	fontSize   float64 // in mm
	lineWidth  float64 // in mm
	draw, fill colour
	text       colour
	colourFlag bool // text colour differs from the fill colour: text is set inside q … Q
	footer     func()
	nbRefs     []nbRef // where the total page count goes
	err        error
	info       docInfo
}

// k is points per millimetre; pageHmm is the page height in mm as fpdf derives it from
// A4 in points (841.89 pt), which the y coordinates are flipped against.
const (
	k       = 72 / 25.4
	pageHmm = 841.89 / k
)

// colour is an RGB colour and the operator that sets it, as fpdf formats it.
type colour struct {
	rgb [3]int
	op  string
}

// nbRef is a place in a page where the page count alias was drawn.
type nbRef struct {
	page, off int
}

type docInfo struct {
	title, subject, author string
	created                time.Time
	lang                   string
}

// fontSet is the fonts of every document: read-only after New.
type fontSet struct {
	defs []fontDef // regular, bold
	head []byte    // header, font programs (4, 5) and the object stream (12)
	offs [3]int    // offsets of objects 4, 5 and 12 in head
}

// Object numbers. The objects every document shares (the resource dictionary, the
// encoding, the font dictionaries, widths and descriptors: 2, 3, 6–11) are in the
// compressed object stream 12; the font programs 4 and 5 are streams of their own.
const (
	objPages   = 1
	objStm     = 12
	objInfo    = 13
	objCatalog = 14
	objXRef    = 15
	objPage0   = 16 // page i is 16+2i, its content 17+2i
)

// inStm lists the objects in the object stream, in their order there.
var inStm = [...]int{2, 3, 6, 7, 8, 9, 10, 11}

// Font resource names in the content streams, by index in fontSet.defs.
var fontRes = [...]string{"/F1", "/F2"}

// newFontSet serialises the objects every document shares.
func newFontSet(defs []fontDef) *fontSet {
	fs := &fontSet{defs: defs}

	// The small objects go into an object stream: compressed together they take a third
	// of the space (the widths and the /Differences glyph names compress well).
	var body []byte
	var at [12]int // offset of each object in body
	obj := func(n int) { at[n] = len(body) }

	obj(2)
	body = append(body, "<<\n/ProcSet [/PDF /Text]\n/Font <<\n"...)
	for i := range defs {
		body = append(body, fontRes[i]...)
		body = append(body, ' ')
		body = strconv.AppendInt(body, int64(6+3*i), 10)
		body = append(body, " 0 R\n"...)
	}
	body = append(body, ">>\n>>\n"...)

	obj(3) // both fonts have the same Windows-1257 encoding
	body = append(body, "<</Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences ["...)
	body = append(body, defs[0].diff...)
	body = append(body, "]>>\n"...)

	for i, d := range defs {
		n := 6 + 3*i
		obj(n)
		body = append(body, "<</Type /Font\n/BaseFont /"...)
		body = append(body, d.name...)
		body = append(body, "\n/Subtype /TrueType\n/FirstChar 32 /LastChar 255\n/Widths "...)
		body = strconv.AppendInt(body, int64(n+1), 10)
		body = append(body, " 0 R\n/FontDescriptor "...)
		body = strconv.AppendInt(body, int64(n+2), 10)
		body = append(body, " 0 R\n/Encoding 3 0 R\n>>\n"...)

		obj(n + 1)
		body = append(body, '[')
		for c := 32; c < 256; c++ {
			body = strconv.AppendInt(body, int64(d.cw[c]), 10)
			body = append(body, ' ')
		}
		body = append(body, "]\n"...)

		obj(n + 2)
		body = append(body, "<</Type /FontDescriptor /FontName /"...)
		body = append(body, d.name...)
		for _, kv := range []struct {
			k string
			v int
		}{{"Ascent", d.desc.Ascent}, {"Descent", d.desc.Descent}, {"CapHeight", d.desc.CapHeight}, {"Flags", d.desc.Flags}} {
			body = append(body, " /"+kv.k+" "...)
			body = strconv.AppendInt(body, int64(kv.v), 10)
		}
		body = append(body, " /FontBBox ["...)
		for j, v := range [4]int{d.desc.FontBBox.Xmin, d.desc.FontBBox.Ymin, d.desc.FontBBox.Xmax, d.desc.FontBBox.Ymax} {
			if j > 0 {
				body = append(body, ' ')
			}
			body = strconv.AppendInt(body, int64(v), 10)
		}
		body = append(body, "] /ItalicAngle "...)
		body = strconv.AppendInt(body, int64(d.desc.ItalicAngle), 10)
		body = append(body, " /StemV "...)
		body = strconv.AppendInt(body, int64(d.desc.StemV), 10)
		body = append(body, " /MissingWidth "...)
		body = strconv.AppendInt(body, int64(d.desc.MissingWidth), 10)
		body = append(body, " /FontFile2 "...)
		body = strconv.AppendInt(body, int64(4+i), 10)
		body = append(body, " 0 R>>\n"...)
	}
	var index []byte // pairs of object number and offset
	for _, n := range inStm {
		index = strconv.AppendInt(index, int64(n), 10)
		index = append(index, ' ')
		index = strconv.AppendInt(index, int64(at[n]), 10)
		index = append(index, ' ')
	}
	stm := zlibBest(append(index, body...))

	// PDF 1.5 for the object and cross-reference streams; the comment of four high bytes
	// tells file transfer programs that the file is binary.
	b := make([]byte, 0, 32<<10)
	b = append(b, "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"...)
	for i, d := range defs {
		fs.offs[i] = len(b)
		b = strconv.AppendInt(b, int64(4+i), 10)
		b = append(b, " 0 obj\n<</Length "...)
		b = strconv.AppendInt(b, int64(len(d.z)), 10)
		b = append(b, "\n/Filter /FlateDecode\n/Length1 "...)
		b = strconv.AppendInt(b, int64(d.originalSize), 10)
		b = append(b, "\n>>\nstream\n"...)
		b = append(b, d.z...)
		b = append(b, "\nendstream\nendobj\n"...)
	}
	fs.offs[2] = len(b)
	b = strconv.AppendInt(b, objStm, 10)
	b = append(b, " 0 obj\n<</Type /ObjStm /N "...)
	b = strconv.AppendInt(b, int64(len(inStm)), 10)
	b = append(b, " /First "...)
	b = strconv.AppendInt(b, int64(len(index)), 10)
	b = append(b, " /Length "...)
	b = strconv.AppendInt(b, int64(len(stm)), 10)
	b = append(b, " /Filter /FlateDecode>>\nstream\n"...)
	b = append(b, stm...)
	b = append(b, "\nendstream\nendobj\n"...)
	fs.head = b
	return fs
}

// zlibBest compresses b as much as compress/zlib can, for what is compressed once in New.
func zlibBest(b []byte) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(b) // writes to a bytes.Buffer do not fail
	zw.Close()
	return z.Bytes()
}

// Page content buffers are reused between documents; the output is always a new slice.
var pagePool = sync.Pool{New: func() any { b := make([]byte, 0, 24<<10); return &b }}

// contentLevel is the compression level of the page content streams.
const contentLevel = zlib.BestSpeed

// deflater compresses the content streams of a document into buf. Compressors are reused
// between documents: a new one allocates and clears several hundred KB of tables, more
// than a page costs to draw. The output depends only on the input and the level, so a
// document is the same bytes whichever compressor it gets.
type deflater struct {
	zw  *zlib.Writer
	buf bytes.Buffer
}

var zPool = sync.Pool{New: func() any {
	z := &deflater{}
	z.buf.Grow(8 << 10)
	z.zw, _ = zlib.NewWriterLevel(&z.buf, contentLevel)
	return z
}}

func newWriter(fs *fontSet) *writer {
	w := &writer{fonts: fs, font: -1, cMarg: cellPad, lineWidth: 0.567 / k}
	w.draw = w.colour(0, 0, 0, "G", "RG")
	w.fill = w.colour(0, 0, 0, "g", "rg")
	w.text = w.fill
	return w
}

// knownColours holds the operators of the document palette, built once: documents switch
// between the text and label colours hundreds of times.
var knownColours = func() map[[3]int][2]string {
	m := map[[3]int][2]string{}
	for _, c := range [][3]int{{0, 0, 0}, colText, colMuted, colRule, colAccent, colShade} {
		m[c] = [2]string{makeColour(c[0], c[1], c[2], "g", "rg").op, makeColour(c[0], c[1], c[2], "G", "RG").op}
	}
	return m
}()

// colour is the colour operator for filling ("g", "rg") or stroking ("G", "RG").
func (w *writer) colour(r, g, b int, grey, full string) colour {
	if ops, ok := knownColours[[3]int{r, g, b}]; ok {
		op := ops[0]
		if grey == "G" {
			op = ops[1]
		}
		return colour{rgb: [3]int{r, g, b}, op: op}
	}
	return makeColour(r, g, b, grey, full)
}

// makeColour builds the colour operator the way fpdf does: grey when red equals green and
// blue (%.3f components).
func makeColour(r, g, b int, grey, full string) colour {
	c := colour{rgb: [3]int{clamp255(r), clamp255(g), clamp255(b)}}
	var buf [40]byte
	s := buf[:0]
	if c.rgb[0] == c.rgb[1] && c.rgb[0] == c.rgb[2] {
		s = strconv.AppendFloat(s, float64(c.rgb[0])/255, 'f', 3, 64)
		s = append(s, ' ')
		s = append(s, grey...)
	} else {
		for _, v := range c.rgb {
			s = strconv.AppendFloat(s, float64(v)/255, 'f', 3, 64)
			s = append(s, ' ')
		}
		s = append(s, full...)
	}
	c.op = string(s)
	return c
}

func clamp255(v int) int { return min(max(v, 0), 255) }

// cur is the content of the current page.
func (w *writer) cur() *[]byte { return &w.pages[w.page-1] }

// out appends a line to the current page.
func (w *writer) out(s string) {
	if w.page == 0 {
		return
	}
	p := w.cur()
	*p = append(append(*p, s...), '\n')
}

// num appends v with two decimals and a space.
func num(b []byte, v float64) []byte {
	return append(appendFixed2(b, v), ' ')
}

// appendFixed2 appends v with two decimals, the same text as strconv.AppendFloat(b, v,
// 'f', 2, 64) (which every coordinate went through, at a tenth of the cost). Values whose
// hundredths lie too close to a half for v*100 to decide, and large ones, go to strconv.
func appendFixed2(b []byte, v float64) []byte {
	if math.Signbit(v) {
		b = append(b, '-')
		v = -v
	}
	x := v * 100
	if !(x < 1e9) { // also NaN
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	r := math.Floor(x)
	if f := x - r; f > 0.4999 && f < 0.5001 {
		return strconv.AppendFloat(b, v, 'f', 2, 64)
	} else if f > 0.5 {
		r++
	}
	n := uint64(r)
	b = strconv.AppendUint(b, n/100, 10)
	return append(b, '.', byte('0'+n/10%10), byte('0'+n%10))
}

func (w *writer) SetFooterFunc(f func()) { w.footer = f }
func (w *writer) PageNo() int            { return w.page }
func (w *writer) SetCellMargin(m float64) {
	w.cMarg = m
}
func (w *writer) SetXY(x, y float64) { w.x, w.y = x, y }
func (w *writer) Error() error       { return w.err }
func (w *writer) SetError(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

// AddPage ends the current page with its footer and starts a new one, carrying over the
// line width, colours and font as fpdf does.
func (w *writer) AddPage() {
	// The state before the footer is what the new page starts with.
	font, size, lw := w.font, w.fontSizePt, w.lineWidth
	draw, fill, text, flag := w.draw, w.fill, w.text, w.colourFlag
	if w.page > 0 && w.footer != nil {
		w.footer()
	}
	bp := pagePool.Get().(*[]byte)
	w.pages = append(w.pages, (*bp)[:0])
	w.page++
	w.x, w.y = marginL, marginTop
	w.lineWidth = lw
	p := w.cur()
	*p = append(*p, "0 J\n0 j\n"...)
	*p = appendFixed2(*p, lw*k)
	*p = append(*p, " w\n"...)
	if font >= 0 {
		w.SetFont(family, styleOf(font), size)
	}
	w.draw, w.fill, w.text, w.colourFlag = draw, fill, text, flag
	if w.draw.op != "0 G" {
		w.out(w.draw.op)
	}
	if w.fill.op != "0 g" {
		w.out(w.fill.op)
	}
	if font >= 0 { // fpdf restores the font a second time after the page header
		w.SetFont(family, styleOf(font), size)
	}
}

func styleOf(font int) string {
	if font == 1 {
		return "B"
	}
	return ""
}

// SetFont selects the regular ("") or bold ("B") document font.
func (w *writer) SetFont(_ string, style string, size float64) {
	f := 0
	if style == "B" {
		f = 1
	}
	w.font, w.fontSizePt, w.fontSize = f, size, size/k
	if w.page > 0 {
		p := w.cur()
		*p = append(*p, "BT "...)
		*p = append(*p, fontRes[f]...)
		*p = append(*p, ' ')
		*p = num(*p, size)
		*p = append(*p, "Tf ET\n"...)
	}
}

func (w *writer) SetTextColor(r, g, b int) {
	if w.text.rgb != [3]int{r, g, b} {
		w.text = w.colour(r, g, b, "g", "rg")
	}
	w.colourFlag = w.fill.op != w.text.op
}

func (w *writer) SetDrawColor(r, g, b int) {
	if w.draw.rgb != [3]int{r, g, b} {
		w.draw = w.colour(r, g, b, "G", "RG")
	}
	w.out(w.draw.op)
}

func (w *writer) SetFillColor(r, g, b int) {
	if w.fill.rgb != [3]int{r, g, b} {
		w.fill = w.colour(r, g, b, "g", "rg")
	}
	w.colourFlag = w.fill.op != w.text.op
	w.out(w.fill.op)
}

func (w *writer) SetLineWidth(width float64) {
	w.lineWidth = width
	if w.page > 0 {
		p := w.cur()
		*p = appendFixed2(*p, width*k)
		*p = append(*p, " w\n"...)
	}
}

// Line strokes a line from (x1, y1) to (x2, y2).
func (w *writer) Line(x1, y1, x2, y2 float64) {
	if w.page == 0 {
		return
	}
	p := w.cur()
	b := num(*p, x1*k)
	b = num(b, (pageHmm-y1)*k)
	b = append(b, "m "...)
	b = num(b, x2*k)
	b = num(b, (pageHmm-y2)*k)
	*p = append(b, "l S\n"...)
}

// Rect fills ("F") or strokes ("D") a rectangle.
func (w *writer) Rect(x, y, wd, h float64, style string) {
	if w.page == 0 {
		return
	}
	p := w.cur()
	b := num(*p, x*k)
	b = num(b, (pageHmm-y)*k)
	b = num(b, wd*k)
	b = num(b, -h*k)
	if style == "F" {
		b = append(b, "re f\n"...)
	} else {
		b = append(b, "re S\n"...)
	}
	*p = b
}

// GetStringWidth is the width in mm of Windows-1257 s in the current font.
func (w *writer) GetStringWidth(s string) float64 {
	if w.font < 0 {
		return 0
	}
	cw := &w.fonts.defs[w.font].cw
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			break
		}
		n += cw[s[i]]
	}
	return float64(n) * w.fontSize / 1000
}

// CellFormat draws Windows-1257 txt in a cell of width wd and height h at the current
// position, aligned "L", "R" or "C" horizontally and centred vertically (fpdf's CellFormat
// without border, fill or link), and moves the position to the right of the cell.
func (w *writer) CellFormat(wd, h float64, txt, _ string, _ int, align string, _ bool, _ int, _ string) {
	if w.font < 0 {
		w.SetError(errors.New("pdf: no font selected"))
		return
	}
	if txt != "" && w.page > 0 {
		var dx float64
		switch align = align + " "; align[0] {
		case 'R':
			dx = wd - w.cMarg - w.GetStringWidth(txt)
		case 'C':
			dx = (wd - w.GetStringWidth(txt)) / 2
		default:
			dx = w.cMarg
		}
		p := w.cur()
		b := *p
		if w.colourFlag {
			b = append(b, "q "...)
			b = append(b, w.text.op...)
			b = append(b, ' ')
		}
		b = append(b, "BT "...)
		b = num(b, (w.x+dx)*k)
		b = num(b, (pageHmm-(w.y+.5*h+.3*w.fontSize))*k)
		b = append(b, "Td ("...)
		b = appendEscaped(b, txt)
		b = append(b, ")Tj ET"...)
		if w.colourFlag {
			b = append(b, " Q"...)
		}
		*p = append(b, '\n')
	}
	w.x += wd
}

// cellNb is CellFormat for a text that holds the page count alias: the places are
// remembered and filled in when the document is closed (only there, never in other text
// that happens to contain the alias).
func (w *writer) cellNb(wd, h float64, txt, align string) {
	if w.page == 0 {
		return
	}
	before := len(*w.cur())
	w.CellFormat(wd, h, txt, "", 0, align, false, 0, "")
	b := (*w.cur())[before:]
	for i := 0; i+len(nbAlias) <= len(b); i++ {
		if string(b[i:i+len(nbAlias)]) == nbAlias {
			w.nbRefs = append(w.nbRefs, nbRef{w.page, before + i})
			i += len(nbAlias) - 1
		}
	}
}

// appendEscaped appends s as the inside of a PDF literal string.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = appendEscapedByte(b, s[i])
	}
	return b
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '\\', '(', ')':
		return append(b, '\\', c)
	case '\r':
		return append(b, '\\', 'r')
	}
	return append(b, c)
}

// SplitLines splits Windows-1257 txt into lines no wider than wd in the current font
// (fpdf's SplitLines: breaks after the last space that fits, else inside the word).
func (w *writer) SplitLines(txt []byte, wd float64) [][]byte {
	var lines [][]byte
	cw := &w.fonts.defs[max(w.font, 0)].cw
	wmax := int(ceil((wd - 2*w.cMarg) * 1000 / w.fontSize))
	s := txt
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' {
			s = removeCR(s)
			break
		}
	}
	nb := len(s)
	for nb > 0 && s[nb-1] == '\n' {
		nb--
	}
	s = s[:nb]
	sep, i, j, l := -1, 0, 0, 0
	for i < nb {
		c := s[i]
		l += cw[c]
		if c == ' ' || c == '\t' || c == '\n' {
			sep = i
		}
		if c == '\n' || l > wmax {
			if sep == -1 {
				if i == j {
					i++
				}
				sep = i
			} else {
				i = sep + 1
			}
			lines = append(lines, s[j:sep])
			sep = -1
			j = i
			l = 0
		} else {
			i++
		}
	}
	if i != j {
		lines = append(lines, s[j:i])
	}
	return lines
}

func removeCR(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for _, c := range s {
		if c != '\r' {
			out = append(out, c)
		}
	}
	return out
}

func ceil(v float64) float64 {
	t := float64(int64(v))
	if t < v {
		return t + 1
	}
	return t
}

// Output closes the last page and returns the document.
func (w *writer) Output() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.page == 0 {
		w.AddPage()
	}
	if w.footer != nil {
		w.footer()
	}
	defer w.release()
	if w.err != nil {
		return nil, w.err
	}
	w.fillPageCount()

	// Compress the pages first, so that the output is allocated once at its final size.
	z := zPool.Get().(*deflater)
	defer func() {
		if z.buf.Cap() <= 256<<10 { // not the buffer of a very long document
			zPool.Put(z)
		}
	}()
	z.buf.Reset()
	ends := make([]int, len(w.pages))
	for i, p := range w.pages {
		z.zw.Reset(&z.buf)
		z.zw.Write(p) // writes to a bytes.Buffer do not fail
		z.zw.Close()
		ends[i] = z.buf.Len()
	}
	zs := z.buf.Bytes()

	fs := w.fonts
	nobj := objPage0 + 2*len(w.pages)
	size := len(fs.head) + 1024 + 20*len(w.pages) + len(zs) + 100*len(w.pages) + 7*nobj
	b := make([]byte, 0, size)
	b = append(b, fs.head...)
	offs := make([]int, nobj) // of the objects outside the object stream
	offs[4], offs[5], offs[objStm] = fs.offs[0], fs.offs[1], fs.offs[2]
	obj := func(n int) {
		offs[n] = len(b)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, " 0 obj\n"...)
	}
	for i := range w.pages {
		n := objPage0 + 2*i
		obj(n)
		b = append(b, "<</Type /Page\n/Parent 1 0 R\n/Resources 2 0 R\n/Contents "...)
		b = strconv.AppendInt(b, int64(n+1), 10)
		b = append(b, " 0 R>>\nendobj\n"...)
		obj(n + 1)
		p := zs[:ends[i]]
		if i > 0 {
			p = zs[ends[i-1]:ends[i]]
		}
		b = append(b, "<</Length "...)
		b = strconv.AppendInt(b, int64(len(p)), 10)
		b = append(b, " /Filter /FlateDecode>>\nstream\n"...)
		b = append(b, p...)
		b = append(b, "\nendstream\nendobj\n"...)
	}
	obj(objPages)
	b = append(b, "<</Type /Pages\n/Kids ["...)
	for i := range w.pages {
		b = strconv.AppendInt(b, int64(objPage0+2*i), 10)
		b = append(b, " 0 R "...)
	}
	b = append(b, "]\n/Count "...)
	b = strconv.AppendInt(b, int64(len(w.pages)), 10)
	b = append(b, "\n/MediaBox [0 0 "...)
	b = num(b, 595.28)
	b = strconv.AppendFloat(b, 841.89, 'f', 2, 64)
	b = append(b, "]\n>>\nendobj\n"...)

	in := &w.info
	obj(objInfo)
	b = append(b, "<<\n/Producer (erekins)\n/Title "...)
	b = appendTextString(b, in.title)
	b = append(b, "\n/Subject "...)
	b = appendTextString(b, in.subject)
	if in.author != "" {
		b = append(b, "\n/Author "...)
		b = appendTextString(b, in.author)
	}
	b = append(b, "\n/Creator (erekins)\n/CreationDate (D:"...)
	b = in.created.AppendFormat(b, "20060102150405")
	b = append(b, ")\n/ModDate (D:"...)
	b = in.created.AppendFormat(b, "20060102150405")
	b = append(b, ")\n>>\nendobj\n"...)

	obj(objCatalog)
	b = append(b, "<<\n/Type /Catalog\n/Pages 1 0 R\n/Lang ("...)
	b = appendEscaped(b, in.lang)
	b = append(b, ")\n>>\nendobj\n"...)

	// The cross-reference stream (uncompressed): per object a type byte, the offset (or
	// the object stream's number) in four bytes and the generation (or the index in the
	// object stream) in two.
	xref := len(b)
	obj(objXRef)
	b = append(b, "<</Type /XRef /Size "...)
	b = strconv.AppendInt(b, int64(nobj), 10)
	b = append(b, " /W [1 4 2] /Root 14 0 R /Info 13 0 R /Length "...)
	b = strconv.AppendInt(b, int64(7*nobj), 10)
	b = append(b, ">>\nstream\n"...)
	entry := func(typ byte, f2 int, f3 int) {
		b = append(b, typ, byte(f2>>24), byte(f2>>16), byte(f2>>8), byte(f2), byte(f3>>8), byte(f3))
	}
	entry(0, 0, 65535)
	for n := 1; n < nobj; n++ {
		if i := stmIndex(n); i >= 0 {
			entry(2, objStm, i)
		} else {
			entry(1, offs[n], 0)
		}
	}
	b = append(b, "\nendstream\nendobj\nstartxref\n"...)
	b = strconv.AppendInt(b, int64(xref), 10)
	b = append(b, "\n%%EOF\n"...)
	return b, nil
}

// stmIndex is the index of object n in the object stream, or -1.
func stmIndex(n int) int {
	for i, m := range inStm {
		if m == n {
			return i
		}
	}
	return -1
}

// fillPageCount writes the page count where the alias was drawn. The count replaces the
// alias within the page (fpdf did the same with a text search over every page).
func (w *writer) fillPageCount() {
	if len(w.nbRefs) == 0 {
		return
	}
	total := strconv.Itoa(len(w.pages))
	// Replace from the end of each page so earlier offsets stay valid.
	for i := len(w.nbRefs) - 1; i >= 0; i-- {
		r := w.nbRefs[i]
		p := &w.pages[r.page-1]
		tail := append([]byte(nil), (*p)[r.off+len(nbAlias):]...)
		*p = append(append((*p)[:r.off], total...), tail...)
	}
}

func (w *writer) release() {
	for i := range w.pages {
		p := w.pages[i][:0]
		w.pages[i] = nil
		if cap(p) <= 256<<10 {
			pagePool.Put(&p)
		}
	}
}

// appendTextString appends UTF-8 s as a PDF text string: UTF-16BE with a byte order mark,
// escaped.
func appendTextString(b []byte, s string) []byte {
	b = append(b, '(', 0xFE, 0xFF)
	for _, r := range s {
		var units [2]uint16
		u := units[:1]
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			units[0], units[1] = uint16(r1), uint16(r2)
			u = units[:2]
		} else {
			units[0] = uint16(r)
		}
		for _, v := range u {
			b = appendEscapedByte(b, byte(v>>8))
			b = appendEscapedByte(b, byte(v))
		}
	}
	return append(b, ')')
}
