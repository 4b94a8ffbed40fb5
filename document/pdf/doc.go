// Package pdf renders issued invoices and credit notes as print-ready A4 PDF documents in
// the customer's language (Latvian or English): supplier and buyer with their registration
// and VAT numbers, dates and payment terms, a line table per metering point and register
// with readings, the VAT breakdown and totals, and on invoices the payment details with a
// SEPA payment QR code (EPC069-12).
//
// Text is set in Go Regular and Go Bold, embedded in every document with the Windows-1257
// (Baltic) code page and glyph names for every code, so Latvian letters both print and
// extract as text. Characters the code page lacks are transliterated or replaced, never
// drawn as a wrong glyph. The fonts are parsed once, in New; rendering is then a few
// hundred microseconds of CPU per page and safe for concurrent use.
//
// A document depends only on the invoice: its dates come from the invoice and nothing is
// random, so the same invoice always gives the same bytes. docs/pdf.md explains the choices
// and the measurements behind them.
package pdf
