package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
)

// readingRow is an effective reading with the invoices a correction of it would credit.
type readingRow struct {
	billing.Reading
	Credits []string
}

type registerData struct {
	CustomerID int64
	Customer   string
	Meter      sqldb.CustomerMeter
	Register   string
	Readings   []readingRow // newest first
	Window     billing.Window
	Open       bool
	Saved      string
	Credits    []string // what the correction just saved will credit
	Form       readingForm
}

type readingForm struct {
	Date, Value, Reason string
	Confirm             bool
	Error               string
}

// findRegister returns the customer's register named in the path; another customer's is
// not found, like one that does not exist.
func (ad *Admin) findRegister(r *http.Request) (*registerData, *billing.RegisterState, error) {
	ctx, db := r.Context(), ad.App.DB
	id, err := customerID(r)
	if err != nil {
		return nil, nil, err
	}
	c, err := db.Customer(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	meters, err := db.CustomerMeters(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	point, reg := r.PathValue("point"), r.PathValue("register")
	for _, m := range meters {
		for _, z := range m.Registers {
			if m.Code == point && z == reg {
				st, err := db.RegisterState(ctx, billing.RegisterKey{MeteringPoint: point, Register: reg})
				if err != nil {
					return nil, nil, err
				}
				d := &registerData{CustomerID: id, Customer: c.Name, Meter: m, Register: reg}
				d.Window, d.Open = ad.readingsWindow()
				return d, st, nil
			}
		}
	}
	return nil, nil, billing.NotFound("register", point+"/"+reg)
}

// credits names the invoices in force for the billed periods a reading of that date would
// reopen when corrected: its window's period and the next (the rule in billing.Accept).
func (ad *Admin) credits(r *http.Request, st *billing.RegisterState, months []billing.Month) ([]string, error) {
	var out []string
	for _, m := range months {
		n, err := ad.App.DB.AdminPeriodInvoice(r.Context(), st.ContractID, m)
		if billing.ErrorCode(err) == billing.ErrNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (ad *Admin) registerPage(w http.ResponseWriter, r *http.Request, rq *request, d *registerData, st *billing.RegisterState, status int) error {
	rules := ad.App.Config.Rules
	rs := st.History.Readings
	for i := len(rs) - 1; i >= 0 && len(d.Readings) < 24; i-- {
		row := readingRow{Reading: rs[i]}
		if win, ok := rules.WindowFor(rs[i].Date); ok && !rs[i].Estimated() {
			var months []billing.Month
			for _, m := range []billing.Month{win.Period, win.Period.AddMonths(1)} {
				if st.Billed[m] {
					months = append(months, m)
				}
			}
			var err error
			if row.Credits, err = ad.credits(r, st, months); err != nil {
				return err
			}
		}
		d.Readings = append(d.Readings, row)
	}
	if d.Form.Date == "" {
		d.Form.Date = billing.SubmittedOn(ad.Now()).String()
	}
	ad.render(w, r, rq, status, "register.html", "Register "+d.Meter.Code+" "+d.Register, d)
	return nil
}

func (ad *Admin) register(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, st, err := ad.findRegister(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d.Saved = q.Get("saved")
	if c := q.Get("credits"); c != "" {
		d.Credits = strings.Split(c, ",")
	}
	return ad.registerPage(w, r, rq, d, st, http.StatusOK)
}

// parseValue reads a meter value as people type it: "12 345,6" or "12345.6".
func parseValue(s string) (decimal.Decimal, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(strings.TrimSpace(s))
	d, err := decimal.NewFromString(s)
	return d, err == nil && s != ""
}

// submitReading enters a reading or a correction on the customer's behalf through the
// rules every surface shares (App.AddReading), with source operator and the operator as
// submitter, so the reading's audit entry names the operator. A correction of a billed
// period reopens it, and the next billing run credits the invoice and issues a new one.
func (ad *Admin) submitReading(w http.ResponseWriter, r *http.Request, rq *request) error {
	d, st, err := ad.findRegister(r)
	if err != nil {
		return err
	}
	d.Form = readingForm{Date: strings.TrimSpace(r.PostFormValue("date")), Value: strings.TrimSpace(r.PostFormValue("value")),
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	again := func(msg string) error {
		d.Form.Error = msg
		return ad.registerPage(w, r, rq, d, st, http.StatusUnprocessableEntity)
	}
	date, derr := calendar.ParseDate(d.Form.Date)
	value, vok := parseValue(d.Form.Value)
	switch {
	case derr != nil:
		return again("date: give the reading's date as YYYY-MM-DD")
	case !vok:
		return again("value: give the meter value as a number")
	case len(d.Form.Reason) > 500:
		return again("reason: at most 500 characters")
	}
	acc, err := ad.App.AddReading(r.Context(), billing.Submission{
		Key:  billing.RegisterKey{MeteringPoint: d.Meter.Code, Register: d.Register},
		Date: date, Value: value, Source: billing.SourceOperator, By: rq.Operator.Email, At: ad.Now(),
		Confirmed: r.PostFormValue("confirm") == "yes", Reason: d.Form.Reason,
	})
	switch billing.ErrorCode(err) {
	case "":
	case billing.ErrNeedsConfirm:
		d.Form.Confirm = true
		return again(err.Error())
	case billing.ErrInvalid, billing.ErrConflict:
		return again(err.Error())
	default:
		return err
	}
	credits, err := ad.credits(r, st, acc.Rebill)
	if err != nil {
		return err
	}
	q := url.Values{"saved": {date.String()}}
	if len(credits) > 0 {
		q.Set("credits", strings.Join(credits, ","))
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/customers/%d/registers/%s/%s?%s", d.CustomerID, url.PathEscape(d.Meter.Code),
		url.PathEscape(d.Register), q.Encode()), http.StatusSeeOther)
	return nil
}
