package portal

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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
	Rows       []sqldb.InvoiceRow
	Contracts  []string
	Contract   string
	From, To   string // YYYY-MM
	Type       string
	Page, Last int
	Total      int
	Query      url.Values // the filters, for the pagination links
	Error      string
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

// filter reads the archive's filters from the query: the listing's and the export's.
func (p *Portal) filter(r *http.Request, rq *request) (invoicesData, sqldb.CustomerInvoiceFilter, error) {
	q := r.URL.Query()
	d := invoicesData{Contract: q.Get("contract"), From: q.Get("from"), To: q.Get("to"), Type: q.Get("type"), Query: url.Values{}}
	for _, k := range []string{"contract", "from", "to", "type"} {
		if v := q.Get(k); v != "" {
			d.Query.Set(k, v)
		}
	}
	var err error
	if d.Contracts, err = p.db().CustomerContracts(r.Context(), rq.Current.CustomerID); err != nil {
		return d, sqldb.CustomerInvoiceFilter{}, err
	}
	f := sqldb.CustomerInvoiceFilter{CustomerID: rq.Current.CustomerID, Contract: d.Contract}
	from, ok1 := parseMonth(d.From)
	to, ok2 := parseMonth(d.To)
	if !ok1 || !ok2 {
		d.Error = "invoices.badperiod"
	}
	f.From, f.To = from, to
	switch d.Type {
	case "", "invoice", "credit_note":
		f.Type = d.Type
	default:
		d.Type = ""
	}
	return d, f, nil
}

func (p *Portal) invoices(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, f, err := p.filter(r, rq)
	if err != nil {
		return err
	}
	d.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	d.Page = max(d.Page, 1)
	f.Limit, f.Offset = pageSize, (d.Page-1)*pageSize
	if d.Rows, d.Total, err = p.db().CustomerInvoices(r.Context(), f); err != nil {
		return err
	}
	d.Last = max((d.Total+pageSize-1)/pageSize, 1)
	p.render(w, r, rq, http.StatusOK, "invoices.html", d)
	return nil
}

// maxExport is how many documents one archive export holds.
const maxExport = 5000

// export serves the filtered archive as one CSV or XLSX file, oldest first, in the number
// format of the portal's language.
func (p *Portal) export(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, f, err := p.filter(r, rq)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "csv" && format != "xlsx" {
		return billing.Errorf(billing.ErrInvalid, "format", "%q: must be csv or xlsx", format)
	}
	if d.Error != "" {
		return billing.Errorf(billing.ErrInvalid, "from", "give periods as YYYY-MM")
	}
	if d.Contract != "" && !slices.Contains(d.Contracts, d.Contract) {
		return billing.NotFound("contract", d.Contract)
	}
	f.Limit = maxExport + 1
	rows, _, err := p.db().CustomerInvoices(r.Context(), f)
	if err != nil {
		return err
	}
	if len(rows) > maxExport {
		return billing.Errorf(billing.ErrInvalid, "from", "more than %d documents: choose a shorter period", maxExport)
	}
	invs := make([]*billing.Invoice, 0, len(rows))
	for i := len(rows) - 1; i >= 0; i-- {
		inv, err := p.db().CustomerInvoiceDocument(r.Context(), rq.Current.CustomerID, rows[i].Number)
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

// invoicesZip serves the chosen documents of the current customer in one ZIP. Every one is
// checked before the first byte is sent, so a foreign number fails the whole request.
func (p *Portal) invoicesZip(w http.ResponseWriter, r *http.Request, rq *request) error {
	q := r.URL.Query()
	numbers, formats := q["number"], q["format"]
	if len(formats) == 0 {
		formats = []string{"pdf"}
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
