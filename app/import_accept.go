package app

import (
	"sort"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// registerRun accepts the readings of one register in date order, as Rules.Accept does,
// without the cost that Accept has on a long history: Accept averages the consumption of
// the twelve months before each reading (plausibility, rule 3), which it computes from
// the whole history every time. Here that list comes from a cache of the consumption
// between consecutive readings, and Accept sees only the history from the previous
// reading on, where that gives the same answer; in any other case (a reading before the
// last one, a previous reading that is an estimate, an implausible consumption) Accept
// runs on the whole history, so its answer and its messages are always those of the rules.
type registerRun struct {
	rules billing.Rules
	st    *billing.RegisterState

	// steps[i] is the consumption from reading i-1 to i (ok false when the history says
	// nothing there), with the sum and count of those up to i; valid for the first
	// len(steps) readings.
	steps      []step
	lastActual decimal.Decimal // of the readings up to len(steps)-1
	monthly    []decimal.Decimal
}

type step struct {
	kwh decimal.Decimal
	ok  bool
	sum decimal.Decimal // of the steps up to this one
	n   int
}

func (rr *registerRun) reset(rules billing.Rules, st *billing.RegisterState) {
	rr.rules, rr.st = rules, st
	rr.steps, rr.lastActual = rr.steps[:0], decimal.Zero
}

// accept is Rules.Accept(*rr.st, s); w is the window of s.Date (inWindow false: none).
func (rr *registerRun) accept(s billing.Submission, w billing.Window, inWindow bool) (billing.Accepted, error) {
	h := rr.st.History.Readings
	n := len(h)
	if !inWindow || (n > 0 && h[n-1].Date.After(w.Close)) {
		return rr.rules.Accept(*rr.st, s)
	}
	// prev is the last reading before the window: Accept measures the consumption from it.
	prev := sort.Search(n, func(i int) bool { return !h[i].Date.Before(w.Open) }) - 1
	if prev >= 0 && h[prev].Estimated() {
		return rr.rules.Accept(*rr.st, s)
	}
	// From prev on, the history answers every question of Accept as the whole one does,
	// but has no consumption in the twelve months before the window: plausibility is
	// checked below instead.
	trimmed := *rr.st
	trimmed.History = &billing.History{Digits: rr.st.History.Digits, Multiplier: rr.st.History.Multiplier, Readings: h[max(prev, 0):]}
	acc, err := rr.rules.Accept(trimmed, s)
	if err != nil || acc.Consumption == nil || s.Confirmed {
		return acc, err
	}
	lo, hi := rr.monthlySteps(w.Open)
	if !rr.maybeImplausible(*acc.Consumption, lo, hi) {
		return acc, nil
	}
	if bad, _ := rr.rules.Implausible(*acc.Consumption, rr.monthlyConsumption(lo, hi)); bad {
		return rr.rules.Accept(*rr.st, s) // its message
	}
	return acc, nil
}

// add records an accepted reading in the history.
func (rr *registerRun) add(r billing.Reading) {
	h := rr.st.History
	if n := len(h.Readings); n > 0 && r.Date.Before(h.Readings[n-1].Date) {
		rr.steps, rr.lastActual = rr.steps[:0], decimal.Zero // inserted before the end: recompute
	}
	h.Add(r)
}

// monthlySteps returns the steps that History.MonthlyConsumption(to) lists, steps[lo:hi]
// (those of them that are ok): the consumption of each reading-to-reading step in the
// twelve months before to.
func (rr *registerRun) monthlySteps(to billing.Date) (lo, hi int) {
	h := rr.st.History
	rs := h.Readings
	if len(rr.steps) == 0 && len(rs) > 0 {
		rr.steps = append(rr.steps, step{sum: decimal.Zero}) // reading 0 has no step before it
	}
	for i := len(rr.steps); i < len(rs); i++ {
		p, r := rs[i-1], rs[i]
		if !p.Estimated() {
			rr.lastActual = p.Value
		}
		prev := rr.steps[i-1]
		adv, _, err := billing.Advance(p, rr.lastActual, r.Value, h.Digits)
		if err != nil {
			// History that fails today's check carries no weight.
			rr.steps = append(rr.steps, step{sum: prev.sum, n: prev.n})
			continue
		}
		kwh := billing.Consumption(adv, h.Multiplier)
		rr.steps = append(rr.steps, step{kwh: kwh, ok: true, sum: prev.sum.Add(kwh), n: prev.n + 1})
	}
	// Steps whose readings are both in [from, to).
	from := to.AddMonths(-12)
	first := sort.Search(len(rs), func(i int) bool { return !rs[i].Date.Before(from) })
	lo = max(first+1, 1)
	hi = lo
	for hi < len(rs) && rs[hi].Date.Before(to) {
		hi++
	}
	return lo, hi
}

// maybeImplausible is false when Rules.Implausible certainly finds consumption plausible
// after the steps[lo:hi]: too few of them, or consumption × n within factor × their sum. It
// saves adding up the list for each reading; Implausible decides the rest.
func (rr *registerRun) maybeImplausible(consumption decimal.Decimal, lo, hi int) bool {
	if hi <= lo {
		return false // no history: nothing to compare with
	}
	n := rr.steps[hi-1].n - rr.steps[lo-1].n
	if n == 0 || n < rr.rules.PlausibilityMinimum {
		return false
	}
	sum := rr.steps[hi-1].sum.Sub(rr.steps[lo-1].sum)
	return !sum.IsPositive() || consumption.Mul(decimal.NewFromInt(int64(n))).GreaterThan(sum.Mul(rr.rules.PlausibilityFactor))
}

// monthlyConsumption lists the consumption of the ok steps among steps[lo:hi], in order.
func (rr *registerRun) monthlyConsumption(lo, hi int) []decimal.Decimal {
	out := rr.monthly[:0]
	for i := lo; i < hi; i++ {
		if rr.steps[i].ok {
			out = append(out, rr.steps[i].kwh)
		}
	}
	rr.monthly = out
	return out
}
