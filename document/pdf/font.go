package pdf

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fontDef is a TrueType font prepared once for the single-byte Windows-1257 path: the
// metrics and widths the layout measures with, the /Differences encoding that names every
// upper-half glyph, and the zlib-compressed font program that every document embeds as it
// is.
type fontDef struct {
	name         string
	cw           [256]int // width of each code in thousandths of the font size
	desc         fontDesc
	diff         string // /Differences array contents
	originalSize int    // length of the uncompressed font program (/Length1)
	z            []byte
}

type fontDesc struct {
	Ascent, Descent, CapHeight, Flags int
	FontBBox                          struct{ Xmin, Ymin, Xmax, Ymax int }
	ItalicAngle, StemV, MissingWidth  int
}

// The fonts of the documents: Go Regular and Go Bold (golang.org/x/image), which cover
// every Latvian letter, so no font file lives in the repository.
var fontSources = []struct {
	style string
	ttf   []byte
	stemV int
}{
	{"", goregular.TTF, 70},
	{"B", gobold.TTF, 120},
}

// loadFont parses a TrueType font once and builds its definition in Windows-1257.
// It also reports which code page bytes the font can draw.
func loadFont(ttf []byte, file string, stemV int) (fontDef, [256]bool, error) {
	var drawable [256]bool
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("parse font %s: %w", file, err)
	}
	var b sfnt.Buffer
	upem := int(f.UnitsPerEm())
	ppem := fixed.I(upem)
	scale := func(v fixed.Int26_6) int { return int((int64(v)*1000/64 + int64(upem)/2*sign(v)) / int64(upem)) }

	name, err := f.Name(&b, sfnt.NameIDPostScript)
	if err != nil || name == "" {
		name = file
	}
	m, err := f.Metrics(&b, ppem, font.HintingNone)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("metrics of %s: %w", name, err)
	}
	bounds, err := f.Bounds(&b, ppem, font.HintingNone)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("bounds of %s: %w", name, err)
	}
	runes := map[rune]uint16{} // the characters the font is used for, and their glyphs
	width := func(r rune) (int, bool) {
		x, err := f.GlyphIndex(&b, r)
		if err != nil || x == 0 {
			return 0, false
		}
		runes[r] = uint16(x)
		adv, err := f.GlyphAdvance(&b, x, ppem, font.HintingNone)
		if err != nil {
			return 0, false
		}
		return scale(adv), true
	}
	missing, _ := width(' ')
	def := fontDef{name: name}
	def.desc.Ascent, def.desc.Descent, def.desc.CapHeight = scale(m.Ascent), -scale(m.Descent), scale(m.CapHeight)
	def.desc.Flags = 32 // non-symbolic: glyphs are found through their names
	def.desc.FontBBox.Xmin, def.desc.FontBBox.Ymin = scale(bounds.Min.X), -scale(bounds.Max.Y)
	def.desc.FontBBox.Xmax, def.desc.FontBBox.Ymax = scale(bounds.Max.X), -scale(bounds.Min.Y)
	def.desc.StemV, def.desc.MissingWidth = stemV, missing
	for c := range 256 {
		def.cw[c] = missing
		r := rune(c)
		if c >= 0x80 {
			r = cp1257[c-0x80].r
		}
		if c < 0x20 || c == 0x7F || r == 0 {
			continue
		}
		if w, ok := width(r); ok {
			def.cw[c], drawable[c] = w, true
		}
	}
	drawable[' '] = true

	// The whole upper half is given by name, so the encoding does not depend on the
	// viewer's idea of WinAnsiEncoding, the base encoding the PDF names.
	var diff strings.Builder
	diff.WriteString("128")
	for _, e := range cp1257 {
		n := e.name
		if n == "" {
			n = ".notdef"
		}
		diff.WriteString(" /" + n)
	}
	def.diff = diff.String()

	sub, err := subsetTTF(ttf, runes)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("subset %s: %w", name, err)
	}
	def.originalSize = len(sub)
	def.z = zlibBest(sub)
	return def, drawable, nil
}

func sign(v fixed.Int26_6) int64 {
	if v < 0 {
		return -1
	}
	return 1
}

// fontFile names a font in errors, and the font itself when it has no PostScript name.
func fontFile(i int) string { return "font" + strconv.Itoa(i) }
