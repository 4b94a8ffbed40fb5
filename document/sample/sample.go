// Package sample builds the representative invoices that the document renderers' golden
// files and benchmarks share: single-rate, day/night, a multiplier, an estimate, a price
// split, 60 metering points, a credit note, an English customer, and names that need
// escaping. Every number comes from the billing rules, so the samples are consistent.
package sample

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

var d = calendar.MustDate

// Supplier is the demo supplier.
func Supplier() billing.Supplier {
	return billing.Supplier{
		Name: `AS "Demo Enerģija"`, RegistrationNumber: "40003000000", VATNumber: "LV40003000000",
		Address: billing.Address{Street: "Pulkveža Brieža iela 12", City: "Rīga", PostalCode: "LV-1230", Country: "LV"},
		IBAN:    "LV80BANK0000435195001", BIC: "BANKLV2X", Bank: "Demo Banka", Email: "rekini@example.lv",
		Phone: "+37167000000", Website: "https://example.lv",
	}
}

// Plan is a business price plan with an energy price change on 16 November 2026.
func Plan() billing.PricePlan {
	name := func(lv, en string) map[string]string { return map[string]string{"lv": lv, "en": en} }
	vat := decimal.NewFromInt(21)
	p := func(from, price string) billing.Price {
		return billing.Price{From: d(from), Price: decimal.RequireFromString(price)}
	}
	return billing.PricePlan{Code: "BIZ-1", Components: []billing.Component{
		{Code: "ENERGY", Name: name("Elektroenerģija", "Electricity"), Unit: billing.UnitKWh, Zone: "T1", VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "0.145200"), p("2026-11-16", "0.151234")}},
		{Code: "ENERGY-DAY", Name: name("Elektroenerģija, dienas zona", "Electricity, day"), Unit: billing.UnitKWh, Zone: "DAY", VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "0.161000")}},
		{Code: "ENERGY-NIGHT", Name: name("Elektroenerģija, nakts zona", "Electricity, night"), Unit: billing.UnitKWh, Zone: "NIGHT", VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "0.118000")}},
		{Code: "NETWORK", Name: name("Sadales tīkla pakalpojums", "Distribution network"), Unit: billing.UnitKWh, VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "0.041800")}},
		{Code: "TAX", Name: name("Elektroenerģijas nodoklis", "Electricity tax"), Unit: billing.UnitKWh, VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "0.001010")}},
		{Code: "FIXED", Name: name("Pieslēguma maksa", "Connection fee"), Unit: billing.UnitMonth, VATCategory: "S", VATRate: vat,
			Prices: []billing.Price{p("2025-01-01", "12.50")}},
	}}
}

// Case is a named sample invoice.
type Case struct {
	Name    string
	Invoice *billing.Invoice
}

type meter struct {
	code       string
	multiplier int
	regs       []string
	prev, cur  []string
	estimated  bool
}

func build(number, lang, customer, reg string, period billing.Period, meters []meter) *billing.Invoice {
	var uses []billing.Use
	for _, m := range meters {
		mp := billing.MeteringPoint{Code: m.code, Multiplier: m.multiplier, Digits: 6, Registers: m.regs, MeterSerial: "SN-" + m.code,
			Address: billing.Address{Street: "Rūpnīcas iela 5", City: "Ogre", PostalCode: "LV-5001", Country: "LV"}}
		for i, r := range m.regs {
			prev := billing.Reading{MeteringPoint: m.code, Register: r, Date: period.Start.AddDays(-1), Value: decimal.RequireFromString(m.prev[i]), Source: billing.SourcePortal}
			cur := billing.Reading{MeteringPoint: m.code, Register: r, Date: period.End, Value: decimal.RequireFromString(m.cur[i]), Source: billing.SourcePortal}
			if m.estimated {
				cur.Source = billing.SourceEstimate
			}
			adv, _, err := billing.Advance(prev, prev.Value, cur.Value, mp.Digits)
			if err != nil {
				panic(err)
			}
			uses = append(uses, billing.Use{MeteringPoint: mp, Register: r, Previous: prev, Current: cur, KWh: billing.Consumption(adv, mp.Multiplier)})
		}
	}
	lines, err := billing.Lines(Plan(), period, uses, lang)
	if err != nil {
		panic(err)
	}
	issue := d("2026-12-01")
	inv := &billing.Invoice{
		Number: number, Type: billing.TypeInvoice, IssueDate: issue, DueDate: d("2026-12-21"), PaymentTermDays: 20, EInvoice: true, EInvoiceExtension: 5, MaxPaymentTerm: 20,
		Period: period, Currency: "EUR", Language: lang, ContractNumber: "L-2025-" + number[len(number)-4:],
		Supplier: Supplier(),
		Customer: billing.Customer{RegistrationNumber: reg, Name: customer, VATNumber: "LV" + reg, Language: lang,
			Address: billing.Address{Street: "Brīvības iela 1", City: "Rīga", PostalCode: "LV-1010", Country: "LV"}},
		Lines:     lines,
		CreatedAt: time.Date(2026, 12, 1, 6, 0, 0, 0, calendar.Riga),
	}
	billing.Summarise(inv)
	inv.PaymentReference = billing.PaymentReference(inv.Number)
	return inv
}

var nov = billing.Period{Start: d("2026-11-01"), End: d("2026-11-30")}
var oct = billing.Period{Start: d("2026-10-01"), End: d("2026-10-31")}

// Cases returns the representative set, freshly built on every call.
func Cases() []Case {
	single := build("ER-2026-000101", "lv", `SIA "Kūdras Rūpnīca"`, "40003012345", oct,
		[]meter{{code: "MP-000123", multiplier: 1, regs: []string{"T1"}, prev: []string{"10500"}, cur: []string{"11734"}}})
	dayNight := build("ER-2026-000102", "lv", "SIA Ēvalds un Ķēniņš", "40003023456", oct,
		[]meter{{code: "MP-000200", multiplier: 1, regs: []string{"DAY", "NIGHT"}, prev: []string{"5000", "2000"}, cur: []string{"5600", "2310.5"}}})
	multiplier := build("ER-2026-000103", "lv", "AS Ģenerators", "40003034567", oct,
		[]meter{{code: "MP-000300", multiplier: 40, regs: []string{"T1"}, prev: []string{"1234.5"}, cur: []string{"1301.25"}}})
	estimate := build("ER-2026-000104", "lv", "SIA Ūdensrozes", "40003045678", oct,
		[]meter{{code: "MP-000400", multiplier: 1, regs: []string{"T1"}, prev: []string{"800"}, cur: []string{"950.333"}, estimated: true}})
	split := build("ER-2026-000105", "lv", "SIA Žagatas", "40003056789", nov,
		[]meter{{code: "MP-000500", multiplier: 1, regs: []string{"T1"}, prev: []string{"100"}, cur: []string{"1301"}}})
	var many []meter
	for i := range 60 {
		many = append(many, meter{code: fmt.Sprintf("MP-6%05d", i), multiplier: 1 + i%3, regs: []string{"T1"},
			prev: []string{fmt.Sprint(1000 * i)}, cur: []string{fmt.Sprint(1000*i + 137 + 11*i)}})
	}
	sixty := build("ER-2026-000106", "lv", "SIA Lielais Tīkls", "40003067890", oct, many)
	english := build("ER-2026-000107", "en", "Baltic Widgets Ltd", "40003078901", nov,
		[]meter{{code: "MP-000700", multiplier: 1, regs: []string{"T1"}, prev: []string{"40000"}, cur: []string{"42500"}}})
	tricky := build("ER-2026-000108", "lv", `=SIA "Bite & <Kods>" +1`, "40003089012", oct,
		[]meter{{code: "MP-000800", multiplier: 1, regs: []string{"T1"}, prev: []string{"999900"}, cur: []string{"120"}}})
	credit := billing.CreditNoteFor(single, "Rādījums labots: 11 634 kWh")
	credit.Number, credit.IssueDate = "KR-2026-000001", d("2026-12-02")
	credit.PaymentReference = billing.PaymentReference(credit.Number)
	return []Case{
		{"single-rate", single}, {"day-night", dayNight}, {"multiplier", multiplier}, {"estimate", estimate},
		{"price-split", split}, {"sixty-meters", sixty}, {"english", english}, {"escaping", tricky}, {"credit-note", credit},
	}
}
