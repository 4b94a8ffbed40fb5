package csvdoc

import (
	"fmt"
	"io"
	"iter"

	"github.com/xuri/excelize/v2"

	"github.com/erekins/erekins/billing"
)

// sheetNames are the worksheet's name per language.
var sheetNames = map[string]string{billing.Latvian: "Rēķini", billing.English: "Invoices"}

// XLSX writes invs as a workbook with one sheet of the same columns and rows as the CSV,
// for the archive export. Cells are typed: numbers are numeric cells with a number format of
// their column's decimal places, dates are dates shown as YYYY-MM-DD, "estimated" is a
// boolean, and text is text, which a spreadsheet never runs as a formula, so it is written
// as it is. The header row is bold and frozen. lang ("lv" or "en") names the sheet.
//
// Spreadsheet numbers are binary floating point: every value is converted from its decimal
// once, exactly for the up to 15 significant digits a spreadsheet keeps; a value with more
// digits is an error.
func XLSX(w io.Writer, invs iter.Seq[*billing.Invoice], lang string) (err error) {
	sheet, ok := sheetNames[lang]
	if !ok {
		return fmt.Errorf("xlsx: language %q: must be %q or %q", lang, billing.Latvian, billing.English)
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("xlsx: %w", cerr)
		}
	}()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx: styles: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	for i, width := range columnWidths() {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	values := make([]any, len(Header))
	for i, name := range Header {
		values[i] = excelize.Cell{StyleID: st.header, Value: name}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return fmt.Errorf("xlsx: header: %w", err)
	}
	cells := make([]cell, 0, len(Header))
	r := 2
	for inv := range invs {
		for i := range inv.Lines {
			cells = row(cells[:0], inv, i)
			for c := range cells {
				if values[c], err = st.value(&cells[c]); err != nil {
					return fmt.Errorf("xlsx: invoice %s line %d %s: %w", inv.Number, i+1, Header[c], err)
				}
			}
			ref, err := excelize.CoordinatesToCellName(1, r)
			if err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
			if err := sw.SetRow(ref, values); err != nil {
				return fmt.Errorf("xlsx: invoice %s line %d: %w", inv.Number, i+1, err)
			}
			r++
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

// styles are the workbook's cell styles.
type styles struct {
	header, date, integer int
	decimal               map[int32]int // by decimal places
}

func newStyles(f *excelize.File) (*styles, error) {
	st := &styles{decimal: map[int32]int{}}
	var err error
	if st.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	iso := "yyyy-mm-dd"
	if st.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &iso}); err != nil {
		return nil, err
	}
	if st.integer, err = f.NewStyle(&excelize.Style{NumFmt: 1}); err != nil { // 0
		return nil, err
	}
	for places, format := range map[int32]string{qtyPlaces: "#,##0.000", pricePlaces: "0.000000", moneyPlaces: "#,##0.00"} {
		if st.decimal[places], err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// value is c as a StreamWriter cell.
func (st *styles) value(c *cell) (any, error) {
	switch c.kind {
	case kindText:
		return c.text, nil
	case kindDate:
		return excelize.Cell{StyleID: st.date, Value: c.date.Time()}, nil
	case kindDecimal:
		if err := checkPlaces(c.dec, c.places); err != nil {
			return nil, err
		}
		if c.dec.NumDigits() > 15 {
			return nil, fmt.Errorf("%s has more than the 15 significant digits of a spreadsheet number", c.dec)
		}
		return excelize.Cell{StyleID: st.decimal[c.places], Value: c.dec.InexactFloat64()}, nil
	case kindInt:
		return excelize.Cell{StyleID: st.integer, Value: c.num}, nil
	case kindBool:
		return c.flag, nil
	}
	return nil, nil
}

// columnWidths are the sheet's column widths, in characters, from the column kinds.
func columnWidths() []float64 {
	widths := make([]float64, len(Header))
	for i, name := range Header {
		switch name {
		case "customer_name", "description":
			widths[i] = 32
		case "customer_registration_number", "customer_vat_number", "payment_reference":
			widths[i] = 18
		default:
			widths[i] = max(11, float64(len(name))*0.9)
		}
	}
	return widths
}
