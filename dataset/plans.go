package dataset

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// The rules of price plans and their components.

func (v *validator) pricePlan(c check, p billing.PricePlan) {
	if c.key("code", p.Code) {
		c.unique(v.plans, "price plan code", p.Code, "code", c.label)
	}
	if len(p.Components) == 0 {
		c.fail("components", "a price plan needs at least one component")
	}
	codes := make(map[string]string)
	for i, comp := range p.Components {
		v.component(c, index("components", i), comp, codes)
	}
}

func (v *validator) component(c check, path string, comp billing.Component, codes map[string]string) {
	if c.key(join(path, "code"), comp.Code) {
		c.unique(codes, "component code", comp.Code, join(path, "code"), join(path, "code"))
	}
	if comp.Name[billing.Latvian] == "" {
		c.fail(join(path, "name.lv"), "required: the name on Latvian invoices")
	}
	for _, lang := range sortedKeys(comp.Name) {
		field := join(path, "name."+lang)
		if lang != billing.Latvian && lang != billing.English {
			c.fail(field, "unknown language %q: names are given in lv and en", lang)
			continue
		}
		c.text(field, comp.Name[lang])
	}
	switch comp.Unit {
	case billing.UnitKWh:
		if comp.Zone != "" && !slices.Contains([]string{billing.ZoneSingle, billing.ZoneDay, billing.ZoneNight}, comp.Zone) {
			c.fail(join(path, "zone"), "%q is not a register zone: use T1, DAY or NIGHT, or leave zone out to price every register", comp.Zone)
		}
	case billing.UnitMonth:
		if comp.Zone != "" {
			c.fail(join(path, "zone"), "only kWh components have a zone; a month component is charged once per contract and month")
		}
	case "":
		c.fail(join(path, "unit"), "required: kWh or month")
	default:
		c.fail(join(path, "unit"), "%q is not a unit: use kWh or month", comp.Unit)
	}
	switch {
	case comp.VATCategory == "":
		c.fail(join(path, "vat_category"), "required: a UNCL5305 code such as S")
	case !slices.Contains(vatCategories, comp.VATCategory):
		c.fail(join(path, "vat_category"), "%q is not a VAT category of EN 16931: use one of %s", comp.VATCategory, strings.Join(vatCategories, ", "))
	}
	rate := join(path, "vat_rate")
	switch {
	case comp.VATRate.IsNegative() || comp.VATRate.GreaterThan(hundred) || !comp.VATRate.Equal(comp.VATRate.Round(vatRatePlaces)):
		c.decimal(rate, comp.VATRate, decimal.Zero, &hundred, vatRatePlaces)
	case slices.Contains(zeroRateCategories, comp.VATCategory) && !comp.VATRate.IsZero():
		c.fail(rate, "VAT category %s carries a rate of 0, not %s", comp.VATCategory, comp.VATRate)
	case comp.VATCategory == "S" && !comp.VATRate.IsPositive():
		c.fail(rate, "VAT category S (standard rate) needs a rate above 0, such as \"21\"")
	}
	prices := join(path, "prices")
	if len(comp.Prices) == 0 {
		c.fail(prices, "at least one price is required")
	}
	for i, pr := range comp.Prices {
		field := index(prices, i)
		switch {
		case pr.From.IsZero():
			c.fail(join(field, "from"), "required: the date the price applies from")
		case i > 0 && !comp.Prices[i-1].From.IsZero() && !pr.From.After(comp.Prices[i-1].From):
			prev := comp.Prices[i-1].From
			if pr.From.Equal(prev) {
				c.fail(join(field, "from"), "%s is already the date of %s: one price per date", pr.From, index(prices, i-1))
			} else {
				c.fail(join(field, "from"), "%s is before %s of %s: list prices in date order", pr.From, prev, index(prices, i-1))
			}
		}
		c.decimal(join(field, "price"), pr.Price, decimal.Zero, nil, pricePlaces)
	}
}
