package billing_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// decimalGen draws a decimal with the given number of places between -max and max units.
func decimalGen(places int32, maxUnits int64) *rapid.Generator[decimal.Decimal] {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return decimal.New(rapid.Int64Range(-maxUnits*scale, maxUnits*scale).Draw(t, "units"), -places)
	})
}

var vatRates = []struct{ cat, rate string }{{"S", "21"}, {"S", "12"}, {"S", "5"}, {"Z", "0"}, {"AA", "21"}}

// lineGen draws a line priced by the rule: quantity to 3 decimals, price to 6, net rounded.
var lineGen = rapid.Custom(func(t *rapid.T) billing.Line {
	qty := decimalGen(3, 100000).Draw(t, "qty")
	price := decimalGen(6, 50).Draw(t, "price").Abs()
	v := rapid.SampledFrom(vatRates).Draw(t, "vat")
	return billing.Line{Component: "X", Quantity: qty, UnitPrice: price, Net: billing.LineNet(qty, price),
		VATCategory: v.cat, VATRate: dec(v.rate)}
})

func TestPropertySummarise(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		lines := rapid.SliceOfN(lineGen, 1, 30).Draw(t, "lines")
		orig := append([]billing.Line(nil), lines...)
		inv := &billing.Invoice{Type: billing.TypeInvoice, Lines: lines}
		billing.Summarise(inv)

		sign := decimal.NewFromInt(1)
		if inv.Type == billing.TypeCreditNote {
			sign = sign.Neg()
		}
		// Each line net is quantity × price rounded (half away from zero is symmetric, so a
		// credit note's negated lines keep the rule).
		for i, l := range inv.Lines {
			if !l.Net.Equal(billing.RoundMoney(l.Quantity.Mul(l.UnitPrice))) {
				t.Fatalf("line %d net %s ≠ round2(%s × %s)", i, l.Net, l.Quantity, l.UnitPrice)
			}
			if !l.Net.Equal(orig[i].Net.Mul(sign)) || !l.Quantity.Equal(orig[i].Quantity.Mul(sign)) {
				t.Fatalf("line %d changed beyond its sign: %s → %s", i, orig[i].Net, l.Net)
			}
		}
		// Totals are the sum of the lines; VAT per category is rounded on the category's sum.
		net := decimal.Zero
		bases := map[string]decimal.Decimal{}
		for _, l := range inv.Lines {
			net = net.Add(l.Net)
			k := l.VATCategory + "/" + l.VATRate.String()
			bases[k] = bases[k].Add(l.Net)
		}
		if len(inv.VAT) != len(bases) {
			t.Fatalf("%d VAT subtotals, want %d", len(inv.VAT), len(bases))
		}
		vat := decimal.Zero
		for _, s := range inv.VAT {
			base := bases[s.Category+"/"+s.Rate.String()]
			if !s.Base.Equal(base) {
				t.Fatalf("VAT %s/%s base %s, want %s", s.Category, s.Rate, s.Base, base)
			}
			if want := billing.RoundMoney(base.Mul(s.Rate).Div(decimal.NewFromInt(100))); !s.Amount.Equal(want) {
				t.Fatalf("VAT %s/%s of %s = %s, want %s", s.Category, s.Rate, base, s.Amount, want)
			}
			vat = vat.Add(s.Amount)
		}
		tot := inv.Totals
		if !tot.Net.Equal(net) || !tot.VAT.Equal(vat) || !tot.Gross.Equal(net.Add(vat)) || !tot.Payable.Equal(tot.Gross) {
			t.Fatalf("totals %+v, want net %s VAT %s", tot, net, vat)
		}
		if tot.Gross.IsNegative() {
			t.Fatalf("a %s with a negative total %s", inv.Type, tot.Gross)
		}
		if tot.Net.Exponent() < -2 || tot.VAT.Exponent() < -2 {
			t.Fatalf("totals with more than 2 decimals: %+v", tot)
		}
	})
}

func TestPropertyLines(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		year := rapid.IntRange(2025, 2028).Draw(t, "year")
		month := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		first := calendar.NewDate(year, month, 1)
		startDay := rapid.IntRange(1, billing.DaysIn(first)).Draw(t, "start")
		endDay := rapid.IntRange(startDay, billing.DaysIn(first)).Draw(t, "end")
		period := billing.Period{Start: calendar.NewDate(year, month, startDay), End: calendar.NewDate(year, month, endDay)}

		// Prices: one before the period, and up to four changes on random days of the month.
		prices := func(label string) []billing.Price {
			ps := []billing.Price{{From: d("2024-01-01"), Price: decimalGen(6, 1).Draw(t, label+" base").Abs()}}
			for i := range rapid.IntRange(0, 4).Draw(t, label+" changes") {
				_ = i
				day := rapid.IntRange(1, billing.DaysIn(first)).Draw(t, label+" day")
				ps = append(ps, billing.Price{From: calendar.NewDate(year, month, day), Price: decimalGen(6, 1).Draw(t, label+" price").Abs()})
			}
			return ps
		}
		plan := billing.PricePlan{Components: []billing.Component{
			kwhComponent("ENERGY", "", prices("energy")...),
			monthComponent("FIXED", prices("fixed")...),
		}}
		uses := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) billing.Use {
			return use("T1", decimalGen(3, 1000000).Draw(t, "kwh").String(), actual("2026-11-28", "1"))
		}), 0, 3).Draw(t, "uses")

		lines, err := billing.Lines(plan, period, uses, billing.English)
		if err != nil {
			t.Fatal(err)
		}
		var energy, fixed []billing.Line
		for _, l := range lines {
			if !l.Net.Equal(billing.RoundMoney(l.Quantity.Mul(l.UnitPrice))) {
				t.Fatalf("line net %s ≠ round2(%s × %s)", l.Net, l.Quantity, l.UnitPrice)
			}
			if l.Quantity.Exponent() < -3 {
				t.Fatalf("quantity %s has more than 3 decimals", l.Quantity)
			}
			if price, _ := plan.Components[0].PriceAt(l.Period.Start); l.Component == "ENERGY" && !l.UnitPrice.Equal(price) {
				t.Fatalf("line from %s priced %s, want %s", l.Period.Start, l.UnitPrice, price)
			}
			if l.Component == "ENERGY" {
				energy = append(energy, l)
			} else {
				fixed = append(fixed, l)
			}
		}
		if len(uses) > 0 && len(energy)%len(uses) != 0 {
			t.Fatalf("%d energy lines for %d uses", len(energy), len(uses))
		}
		// Each use's parts cover the period day by day and add up exactly to its kWh.
		per := 0
		if len(uses) > 0 {
			per = len(energy) / len(uses)
		}
		for i, u := range uses {
			parts := energy[i*per : (i+1)*per]
			checkCover(t, period, parts)
			sum := decimal.Zero
			for _, l := range parts {
				sum = sum.Add(l.Quantity)
			}
			if !sum.Equal(u.KWh) {
				t.Fatalf("parts of %s kWh add up to %s", u.KWh, sum)
			}
		}
		// The monthly fee's parts add up to the period's share of the month.
		checkCover(t, period, fixed)
		months := decimal.Zero
		for _, l := range fixed {
			months = months.Add(l.Quantity)
		}
		days := period.Start.DaysUntil(period.End) + 1
		want := decimal.NewFromInt(1)
		if days != billing.DaysIn(first) {
			want = decimal.NewFromInt(int64(days)).DivRound(decimal.NewFromInt(int64(billing.DaysIn(first))), 3)
		}
		if !months.Equal(want) {
			t.Fatalf("monthly fee for %d days is %s months, want %s", days, months, want)
		}
	})
}

// checkCover fails unless the lines' periods run from period.Start to period.End without gap
// or overlap.
func checkCover(t *rapid.T, period billing.Period, lines []billing.Line) {
	next := period.Start
	for _, l := range lines {
		if l.Period.Start != next || l.Period.End.Before(l.Period.Start) {
			t.Fatalf("line %s..%s does not follow %s", l.Period.Start, l.Period.End, next)
		}
		next = l.Period.End.AddDays(1)
	}
	if next != period.End.AddDays(1) {
		t.Fatalf("lines end on %s, period on %s", next.AddDays(-1), period.End)
	}
}

func TestPropertyPaymentTermAndDueDate(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	w := calendar.NewWorkdays(nil, nil)
	rapid.Check(t, func(t *rapid.T) {
		base := rapid.IntRange(0, 60).Draw(t, "base")
		e := rapid.Bool().Draw(t, "e-invoice")
		term := r.PaymentTerm(base, e)
		switch {
		case !e && term != base:
			t.Fatalf("paper term %d ≠ base %d", term, base)
		case term < base:
			t.Fatalf("term %d shorter than base %d", term, base)
		case term > max(base, r.MaxPaymentTerm):
			t.Fatalf("term %d beyond the maximum for base %d", term, base)
		case e && base < r.MaxPaymentTerm && term <= base:
			t.Fatalf("e-invoice term %d does not extend base %d", term, base)
		}
		issue := d("2025-01-01").AddDays(rapid.IntRange(0, 4*366).Draw(t, "issue"))
		due := billing.DueDate(w, issue, term)
		if !w.IsWorkday(due) || due.Before(issue.AddDays(term)) {
			t.Fatalf("due %s for %s + %d", due, issue, term)
		}
		for day := issue.AddDays(term); day.Before(due); day = day.AddDays(1) {
			if w.IsWorkday(day) {
				t.Fatalf("due %s skips the working day %s", due, day)
			}
		}
	})
}

func TestPropertyAdvance(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.IntRange(4, 8).Draw(t, "digits")
		rng := billing.RegisterRange(digits)
		prev := decimalGen(3, 1).Draw(t, "prev fraction").Abs().Mul(rng).Round(3)
		if !prev.LessThan(rng) {
			prev = decimal.Zero
		}
		value := decimalGen(3, 1).Draw(t, "value fraction").Abs().Mul(rng).Round(3)
		if !value.LessThan(rng) {
			value = decimal.Zero
		}
		adv, rollover, err := billing.Advance(billing.Reading{Value: prev, Source: billing.SourcePortal}, prev, value, digits)
		wrapped := rng.Sub(prev).Add(value)
		switch {
		case value.GreaterThanOrEqual(prev):
			if err != nil || rollover || !adv.Equal(value.Sub(prev)) {
				t.Fatalf("%s → %s: %s %v %v", prev, value, adv, rollover, err)
			}
		case wrapped.LessThan(rng.Div(decimal.NewFromInt(10))):
			if err != nil || !rollover || !adv.Equal(wrapped) {
				t.Fatalf("roll-over %s → %s: %s %v %v", prev, value, adv, rollover, err)
			}
		default:
			if err == nil {
				t.Fatalf("%s → %s accepted as %s", prev, value, adv)
			}
		}
	})
}

func TestPropertyPaymentReference(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		year := rapid.IntRange(2000, 2099).Draw(t, "year")
		n := rapid.Int64Range(1, 999999).Draw(t, "n")
		pattern := rapid.SampledFrom([]string{"ER-{YYYY}-{N:6}", "KR-{YYYY}-{N:6}", "{YYYY}/{N:4}"}).Draw(t, "series")
		ref := billing.PaymentReference(billing.FormatNumber(pattern, year, n))
		if !validRF(ref) {
			t.Fatalf("%q fails the ISO 11649 check", ref)
		}
	})
}

func TestPropertyNextWorkday(t *testing.T) {
	t.Parallel()
	w := calendar.NewWorkdays([]calendar.Date{d("2026-07-06")}, []calendar.Date{d("2026-11-28")})
	rapid.Check(t, func(t *rapid.T) {
		day := d("2024-01-01").AddDays(rapid.IntRange(0, 6*366).Draw(t, "day"))
		next := w.NextWorkday(day)
		if !next.After(day) || !w.IsWorkday(next) || day.DaysUntil(next) > 7 {
			t.Fatalf("NextWorkday(%s) = %s", day, next)
		}
		for x := day.AddDays(1); x.Before(next); x = x.AddDays(1) {
			if w.IsWorkday(x) {
				t.Fatalf("NextWorkday(%s) = %s skips %s", day, next, x)
			}
		}
	})
}

// TestPropertyPlanOnlyCompleteOrClosed: whatever the readings and the day, Plan issues a
// period only when all its closing readings were submitted before today (the period is
// complete) or its window has closed; and it issues consecutive periods, today.
func TestPropertyPlanOnlyCompleteOrClosed(t *testing.T) {
	t.Parallel()
	rules := billing.DefaultRules()
	w := calendar.NewWorkdays(nil, nil)
	rapid.Check(t, func(t *rapid.T) {
		regs := rapid.SampledFrom([][]string{{"T1"}, {"DAY", "NIGHT"}}).Draw(t, "registers")
		start := d("2026-01-01").AddMonths(rapid.IntRange(0, 5).Draw(t, "start month"))
		byReg := map[string][]billing.Reading{}
		for _, reg := range regs {
			byReg[reg] = nil // a register with no readings is still on the contract
			value := decimal.NewFromInt(rapid.Int64Range(0, 500000).Draw(t, reg+" first"))
			day := start
			for range rapid.IntRange(0, 10).Draw(t, reg+" readings") {
				day = day.AddDays(rapid.IntRange(1, 40).Draw(t, "gap"))
				value = value.Add(decimal.New(rapid.Int64Range(0, 2000000).Draw(t, "advance"), -3))
				sub := rigaAt(day.String(), 0, 0).Add(time.Duration(rapid.IntRange(0, 6*24*60).Draw(t, "delay minutes")) * time.Minute)
				byReg[reg] = append(byReg[reg], reading(reg, day.String(), value.String(), sub))
			}
		}
		st := state(start.String(), byReg)
		if rapid.Bool().Draw(t, "billed before") {
			st.LastBilled = start.AddMonths(rapid.IntRange(0, 3).Draw(t, "last billed"))
		}
		today := start.AddDays(rapid.IntRange(0, 300).Draw(t, "today"))

		issues, err := planner(today.In(calendar.Riga)).Plan(st, today)
		if err != nil {
			t.Fatal(err)
		}
		first := start
		if !st.LastBilled.IsZero() {
			first = st.LastBilled.AddMonths(1)
		}
		for i, is := range issues {
			if is.Period != first.AddMonths(i) {
				t.Fatalf("issue %d for %s, want %s", i, is.Period, first.AddMonths(i))
			}
			win := rules.WindowOf(is.Period)
			closed := !w.NextWorkday(win.Close).After(today)
			complete := true
			for _, reg := range regs {
				found := false
				for _, r := range byReg[reg] {
					if win.Contains(r.Date) && billing.SubmittedOn(r.SubmittedAt).Before(today) {
						found = true
					}
				}
				complete = complete && found
			}
			if !closed && !complete {
				t.Fatalf("period %s issued on %s: neither complete nor closed", is.Period, today)
			}
			if len(is.Estimates) > 0 && !closed {
				t.Fatalf("period %s estimated on %s before its window closed", is.Period, today)
			}
			for _, doc := range is.Documents {
				if doc.IssueDate != today || doc.Period.Start.Before(is.Period) || doc.Period.End.After(is.Period.LastOfMonth()) {
					t.Fatalf("document issued %s for %+v", doc.IssueDate, doc.Period)
				}
			}
		}
	})
}
