package dataset

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// The rules of readings, checked against the metering points of the file and of the
// database.

func (v *validator) reading(c check, r Reading) {
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
	if r.MeteringPoint != "" && r.Register != "" && !r.Date.IsZero() {
		c.unique(v.readings, "reading", r.MeteringPoint+"/"+r.Register+" "+r.Date.String(), "date", c.label)
	}
}
