package ubl

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// writer appends indented XML to a byte slice. Tags are program constants; every text and
// attribute value goes through appendEscaped.
type writer struct {
	b     []byte
	depth int
}

func (w *writer) indent() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, ' ', ' ')
	}
}

func (w *writer) open(tag string) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
	w.depth++
}

func (w *writer) close(tag string) {
	w.depth--
	w.indent()
	w.b = append(w.b, "</"...)
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
}

func (w *writer) end(tag string) {
	w.b = append(w.b, "</"...)
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
}

// elem writes <tag>text</tag>.
func (w *writer) elem(tag, text string) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
	w.b = appendEscaped(w.b, text, false)
	w.end(tag)
}

// opt writes <tag>text</tag> unless text is blank: Peppol forbids empty elements.
func (w *writer) opt(tag, text string) {
	if !blank(text) {
		w.elem(tag, text)
	}
}

// elemAttr writes <tag attr="val">text</tag>.
func (w *writer) elemAttr(tag, attr, val, text string) {
	w.startAttr(tag, attr, val)
	w.b = appendEscaped(w.b, text, false)
	w.end(tag)
}

func (w *writer) startAttr(tag, attr, val string) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, ' ')
	w.b = append(w.b, attr...)
	w.b = append(w.b, '=', '"')
	w.b = appendEscaped(w.b, val, true)
	w.b = append(w.b, '"', '>')
}

// amount writes a monetary amount with two decimals and its currency.
func (w *writer) amount(tag, currency string, d decimal.Decimal) {
	w.startAttr(tag, "currencyID", currency)
	w.b = appendDecimal(w.b, d, 2)
	w.end(tag)
}

// number writes a decimal as it is, without trailing zeros beyond its scale.
func (w *writer) number(tag string, d decimal.Decimal) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
	w.b = appendDecimal(w.b, d, -1)
	w.end(tag)
}

func (w *writer) date(tag string, d billing.Date) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, '>')
	w.b = appendDate(w.b, d)
	w.end(tag)
}

// binary writes <tag mimeCode=… filename=…>base64</tag>.
func (w *writer) binary(tag, mime, filename string, data []byte) {
	w.indent()
	w.b = append(w.b, '<')
	w.b = append(w.b, tag...)
	w.b = append(w.b, ` mimeCode="`...)
	w.b = appendEscaped(w.b, mime, true)
	w.b = append(w.b, `" filename="`...)
	w.b = appendEscaped(w.b, filename, true)
	w.b = append(w.b, '"', '>')
	w.b = base64.StdEncoding.AppendEncode(w.b, data)
	w.end(tag)
}

// appendDate appends d as YYYY-MM-DD.
func appendDate(b []byte, d billing.Date) []byte {
	y, m, day := d.Year(), int(d.Month()), d.Day()
	if y < 1000 {
		b = append(b, "000"[:3-len(strconv.Itoa(y))]...)
	}
	b = strconv.AppendInt(b, int64(y), 10)
	b = append(b, '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
	return b
}

// appendEscaped appends s as XML character data (or, with attr, as an attribute value).
// Markup characters become entities; carriage returns, and in attributes tabs and newlines,
// become character references so that they survive parsing; invalid UTF-8 and characters
// that XML 1.0 does not allow become U+FFFD.
func appendEscaped(b []byte, s string, attr bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '<' && c != '>' && c != '&' && c != '"' && c != '\'' {
			i++
			continue
		}
		var rep string
		width := 1
		switch c {
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '&':
			rep = "&amp;"
		case '"':
			rep = "&quot;"
		case '\'':
			rep = "&apos;"
		case '\r':
			rep = "&#xD;"
		case '\n':
			if !attr {
				i++
				continue
			}
			rep = "&#xA;"
		case '\t':
			if !attr {
				i++
				continue
			}
			rep = "&#x9;"
		default:
			if c < 0x20 {
				rep = "\uFFFD"
				break
			}
			r, n := utf8.DecodeRuneInString(s[i:])
			width = n
			if (r == utf8.RuneError && n == 1) || r == 0xFFFE || r == 0xFFFF {
				rep = "\uFFFD"
				break
			}
			i += n
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, rep...)
		i += width
		start = i
	}
	return append(b, s[start:]...)
}

func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}
