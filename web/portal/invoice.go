package portal

import (
	"net/http"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type invoiceData struct {
	Invoice    sqldb.InvoiceRow
	Deliveries []delivery.Delivery
	Print      *sqldb.InvoicePrint
}

// invoice shows one of the customer's invoices with its delivery history: every e-mail
// (to whom, its status, each attempt with its time and the server's reply) or, for a paper
// invoice, its print batch.
func (p *Portal) invoice(w http.ResponseWriter, r *http.Request, rq *request) error {
	number := r.PathValue("number")
	inv, err := p.db().CustomerInvoice(r.Context(), rq.Current.CustomerID, number)
	if err != nil {
		return err
	}
	ds, pr, err := p.db().CustomerInvoiceDeliveries(r.Context(), rq.Current.CustomerID, number)
	if err != nil {
		return err
	}
	p.render(w, r, rq, http.StatusOK, "invoice.html", invoiceData{Invoice: inv, Deliveries: ds, Print: pr})
	return nil
}
