package billing

import (
	"time"

	"github.com/shopspring/decimal"
)

// RegisterState is what accepting a reading needs to know of its register: the meter, the
// reading history, and which periods of the contract are billed already.
type RegisterState struct {
	ContractID     int64
	ContractNumber string
	Digits         int
	Multiplier     int
	History        *History
	BilledThrough  Date           // legacy billing: these periods are closed for good
	Billed         map[Month]bool // periods erekins has billed
}

// Submission is a reading as a person or a system submits it.
type Submission struct {
	Key       RegisterKey
	Date      Date
	Value     decimal.Decimal
	Source    string
	By        string
	At        time.Time // when it was submitted; "now" for every check
	Confirmed bool      // the submitter accepts an implausible consumption
	Reason    string    // required to correct an existing reading
}

// Accepted is the outcome of a valid submission: the reading to store, its consumption when
// there is a previous reading, and the billed periods it reopens for a credit note and a new
// invoice (rule 10).
type Accepted struct {
	Reading     Reading
	Consumption *decimal.Decimal
	Rollover    bool
	Rebill      []Month
}

// Accept applies the reading rules (rule 3 and the readings window of rule 2) to a
// submission. It is the one validation the CLI, import, portal and API share.
func (r Rules) Accept(st RegisterState, s Submission) (Accepted, error) {
	h := st.History
	if h == nil {
		h = &History{}
	}
	switch {
	case s.Value.IsNegative():
		return Accepted{}, Keyed(MsgNegative, ErrInvalid, "value", "must not be negative")
	case s.Value.Exponent() < -3 && !s.Value.Equal(s.Value.Round(3)):
		return Accepted{}, Keyed(MsgDecimals, ErrInvalid, "value", "%s has more than 3 decimals", s.Value)
	case st.Digits > 0 && s.Value.GreaterThanOrEqual(RegisterRange(st.Digits)):
		return Accepted{}, Keyed(MsgTooManyDigits, ErrInvalid, "value", "%s does not fit a %d-digit register", s.Value, st.Digits)
	}
	w, ok := r.WindowFor(s.Date)
	if !ok {
		return Accepted{}, Keyed(MsgOutsideWindow, ErrInvalid, "date",
			"%s is outside every readings window: readings are taken from the %d. of a month to the %d. of the next",
			s.Date, r.WindowOpenDay, r.WindowCloseDay)
	}
	if today := SubmittedOn(s.At); s.Date.After(today) {
		return Accepted{}, Keyed(MsgAfterSubmitted, ErrInvalid, "date", "%s is after the submission date %s", s.Date, today)
	}
	month := w.Period.String()[:7]
	// A period the previous system billed takes its closing reading once, as the history
	// (the baseline) that erekins bills from; it is never corrected here.
	legacy := !st.BilledThrough.IsZero() && !w.Period.After(MonthOf(st.BilledThrough))
	if _, exists := h.In(w); legacy && exists {
		return Accepted{}, Keyed(MsgLegacyBilled, ErrConflict, "date", "%s was billed by the previous system and has its reading; it cannot be corrected here", month)
	}
	out := Accepted{Reading: Reading{
		MeteringPoint: s.Key.MeteringPoint, Register: s.Key.Register, Date: s.Date, Value: s.Value,
		Source: s.Source, SubmittedBy: s.By, SubmittedAt: s.At, Confirmed: s.Confirmed, Reason: s.Reason,
	}}
	if existing, ok := h.In(w); ok {
		switch {
		case existing.Estimated():
			return Accepted{}, Keyed(MsgEstimated, ErrConflict, "date",
				"%s was billed with an estimate for %s; submit the actual reading in the next window and it corrects the estimate", month, s.Key)
		case s.Reason == "":
			return Accepted{}, Keyed(MsgExists, ErrConflict, "reason",
				"%s already has the reading %s of %s for %s; give a reason to correct it", s.Key, existing.Value, existing.Date, month)
		}
		out.Reading.Supersedes = existing.ID
		if st.Billed[w.Period] {
			out.Rebill = append(out.Rebill, w.Period)
		}
		if next := w.Period.AddMonths(1); st.Billed[next] {
			out.Rebill = append(out.Rebill, next)
		}
	} else if st.Billed[w.Period] {
		return Accepted{}, Keyed(MsgBilled, ErrConflict, "date", "%s is already billed; submit the reading in the next window", month)
	}
	prev, lastActual, hasPrev := h.Before(w.Open)
	if hasPrev {
		adv, rollover, err := Advance(prev, lastActual, s.Value, st.Digits)
		if err != nil {
			return Accepted{}, err
		}
		kwh := Consumption(adv, st.Multiplier)
		out.Consumption, out.Rollover = &kwh, rollover
		if bad, avg := r.Implausible(kwh, h.MonthlyConsumption(w.Open)); bad && !s.Confirmed {
			return Accepted{}, Keyed(MsgImplausible, ErrNeedsConfirm, "value",
				"consumption %s kWh is more than %s× the average %s kWh of recent months; confirm to accept it",
				kwh, r.PlausibilityFactor, avg)
		}
	}
	if next, ok := h.After(w.Close); ok && !next.Estimated() {
		if _, _, err := Advance(out.Reading, s.Value, next.Value, st.Digits); err != nil {
			return Accepted{}, Keyed(MsgAboveLater, ErrInvalid, "value", "%s is higher than the later reading %s of %s", s.Value, next.Value, next.Date)
		}
	}
	return out, nil
}
