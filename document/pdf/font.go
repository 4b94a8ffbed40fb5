package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fontDef is a TrueType font prepared once for fpdf's single-byte font path: the JSON
// definition that fpdf.AddFontFromBytes reads (metrics, Windows-1257 widths and glyph
// names) and the zlib-compressed font program that every document embeds as it is.
type fontDef struct {
	json []byte
	z    []byte
}

// fpdfFontDef mirrors the JSON that fpdf's MakeFont writes.
type fpdfFontDef struct {
	Tp           string
	Name         string
	Desc         fpdfFontDesc
	Up, Ut       int
	Cw           []int
	Enc          string
	Diff         string
	File         string
	OriginalSize int
}

type fpdfFontDesc struct {
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

// loadFont parses a TrueType font once and builds its fpdf definition in Windows-1257.
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
		name = strings.TrimSuffix(file, ".z")
	}
	m, err := f.Metrics(&b, ppem, font.HintingNone)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("metrics of %s: %w", name, err)
	}
	bounds, err := f.Bounds(&b, ppem, font.HintingNone)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("bounds of %s: %w", name, err)
	}
	keep := map[uint16]bool{}
	width := func(r rune) (int, bool) {
		x, err := f.GlyphIndex(&b, r)
		if err != nil || x == 0 {
			return 0, false
		}
		keep[uint16(x)] = true
		adv, err := f.GlyphAdvance(&b, x, ppem, font.HintingNone)
		if err != nil {
			return 0, false
		}
		return scale(adv), true
	}
	missing, _ := width(' ')
	def := fpdfFontDef{Tp: "TrueType", Name: name, Enc: "cp1257", File: file, Cw: make([]int, 256)}
	def.Desc.Ascent, def.Desc.Descent, def.Desc.CapHeight = scale(m.Ascent), -scale(m.Descent), scale(m.CapHeight)
	def.Desc.Flags = 32 // non-symbolic: glyphs are found through their names
	def.Desc.FontBBox.Xmin, def.Desc.FontBBox.Ymin = scale(bounds.Min.X), -scale(bounds.Max.Y)
	def.Desc.FontBBox.Xmax, def.Desc.FontBBox.Ymax = scale(bounds.Max.X), -scale(bounds.Min.Y)
	def.Desc.StemV, def.Desc.MissingWidth = stemV, missing
	if post := f.PostTable(); post != nil {
		def.Up = int(post.UnderlinePosition) * 1000 / upem
		def.Ut = int(post.UnderlineThickness) * 1000 / upem
	}
	for c := range 256 {
		def.Cw[c] = missing
		r := rune(c)
		if c >= 0x80 {
			r = cp1257[c-0x80].r
		}
		if c < 0x20 || c == 0x7F || r == 0 {
			continue
		}
		if w, ok := width(r); ok {
			def.Cw[c], drawable[c] = w, true
		}
	}
	drawable[' '] = true

	// The whole upper half is given by name, so the encoding does not depend on the
	// viewer's idea of WinAnsiEncoding, the base fpdf names.
	var diff strings.Builder
	diff.WriteString("128")
	for _, e := range cp1257 {
		n := e.name
		if n == "" {
			n = ".notdef"
		}
		diff.WriteString(" /" + n)
	}
	def.Diff = diff.String()

	sub, err := subsetTTF(ttf, keep)
	if err != nil {
		return fontDef{}, drawable, fmt.Errorf("subset %s: %w", name, err)
	}
	def.OriginalSize = len(sub)
	js, err := json.Marshal(def)
	if err != nil {
		return fontDef{}, drawable, err
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if _, err := zw.Write(sub); err != nil {
		return fontDef{}, drawable, err
	}
	if err := zw.Close(); err != nil {
		return fontDef{}, drawable, err
	}
	return fontDef{json: js, z: z.Bytes()}, drawable, nil
}

func sign(v fixed.Int26_6) int64 {
	if v < 0 {
		return -1
	}
	return 1
}

// fontFile names the embedded program; fpdf needs the ".z" suffix to mark it compressed.
func fontFile(i int) string { return "font" + strconv.Itoa(i) + ".z" }
