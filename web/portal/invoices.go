package portal

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/store/sqldb"
)

const pageSize = 25

// Download formats: the URL names them as people know them; the store by its own codes.
var downloads = map[string]struct{ format, contentType, ext string }{
	"pdf": {billing.FormatPDF, "application/pdf", ".pdf"},
	"xml": {billing.FormatUBL, "application/xml", ".xml"},
	"csv": {billing.FormatCSV, "text/csv; charset=utf-8", ".csv"},
}

type invoicesData struct {
	Rows       []archiveRow
	Contracts  []string
	Contract   string
	From, To   string // YYYY-MM
	Type       string
	Status     string // one of sqldb.InvoiceStatuses, or empty
	Statuses   []string
	Page, Last int
	Total      int
	ZipMax     int        // how many files one ZIP holds
	Query      url.Values // the filters, for the pagination links and the ZIP form
	Error      string     // a text key: a filter the page could not read, and ignored
	errField   string     // … and the query parameter it is about
}

// archiveRow is a listed document with its status on the business date, its texts already
// in the page's language: the archive lists each row twice (a table, and cards for phones),
// and formatting once in Go instead of in the template halves the page's cost.
type archiveRow struct {
	Number, Contract string
	TypeText         string // "Invoice" or "Credit note"
	Estimated        bool
	Period           string // "01.10.2026 – 31.10.2026"
	Issued, Due      string
	Amount           string // the amount payable
	Status           string // sqldb.StatusOpen, StatusPastDue or StatusCorrected; empty for a credit note
	StatusText       string
	CorrectedBy      string // the credit note that corrects it
	Corrects         string // for a credit note: the invoice it corrects
}

// PageURL is the archive URL of page n with the current filters.
func (d invoicesData) PageURL(n int) string {
	q := url.Values{}
	for k, v := range d.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "/invoices?" + q.Encode()
}

// ExportURL is the URL of the filtered archive as one file of the format.
func (d invoicesData) ExportURL(format string) string {
	q := url.Values{}
	for k, v := range d.Query {
		q[k] = v
	}
	q.Set("format", format)
	return "/invoices/export?" + q.Encode()
}

func parseMonth(s string) (billing.Month, bool) {
	if s == "" {
		return billing.Month{}, true
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return billing.Month{}, false
	}
	return calendar.NewDate(t.Year(), t.Month(), 1), true
}

// filterKeys are the archive's filters as query parameters.
var filterKeys = []string{"contract", "from", "to", "type", "status"}

// filter reads the archive's filters from the query: the listing's, the export's and the
// ZIP's. Statuses are judged on today's business date in Riga, by the portal's clock.
func (p *Portal) filter(r *http.Request, rq *request) (invoicesData, sqldb.CustomerInvoiceFilter, error) {
	q := r.URL.Query()
	d := invoicesData{Contract: q.Get("contract"), From: q.Get("from"), To: q.Get("to"), Type: q.Get("type"), Status: q.Get("status"),
		Statuses: sqldb.InvoiceStatuses, Query: url.Values{}}
	for _, k := range filterKeys {
		if v := q.Get(k); v != "" {
			d.Query.Set(k, v)
		}
	}
	var err error
	if d.Contracts, err = p.db().CustomerContracts(r.Context(), rq.Current.CustomerID); err != nil {
		return d, sqldb.CustomerInvoiceFilter{}, err
	}
	f := sqldb.CustomerInvoiceFilter{CustomerID: rq.Current.CustomerID, Contract: d.Contract, Today: calendar.DateOf(p.Now())}
	from, ok1 := parseMonth(d.From)
	to, ok2 := parseMonth(d.To)
	if !ok1 || !ok2 {
		d.Error, d.errField = "invoices.badperiod", "from"
	}
	f.From, f.To = from, to
	switch d.Type {
	case "", "invoice", "credit_note":
		f.Type = d.Type
	default:
		d.Type = ""
	}
	switch {
	case d.Status == "" || slices.Contains(sqldb.InvoiceStatuses, d.Status):
		f.Status = d.Status
	default:
		d.Status, d.Error, d.errField = "", "invoices.badstatus", "status"
		d.Query.Del("status")
	}
	return d, f, nil
}

// refuse is the error for a filter that a file cannot be made with (the listing shows it and
// goes on without the filter; a download must not silently hold something else).
func (d invoicesData) refuse() error {
	if d.Error == "" {
		return nil
	}
	if d.errField == "status" {
		return billing.Errorf(billing.ErrInvalid, "status", "must be one of %s", strings.Join(sqldb.InvoiceStatuses, ", "))
	}
	return billing.Errorf(billing.ErrInvalid, d.errField, "give periods as YYYY-MM")
}

func (p *Portal) invoices(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, f, err := p.filter(r, rq)
	if err != nil {
		return err
	}
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	d.Page = max(d.Page, 1)
	f.Limit, f.Offset = pageSize, (d.Page-1)*pageSize
	rows, total, err := p.db().CustomerInvoices(r.Context(), f)
	if err != nil {
		return err
	}
	if d.Rows, err = p.archiveRows(r, rq, rows, f.Today); err != nil {
		return err
	}
	d.Total, d.ZipMax = total, maxZip
	d.Last = max((d.Total+pageSize-1)/pageSize, 1)
	p.render(w, r, rq, http.StatusOK, "invoices.html", d)
	return nil
}

// archiveRows gives the listed documents their status on the business date today.
func (p *Portal) archiveRows(r *http.Request, rq *request, rows []sqldb.InvoiceRow, today billing.Date) ([]archiveRow, error) {
	numbers := make([]string, len(rows))
	for i, row := range rows {
		numbers[i] = row.Number
	}
	corrections, err := p.db().CustomerCorrections(r.Context(), rq.Current.CustomerID, numbers)
	if err != nil {
		return nil, err
	}
	lang := rq.Lang
	out := make([]archiveRow, len(rows))
	for i, row := range rows {
		cn, corrected := corrections[row.Number]
		a := archiveRow{Number: row.Number, Contract: row.Contract, TypeText: text(lang, "type."+row.Type), Estimated: row.Estimated,
			Period: formatDate(lang, row.Period.Start) + " – " + formatDate(lang, row.Period.End),
			Issued: formatDate(lang, row.IssueDate), Due: formatDate(lang, row.DueDate), Amount: formatMoney(lang, row.Payable),
			Status: sqldb.InvoiceStatus(row, today, corrected), CorrectedBy: cn, Corrects: row.Corrects}
		if a.Status != "" {
			a.StatusText = text(lang, "archive.status."+a.Status)
		}
		out[i] = a
	}
	return out, nil
}

// maxExport is how many documents one archive export holds.
const maxExport = 5000

// export serves the filtered archive as one CSV or XLSX file, oldest first, in the number
// format of the portal's language.
func (p *Portal) export(w http.ResponseWriter, r *http.Request, rq *request) error {
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		return billing.Errorf(billing.ErrInvalid, "format", "%q: must be csv or xlsx", format)
	}
	numbers, err := p.filtered(r, rq, maxExport)
	if err != nil {
		return err
	}
	invs := make([]*billing.Invoice, 0, len(numbers))
	for _, n := range slices.Backward(numbers) {
		inv, err := p.db().CustomerInvoiceDocument(r.Context(), rq.Current.CustomerID, n)
		if err != nil {
			return err
		}
		invs = append(invs, inv)
	}
	var buf bytes.Buffer
	h := w.Header()
	if format == "xlsx" {
		err = csvdoc.XLSX(&buf, slices.Values(invs), rq.Lang)
		h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		cw := csvdoc.NewWriter(&buf, csvdoc.Options{Language: rq.Lang})
		for _, inv := range invs {
			if err = cw.Write(inv); err != nil {
				break
			}
		}
		if cerr := cw.Close(); err == nil {
			err = cerr
		}
		h.Set("Content-Type", "text/csv; charset=utf-8")
	}
	if err != nil {
		return err
	}
	h.Set("Content-Disposition", `attachment; filename="invoices.`+format+`"`)
	h.Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
	return nil
}

// document serves a stored document of the current customer's invoice, byte for byte as
// issued, with its SHA-256 as the ETag.
func (p *Portal) document(w http.ResponseWriter, r *http.Request, rq *request) error {
	number := r.PathValue("number")
	dl, ok := downloads[r.PathValue("format")]
	if !ok {
		return billing.NotFound("format", r.PathValue("format"))
	}
	doc, err := p.db().CustomerDocument(r.Context(), rq.Current.CustomerID, number, dl.format)
	if err != nil {
		return err
	}
	etag := `"` + doc.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", dl.contentType)
	h.Set("Content-Disposition", `attachment; filename="`+number+dl.ext+`"`)
	h.Set("Content-Length", strconv.Itoa(len(doc.Content)))
	w.Write(doc.Content)
	return nil
}

// maxZip is how many documents one ZIP holds.
const maxZip = 100

// invoicesZip serves the chosen documents of the current customer in one ZIP: the ticked
// ones, or with "all" every one that matches the archive's filters. Every one is checked
// before the first byte is sent, so a foreign number fails the whole request.
func (p *Portal) invoicesZip(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	numbers, formats := q["number"], q["format"]
	if len(formats) == 0 {
		formats = []string{"pdf"}
	}
	if q.Get("all") != "" {
		var err error
		if numbers, err = p.filtered(r, rq, maxZip/len(formats)); err != nil {
			return err
		}
	}
	if len(numbers) == 0 || len(numbers)*len(formats) > maxZip {
		return billing.Errorf(billing.ErrInvalid, "number", "choose 1 to %d documents", maxZip)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	seen := map[string]bool{}
	for _, n := range numbers {
		for _, f := range formats {
			dl, ok := downloads[f]
			if !ok {
				return billing.NotFound("format", f)
			}
			name := n + dl.ext
			if seen[name] {
				continue
			}
			seen[name] = true
			doc, err := p.db().CustomerDocument(r.Context(), rq.Current.CustomerID, n, dl.format)
			if err != nil {
				return err
			}
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: p.Now()})
			if err != nil {
				return err
			}
			if _, err := fw.Write(doc.Content); err != nil {
				return err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="invoices.zip"`)
	h.Set("Cache-Control", "private, no-store")
	w.Write(buf.Bytes())
	return nil
}

// filtered is the numbers of the documents that match the archive's filters, newest first,
// or an error when there are more than limit.
func (p *Portal) filtered(r *http.Request, rq *request, limit int) ([]string, error) {
	d, f, err := p.filter(r, rq)
	if err != nil {
		return nil, err
	}
	if err := d.refuse(); err != nil {
		return nil, err
	}
	if d.Contract != "" && !slices.Contains(d.Contracts, d.Contract) {
		return nil, billing.NotFound("contract", d.Contract)
	}
	f.Limit = limit + 1
	rows, _, err := p.db().CustomerInvoices(r.Context(), f)
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		return nil, billing.Errorf(billing.ErrInvalid, "from", "more than %d documents match: choose a shorter period or a narrower filter", limit)
	}
	numbers := make([]string, len(rows))
	for i, row := range rows {
		numbers[i] = row.Number
	}
	return numbers, nil
}
