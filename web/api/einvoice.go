package api

import (
	"net/http"
	"strconv"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

type einvoiceJSON struct {
	Contract        string   `json:"contract"`
	Method          string   `json:"method"`
	Recipients      []string `json:"recipients"`
	Formats         []string `json:"formats"`
	PaymentTermDays int      `json:"payment_term_days"`
	Terms           struct {
		Paper    int `json:"paper"`
		EInvoice int `json:"e_invoice"`
	} `json:"terms"`
	ConfirmationsSent *int `json:"confirmations_sent,omitempty"`
}

func (api *API) einvoiceJSON(c sqldb.ContractDelivery) einvoiceJSON {
	rules := api.App.Config.Rules
	out := einvoiceJSON{Contract: c.Number, Method: c.Settings.Method, Recipients: c.Settings.Recipients, Formats: c.Settings.Formats,
		PaymentTermDays: c.PaymentTermDays}
	if out.Recipients == nil {
		out.Recipients = []string{}
	}
	if out.Formats == nil {
		out.Formats = []string{billing.FormatPDF}
	}
	out.Terms.Paper, out.Terms.EInvoice = rules.PaymentTerm(c.PaymentTermDays, false), rules.PaymentTerm(c.PaymentTermDays, true)
	return out
}

// einvoice shows a contract's delivery settings and the payment term each method gives.
func (api *API) einvoice(w http.ResponseWriter, r *http.Request, c *caller) error {
	cd, err := api.App.DB.CustomerContractDelivery(r.Context(), c.Token.CustomerID, r.PathValue("contract"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, marshal(api.einvoiceJSON(cd)))
	return nil
}

// setEInvoice changes a contract's delivery method, recipients and formats through
// delivery.Service.SetSettings, as the portal does: audited, and each new recipient gets a
// confirmation e-mail. Going back to paper without recipients keeps the stored ones.
func (api *API) setEInvoice(w http.ResponseWriter, r *http.Request, c *caller) error {
	ctx := r.Context()
	cur, err := api.App.DB.CustomerContractDelivery(ctx, c.Token.CustomerID, r.PathValue("contract"))
	if err != nil {
		return err
	}
	body, err := readBody(w, r, maxBody)
	if err != nil {
		return err
	}
	var in struct {
		Method     string   `json:"method"`
		Recipients []string `json:"recipients"`
		Formats    []string `json:"formats"`
	}
	if err := decodeStrict(body, &in, ""); err != nil {
		return err
	}
	if in.Method != billing.Paper && in.Method != billing.EInvoice {
		return invalid("method", "must be paper or e-invoice")
	}
	if len(in.Recipients) > delivery.MaxRecipients {
		return invalid("recipients", "at most "+strconv.Itoa(delivery.MaxRecipients)+" addresses")
	}
	for i, a := range in.Recipients {
		if _, err := delivery.ParseAddress(a); err != nil {
			return invalid("recipients["+strconv.Itoa(i)+"]", strconv.Quote(a)+" is not an e-mail address")
		}
	}
	set := billing.DeliverySettings{Method: in.Method, Recipients: in.Recipients, Formats: in.Formats}
	if in.Method == billing.Paper && len(in.Recipients) == 0 {
		set.Recipients = cur.Settings.Recipients
	}
	ch, err := api.App.Delivery.SetSettings(ctx, cur.Number, set, c.Actor)
	if err != nil {
		return err
	}
	cd, err := api.App.DB.CustomerContractDelivery(ctx, c.Token.CustomerID, cur.Number)
	if err != nil {
		return err
	}
	out := api.einvoiceJSON(cd)
	n := len(ch.NewRecipients)
	out.ConfirmationsSent = &n
	writeJSON(w, http.StatusOK, marshal(out))
	return nil
}
