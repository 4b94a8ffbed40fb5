package billing

import (
	"fmt"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

// Use is a register's measured (or estimated) consumption in a period.
type Use struct {
	MeteringPoint MeteringPoint
	Register      string
	Previous      Reading
	Current       Reading
	KWh           decimal.Decimal
}

// Estimated reports whether the use ends at an estimate. A use measured from an estimate to
// an actual reading is not estimated: it is the correction of rule 5.
func (u Use) Estimated() bool { return u.Current.Estimated() }

// PriceAt is the component's price effective on d: the one with the latest From on or
// before d, whatever the order of c.Prices.
func (c Component) PriceAt(d Date) (decimal.Decimal, bool) {
	var p decimal.Decimal
	var from Date
	found := false
	for _, pr := range c.Prices {
		if !pr.From.After(d) && (!found || !pr.From.Before(from)) {
			p, from, found = pr.Price, pr.From, true
		}
	}
	return p, found
}

// span is a part of a period with one price.
type span struct {
	Period
	price decimal.Decimal
	days  int
}

// spans splits p at the component's price changes (rule 6).
func (c Component) spans(p Period) ([]span, error) {
	var cuts []Date
	for _, pr := range c.Prices {
		if pr.From.After(p.Start) && !pr.From.After(p.End) && !slices.Contains(cuts, pr.From) {
			cuts = append(cuts, pr.From)
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	var out []span
	start := p.Start
	for i := 0; i <= len(cuts); i++ {
		end := p.End
		if i < len(cuts) {
			end = cuts[i].AddDays(-1)
		}
		price, ok := c.PriceAt(start)
		if !ok {
			return nil, Errorf(ErrInvalid, "prices", "component %s has no price effective on %s", c.Code, start)
		}
		out = append(out, span{Period: Period{start, end}, price: price, days: start.DaysUntil(end) + 1})
		if i < len(cuts) {
			start = cuts[i]
		}
	}
	return out, nil
}

// split divides qty over the spans in proportion to their days, to 3 decimals; the last
// span takes the remainder, so the parts always add up to qty (rule 6).
func split(qty decimal.Decimal, sp []span) []decimal.Decimal {
	total := 0
	for _, s := range sp {
		total += s.days
	}
	out := make([]decimal.Decimal, len(sp))
	rest := qty
	for i, s := range sp {
		if i == len(sp)-1 {
			out[i] = rest
			break
		}
		out[i] = qty.Mul(decimal.NewFromInt(int64(s.days))).DivRound(decimal.NewFromInt(int64(total)), kwhPlaces)
		rest = rest.Sub(out[i])
	}
	return out
}

// DaysIn is the number of days in d's month.
func DaysIn(d Date) int { return d.LastOfMonth().Day() }

// LineNet is quantity × unit price rounded to 2 decimals, half away from zero (rule 7).
func LineNet(qty, price decimal.Decimal) decimal.Decimal { return RoundMoney(qty.Mul(price)) }

// Lines prices a contract's period: per register, each per-kWh component that applies to its
// zone, one line per price sub-period; then the monthly components, prorated by days when
// the period is part of a month.
func Lines(plan PricePlan, period Period, uses []Use, lang string) ([]Line, error) {
	var lines []Line
	for _, u := range uses {
		prev, cur := u.Previous.Value, u.Current.Value
		for _, c := range plan.Components {
			if c.Unit != UnitKWh || (c.Zone != "" && c.Zone != u.Register) {
				continue
			}
			sp, err := c.spans(period)
			if err != nil {
				return nil, err
			}
			for i, q := range split(u.KWh, sp) {
				lines = append(lines, Line{
					Description:     c.NameIn(lang),
					Component:       c.Code,
					MeteringPoint:   u.MeteringPoint.Code,
					Register:        u.Register,
					Period:          sp[i].Period,
					PreviousReading: &prev,
					CurrentReading:  &cur,
					Multiplier:      u.MeteringPoint.Multiplier,
					Quantity:        q,
					Unit:            UnitKWh,
					UnitPrice:       sp[i].price,
					Net:             LineNet(q, sp[i].price),
					VATCategory:     c.VATCategory,
					VATRate:         c.VATRate,
					Estimated:       u.Estimated(),
				})
			}
		}
	}
	monthDays := DaysIn(period.Start)
	periodDays := period.Start.DaysUntil(period.End) + 1
	months := decimal.NewFromInt(1)
	if periodDays != monthDays {
		months = decimal.NewFromInt(int64(periodDays)).DivRound(decimal.NewFromInt(int64(monthDays)), kwhPlaces)
	}
	for _, c := range plan.Components {
		if c.Unit != UnitMonth {
			continue
		}
		sp, err := c.spans(period)
		if err != nil {
			return nil, err
		}
		// The month's share is split over the price sub-periods like consumption (rule 6),
		// so the parts add up to exactly one month (or the part month's share).
		for i, q := range split(months, sp) {
			s := sp[i]
			lines = append(lines, Line{
				Description: c.NameIn(lang),
				Component:   c.Code,
				Period:      s.Period,
				Quantity:    q,
				Unit:        UnitMonth,
				UnitPrice:   s.price,
				Net:         LineNet(q, s.price),
				VATCategory: c.VATCategory,
				VATRate:     c.VATRate,
			})
		}
	}
	return lines, nil
}

// Summarise computes the VAT breakdown per category and rate on the sum of the line net
// amounts (EN 16931 BR-CO-17) and the totals. A document whose gross would be negative
// becomes a credit note with every line negated (rule 10).
func Summarise(inv *Invoice) {
	type key struct{ cat, rate string }
	var order []key
	bases := map[key]*VATSubtotal{}
	net := decimal.Zero
	for _, l := range inv.Lines {
		net = net.Add(l.Net)
		k := key{l.VATCategory, l.VATRate.String()}
		s, ok := bases[k]
		if !ok {
			s = &VATSubtotal{Category: l.VATCategory, Rate: l.VATRate, Base: decimal.Zero}
			bases[k] = s
			order = append(order, k)
		}
		s.Base = s.Base.Add(l.Net)
	}
	inv.VAT = make([]VATSubtotal, 0, len(order)) // never write into a slice another document shares
	vat := decimal.Zero
	for _, k := range order {
		s := bases[k]
		s.Amount = RoundMoney(s.Base.Mul(s.Rate).Div(hundred))
		vat = vat.Add(s.Amount)
		inv.VAT = append(inv.VAT, *s)
	}
	inv.Totals = Totals{Net: net, VAT: vat, Gross: net.Add(vat), Payable: net.Add(vat)}
	if inv.Type == TypeInvoice && inv.Totals.Gross.IsNegative() {
		inv.Type = TypeCreditNote
		for i := range inv.Lines {
			inv.Lines[i].Quantity = inv.Lines[i].Quantity.Neg()
			inv.Lines[i].Net = inv.Lines[i].Net.Neg()
		}
		Summarise(inv)
	}
	inv.Estimated = false
	for _, l := range inv.Lines {
		inv.Estimated = inv.Estimated || l.Estimated
	}
}

// CreditNoteFor is the credit note that cancels an issued invoice in full (rule 10).
func CreditNoteFor(orig *Invoice, reason string) *Invoice {
	cn := *orig
	cn.ID, cn.Number, cn.Type = 0, "", TypeCreditNote
	if orig.Type == TypeCreditNote { // cancelling a credit note charges it back
		cn.Type = TypeInvoice
	}
	cn.Corrects, cn.CorrectsDate, cn.Reason = orig.Number, orig.IssueDate, reason
	cn.PaymentReference = "" // derived from the number, which the credit note has yet to take
	cn.Lines = append([]Line(nil), orig.Lines...)
	cn.VAT = append([]VATSubtotal(nil), orig.VAT...)
	return &cn
}

// FormatNumber renders a document number from a series pattern: {YYYY} is the year and
// {N:k} the sequence zero-padded to k digits. Anything else is copied as it is.
func FormatNumber(pattern string, year int, n int64) string {
	out := make([]byte, 0, len(pattern)+8)
	for i := 0; i < len(pattern); i++ {
		if hasAt(pattern, i, "{YYYY}") {
			out = fmt.Appendf(out, "%04d", year)
			i += len("{YYYY}") - 1
			continue
		}
		if hasAt(pattern, i, "{N:") {
			j := i + len("{N:")
			w := 0
			for j < len(pattern) && pattern[j] >= '0' && pattern[j] <= '9' && w < 100 {
				w = w*10 + int(pattern[j]-'0')
				j++
			}
			if j > i+len("{N:") && j < len(pattern) && pattern[j] == '}' {
				out = fmt.Appendf(out, "%0*d", w, n)
				i = j
				continue
			}
		}
		out = append(out, pattern[i])
	}
	return string(out)
}

func hasAt(s string, i int, sub string) bool { return len(s)-i >= len(sub) && s[i:i+len(sub)] == sub }
