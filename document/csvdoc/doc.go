// Package csvdoc renders invoices as CSV for Excel and accounting systems, and as an XLSX
// workbook for the archive export.
//
// The CSV is UTF-8 with a byte order mark, `;` as delimiter, CRLF line ends and RFC 4180
// quoting. It has one row per invoice line, the invoice's fields repeated on each, under a
// fixed English header (Header; docs/csv.md describes every column). Dates are ISO
// (YYYY-MM-DD). Numbers have fixed decimal places (quantities and readings 3, unit prices 6,
// amounts and VAT rates 2) and the decimal separator of the chosen language: a comma for
// Latvian, a point for English. They are formatted from the decimal values, never through
// binary floating point, and a value with more places than its column allows is an error
// rather than a silent rounding.
//
// Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
// CR) get a leading apostrophe; so does text that already starts with apostrophes followed
// by one of those, so that the rule can be undone without loss. Numbers, negative ones
// included, are never touched.
//
// Render renders one invoice; a Writer streams many into one file; XLSX writes a workbook
// with typed cells.
package csvdoc
