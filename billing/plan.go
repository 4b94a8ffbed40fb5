package billing

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// ContractState is what billing needs to know of one contract: its data, its registers'
// reading histories, the last period billed and the corrections waiting for a new invoice.
type ContractState struct {
	Contract   Contract
	Customer   Customer
	Histories  map[RegisterKey]*History
	LastBilled Month // zero when no period was billed by erekins
	Rebills    []Rebill
	// HistorySince is the earliest reading date loaded into Histories, when the store
	// loaded only the recent readings that most periods need; zero when it loaded all the
	// history the rules look at. The planner asks for more with ErrShortHistory.
	HistorySince Date
}

// ErrShortHistory is returned by Plan when a contract's period needs older readings than
// were loaded (an estimate, or a previous reading before HistorySince).
var ErrShortHistory = errors.New("more reading history needed")

// Rebill is a billed period whose readings were corrected after issue (rule 10).
type Rebill struct {
	Period      Month
	Current     *Invoice // the document in force for the period
	CorrectedAt time.Time
	Reason      string
}

// Issue is the work of one contract and period, stored in one transaction with everything
// else of its batch: the period claimed (or re-billed), the estimates, the documents.
type Issue struct {
	ContractID int64
	Period     Month
	Rebill     *Rebill // nil for a period billed for the first time
	Estimates  []Reading
	Documents  []*Invoice
}

// Planner decides what to issue on a day (rules 4, 5 and 10) and computes the documents.
type Planner struct {
	Rules    Rules
	Schedule Schedule
	Supplier Supplier
	Plans    map[string]PricePlan
	Now      func() time.Time
}

// Plan returns the issues due for st on today, in order; it extends st's histories with the
// estimates it makes, so that the periods after read them.
func (p *Planner) Plan(st *ContractState, today Date) ([]Issue, error) {
	c := &st.Contract
	plan, ok := p.Plans[c.PricePlan]
	if !ok {
		return nil, Errorf(ErrInvalid, "price_plan", "contract %s: price plan %q not found", c.Number, c.PricePlan)
	}
	var out []Issue
	for i := range st.Rebills {
		rb := &st.Rebills[i]
		if p.Schedule.IssueOnCompletion(SubmittedOn(rb.CorrectedAt)).After(today) {
			continue
		}
		inv, _, err := p.compute(st, plan, rb.Period, today, false)
		if err != nil {
			return nil, fmt.Errorf("contract %s, period %s: %w", c.Number, rb.Period.String()[:7], err)
		}
		cn := CreditNoteFor(rb.Current, rb.Reason)
		// The credit note is issued today, with today's parties, like the invoice beside it.
		cn.IssueDate, cn.CreatedAt = today, p.Now()
		cn.DueDate = DueDate(p.Schedule.Workdays, today, cn.PaymentTermDays)
		cn.Supplier, cn.Customer = inv.Supplier, inv.Customer
		out = append(out, Issue{ContractID: c.ID, Period: rb.Period, Rebill: rb,
			Documents: []*Invoice{cn, inv}})
	}
	for m := p.firstUnbilled(st); !m.After(MonthOf(today)); m = m.AddMonths(1) {
		if !c.End.IsZero() && m.After(c.End) {
			break
		}
		due, estimate := p.due(st, m, today)
		if !due {
			break
		}
		inv, est, err := p.compute(st, plan, m, today, estimate)
		if err != nil {
			return nil, fmt.Errorf("contract %s, period %s: %w", c.Number, m.String()[:7], err)
		}
		out = append(out, Issue{ContractID: c.ID, Period: m, Estimates: est, Documents: []*Invoice{inv}})
	}
	return out, nil
}

func (p *Planner) firstUnbilled(st *ContractState) Month {
	m := MonthOf(st.Contract.Start)
	if !st.Contract.BilledThrough.IsZero() {
		m = maxDate(m, MonthOf(st.Contract.BilledThrough).AddMonths(1))
	}
	if !st.LastBilled.IsZero() {
		m = maxDate(m, st.LastBilled.AddMonths(1))
	}
	return m
}

func maxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

// due reports whether period m is to be issued on today, and whether missing readings are to
// be estimated. Only readings submitted on or before today count.
func (p *Planner) due(st *ContractState, m Month, today Date) (due, estimate bool) {
	w := p.Rules.WindowOf(m)
	keys := registerKeys(&st.Contract)
	complete := len(keys) > 0
	var last Date
	for _, key := range keys {
		r, ok := closing(st.Histories[key], w, today)
		if !ok {
			complete = false
			break
		}
		if d := SubmittedOn(r.SubmittedAt); d.After(last) {
			last = d
		}
	}
	if complete && !p.Schedule.IssueOnCompletion(last).After(today) {
		return true, false
	}
	if !p.Schedule.IssueOnEstimate(m).After(today) {
		return true, !complete
	}
	return false, false
}

// closing is the register's closing reading in w submitted on or before today.
func closing(h *History, w Window, today Date) (Reading, bool) {
	if h == nil {
		return Reading{}, false
	}
	for i := len(h.Readings) - 1; i >= 0; i-- {
		r := h.Readings[i]
		if r.Date.Before(w.Open) {
			break
		}
		if w.Contains(r.Date) && (r.Estimated() || !SubmittedOn(r.SubmittedAt).After(today)) {
			return r, true
		}
	}
	return Reading{}, false
}

func registerKeys(c *Contract) []RegisterKey {
	var keys []RegisterKey
	for _, mp := range c.MeteringPoints {
		for _, reg := range mp.Registers {
			keys = append(keys, RegisterKey{mp.Code, reg})
		}
	}
	return keys
}

// compute builds the invoice of period m, estimating missing closing readings when asked.
func (p *Planner) compute(st *ContractState, plan PricePlan, m Month, today Date, estimate bool) (*Invoice, []Reading, error) {
	c := &st.Contract
	period := Period{Start: maxDate(m, c.Start), End: m.LastOfMonth()}
	if !c.End.IsZero() && c.End.Before(period.End) {
		period.End = c.End
	}
	w := p.Rules.WindowOf(m)
	nregs := len(registerKeys(c))
	if st.Histories == nil {
		st.Histories = make(map[RegisterKey]*History)
	}
	var uses []Use
	var estimates []Reading
	for _, mp := range c.MeteringPoints {
		for _, reg := range mp.Registers {
			key := RegisterKey{mp.Code, reg}
			h := st.Histories[key]
			if h == nil {
				h = &History{Digits: mp.Digits, Multiplier: mp.Multiplier}
				st.Histories[key] = h
			}
			prev, lastActual, hasPrev := h.Before(w.Open)
			cur, ok := closing(h, w, today)
			if !st.HistorySince.IsZero() && (!hasPrev || prev.Estimated() || (!ok && estimate)) {
				return nil, nil, ErrShortHistory
			}
			if !ok {
				if !estimate {
					return nil, nil, Errorf(ErrConflict, "readings", "register %s has no closing reading for %s", key, m.String()[:7])
				}
				if !hasPrev {
					// Nothing to estimate from: an estimate from zero would bill the whole
					// meter at its first actual reading, which is its baseline instead.
					continue
				}
				cur = p.estimate(h, c, mp, key, period, prev, hasPrev, nregs)
				h.Add(cur)
				estimates = append(estimates, cur)
			}
			if !hasPrev {
				continue // the first reading of a register is its baseline
			}
			adv, _, err := Advance(prev, lastActual, cur.Value, mp.Digits)
			if err != nil {
				return nil, nil, fmt.Errorf("register %s: %w", key, err)
			}
			uses = append(uses, Use{MeteringPoint: mp, Register: reg, Previous: prev, Current: cur,
				KWh: Consumption(adv, mp.Multiplier)})
		}
	}
	lines, err := Lines(plan, period, uses, st.Customer.Language)
	if err != nil {
		return nil, nil, err
	}
	eInvoice := c.Delivery.Method == EInvoice
	term := p.Rules.PaymentTerm(c.PaymentTermDays, eInvoice)
	inv := &Invoice{
		Type:              TypeInvoice,
		IssueDate:         today,
		DueDate:           DueDate(p.Schedule.Workdays, today, term),
		PaymentTermDays:   term,
		EInvoice:          eInvoice,
		EInvoiceExtension: p.Rules.EInvoiceExtension,
		MaxPaymentTerm:    p.Rules.MaxPaymentTerm,
		Period:            period,
		Currency:          p.Rules.Currency,
		Language:          st.Customer.Language,
		ContractNumber:    c.Number,
		ContractID:        c.ID,
		CustomerID:        st.Customer.ID,
		Supplier:          p.Supplier,
		Customer:          snapshot(st.Customer),
		Lines:             lines,
		CreatedAt:         p.Now(),
	}
	Summarise(inv)
	return inv, estimates, nil
}

// estimate makes the estimated closing reading of a register (rule 5): the average daily
// consumption of the last 12 months × the days of the period, or, with no history, the
// contract's declared monthly estimate shared equally by its registers.
func (p *Planner) estimate(h *History, c *Contract, mp MeteringPoint, key RegisterKey, period Period, prev Reading, hasPrev bool, nregs int) Reading {
	days := decimal.NewFromInt(int64(period.Start.DaysUntil(period.End) + 1))
	kwh, ok := h.AverageDaily(period.Start)
	if ok {
		kwh = RoundQty(kwh.Mul(days))
	} else {
		monthDays := decimal.NewFromInt(int64(DaysIn(period.Start)))
		kwh = RoundQty(c.MonthlyEstimateKWh.Mul(days).Div(monthDays).Div(decimal.NewFromInt(int64(max(nregs, 1)))))
	}
	if kwh.IsNegative() {
		kwh = decimal.Zero
	}
	base := decimal.Zero
	if hasPrev {
		base = prev.Value
	}
	value := RoundQty(base.Add(kwh.Div(decimal.NewFromInt(int64(mp.Multiplier)))))
	if rng := RegisterRange(mp.Digits); mp.Digits > 0 && value.GreaterThanOrEqual(rng) {
		value = value.Sub(rng)
	}
	return Reading{
		MeteringPoint: key.MeteringPoint,
		Register:      key.Register,
		Date:          period.Start.LastOfMonth(), // always inside the window, even for a part month
		Value:         value,
		Source:        SourceEstimate,
		SubmittedBy:   "erekins",
		SubmittedAt:   p.Now(),
	}
}

// snapshot is the customer as an issued document keeps it.
func snapshot(c Customer) Customer {
	c.Contacts = nil
	return c
}
