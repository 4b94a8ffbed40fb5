package delivery

import (
	"bytes"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/erekins/erekins/document/csvdoc"
)

// PrintEntry is one paper invoice of a print batch, with its stored PDF.
type PrintEntry struct {
	Number        string
	Customer      string
	PostalAddress string // empty: the customer has none, the legal address is used
	LegalAddress  string
	PDF           []byte
}

// Address is where the print house posts the invoice: the postal address, else the legal one.
func (e PrintEntry) Address() string {
	if e.PostalAddress != "" {
		return e.PostalAddress
	}
	return e.LegalAddress
}

// ManifestHeader names the manifest's columns.
var ManifestHeader = []string{"number", "customer", "postal_address", "pages"}

var disableConfigDir sync.Once

// pdfConf is pdfcpu's relaxed configuration, never reading or writing a configuration
// directory in the user's home.
func pdfConf() *model.Configuration {
	disableConfigDir.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// Pages counts the pages of a PDF.
func Pages(pdf []byte) (int, error) {
	return api.PageCount(bytes.NewReader(pdf), pdfConf())
}

// Bundle writes one PDF of the entries' PDFs in their order, for the print house. The same
// entries and date give the same bytes: pdfcpu stamps the time of writing into the document
// information and derives the file identifier from it, so both are replaced by the batch's
// date and a digest of the merged PDFs (stamp), and it numbers and orders objects by map
// iteration, so the file is rewritten canonically (canonical).
func Bundle(w io.Writer, date time.Time, entries []PrintEntry) error {
	if len(entries) == 0 {
		return fmt.Errorf("print bundle: the batch has no invoices")
	}
	rs := make([]io.ReadSeeker, len(entries))
	for i, e := range entries {
		if len(e.PDF) == 0 {
			return fmt.Errorf("print bundle: invoice %s has no stored PDF", e.Number)
		}
		rs[i] = bytes.NewReader(e.PDF)
	}
	conf := pdfConf()
	conf.WriteXRefStream, conf.WriteObjectStream = false, false // plain text for stamp and canonical
	var buf bytes.Buffer
	if err := api.MergeRaw(rs, &buf, false, conf); err != nil {
		return fmt.Errorf("print bundle: %w", err)
	}
	out, err := canonical(stamp(buf.Bytes(), date, entries))
	if err != nil {
		return fmt.Errorf("print bundle: %w", err)
	}
	_, err = w.Write(out)
	return err
}

var (
	infoDate = regexp.MustCompile(`/(CreationDate|ModDate) ?\((D:[0-9]{14}[+-][0-9]{2}'[0-9]{2}')\)`)
	fileID   = regexp.MustCompile(`/ID ?\[ ?<([0-9A-F]{32})> ?<([0-9A-F]{32})> ?\]`)
)

// stamp replaces pdfcpu's time of writing and file identifier at equal length (see Bundle).
func stamp(pdf []byte, date time.Time, entries []PrintEntry) []byte {
	h := md5.New() // a file identifier, as PDF 14.4 suggests, not a security measure
	for _, e := range entries {
		h.Write(e.PDF)
	}
	id := []byte(strings.ToUpper(hex.EncodeToString(h.Sum(nil))))
	for _, m := range infoDate.FindAllSubmatchIndex(pdf, -1) {
		// the same zone as pdfcpu's time.Now, so the same length
		d := time.Date(date.Year(), date.Month(), date.Day(), 0, 0, 0, 0, time.Local)
		if fixed := types.DateString(d); len(fixed) == m[5]-m[4] {
			copy(pdf[m[4]:m[5]], fixed)
		}
	}
	for _, m := range fileID.FindAllSubmatchIndex(pdf, -1) {
		copy(pdf[m[2]:m[3]], id)
		copy(pdf[m[4]:m[5]], id)
	}
	return pdf
}

// Manifest writes the manifest CSV of a batch: number, customer, postal address (else the
// legal address) and pages per invoice, in the bundle's order. It follows the invoice CSV's
// conventions (document/csvdoc): UTF-8 with a byte order mark, ';' between cells, CRLF,
// RFC 4180 quoting, and text that a spreadsheet could run as a formula prefixed with an
// apostrophe.
func Manifest(w io.Writer, entries []PrintEntry) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(ManifestHeader); err != nil {
		return err
	}
	for _, e := range entries {
		pages, err := Pages(e.PDF)
		if err != nil {
			return fmt.Errorf("manifest: pages of %s: %w", e.Number, err)
		}
		if err := cw.Write([]string{neutral(e.Number), neutral(e.Customer), neutral(e.Address()), strconv.Itoa(pages)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// neutral prefixes a formulaic text cell with an apostrophe, as csvdoc does.
func neutral(s string) string {
	if csvdoc.Formulaic(s) {
		return "'" + s
	}
	return s
}
