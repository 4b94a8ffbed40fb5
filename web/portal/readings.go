package portal

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
)

// registerRow is one register of a metering point with what the portal shows about it.
type registerRow struct {
	Meter    sqldb.CustomerMeter
	Register string
	Previous *billing.Reading // the latest effective reading
	Due      bool             // the open window still lacks its reading
	InWindow *billing.Reading // the reading of the open window, if any
}

// readingsState is every register of the current customer with the open readings window.
type readingsState struct {
	Today   billing.Date
	Window  billing.Window
	Open    bool // today is inside a readings window
	Rows    []registerRow
	history map[billing.RegisterKey]*billing.RegisterState

	Uploaded int // readings just stored from a file
}

func (p *Portal) readingsState(r *http.Request, customerID int64) (*readingsState, error) {
	ctx := r.Context()
	meters, err := p.db().CustomerMeters(ctx, customerID)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(meters))
	for i, m := range meters {
		codes[i] = m.Code
	}
	st := &readingsState{Today: billing.SubmittedOn(p.Now())}
	rules := p.App.Config.Rules
	st.Window, st.Open = rules.WindowFor(st.Today)
	if !st.Open {
		st.Window = rules.WindowOf(billing.MonthOf(st.Today))
	}
	if st.history, err = p.db().RegisterStates(ctx, codes); err != nil {
		return nil, err
	}
	for _, m := range meters {
		for _, reg := range m.Registers {
			row := registerRow{Meter: m, Register: reg}
			if rs := st.history[billing.RegisterKey{MeteringPoint: m.Code, Register: reg}]; rs != nil {
				if n := len(rs.History.Readings); n > 0 {
					row.Previous = &rs.History.Readings[n-1]
				}
				if in, ok := rs.History.In(st.Window); ok {
					row.InWindow = &in
				}
			}
			row.Due = st.Open && row.InWindow == nil
			st.Rows = append(st.Rows, row)
		}
	}
	return st, nil
}

func (p *Portal) readings(w http.ResponseWriter, r *http.Request, rq *request) error {
	st, err := p.readingsState(r, rq.Current.CustomerID)
	if err != nil {
		return err
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("uploaded")); err == nil && n > 0 {
		st.Uploaded = n
	}
	p.render(w, r, rq, http.StatusOK, "readings.html", st)
	return nil
}

// historyRow is a reading with the consumption since the one before it.
type historyRow struct {
	billing.Reading
	Consumption *decimal.Decimal
}

// historyRows is the register's effective readings, oldest first, each with its consumption
// since the reading before it as billing counts it (billing.Advance: roll-overs, and
// estimates measured from the last actual reading); none for the first reading, or where
// the history fails today's check.
func historyRows(st *billing.RegisterState) []historyRow {
	rs := st.History.Readings
	out := make([]historyRow, len(rs))
	lastActual := decimal.Zero
	for i, r := range rs {
		out[i].Reading = r
		if i == 0 {
			continue
		}
		p := rs[i-1]
		if !p.Estimated() {
			lastActual = p.Value
		}
		if adv, _, err := billing.Advance(p, lastActual, r.Value, st.Digits); err == nil {
			c := billing.Consumption(adv, st.Multiplier)
			out[i].Consumption = &c
		}
	}
	return out
}

type registerData struct {
	Row     registerRow
	History []historyRow
	Chart   *consumptionChart // nil without consumption in the last 24 months
	Today   billing.Date
	Window  billing.Window
	Open    bool
	Saved   string
	Form    readingForm
}

type readingForm struct {
	Date, Value, Reason string
	Confirm             bool // the consumption needs confirming: the form asks for it
	Error               string
}

// findRegister returns the register of the current customer, not found for any other.
func (p *Portal) findRegister(r *http.Request, rq *request) (*readingsState, registerRow, error) {
	st, err := p.readingsState(r, rq.Current.CustomerID)
	if err != nil {
		return nil, registerRow{}, err
	}
	point, reg := r.PathValue("point"), r.PathValue("register")
	for _, row := range st.Rows {
		if row.Meter.Code == point && row.Register == reg {
			return st, row, nil
		}
	}
	return nil, registerRow{}, billing.NotFound("register", point+"/"+reg)
}

func (p *Portal) registerPage(w http.ResponseWriter, r *http.Request, rq *request, st *readingsState, row registerRow, status int, f readingForm) {
	d := registerData{Row: row, Today: st.Today, Window: st.Window, Open: st.Open, Form: f, Saved: r.URL.Query().Get("saved")}
	if d.Form.Date == "" {
		d.Form.Date = st.Today.String()
	}
	if rs := st.history[billing.RegisterKey{MeteringPoint: row.Meter.Code, Register: row.Register}]; rs != nil {
		rows := historyRows(rs)
		last := billing.MonthOf(st.Today).AddMonths(-1)
		if st.Open {
			last = st.Window.Period
		}
		d.Chart = newChart(rq.Lang, monthlyConsumption(p.App.Config.Rules, rows), last)
		slices.Reverse(rows) // newest first
		d.History = rows[:min(len(rows), 24)]
	}
	p.render(w, r, rq, status, "register.html", d)
}

func (p *Portal) register(w http.ResponseWriter, r *http.Request, rq *request) error {
	st, row, err := p.findRegister(r, rq)
	if err != nil {
		return err
	}
	p.registerPage(w, r, rq, st, row, http.StatusOK, readingForm{})
	return nil
}

// parseValue reads a meter value as people type it: "12 345,6" or "12345.6".
func parseValue(s string) (decimal.Decimal, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSpace(s))
	d, err := decimal.NewFromString(s)
	return d, err == nil && s != ""
}

// submitReading passes a reading through the same rules as the CLI and the API. An
// implausible consumption comes back with its reason and a box to confirm it.
func (p *Portal) submitReading(w http.ResponseWriter, r *http.Request, rq *request) error {
	st, row, err := p.findRegister(r, rq)
	if err != nil {
		return err
	}
	f := readingForm{Date: strings.TrimSpace(r.PostFormValue("date")), Value: strings.TrimSpace(r.PostFormValue("value")),
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	again := func(msg string) error {
		f.Error = msg
		p.registerPage(w, r, rq, st, row, http.StatusUnprocessableEntity, f)
		return nil
	}
	date, derr := calendar.ParseDate(f.Date)
	value, vok := parseValue(f.Value)
	switch {
	case derr != nil:
		return again(text(rq.Lang, "readings.baddate"))
	case !vok:
		return again(text(rq.Lang, "readings.badvalue"))
	case len(f.Reason) > 500:
		return again(text(rq.Lang, "readings.longreason"))
	}
	_, err = p.App.AddReading(r.Context(), billing.Submission{
		Key:  billing.RegisterKey{MeteringPoint: row.Meter.Code, Register: row.Register},
		Date: date, Value: value, Source: billing.SourcePortal, By: rq.User.Email, At: p.Now(),
		Confirmed: r.PostFormValue("confirm") == "yes", Reason: f.Reason,
	})
	switch billing.ErrorCode(err) {
	case "":
	case billing.ErrNeedsConfirm:
		f.Confirm = true
		return again(errorMessage(rq.Lang, err))
	case billing.ErrInvalid, billing.ErrConflict:
		return again(errorMessage(rq.Lang, err))
	default:
		return err
	}
	http.Redirect(w, r, "/readings/"+url.PathEscape(row.Meter.Code)+"/"+url.PathEscape(row.Register)+"?saved="+date.String(), http.StatusSeeOther)
	return nil
}
