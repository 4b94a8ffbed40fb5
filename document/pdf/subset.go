package pdf

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// subsetTTF returns a TrueType font that holds only the glyphs of the characters in runes
// (character → glyph number in ttf), the components of composite ones and .notdef, without
// hinting, numbered afresh from 1 in the order of the characters. It is what an embedded
// font of a PDF needs and no more:
//
//   - glyf holds the outlines unchanged but without their TrueType instructions, and the
//     programs they call (fpgm, prep, cvt) and gasp are dropped: PDF viewers and printers
//     rasterise the outlines without hints (pdftoppm's pages are the same pixels);
//   - cmap is a single format 4 subtable (Unicode and Windows Unicode BMP) of the kept
//     characters, which is what viewers look the /Differences glyph names up in;
//   - hmtx, loca (short) and maxp are rebuilt for the new glyph count, hhea's
//     numberOfHMetrics with them; the advances are those of the original glyphs, and the
//     PDF gives its own widths anyway;
//   - name keeps the Windows English records 0–6 (copyright, family, style, unique name,
//     full name, version, PostScript name), not the description, the licence text or the
//     Macintosh copies;
//   - post is version 3 (no glyph names: the PDF names glyphs itself); kerning and OpenType
//     layout tables are dropped, since the PDF positions every glyph.
func subsetTTF(ttf []byte, runes map[rune]uint16) ([]byte, error) {
	be := binary.BigEndian
	if len(ttf) < 12 {
		return nil, fmt.Errorf("font too short")
	}
	numTables := int(be.Uint16(ttf[4:]))
	tables := map[string][]byte{}
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, fmt.Errorf("font table directory truncated")
		}
		tag := string(ttf[rec : rec+4])
		off, n := int(be.Uint32(ttf[rec+8:])), int(be.Uint32(ttf[rec+12:]))
		if off < 0 || n < 0 || off+n > len(ttf) {
			return nil, fmt.Errorf("font table %s out of range", tag)
		}
		tables[tag] = ttf[off : off+n]
	}
	head, loca, glyf, maxp, hhea, hmtx := tables["head"], tables["loca"], tables["glyf"], tables["maxp"], tables["hhea"], tables["hmtx"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 || glyf == nil || loca == nil {
		return nil, fmt.Errorf("font lacks head, hhea, maxp, loca or glyf")
	}
	numGlyphs := int(be.Uint16(maxp[4:]))
	numHMetrics := int(be.Uint16(hhea[34:]))
	if numHMetrics < 1 || numHMetrics > numGlyphs || len(hmtx) < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return nil, fmt.Errorf("font hmtx too short")
	}
	longLoca := be.Uint16(head[50:]) == 1
	offset := func(g int) (int, int, error) {
		var a, b int
		if longLoca {
			if 4*g+8 > len(loca) {
				return 0, 0, fmt.Errorf("loca truncated")
			}
			a, b = int(be.Uint32(loca[4*g:])), int(be.Uint32(loca[4*g+4:]))
		} else {
			if 2*g+4 > len(loca) {
				return 0, 0, fmt.Errorf("loca truncated")
			}
			a, b = 2*int(be.Uint16(loca[2*g:])), 2*int(be.Uint16(loca[2*g+2:]))
		}
		if a > b || b > len(glyf) {
			return 0, 0, fmt.Errorf("glyph %d out of range", g)
		}
		return a, b, nil
	}
	outline := func(g uint16) ([]byte, error) {
		if int(g) >= numGlyphs {
			return nil, fmt.Errorf("glyph %d out of range", g)
		}
		a, b, err := offset(int(g))
		if err != nil {
			return nil, err
		}
		return glyf[a:b], nil
	}

	// The new glyph order: .notdef, the glyphs of the characters in character order (so
	// that runs of characters are runs of glyphs and the cmap has few segments), then the
	// components of composite glyphs.
	chars := make([]rune, 0, len(runes))
	for r := range runes {
		chars = append(chars, r)
	}
	sort.Slice(chars, func(i, j int) bool { return chars[i] < chars[j] })
	newID := map[uint16]uint16{}
	order := []uint16{}
	add := func(g uint16) {
		if _, ok := newID[g]; !ok {
			newID[g] = uint16(len(order))
			order = append(order, g)
		}
	}
	add(0)
	for _, r := range chars {
		add(runes[r])
	}
	for i := 0; i < len(order); i++ { // order grows with the components
		data, err := outline(order[i])
		if err != nil {
			return nil, err
		}
		if len(data) < 10 || int16(be.Uint16(data)) >= 0 {
			continue
		}
		err = compositeRecords(data, func(flags uint16, at int) { add(be.Uint16(data[at:])) })
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", order[i], err)
		}
	}
	if len(order) > 0xFFFF {
		return nil, fmt.Errorf("too many glyphs")
	}

	// glyf without instructions, short loca, hmtx.
	newGlyf := make([]byte, 0, len(glyf)/2)
	newLoca := make([]byte, 2*(len(order)+1))
	newHmtx := make([]byte, 0, 4*len(order))
	maxContours, maxPoints := 0, 0
	for i, g := range order {
		be.PutUint16(newLoca[2*i:], uint16(len(newGlyf)/2))
		adv, lsb := 2*min(int(g), numHMetrics-1), 4*numHMetrics+2*(int(g)-numHMetrics)
		if int(g) < numHMetrics {
			lsb = 4*int(g) + 2
		}
		newHmtx = append(newHmtx, hmtx[2*adv:2*adv+2]...)
		newHmtx = append(newHmtx, hmtx[lsb:lsb+2]...)
		data, err := outline(g)
		if err != nil {
			return nil, err
		}
		if len(data) == 0 {
			continue
		}
		if len(data) < 10 {
			return nil, fmt.Errorf("glyph %d truncated", g)
		}
		start := len(newGlyf)
		if n := int(int16(be.Uint16(data))); n >= 0 {
			// Simple glyph: header and end points, instruction length 0, flags and
			// coordinates.
			p := 10 + 2*n
			if p+2 > len(data) {
				return nil, fmt.Errorf("glyph %d truncated", g)
			}
			il := int(be.Uint16(data[p:]))
			if p+2+il > len(data) {
				return nil, fmt.Errorf("glyph %d truncated", g)
			}
			newGlyf = append(newGlyf, data[:p]...)
			newGlyf = append(newGlyf, 0, 0)
			newGlyf = append(newGlyf, data[p+2+il:]...)
			maxContours = max(maxContours, n)
			if n > 0 {
				maxPoints = max(maxPoints, int(be.Uint16(data[p-2:]))+1)
			}
		} else {
			// Composite glyph: the component records with new glyph numbers and no
			// WE_HAVE_INSTRUCTIONS, without the instructions after them.
			newGlyf = append(newGlyf, data[:compositeEnd(data)]...)
			out := newGlyf[start:]
			_ = compositeRecords(data, func(flags uint16, at int) {
				be.PutUint16(out[at-2:], flags&^0x0100)
				be.PutUint16(out[at:], newID[be.Uint16(data[at:])])
			})
		}
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
	}
	be.PutUint16(newLoca[2*len(order):], uint16(len(newGlyf)/2))
	if len(newGlyf) >= 2*0xFFFF {
		return nil, fmt.Errorf("glyf too long for short loca")
	}

	newHead := append([]byte(nil), head...)
	be.PutUint16(newHead[50:], 0) // indexToLocFormat: short
	be.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below

	newHhea := append([]byte(nil), hhea...)
	be.PutUint16(newHhea[34:], uint16(len(order)))

	newMaxp := append([]byte(nil), maxp...)
	be.PutUint16(newMaxp[4:], uint16(len(order)))
	if len(newMaxp) >= 32 && be.Uint32(newMaxp) == 0x00010000 {
		// No hinting: one zone, no twilight points, storage, functions, instructions.
		if maxPoints > 0 && be.Uint16(newMaxp[6:]) == 0 {
			be.PutUint16(newMaxp[6:], uint16(maxPoints))
			be.PutUint16(newMaxp[8:], uint16(maxContours))
		}
		be.PutUint16(newMaxp[14:], 1)
		for _, at := range []int{16, 18, 20, 22, 24, 26} {
			be.PutUint16(newMaxp[at:], 0)
		}
	}

	out := map[string][]byte{"glyf": newGlyf, "loca": newLoca, "head": newHead, "hhea": newHhea,
		"hmtx": newHmtx, "maxp": newMaxp, "cmap": cmap4(chars, runes, newID)}
	if t, ok := tables["OS/2"]; ok {
		out["OS/2"] = t
	}
	if t, ok := tables["name"]; ok {
		out["name"] = shortName(t)
	}
	if post := tables["post"]; len(post) >= 32 {
		p := append([]byte(nil), post[:32]...)
		be.PutUint32(p, 0x00030000) // version 3: no glyph names
		out["post"] = p
	}

	tags := make([]string, 0, len(out))
	for t := range out {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	font := make([]byte, 12+16*n)
	be.PutUint32(font, be.Uint32(ttf))
	be.PutUint16(font[4:], uint16(n))
	be.PutUint16(font[6:], uint16(searchRange))
	be.PutUint16(font[8:], uint16(entrySelector))
	be.PutUint16(font[10:], uint16(16*n-searchRange))
	headAt := 0
	for i, tag := range tags {
		t := out[tag]
		rec := 12 + 16*i
		copy(font[rec:], tag)
		be.PutUint32(font[rec+4:], checksum(t))
		be.PutUint32(font[rec+8:], uint32(len(font)))
		be.PutUint32(font[rec+12:], uint32(len(t)))
		if tag == "head" {
			headAt = len(font)
		}
		font = append(font, t...)
		for len(font)%4 != 0 {
			font = append(font, 0)
		}
	}
	be.PutUint32(font[headAt+8:], 0xB1B0AFBA-checksum(font))
	return font, nil
}

// compositeRecords calls f with the flags and the offset of the glyph index of every
// component record of composite glyph data.
func compositeRecords(data []byte, f func(flags uint16, at int)) error {
	be := binary.BigEndian
	for p := 10; ; {
		if p+4 > len(data) {
			return fmt.Errorf("composite glyph truncated")
		}
		flags := be.Uint16(data[p:])
		f(flags, p+2)
		p += 4 + compositeArgs(flags)
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			return nil
		}
	}
}

// compositeEnd is the length of the component records of composite glyph data, without
// the instructions that may follow them.
func compositeEnd(data []byte) int {
	be := binary.BigEndian
	p := 10
	for p+4 <= len(data) {
		flags := be.Uint16(data[p:])
		p += 4 + compositeArgs(flags)
		if flags&0x0020 == 0 {
			break
		}
	}
	return min(p, len(data))
}

// compositeArgs is the length of a component record's arguments and transformation.
func compositeArgs(flags uint16) int {
	n := 2
	if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
		n = 4
	}
	switch {
	case flags&0x0008 != 0: // WE_HAVE_A_SCALE
		n += 2
	case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
		n += 4
	case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
		n += 8
	}
	return n
}

// cmap4 is a cmap table with one format 4 subtable, used for both Unicode BMP (0, 3) and
// Windows Unicode BMP (3, 1), that maps the sorted characters chars to their new glyphs.
// Each segment is a run of consecutive characters with consecutive glyph numbers
// (idDelta, no glyphIdArray).
func cmap4(chars []rune, runes map[rune]uint16, newID map[uint16]uint16) []byte {
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, r := range chars {
		if r > 0xFFFE {
			continue
		}
		c, g := uint16(r), newID[runes[r]]
		if l := len(segs) - 1; l >= 0 && segs[l].end+1 == c && segs[l].delta == g-c {
			segs[l].end = c
			continue
		}
		segs = append(segs, seg{c, c, g - c})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	be := binary.BigEndian
	n := len(segs)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 2 << entrySelector
	sub := make([]byte, 14+8*n+2)
	be.PutUint16(sub[0:], 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*n))
	be.PutUint16(sub[8:], uint16(searchRange))
	be.PutUint16(sub[10:], uint16(entrySelector))
	be.PutUint16(sub[12:], uint16(2*n-searchRange))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], s.end)
		be.PutUint16(sub[16+2*n+2*i:], s.start)
		be.PutUint16(sub[16+4*n+2*i:], s.delta)
		// idRangeOffset (sub[16+6*n+2*i:]) stays 0.
	}
	t := make([]byte, 4+2*8, 4+2*8+len(sub))
	be.PutUint16(t[2:], 2)
	for i, pe := range [][2]uint16{{0, 3}, {3, 1}} {
		be.PutUint16(t[4+8*i:], pe[0])
		be.PutUint16(t[6+8*i:], pe[1])
		be.PutUint32(t[8+8*i:], uint32(len(t)))
	}
	return append(t, sub...)
}

// shortName keeps the Windows (platform 3) records 0–6 of a name table.
func shortName(name []byte) []byte {
	be := binary.BigEndian
	if len(name) < 6 {
		return name
	}
	count, strOff := int(be.Uint16(name[2:])), int(be.Uint16(name[4:]))
	type rec struct {
		hdr [10]byte
		s   []byte
	}
	var keep []rec
	for i := range count {
		r := 6 + 12*i
		if r+12 > len(name) {
			break
		}
		platform, id := be.Uint16(name[r:]), be.Uint16(name[r+6:])
		l, o := int(be.Uint16(name[r+8:])), strOff+int(be.Uint16(name[r+10:]))
		if platform != 3 || id > 6 || o+l > len(name) {
			continue
		}
		var k rec
		copy(k.hdr[:], name[r:r+10])
		k.s = name[o : o+l]
		keep = append(keep, k)
	}
	out := make([]byte, 6+12*len(keep))
	be.PutUint16(out[2:], uint16(len(keep)))
	be.PutUint16(out[4:], uint16(len(out)))
	for i, k := range keep {
		r := 6 + 12*i
		copy(out[r:], k.hdr[:])
		be.PutUint16(out[r+10:], uint16(len(out)-6-12*len(keep)))
		out = append(out, k.s...)
	}
	return out
}

// checksum is the TrueType table checksum: the sum of big-endian 32-bit words.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
