package ubl

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/document/sample"
)

// genDecimal draws a decimal in [lo, hi] units of 10^-places.
func genDecimal(t *rapid.T, label string, lo, hi int64, places int32) decimal.Decimal {
	return decimal.New(rapid.Int64Range(lo, hi).Draw(t, label), -places)
}

// genPlan draws a price plan: energy per zone, network and tax per kWh, a monthly fee, each
// with up to 6 decimals, and sometimes a price change inside the period.
func genPlan(t *rapid.T, period billing.Period) billing.PricePlan {
	vat := decimal.NewFromInt(21)
	prices := func(label string) []billing.Price {
		ps := []billing.Price{{From: calendar.MustDate("2020-01-01"), Price: genDecimal(t, label, 0, 2_000_000, 6)}}
		if days := period.Start.DaysUntil(period.End); days > 0 && rapid.Bool().Draw(t, label+" changes") {
			at := period.Start.AddDays(rapid.IntRange(1, days).Draw(t, label+" change day"))
			ps = append(ps, billing.Price{From: at, Price: genDecimal(t, label+" new", 0, 2_000_000, 6)})
		}
		return ps
	}
	c := func(code, unit, zone string) billing.Component {
		return billing.Component{Code: code, Name: map[string]string{"lv": code + " lv", "en": code + " en"}, Unit: unit, Zone: zone,
			VATCategory: "S", VATRate: vat, Prices: prices(code)}
	}
	return billing.PricePlan{Code: "GEN", Components: []billing.Component{
		c("ENERGY", billing.UnitKWh, billing.ZoneSingle), c("ENERGY-DAY", billing.UnitKWh, billing.ZoneDay),
		c("ENERGY-NIGHT", billing.UnitKWh, billing.ZoneNight), c("NETWORK", billing.UnitKWh, ""),
		c("FIXED", billing.UnitMonth, ""),
	}}
}

// genInvoice draws an invoice the way the biller builds one: uses of random meters,
// multipliers and readings (advances may be negative, crediting an over-estimate), priced by
// billing.Lines and summed by billing.Summarise; sometimes the credit note that cancels it.
func genInvoice(t *rapid.T) *billing.Invoice {
	month := calendar.NewDate(rapid.IntRange(2025, 2028).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")), 1)
	first := rapid.IntRange(1, month.LastOfMonth().Day()).Draw(t, "first day")
	last := rapid.IntRange(first, month.LastOfMonth().Day()).Draw(t, "last day")
	if rapid.Bool().Draw(t, "whole month") {
		first, last = 1, month.LastOfMonth().Day()
	}
	period := billing.Period{Start: calendar.NewDate(month.Year(), month.Month(), first), End: calendar.NewDate(month.Year(), month.Month(), last)}
	plan := genPlan(t, period)

	var uses []billing.Use
	for i := range rapid.IntRange(1, 6).Draw(t, "meters") {
		mp := billing.MeteringPoint{Code: fmt.Sprintf("MP-%06d", i), Multiplier: rapid.SampledFrom([]int{1, 1, 10, 40, 100}).Draw(t, "multiplier"), Digits: 6}
		mp.Registers = []string{billing.ZoneSingle}
		if rapid.Bool().Draw(t, "day/night") {
			mp.Registers = []string{billing.ZoneDay, billing.ZoneNight}
		}
		estimated := rapid.Bool().Draw(t, "estimated")
		for _, r := range mp.Registers {
			prev := genDecimal(t, "previous", 0, 999_999_999, 3)
			cur := prev.Add(genDecimal(t, "advance", -500_000, 20_000_000, 3))
			source := billing.SourcePortal
			if estimated {
				source = billing.SourceEstimate
			}
			uses = append(uses, billing.Use{MeteringPoint: mp, Register: r,
				Previous: billing.Reading{Value: prev, Source: billing.SourcePortal, Date: period.Start.AddDays(-1)},
				Current:  billing.Reading{Value: cur, Source: source, Date: period.End},
				KWh:      billing.Consumption(cur.Sub(prev), mp.Multiplier)})
		}
	}
	lang := rapid.SampledFrom([]string{billing.Latvian, billing.English}).Draw(t, "language")
	lines, err := billing.Lines(plan, period, uses, lang)
	if err != nil {
		t.Fatalf("lines: %v", err)
	}
	base := sample.Cases()[0].Invoice
	inv := &billing.Invoice{
		Number: "ER-2026-" + fmt.Sprintf("%06d", rapid.IntRange(1, 999_999).Draw(t, "number")), Type: billing.TypeInvoice,
		IssueDate: period.End.AddDays(1), PaymentTermDays: 20, EInvoice: true, Period: period, Currency: "EUR",
		Language: lang, ContractNumber: "L-2025-0001", Supplier: base.Supplier, Customer: base.Customer, Lines: lines,
	}
	inv.DueDate = inv.IssueDate.AddDays(inv.PaymentTermDays)
	billing.Summarise(inv)
	inv.PaymentReference = billing.PaymentReference(inv.Number)
	if rapid.Bool().Draw(t, "cancelled") {
		inv = billing.CreditNoteFor(inv, "Atcelts")
		inv.Number, inv.IssueDate = "KR-2026-000001", inv.IssueDate.AddDays(1)
		inv.PaymentReference = billing.PaymentReference(inv.Number)
	}
	return inv
}

// TestRenderProperty: every invoice the billing rules can produce renders to a well-formed
// document that Check finds nothing wrong with. With UBL_DUMP_DIR set, the documents are
// also written there, to run the official validator over them (docs/ubl.md).
func TestRenderProperty(t *testing.T) {
	dump := os.Getenv("UBL_DUMP_DIR")
	n := 0
	rapid.Check(t, func(t *rapid.T) {
		inv := genInvoice(t)
		doc, err := Render(inv, testPDF, pdfName(inv))
		if err != nil {
			t.Fatalf("render: %v", err)
		}
		mustDecode(t, doc)
		if f := Check(doc); len(f) > 0 {
			t.Fatalf("%d findings, first %v\n%s", len(f), f[:min(5, len(f))], doc)
		}
		if dump != "" {
			n++
			if err := os.WriteFile(filepath.Join(dump, fmt.Sprintf("gen-%03d-%s.xml", n, inv.Type)), doc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
}
