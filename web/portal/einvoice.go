package portal

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

// einvoiceContract is a contract on the e-invoice page: its settings and what e-invoice
// delivery does to its payment term.
type einvoiceContract struct {
	sqldb.ContractDelivery
	PaperTerm, EInvoiceTerm int // days, from billing.Rules.PaymentTerm
}

// EInvoice reports whether the contract is on e-invoice delivery.
func (c einvoiceContract) EInvoice() bool { return c.Settings.Method == billing.EInvoice }

// Extra is how many days e-invoice adds to the term (0 when the base is already long).
func (c einvoiceContract) Extra() int { return c.EInvoiceTerm - c.PaperTerm }

// HasFormat reports whether the contract's e-mails carry a format.
func (c einvoiceContract) HasFormat(f string) bool { return slices.Contains(c.Settings.Formats, f) }

func (p *Portal) einvoiceContract(c sqldb.ContractDelivery) einvoiceContract {
	r := p.App.Config.Rules
	return einvoiceContract{ContractDelivery: c, PaperTerm: r.PaymentTerm(c.PaymentTermDays, false),
		EInvoiceTerm: r.PaymentTerm(c.PaymentTermDays, true)}
}

type einvoiceListData struct {
	Contracts          []einvoiceContract
	Extension, MaxTerm int
}

// einvoices lists the customer's contracts with their delivery method and terms.
func (p *Portal) einvoices(w http.ResponseWriter, r *http.Request, rq *request) error {
	cs, err := p.db().CustomerContractDeliveries(r.Context(), rq.Current.CustomerID)
	if err != nil {
		return err
	}
	d := einvoiceListData{Extension: p.App.Config.Rules.EInvoiceExtension, MaxTerm: p.App.Config.Rules.MaxPaymentTerm}
	for _, c := range cs {
		d.Contracts = append(d.Contracts, p.einvoiceContract(c))
	}
	p.render(w, r, rq, http.StatusOK, "einvoices.html", d)
	return nil
}

type einvoiceData struct {
	Contract           einvoiceContract
	Extension, MaxTerm int
	// The form as entered: the method, five recipient fields and the optional formats.
	Method     string
	Recipients []string
	UBL, CSV   bool
	Errors     map[string]string // field (method, recipient0…4, recipients) → message key
	Saved      bool
	Confirmed  int // how many new recipients were sent a confirmation
	History    []sqldb.Audit
}

func (p *Portal) einvoicePage(w http.ResponseWriter, r *http.Request, rq *request, status int, d einvoiceData) error {
	c, err := p.db().CustomerContractDelivery(r.Context(), rq.Current.CustomerID, r.PathValue("contract"))
	if err != nil {
		return err
	}
	d.Contract = p.einvoiceContract(c)
	d.Extension, d.MaxTerm = p.App.Config.Rules.EInvoiceExtension, p.App.Config.Rules.MaxPaymentTerm
	if d.Errors == nil { // not a failed form: show what is stored
		d.Method, d.UBL, d.CSV = c.Settings.Method, d.Contract.HasFormat(billing.FormatUBL), d.Contract.HasFormat(billing.FormatCSV)
		d.Recipients = append([]string(nil), c.Settings.Recipients...)
		q := r.URL.Query()
		d.Saved = q.Get("saved") == "1"
		d.Confirmed, _ = strconv.Atoi(q.Get("confirmed"))
	}
	for len(d.Recipients) < delivery.MaxRecipients {
		d.Recipients = append(d.Recipients, "")
	}
	all, err := p.db().AuditLog(r.Context(), "contract", c.Number)
	if err != nil {
		return err
	}
	for i := len(all) - 1; i >= 0; i-- { // newest first
		if all[i].Action == "delivery_settings" {
			d.History = append(d.History, all[i])
		}
	}
	p.render(w, r, rq, status, "einvoice.html", d)
	return nil
}

func (p *Portal) einvoice(w http.ResponseWriter, r *http.Request, rq *request) error {
	return p.einvoicePage(w, r, rq, http.StatusOK, einvoiceData{})
}

// saveEInvoice signs a contract up for e-invoices, changes its recipients and formats, or
// returns it to paper, through the delivery service: audited, and each new recipient gets a
// confirmation e-mail.
func (p *Portal) saveEInvoice(w http.ResponseWriter, r *http.Request, rq *request) error {
	ctx := r.Context()
	number := r.PathValue("contract")
	cur, err := p.db().CustomerContractDelivery(ctx, rq.Current.CustomerID, number)
	if err != nil {
		return err
	}
	d := einvoiceData{Method: r.PostFormValue("method"), Errors: map[string]string{}}
	d.UBL, d.CSV = r.PostFormValue("ubl") != "", r.PostFormValue("csv") != ""
	set := billing.DeliverySettings{Method: d.Method, Formats: []string{billing.FormatPDF}}
	if d.UBL {
		set.Formats = append(set.Formats, billing.FormatUBL)
	}
	if d.CSV {
		set.Formats = append(set.Formats, billing.FormatCSV)
	}
	if d.Method != billing.Paper && d.Method != billing.EInvoice {
		d.Errors["method"] = "einvoice.err.method"
	}
	for i := range delivery.MaxRecipients {
		k := "recipient" + strconv.Itoa(i)
		v := strings.TrimSpace(r.PostFormValue(k))
		d.Recipients = append(d.Recipients, v)
		if v == "" {
			continue
		}
		addr, err := delivery.ParseAddress(v)
		if err != nil {
			d.Errors[k] = "einvoice.err.address"
			continue
		}
		set.Recipients = append(set.Recipients, addr)
	}
	if d.Method == billing.EInvoice && len(set.Recipients) == 0 && len(d.Errors) == 0 {
		d.Errors["recipient0"] = "einvoice.err.none"
	}
	if d.Method == billing.Paper && len(set.Recipients) == 0 {
		set.Recipients = cur.Settings.Recipients // leaving keeps the addresses for a later return
	}
	if len(d.Errors) > 0 {
		return p.einvoicePage(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	ch, err := p.App.Delivery.SetSettings(ctx, cur.Number, set, rq.User.Email)
	if billing.ErrorCode(err) == billing.ErrInvalid {
		d.Errors["recipients"] = "einvoice.err.invalid"
		return p.einvoicePage(w, r, rq, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/einvoice/"+cur.Number+"?saved=1&confirmed="+strconv.Itoa(len(ch.NewRecipients)), http.StatusSeeOther)
	return nil
}
