package billing

import (
	"sort"

	"github.com/shopspring/decimal"
)

// RegisterKey names a register: a metering point code and a zone.
type RegisterKey struct {
	MeteringPoint string
	Register      string
}

func (k RegisterKey) String() string { return k.MeteringPoint + "/" + k.Register }

// History is the effective readings of one register (superseded ones left out), sorted by
// date, with the meter's digits and multiplier. The rules that look back (consumption,
// plausibility, estimates) read it.
type History struct {
	Digits     int
	Multiplier int
	Readings   []Reading
}

// Sort orders the readings by date, then by submission.
func (h *History) Sort() {
	sort.SliceStable(h.Readings, func(i, j int) bool {
		a, b := h.Readings[i], h.Readings[j]
		if c := a.Date.Compare(b.Date); c != 0 {
			return c < 0
		}
		return a.SubmittedAt.Before(b.SubmittedAt)
	})
}

// Add inserts a reading in date order.
func (h *History) Add(r Reading) {
	i := sort.Search(len(h.Readings), func(i int) bool { return h.Readings[i].Date.After(r.Date) })
	h.Readings = append(h.Readings, Reading{})
	copy(h.Readings[i+1:], h.Readings[i:])
	h.Readings[i] = r
}

// Before returns the last reading dated before d and the last actual (non-estimate) value
// up to it; ok is false when there is none.
func (h *History) Before(d Date) (prev Reading, lastActual decimal.Decimal, ok bool) {
	i := sort.Search(len(h.Readings), func(i int) bool { return !h.Readings[i].Date.Before(d) })
	if i == 0 {
		return Reading{}, decimal.Zero, false
	}
	prev = h.Readings[i-1]
	lastActual = prev.Value
	for j := i - 1; j >= 0; j-- {
		if !h.Readings[j].Estimated() {
			lastActual = h.Readings[j].Value
			break
		}
	}
	return prev, lastActual, true
}

// In returns the latest reading inside the window.
func (h *History) In(w Window) (Reading, bool) {
	for i := len(h.Readings) - 1; i >= 0; i-- {
		r := h.Readings[i]
		if w.Contains(r.Date) {
			return r, true
		}
		if r.Date.Before(w.Open) {
			break
		}
	}
	return Reading{}, false
}

// step is the consumption between two consecutive readings.
type step struct {
	from, to Reading
	kwh      decimal.Decimal
}

// steps returns the consumption between consecutive readings dated in [from, to).
func (h *History) steps(from, to Date) []step {
	var out []step
	lastActual := decimal.Zero
	for i := 1; i < len(h.Readings); i++ {
		p, r := h.Readings[i-1], h.Readings[i]
		if !p.Estimated() {
			lastActual = p.Value
		}
		if r.Date.Before(from) || !r.Date.Before(to) || p.Date.Before(from) {
			continue
		}
		adv, _, err := Advance(p, lastActual, r.Value, h.Digits)
		if err != nil {
			continue // history that fails today's check carries no weight
		}
		out = append(out, step{from: p, to: r, kwh: Consumption(adv, h.Multiplier)})
	}
	return out
}

// MonthlyConsumption lists the consumption of each reading-to-reading step in the 12 months
// before d: the history that plausibility (rule 3) averages.
func (h *History) MonthlyConsumption(d Date) []decimal.Decimal {
	st := h.steps(d.AddMonths(-12), d)
	out := make([]decimal.Decimal, len(st))
	for i, s := range st {
		out[i] = s.kwh
	}
	return out
}

// AverageDaily is the average daily consumption over the 12 months before d (rule 5); ok is
// false when there is no history.
func (h *History) AverageDaily(d Date) (decimal.Decimal, bool) {
	st := h.steps(d.AddMonths(-12), d)
	if len(st) == 0 {
		return decimal.Zero, false
	}
	days := st[0].from.Date.DaysUntil(st[len(st)-1].to.Date)
	if days <= 0 {
		return decimal.Zero, false
	}
	sum := decimal.Zero
	for _, s := range st {
		sum = sum.Add(s.kwh)
	}
	return sum.DivRound(decimal.NewFromInt(int64(days)), 9), true
}

// After returns the first reading dated after d.
func (h *History) After(d Date) (Reading, bool) {
	i := sort.Search(len(h.Readings), func(i int) bool { return h.Readings[i].Date.After(d) })
	if i == len(h.Readings) {
		return Reading{}, false
	}
	return h.Readings[i], true
}

// Replace puts r in place of the reading it supersedes, or adds it.
func (h *History) Replace(r Reading) {
	if r.Supersedes != 0 {
		for i, old := range h.Readings {
			if old.ID == r.Supersedes {
				h.Readings = append(h.Readings[:i], h.Readings[i+1:]...)
				break
			}
		}
	}
	h.Add(r)
}
