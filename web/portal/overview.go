package portal

import (
	"net/http"

	"github.com/erekins/erekins/store/sqldb"
)

type overviewData struct {
	Current  *sqldb.InvoiceRow
	Readings *readingsState
	Due      []registerRow
}

// overview shows what needs attention: the latest invoice and the readings still due.
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
