package portal

import (
	"net/http"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type overviewData struct {
	Current  *sqldb.InvoiceRow
	Readings *readingsState
	Due      []registerRow
	// Failed are the customer's e-mails that could not be delivered (and were not made good).
	Failed []delivery.Delivery
	// Contracts are the customer's contracts with their delivery and terms, for the e-invoice
	// status and its benefit; nil for roles that do not see e-invoice settings.
	Contracts          []einvoiceContract
	Extension, MaxTerm int
}

// OnEInvoice and OnPaper split the contracts by delivery method.
func (d overviewData) OnEInvoice() (out []einvoiceContract) {
	for _, c := range d.Contracts {
		if c.EInvoice() {
			out = append(out, c)
		}
	}
	return out
}

func (d overviewData) OnPaper() (out []einvoiceContract) {
	for _, c := range d.Contracts {
		if !c.EInvoice() {
			out = append(out, c)
		}
	}
	return out
}

// overview shows what needs attention: the latest invoice, e-mails that failed, the
// e-invoice status with its benefit, and the readings still due.
func (p *Portal) overview(w http.ResponseWriter, r *http.Request, rq *request) error {
	var d overviewData
	if Can(rq.Current.Role, permInvoices) {
		rows, _, err := p.db().CustomerInvoices(r.Context(), sqldb.CustomerInvoiceFilter{CustomerID: rq.Current.CustomerID, Type: "invoice", Limit: 1})
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			d.Current = &rows[0]
		}
	}
	if Can(rq.Current.Role, permEInvoice) {
		var err error
		if d.Failed, err = p.db().CustomerFailedDeliveries(r.Context(), rq.Current.CustomerID, 10); err != nil {
			return err
		}
		cs, err := p.db().CustomerContractDeliveries(r.Context(), rq.Current.CustomerID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			d.Contracts = append(d.Contracts, p.einvoiceContract(c))
		}
		d.Extension, d.MaxTerm = p.App.Config.Rules.EInvoiceExtension, p.App.Config.Rules.MaxPaymentTerm
	}
	if Can(rq.Current.Role, permReadings) {
		st, err := p.readingsState(r, rq.Current.CustomerID)
		if err != nil {
			return err
		}
		d.Readings = st
		for _, row := range st.Rows {
			if row.Due {
				d.Due = append(d.Due, row)
			}
		}
	}
	p.render(w, r, rq, http.StatusOK, "overview.html", d)
	return nil
}
