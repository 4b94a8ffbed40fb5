package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type customersData struct {
	Q     string
	Hits  []sqldb.CustomerHit
	Pager pager
}

// customers searches by name (a substring, ignoring case), registration number, contract
// number or metering point code.
func (ad *Admin) customers(w http.ResponseWriter, r *http.Request, rq *request) error {
	d := customersData{Q: strings.TrimSpace(r.URL.Query().Get("q")), Pager: newPager(r, ad.PageSize)}
	if len(d.Q) > 200 {
		return billing.Errorf(billing.ErrInvalid, "q", "a search of at most 200 characters")
	}
	hits, total, err := ad.App.DB.AdminSearchCustomers(r.Context(), d.Q, d.Pager.Limit, d.Pager.Offset)
	if err != nil {
		return err
	}
	d.Hits, d.Pager = hits, d.Pager.with(total)
	ad.render(w, r, rq, http.StatusOK, "customers.html", "Customers", d)
	return nil
}

// registerView is a register of a customer with its latest readings, newest first.
type registerView struct {
	Meter    sqldb.CustomerMeter
	Register string
	Recent   []billing.Reading
}

type customerData struct {
	ID         int64
	Customer   billing.Customer
	Contracts  []sqldb.ContractDelivery
	Registers  []registerView
	Invoices   []sqldb.InvoiceRow
	Deliveries []delivery.Delivery
	Users      []sqldb.CustomerUser
	TwoFactor  map[int64]bool // the users with the second factor on
	Audit      []sqldb.Audit
}

func customerID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, billing.NotFound("customer", r.PathValue("id"))
	}
	return id, nil
}

// customer shows everything about one customer.
func (ad *Admin) customer(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx, db := r.Context(), ad.App.DB
	id, err := customerID(r)
	if err != nil {
		return err
	}
	d := customerData{ID: id}
	if d.Customer, err = db.Customer(ctx, id); err != nil {
		return err
	}
	if d.Contracts, err = db.CustomerContractDeliveries(ctx, id); err != nil {
		return err
	}
	meters, err := db.CustomerMeters(ctx, id)
	if err != nil {
		return err
	}
	codes := make([]string, len(meters))
	for i, m := range meters {
		codes[i] = m.Code
	}
	states, err := db.RegisterStates(ctx, codes)
	if err != nil {
		return err
	}
	for _, m := range meters {
		for _, reg := range m.Registers {
			v := registerView{Meter: m, Register: reg}
			if st := states[billing.RegisterKey{MeteringPoint: m.Code, Register: reg}]; st != nil {
				rs := st.History.Readings
				for i := len(rs) - 1; i >= 0 && len(v.Recent) < 3; i-- {
					v.Recent = append(v.Recent, rs[i])
				}
			}
			d.Registers = append(d.Registers, v)
		}
	}
	if d.Invoices, _, err = db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: id, Limit: 50}); err != nil {
		return err
	}
	if d.Deliveries, err = db.AdminCustomerDeliveries(ctx, id, 50); err != nil {
		return err
	}
	if d.Users, err = db.CustomerUsers(ctx, id); err != nil {
		return err
	}
	if d.TwoFactor, err = db.CustomerTwoFactorUsers(ctx, id); err != nil {
		return err
	}
	if d.Audit, err = db.AdminCustomerAudit(ctx, id, 100); err != nil {
		return err
	}
	ad.render(w, r, rq, http.StatusOK, "customer.html", d.Customer.Name, d)
	return nil
}
