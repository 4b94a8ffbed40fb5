package dataset

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// The rules of readings, checked against the metering points of the file and of the
// database.

func (v *validator) reading(c check, r Reading) {
	v.readingRules(c, r)
	if r.MeteringPoint != "" && r.Register != "" && !r.Date.IsZero() {
		c.unique(v.readings, "reading", r.MeteringPoint+"/"+r.Register+" "+r.Date.String(), "date", c.label)
	}
}

// readingRules checks one reading but for its uniqueness.
func (v *validator) readingRules(c check, r Reading) {
	// Without the metering point, the checks of register and value that need it are skipped.
	mp, found := v.points[r.MeteringPoint]
	switch {
	case r.MeteringPoint == "":
		c.fail("metering_point", "required")
	case found:
	case v.filePoints[r.MeteringPoint]:
		// The file has it, but it failed its own checks, which say why.
	default:
		if mp, found = v.known.MeteringPoint(r.MeteringPoint); !found {
			c.fail("metering_point", "metering point %q is neither in the file nor in the database", r.MeteringPoint)
		}
	}
	switch {
	case r.Register == "":
		c.fail("register", "required")
	case found && !slices.Contains(mp.Registers, r.Register):
		c.fail("register", "metering point %s has no register %q; its registers are %s", r.MeteringPoint, r.Register, quoteList(mp.Registers))
	}
	if r.Date.IsZero() {
		c.fail("date", "required")
	}
	if found && mp.Digits >= 1 && mp.Digits <= maxDigits {
		top := billing.RegisterRange(mp.Digits)
		if r.Value.GreaterThanOrEqual(top) && !r.Value.IsNegative() {
			c.fail("value", "%s does not fit a %d-digit register (below %s)", r.Value, mp.Digits, top)
		}
	}
	c.decimal("value", r.Value, decimal.Zero, nil, kwhPlaces)
	switch {
	case r.Source == "":
		c.fail("source", "required: one of %s", strings.Join(importable, ", "))
	case r.Source == billing.SourceEstimate:
		c.fail("source", "estimate readings are made by billing and cannot be imported; use one of %s", strings.Join(importable, ", "))
	case !slices.Contains(importable, r.Source):
		c.fail("source", "%q is not a reading source: use one of %s", r.Source, strings.Join(importable, ", "))
	}
	if r.SubmittedBy != "" {
		c.text("submitted_by", r.SubmittedBy)
	}
	switch {
	case r.SubmittedAt.IsZero():
		c.fail("submitted_at", "required: when the reading was submitted, such as \"2026-10-31T10:00:00+02:00\"")
	case !r.Date.IsZero() && calendar.DateOf(r.SubmittedAt).Before(r.Date):
		c.fail("submitted_at", "submitted on %s in Riga, before the reading date %s", calendar.DateOf(r.SubmittedAt), r.Date)
	}
}

// readingSet checks the readings of a ReadingSet. A row of the usual form with nothing
// wrong is recognised from its compact fields; any other reading is checked whole by
// readingRules, so the messages are the same. Repeated readings are found by sorting.
func (v *validator) readingSet(s *ReadingSet) {
	regs := make([]regCheck, len(s.regs))
	byOK := make([]int8, len(s.bys)) // 0 not known yet, 1 fine, -1 a problem
	rigaDays := make(map[int64]int32)
	for i := range s.rows.n {
		rw := s.rows.at(i)
		if !rw.whole() && v.rowOK(s, rw, regs, byOK, rigaDays) {
			continue
		}
		r := s.At(i)
		v.readingRules(v.record(readingLabel(i, r)), r)
	}
	dups := false
	for _, g := range s.ByRegister() {
		if g.Key.MeteringPoint == "" || g.Key.Register == "" {
			continue
		}
		for j := 0; j < len(g.Indexes); {
			day := s.rows.at(int(g.Indexes[j])).day
			k := j + 1
			for k < len(g.Indexes) && s.rows.at(int(g.Indexes[k])).day == day {
				k++
			}
			if day != noDay && k-j > 1 {
				dups = true
				run := g.Indexes[j:k]
				first := slices.Min(run)
				firstLabel := readingLabel(int(first), s.At(int(first)))
				key := g.Key.String() + " " + dayDate(day).String()
				for _, i := range run {
					if i != first {
						c := v.record(readingLabel(int(i), s.At(int(i))))
						c.fail("date", "duplicate %s %q, also in %s", "reading", key, firstLabel)
					}
				}
			}
			j = k
		}
	}
	if dups {
		v.errs.sort()
	}
}

// regCheck is what the rules say of a register's readings: 0 not known yet, 1 fine, -1 a
// problem; digits is the metering point's register size, 0 when unknown.
type regCheck struct {
	state  int8
	digits int
}

// rowOK reports whether a row certainly has no problem.
func (v *validator) rowOK(s *ReadingSet, rw *row, regs []regCheck, byOK []int8, rigaDays map[int64]int32) bool {
	rc := &regs[rw.reg]
	if rc.state == 0 {
		*rc = v.checkRegister(s.regs[rw.reg])
	}
	if rc.state < 0 || rw.day == noDay || rw.exp() < -kwhPlaces || rw.at == noTime {
		return false
	}
	if rc.digits >= 1 && rc.digits <= maxDigits && rw.mant >= pow10[rc.digits-int(rw.exp())] {
		return false
	}
	if rw.by != 0 {
		if byOK[rw.by] == 0 {
			byOK[rw.by] = 1
			if textProblem(s.bys[rw.by]) != "" {
				byOK[rw.by] = -1
			}
		}
		if byOK[rw.by] < 0 {
			return false
		}
	}
	sec := rw.at / 1e9
	if rw.at < 0 && rw.at%1e9 != 0 {
		sec--
	}
	d, ok := rigaDays[sec]
	if !ok {
		d = dateDay(calendar.DateOf(time.Unix(sec, 0)))
		if len(rigaDays) >= maxCached {
			clear(rigaDays)
		}
		rigaDays[sec] = d
	}
	return d >= rw.day
}

// checkRegister says whether readings of key pass the checks of metering point and register.
func (v *validator) checkRegister(key billing.RegisterKey) regCheck {
	if key.MeteringPoint == "" || key.Register == "" {
		return regCheck{state: -1}
	}
	mp, found := v.points[key.MeteringPoint]
	if !found && !v.filePoints[key.MeteringPoint] {
		if mp, found = v.known.MeteringPoint(key.MeteringPoint); !found {
			return regCheck{state: -1}
		}
	}
	if found && !slices.Contains(mp.Registers, key.Register) {
		return regCheck{state: -1}
	}
	if !found {
		return regCheck{state: 1}
	}
	return regCheck{state: 1, digits: mp.Digits}
}

// pow10[n] is 10^n, up to the largest register with the most decimals.
var pow10 = func() []int64 {
	p := make([]int64, maxDigits+kwhPlaces+1)
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()
