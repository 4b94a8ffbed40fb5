package billing

import (
	"github.com/shopspring/decimal"
)

var (
	kwhPlaces   int32 = 3
	moneyPlaces int32 = 2
	hundred           = decimal.NewFromInt(100)
	tenPercent        = decimal.RequireFromString("0.1")
)

// RoundQty rounds a quantity to 3 decimals, half away from zero.
func RoundQty(d decimal.Decimal) decimal.Decimal { return d.Round(kwhPlaces) }

// RoundMoney rounds an amount to 2 decimals, half away from zero (rule 7).
func RoundMoney(d decimal.Decimal) decimal.Decimal { return d.Round(moneyPlaces) }

// RegisterRange is 10^digits, the value at which a register rolls over to zero.
func RegisterRange(digits int) decimal.Decimal {
	return decimal.New(1, int32(digits))
}

// Advance is a register's advance from a previous reading to a new one, in meter units
// (rule 3). lastActual is the last reading that was not an estimate (prev itself when prev
// is actual). A value lower than lastActual is a roll-over when the wrapped advance is below
// 10% of the register's range; otherwise it is rejected. A value lower than an estimate but
// not lower than the last actual reading gives a negative advance that credits the
// over-estimate. Positions are measured forward from lastActual, so an estimate that itself
// rolled the register over is handled too.
func Advance(prev Reading, lastActual decimal.Decimal, value decimal.Decimal, digits int) (adv decimal.Decimal, rollover bool, err error) {
	if !prev.Estimated() {
		lastActual = prev.Value
	}
	to, wrapped, ok := forward(lastActual, value, digits, true)
	if !ok {
		return decimal.Zero, false, Keyed(MsgRollover, ErrInvalid, "value",
			"%s is lower than the last actual reading %s; a roll-over of a %d-digit register would be implausible",
			value, lastActual, digits)
	}
	if !prev.Estimated() {
		return to, wrapped, nil
	}
	// An estimate lower than the last actual reading can only have wrapped: the system
	// never estimates a negative consumption.
	from, estWrapped, ok := forward(lastActual, prev.Value, digits, false)
	if !ok {
		from, estWrapped = prev.Value.Sub(lastActual), false
	}
	return to.Sub(from), wrapped && !estWrapped, nil
}

// forward is the advance from the last actual reading base to value, unwrapping one
// roll-over; with plausible set, a roll-over counts only below 10% of the register's range.
func forward(base, value decimal.Decimal, digits int, plausible bool) (adv decimal.Decimal, wrapped, ok bool) {
	if value.GreaterThanOrEqual(base) {
		return value.Sub(base), false, true
	}
	rng := RegisterRange(digits)
	if digits <= 0 || value.IsNegative() || !value.LessThan(rng) || !base.LessThan(rng) {
		return decimal.Zero, false, false
	}
	w := rng.Sub(base).Add(value)
	if plausible && !w.LessThan(rng.Mul(tenPercent)) {
		return decimal.Zero, false, false
	}
	return w, true, true
}

// Consumption is advance × multiplier in kWh to 3 decimals.
func Consumption(advance decimal.Decimal, multiplier int) decimal.Decimal {
	return RoundQty(advance.Mul(decimal.NewFromInt(int64(multiplier))))
}

// Implausible reports whether consumption exceeds factor × the average of the monthly
// consumptions in history, which must count at least minMonths entries (rule 3). The returned
// average explains the decision to the submitter.
func (r Rules) Implausible(consumption decimal.Decimal, history []decimal.Decimal) (bool, decimal.Decimal) {
	if len(history) < r.PlausibilityMinimum || len(history) == 0 {
		return false, decimal.Zero
	}
	sum := decimal.Zero
	for _, h := range history {
		sum = sum.Add(h)
	}
	n := decimal.NewFromInt(int64(len(history)))
	avg := sum.DivRound(n, kwhPlaces)
	if !sum.IsPositive() {
		return false, avg
	}
	// Compare exactly (consumption × n > factor × sum): the rounded average only explains.
	return consumption.Mul(n).GreaterThan(sum.Mul(r.PlausibilityFactor)), avg
}
