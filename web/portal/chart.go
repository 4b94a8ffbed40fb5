package portal

import (
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// The consumption chart of a register page: monthly consumption of the last chartMonths
// months as bars, drawn on the server as inline SVG (no script; colours and text sizes come
// from style.css classes and presentation attributes, which the CSP allows, never style
// attributes). Its viewBox scales it to the width of the page, 360 px phones included; a
// visually hidden table says the same for screen readers.
const chartMonths = 24

// Chart geometry in viewBox units: the plot area is inside the margins. The value labels
// stand inside the plot above their gridlines (with a halo from style.css), so long numbers
// need no margin and the chart keeps its width on a phone.
const (
	chartW, chartH        = 400.0, 220.0
	chartLeft, chartRight = 8.0, 8.0
	chartTop, chartBottom = 20.0, 26.0
	chartBarShare         = 0.7 // of a month's slot
	chartLabelEvery       = 6   // months between axis labels
	chartTicks            = 4   // about this many gridlines above zero
	chartPlotW            = chartW - chartLeft - chartRight
	chartPlotH            = chartH - chartTop - chartBottom
	chartSlot             = chartPlotW / chartMonths
	chartBarW             = chartSlot * chartBarShare
	chartBarOffset        = (chartSlot - chartBarW) / 2
	chartLabelY           = chartH - 6
)

// monthConsumption is one month of the chart and of its text alternative.
type monthConsumption struct {
	Month     billing.Month
	Label     string // the month as the language writes it
	KWh       decimal.Decimal
	Known     bool // a reading closes the month
	Estimated bool // the month's closing reading is an estimate
}

type chartBar struct {
	X, Y, W, H string // formatted for the SVG
	Title      string
	Estimated  bool
}

type chartTick struct {
	Y, TextY string // of the gridline and of its label
	Label    string
}

type chartLabel struct {
	X      string
	Anchor string // text-anchor: the last label ends at the plot's edge
	Label  string
}

// consumptionChart is a chart ready for the template.
type consumptionChart struct {
	Months    []monthConsumption
	Bars      []chartBar
	Ticks     []chartTick
	Labels    []chartLabel
	ViewBox   string
	ZeroY     string
	Left      string // x of the vertical axis
	Right     string
	TickX     string // where the value labels start
	LabelY    string // the baseline of the month labels
	Estimates bool   // some month is estimated: the legend explains the hatching
}

// monthlyConsumption adds up the consumption of the history rows by the period that each
// reading closes.
func monthlyConsumption(rules billing.Rules, rows []historyRow) map[billing.Month]monthConsumption {
	out := map[billing.Month]monthConsumption{}
	for _, r := range rows {
		if r.Consumption == nil {
			continue
		}
		m := billing.MonthOf(r.Date)
		if w, ok := rules.WindowFor(r.Date); ok {
			m = w.Period
		}
		c := out[m]
		c.Month, c.Known = m, true
		c.KWh = c.KWh.Add(*r.Consumption)
		c.Estimated = c.Estimated || r.Estimated()
		out[m] = c
	}
	return out
}

// newChart lays out the chartMonths months up to last; nil when none of them has data.
func newChart(lang string, byMonth map[billing.Month]monthConsumption, last billing.Month) *consumptionChart {
	c := &consumptionChart{ViewBox: fmt.Sprintf("0 0 %g %g", chartW, chartH), Left: coord(chartLeft), Right: coord(chartW - chartRight),
		TickX: coord(chartLeft + 2), LabelY: coord(chartLabelY)}
	lo, hi := decimal.Zero, decimal.Zero
	for i := range chartMonths {
		m := last.AddMonths(i - chartMonths + 1)
		mc := byMonth[m]
		mc.Month, mc.Label = m, monthLabel(lang, m)
		c.Months = append(c.Months, mc)
		if mc.Known {
			lo, hi = decimal.Min(lo, mc.KWh), decimal.Max(hi, mc.KWh)
		}
	}
	if !slices.ContainsFunc(c.Months, func(m monthConsumption) bool { return m.Known }) {
		return nil
	}
	step := niceStep(hi.Sub(lo).InexactFloat64() / chartTicks)
	top := math.Ceil(hi.InexactFloat64()/step) * step
	bottom := math.Floor(lo.InexactFloat64()/step) * step
	if top == bottom {
		top = bottom + step
	}
	y := func(v float64) float64 { return chartTop + (top-v)/(top-bottom)*chartPlotH }
	c.ZeroY = coord(y(0))
	for v := bottom; v <= top+step/2; v += step {
		c.Ticks = append(c.Ticks, chartTick{Y: coord(y(v)), TextY: coord(y(v) - 4), Label: formatNumber(lang, decimal.NewFromFloat(v).Round(3), -1)})
	}
	for i, mc := range c.Months {
		x := chartLeft + float64(i)*chartSlot
		switch {
		case i == chartMonths-1:
			c.Labels = append(c.Labels, chartLabel{X: coord(x + chartSlot), Anchor: "end", Label: mc.Label})
		case (chartMonths-1-i)%chartLabelEvery == 0:
			c.Labels = append(c.Labels, chartLabel{X: coord(x + chartSlot/2), Anchor: "middle", Label: mc.Label})
		}
		if !mc.Known {
			continue
		}
		v := mc.KWh.InexactFloat64()
		y0, y1 := y(0), y(v)
		title := mc.Label + ": " + formatNumber(lang, mc.KWh, -1) + " kWh"
		if mc.Estimated {
			title += " (" + text(lang, "invoice.estimated") + ")"
			c.Estimates = true
		}
		c.Bars = append(c.Bars, chartBar{X: coord(x + chartBarOffset), Y: coord(math.Min(y0, y1)), W: coord(chartBarW),
			H: coord(math.Max(math.Abs(y1-y0), 1)), Title: title, Estimated: mc.Estimated})
	}
	return c
}

// niceStep is the smallest of 1, 2 and 5 times a power of ten that is at least raw.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= raw {
			return f * p
		}
	}
	return 10 * p
}

// monthLabel is a month as a short axis label: 11.2026 in Latvian, Nov 2026 in English.
func monthLabel(lang string, m billing.Month) string {
	if lang == billing.English {
		return fmt.Sprintf("%s %d", monthsEN[m.Month()-1], m.Year())
	}
	return fmt.Sprintf("%02d.%d", int(m.Month()), m.Year())
}

func coord(v float64) string { return fmt.Sprintf("%.1f", v) }

var _ = moreTexts(map[string][2]string{
	"chart.title":     {"Patēriņš pa mēnešiem, kWh", "Consumption by month, kWh"},
	"chart.svgtitle":  {"Mēneša patēriņš, kWh, pēdējie 24 mēneši", "Monthly consumption, kWh, the last 24 months"},
	"chart.month":     {"Mēnesis", "Month"},
	"chart.actual":    {"pēc rādījumiem", "from readings"},
	"chart.estimated": {"aprēķināts (rādījuma nebija)", "estimated (no reading)"},
})
