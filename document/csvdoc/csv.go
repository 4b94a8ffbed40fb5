package csvdoc

import (
	"fmt"
	"strconv"
	"time"

	"github.com/erekins/erekins/billing"
)

// Options choose the number format of a CSV.
type Options struct {
	// Language ("lv" or "en") chooses the decimal separator: a comma for Latvian, a point
	// for English. Empty means the invoice's language for Render and Latvian for a Writer,
	// whose file holds many customers' invoices.
	Language string
	// Decimal, when set, is the decimal separator (',' or '.') whatever the language.
	Decimal byte
}

// separator resolves the decimal separator; fallback is the language to use when none is set.
func (o Options) separator(fallback string) (byte, error) {
	switch o.Decimal {
	case ',', '.':
		return o.Decimal, nil
	case 0:
	default:
		return 0, fmt.Errorf("csv: decimal separator %q: must be ',' or '.'", o.Decimal)
	}
	lang := o.Language
	if lang == "" {
		lang = fallback
	}
	switch lang {
	case billing.Latvian, "":
		return ',', nil
	case billing.English:
		return '.', nil
	}
	return 0, fmt.Errorf("csv: language %q: must be %q or %q", lang, billing.Latvian, billing.English)
}

const (
	delimiter = ';'
	bom       = "\uFEFF"
	crlf      = "\r\n"
)

// preamble is the byte order mark and the header line.
var preamble = func() []byte {
	b := []byte(bom)
	for i, name := range Header {
		if i > 0 {
			b = append(b, delimiter)
		}
		b = append(b, name...)
	}
	return append(b, crlf...)
}()

// Render renders one invoice as a CSV file: the byte order mark, the header and one row per
// line.
func Render(inv *billing.Invoice, opt Options) ([]byte, error) {
	sep, err := opt.separator(inv.Language)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 0, len(preamble)+len(inv.Lines)*400)
	buf = append(buf, preamble...)
	var cells [40]cell
	return appendInvoice(buf, cells[:0], inv, sep)
}

// appendInvoice appends the rows of inv to dst; cells is scratch space.
func appendInvoice(dst []byte, cells []cell, inv *billing.Invoice, sep byte) ([]byte, error) {
	var err error
	for i := range inv.Lines {
		cells = row(cells[:0], inv, i)
		for c := range cells {
			if c > 0 {
				dst = append(dst, delimiter)
			}
			if dst, err = appendCell(dst, &cells[c], sep); err != nil {
				return nil, fmt.Errorf("csv: invoice %s line %d %s: %w", inv.Number, i+1, Header[c], err)
			}
		}
		dst = append(dst, crlf...)
	}
	return dst, nil
}

func appendCell(dst []byte, c *cell, sep byte) ([]byte, error) {
	switch c.kind {
	case kindText:
		return appendText(dst, c.text), nil
	case kindDate:
		return c.date.Time().AppendFormat(dst, time.DateOnly), nil
	case kindDecimal:
		return appendFixed(dst, c.dec, c.places, sep)
	case kindInt:
		return strconv.AppendInt(dst, int64(c.num), 10), nil
	case kindBool:
		return strconv.AppendBool(dst, c.flag), nil
	}
	return dst, nil
}

// appendText appends s neutralised against formula injection and quoted when it holds the
// delimiter, a quote or a line break (RFC 4180).
func appendText(dst []byte, s string) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		if b := s[i]; b == delimiter || b == '"' || b == '\n' || b == '\r' {
			quote = true
			break
		}
	}
	if quote {
		dst = append(dst, '"')
	}
	if Formulaic(s) {
		dst = append(dst, '\'')
	}
	if !quote {
		return append(dst, s...)
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// Formulaic reports whether a spreadsheet could run text cell s as a formula, so that the
// CSV prefixes it with an apostrophe: s starts with =, +, -, @, tab or CR, possibly after
// apostrophes (which makes the prefix reversible; see Unneutralise).
func Formulaic(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i == len(s) {
		return false
	}
	switch s[i] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// Unneutralise undoes the apostrophe that the CSV puts before a formulaic text cell: an
// importer that reads the CSV as data gets the original text back.
func Unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && Formulaic(s[1:]) {
		return s[1:]
	}
	return s
}
