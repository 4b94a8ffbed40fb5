package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// encoder turns UTF-8 text into the Windows-1257 bytes the document fonts draw. A character
// outside the code page is never drawn as a wrong glyph: it becomes its Latvian-style
// transliteration (Cyrillic), its base letter without the accent (ő → o), a close
// typographic equivalent (− → -), or '?' when nothing fits. It is read-only after newEncoder
// and safe for concurrent use.
type encoder struct {
	low  [0x180]byte // runes below 0x180 (Latin-1 and Latin Extended-A); 0 = not drawable
	high map[rune]byte
}

func newEncoder(drawable [256]bool) *encoder {
	e := &encoder{high: map[rune]byte{}}
	for c := 0x20; c < 0x7F; c++ {
		if drawable[c] {
			e.low[c] = byte(c)
		}
	}
	for i, g := range cp1257 {
		c := 0x80 + i
		if g.r == 0 || !drawable[c] || g.r == 0xAD { // a soft hyphen would print nothing
			continue
		}
		if g.r < rune(len(e.low)) {
			e.low[g.r] = byte(c)
		} else {
			e.high[g.r] = byte(c)
		}
	}
	return e
}

// byteOf is the code page byte of r, if the fonts can draw it.
func (e *encoder) byteOf(r rune) (byte, bool) {
	if r >= 0 && r < rune(len(e.low)) {
		b := e.low[r]
		return b, b != 0
	}
	b, ok := e.high[r]
	return b, ok
}

// encode returns s in Windows-1257 on one line: line breaks and tabs become spaces, other
// control characters are dropped.
func (e *encoder) encode(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = e.appendRune(out, r)
	}
	return string(out)
}

func (e *encoder) appendRune(out []byte, r rune) []byte {
	if b, ok := e.byteOf(r); ok {
		return append(out, b)
	}
	switch {
	case r == '\n' || r == '\r' || r == '\t' || unicode.IsSpace(r):
		return append(out, ' ')
	case r == utf8.RuneError:
		return append(out, '?')
	case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r):
		return out // invisible: zero-width, direction marks, stray combining marks
	}
	if t, ok := translit[r]; ok {
		for _, tr := range t {
			if b, ok := e.byteOf(tr); ok {
				out = append(out, b)
			}
		}
		return out
	}
	// Compatibility decomposition: keep the drawable base characters (ő → o, ﬁ → fi,
	// fullwidth Ａ → A) and drop the marks.
	d := norm.NFKD.String(string(r))
	n := len(out)
	for _, dr := range d {
		if b, ok := e.byteOf(dr); ok {
			out = append(out, b)
		} else if t, ok := translit[dr]; ok {
			out = append(out, e.encode(t)...)
		}
	}
	if len(out) == n {
		out = append(out, '?')
	}
	return out
}

// translit holds the fallbacks that decomposition does not find: Cyrillic in the Latvian
// way (ж → ž, ч → č, ш → š, which the code page has), letters without a decomposition, and
// punctuation.
var translit = func() map[rune]string {
	m := map[rune]string{
		'đ': "d", 'Đ': "D", 'ħ': "h", 'Ħ': "H", 'ı': "i", 'ŀ': "l", 'Ŀ': "L", 'œ': "oe", 'Œ': "OE",
		'ŧ': "t", 'Ŧ': "T", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "Th", 'ĸ': "k", 'ŉ': "n",
		'ə': "e", 'Ə': "E", 'ƒ': "f", 'ſ': "s",
		'−': "-", '‐': "-", '‑': "-", '‒': "–", '―': "—", '′': "'", '″': "\"", '⁄': "/", '№': "Nr.",
	}
	lower := map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "jo", 'ж': "ž", 'з': "z",
		'и': "i", 'й': "j", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r",
		'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "h", 'ц': "c", 'ч': "č", 'ш': "š", 'щ': "šč",
		'ъ': "", 'ы': "i", 'ь': "", 'э': "e", 'ю': "ju", 'я': "ja",
		'і': "i", 'ї': "ji", 'є': "je", 'ґ': "g", 'ў': "u", 'ђ': "dj", 'ј': "j", 'љ': "lj",
		'њ': "nj", 'ћ': "ć", 'џ': "dž", 'ѓ': "g", 'ќ': "k", 'ѕ': "dz",
	}
	for r, t := range lower {
		m[r] = t
		if u := unicode.ToUpper(r); u != r {
			m[u] = upperFirst(t)
		}
	}
	return m
}()

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// clean trims a value for display and collapses runs of white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
