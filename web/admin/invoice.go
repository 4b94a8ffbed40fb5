package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type invoiceData struct {
	Invoice    *billing.Invoice
	Formats    []string
	Deliveries []delivery.Delivery
	Print      *sqldb.InvoicePrint
	Resent     string // how many e-mails the last resend queued
	To         string
	Error      string
}

// invoice shows any invoice with its documents and every e-mail with every attempt; the
// portal's reader serves it, with the invoice's own customer.
func (ad *Admin) invoice(w http.ResponseWriter, r *http.Request, rq *request) error {
	return ad.invoicePage(w, r, rq, http.StatusOK, invoiceData{Resent: r.URL.Query().Get("resent")})
}

func (ad *Admin) invoicePage(w http.ResponseWriter, r *http.Request, rq *request, status int, d invoiceData) error {
	ctx, db := r.Context(), ad.App.DB
	number := r.PathValue("number")
	var err error
	if d.Invoice, err = db.Invoice(ctx, number); err != nil {
		return err
	}
	if d.Formats, err = db.AdminInvoiceFormats(ctx, number); err != nil {
		return err
	}
	if d.Deliveries, d.Print, err = db.CustomerInvoiceDeliveries(ctx, d.Invoice.CustomerID, number); err != nil {
		return err
	}
	ad.render(w, r, rq, status, "invoice.html", "Invoice "+number, d)
	return nil
}

var contentTypes = map[string]string{
	billing.FormatPDF: "application/pdf",
	billing.FormatUBL: "application/xml",
	billing.FormatCSV: "text/csv; charset=utf-8",
	"json":            "application/json",
}

// document serves a stored document byte for byte.
func (ad *Admin) document(w http.ResponseWriter, r *http.Request, rq *request) error {
	number, format := r.PathValue("number"), r.PathValue("format")
	ct, ok := contentTypes[format]
	if !ok {
		return billing.NotFound("format", format)
	}
	doc, err := ad.App.DB.Document(r.Context(), number, format)
	if err != nil {
		return err
	}
	ext := map[string]string{billing.FormatUBL: "xml"}[format]
	if ext == "" {
		ext = format
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", `\`, "").Replace(number)+"."+ext+`"`)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+doc.SHA256+`"`)
	w.Write(doc.Content)
	return nil
}

// resend queues the invoice again to its earlier recipients, or to the address given,
// through the delivery service (the path of `erekins delivery resend`), which writes the
// audit entry with the operator as actor in the same transaction.
func (ad *Admin) resend(w http.ResponseWriter, r *http.Request, rq *request) error {
	number := r.PathValue("number")
	to := strings.TrimSpace(r.PostFormValue("to"))
	ds, err := ad.App.Delivery.ResendInvoice(r.Context(), number, to, rq.Operator.Email)
	switch billing.ErrorCode(err) {
	case "":
	case billing.ErrInvalid:
		return ad.invoicePage(w, r, rq, http.StatusUnprocessableEntity, invoiceData{To: to, Error: err.Error()})
	default:
		return err
	}
	back := safeNext(r.PostFormValue("next"))
	if back == "/admin" {
		back = "/admin/invoices/" + url.PathEscape(number)
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(w, r, back+sep+"resent="+strconv.Itoa(len(ds)), http.StatusSeeOther)
	return nil
}
