package pdf

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// subsetTTF returns a copy of a TrueType font in which only the glyphs listed in keep (and
// the components of composite ones) have outlines; every other glyph is left empty. Glyph
// numbers, the character map and the metrics stay as they are, so the font still works
// with the same widths; only its size shrinks, to what Windows-1257 text can use. Tables
// that only layout engines read (kerning, OpenType layout) are dropped and the glyph names
// of "post" with them, since the PDF names glyphs itself.
func subsetTTF(ttf []byte, keep map[uint16]bool) ([]byte, error) {
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
	head, loca, glyf, maxp := tables["head"], tables["loca"], tables["glyf"], tables["maxp"]
	if len(head) < 54 || len(maxp) < 6 || glyf == nil || loca == nil {
		return nil, fmt.Errorf("font lacks head, maxp, loca or glyf")
	}
	numGlyphs := int(be.Uint16(maxp[4:]))
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

	// Add the components of composite glyphs, transitively.
	keep[0] = true // .notdef
	queue := make([]uint16, 0, len(keep))
	for g := range keep {
		queue = append(queue, g)
	}
	for len(queue) > 0 {
		g := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if int(g) >= numGlyphs {
			continue
		}
		a, b, err := offset(int(g))
		if err != nil {
			return nil, err
		}
		data := glyf[a:b]
		if len(data) < 10 || int16(be.Uint16(data)) >= 0 {
			continue // empty or simple glyph
		}
		for p := 10; p+4 <= len(data); {
			flags := be.Uint16(data[p:])
			comp := be.Uint16(data[p+2:])
			if !keep[comp] {
				keep[comp] = true
				queue = append(queue, comp)
			}
			p += 4
			if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
				p += 4
			} else {
				p += 2
			}
			switch {
			case flags&0x0008 != 0: // WE_HAVE_A_SCALE
				p += 2
			case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
				p += 4
			case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
				p += 8
			}
			if flags&0x0020 == 0 { // MORE_COMPONENTS
				break
			}
		}
	}

	// New glyf and (long) loca.
	newGlyf := make([]byte, 0, len(glyf)/2)
	newLoca := make([]byte, 4*(numGlyphs+1))
	for g := range numGlyphs {
		be.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if !keep[uint16(g)] {
			continue
		}
		a, b, err := offset(g)
		if err != nil {
			return nil, err
		}
		newGlyf = append(newGlyf, glyf[a:b]...)
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
	}
	be.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))

	newHead := append([]byte(nil), head...)
	be.PutUint16(newHead[50:], 1) // indexToLocFormat: long
	be.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below

	out := map[string][]byte{"glyf": newGlyf, "loca": newLoca, "head": newHead}
	for _, tag := range []string{"cmap", "hhea", "hmtx", "maxp", "name", "OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if t, ok := tables[tag]; ok {
			out[tag] = t
		}
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
