package billing_test

import (
	"testing"

	"github.com/erekins/erekins/billing"
)

var vat21 = dec("21")

func price(from, p string) billing.Price { return billing.Price{From: d(from), Price: dec(p)} }

func kwhComponent(code, zone string, prices ...billing.Price) billing.Component {
	return billing.Component{Code: code, Name: map[string]string{"lv": code + " lv", "en": code + " en"},
		Unit: billing.UnitKWh, Zone: zone, VATCategory: "S", VATRate: vat21, Prices: prices}
}

func monthComponent(code string, prices ...billing.Price) billing.Component {
	return billing.Component{Code: code, Unit: billing.UnitMonth, VATCategory: "S", VATRate: vat21, Prices: prices}
}

func use(register, kwh string, cur billing.Reading) billing.Use {
	return billing.Use{
		MeteringPoint: billing.MeteringPoint{Code: "MP1", Multiplier: 1, Digits: 6, Registers: []string{register}},
		Register:      register,
		Previous:      actual("2026-10-28", "1000"),
		Current:       cur,
		KWh:           dec(kwh),
	}
}

var november = billing.Period{Start: d("2026-11-01"), End: d("2026-11-30")}

func TestPriceAt(t *testing.T) {
	t.Parallel()
	c := kwhComponent("E", "", price("2026-11-11", "0.12"), price("2025-01-01", "0.10"), price("2027-01-01", "0.15"))
	tests := []struct {
		name   string
		day    string
		want   string
		wantOK bool
	}{
		{"before any price", "2024-12-31", "", false},
		{"the first price", "2026-11-10", "0.10", true},
		{"the day a price takes effect", "2026-11-11", "0.12", true},
		{"the latest price whatever the order of the list", "2027-02-01", "0.15", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := c.PriceAt(d(tt.day))
			if ok != tt.wantOK || (ok && !got.Equal(dec(tt.want))) {
				t.Errorf("PriceAt(%s) = %s, %v; want %s, %v", tt.day, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

type wantLine struct {
	component    string
	start, end   string
	qty, price   string
	net          string
	wasEstimated bool
}

func checkLines(t *testing.T, got []billing.Line, want []wantLine) {
	t.Helper()
	if len(got) != len(want) {
		for _, l := range got {
			t.Logf("%s %s..%s %s × %s = %s", l.Component, l.Period.Start, l.Period.End, l.Quantity, l.UnitPrice, l.Net)
		}
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		l := got[i]
		if l.Component != w.component || l.Period.Start != d(w.start) || l.Period.End != d(w.end) ||
			!l.Quantity.Equal(dec(w.qty)) || !l.UnitPrice.Equal(dec(w.price)) || !l.Net.Equal(dec(w.net)) ||
			l.Estimated != w.wasEstimated {
			t.Errorf("line %d = %s %s..%s %s × %s = %s (estimated %v); want %s %s..%s %s × %s = %s (estimated %v)", i,
				l.Component, l.Period.Start, l.Period.End, l.Quantity, l.UnitPrice, l.Net, l.Estimated,
				w.component, w.start, w.end, w.qty, w.price, w.net, w.wasEstimated)
		}
	}
}

func TestLines(t *testing.T) {
	t.Parallel()
	plan := billing.PricePlan{Code: "BIZ", Components: []billing.Component{
		kwhComponent("ENERGY", billing.ZoneSingle, price("2025-01-01", "0.100000"), price("2026-11-11", "0.120000")),
		kwhComponent("ENERGY-DAY", billing.ZoneDay, price("2025-01-01", "0.161000")),
		kwhComponent("NETWORK", "", price("2025-01-01", "0.041800")),
		monthComponent("FIXED", price("2025-01-01", "12.50")),
	}}
	tests := []struct {
		name   string
		period billing.Period
		uses   []billing.Use
		want   []wantLine
	}{
		{
			name:   "a price change on the 11th of a 30-day month splits 10 days / 20 days",
			period: november,
			uses:   []billing.Use{use("T1", "1200", actual("2026-11-28", "2200"))},
			want: []wantLine{
				{"ENERGY", "2026-11-01", "2026-11-10", "400", "0.1", "40", false},
				{"ENERGY", "2026-11-11", "2026-11-30", "800", "0.12", "96", false},
				{"NETWORK", "2026-11-01", "2026-11-30", "1200", "0.0418", "50.16", false},
				{"FIXED", "2026-11-01", "2026-11-30", "1", "12.5", "12.5", false},
			},
		},
		{
			name:   "kWh to 3 decimals, the last part takes the remainder",
			period: november,
			uses:   []billing.Use{use("T1", "1000.001", actual("2026-11-28", "2000.001"))},
			want: []wantLine{
				{"ENERGY", "2026-11-01", "2026-11-10", "333.334", "0.1", "33.33", false},
				{"ENERGY", "2026-11-11", "2026-11-30", "666.667", "0.12", "80", false},
				{"NETWORK", "2026-11-01", "2026-11-30", "1000.001", "0.0418", "41.8", false},
				{"FIXED", "2026-11-01", "2026-11-30", "1", "12.5", "12.5", false},
			},
		},
		{
			name:   "a zone's energy applies to its register only; estimated lines are marked",
			period: billing.Period{Start: d("2026-10-01"), End: d("2026-10-31")},
			uses:   []billing.Use{use("DAY", "100", estimated("2026-10-31", "1100"))},
			want: []wantLine{
				{"ENERGY-DAY", "2026-10-01", "2026-10-31", "100", "0.161", "16.1", true},
				{"NETWORK", "2026-10-01", "2026-10-31", "100", "0.0418", "4.18", true},
				{"FIXED", "2026-10-01", "2026-10-31", "1", "12.5", "12.5", false},
			},
		},
		{
			name:   "negative consumption after an over-estimate is a negative line, not an estimated one",
			period: billing.Period{Start: d("2026-10-01"), End: d("2026-10-31")},
			uses:   []billing.Use{use("T1", "-125", actual("2026-10-29", "875"))},
			want: []wantLine{
				{"ENERGY", "2026-10-01", "2026-10-31", "-125", "0.1", "-12.5", false},
				{"NETWORK", "2026-10-01", "2026-10-31", "-125", "0.0418", "-5.23", false}, // -5.225 rounds away from zero
				{"FIXED", "2026-10-01", "2026-10-31", "1", "12.5", "12.5", false},
			},
		},
		{
			name:   "a part month prorates the monthly fee by days",
			period: billing.Period{Start: d("2026-11-16"), End: d("2026-11-30")},
			uses:   nil,
			want: []wantLine{
				{"FIXED", "2026-11-16", "2026-11-30", "0.5", "12.5", "6.25", false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, err := billing.Lines(plan, tt.period, tt.uses, billing.English)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, lines, tt.want)
		})
	}
}

func TestLinesSplitRemainder(t *testing.T) {
	t.Parallel()
	plan := billing.PricePlan{Components: []billing.Component{
		kwhComponent("E", "", price("2025-01-01", "1"), price("2026-11-11", "2"), price("2026-11-21", "3")),
		monthComponent("FIXED", price("2025-01-01", "30"), price("2026-11-11", "30"), price("2026-11-21", "30")),
	}}
	lines, err := billing.Lines(plan, november, []billing.Use{use("T1", "1", actual("2026-11-28", "1001"))}, billing.Latvian)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, lines, []wantLine{
		{"E", "2026-11-01", "2026-11-10", "0.333", "1", "0.33", false},
		{"E", "2026-11-11", "2026-11-20", "0.333", "2", "0.67", false},
		{"E", "2026-11-21", "2026-11-30", "0.334", "3", "1", false},
		// The month is split like consumption, so its parts add up to exactly one month.
		{"FIXED", "2026-11-01", "2026-11-10", "0.333", "30", "9.99", false},
		{"FIXED", "2026-11-11", "2026-11-20", "0.333", "30", "9.99", false},
		{"FIXED", "2026-11-21", "2026-11-30", "0.334", "30", "10.02", false},
	})
	if lines[0].Description != "E lv" {
		t.Errorf("description %q, want the Latvian name", lines[0].Description)
	}
}

func TestLinesWithoutPrice(t *testing.T) {
	t.Parallel()
	plan := billing.PricePlan{Components: []billing.Component{kwhComponent("E", "", price("2026-11-11", "1"))}}
	_, err := billing.Lines(plan, november, []billing.Use{use("T1", "1", actual("2026-11-28", "1001"))}, billing.Latvian)
	if billing.ErrorCode(err) != billing.ErrInvalid {
		t.Errorf("Lines with no price on 1 Nov: error %v, want code %q", err, billing.ErrInvalid)
	}
}

func TestLineNet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		qty, price string
		want       string
	}{
		{"a half cent rounds away from zero", "1", "0.005", "0.01"},
		{"a negative half cent rounds away from zero", "-1", "0.005", "-0.01"},
		{"6-decimal price × 3-decimal quantity", "1234.567", "0.151234", "186.71"},
		{"just below a half cent", "0.999", "0.005", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := billing.LineNet(dec(tt.qty), dec(tt.price)); !got.Equal(dec(tt.want)) {
				t.Errorf("LineNet(%s × %s) = %s, want %s", tt.qty, tt.price, got, tt.want)
			}
		})
	}
}

func netLine(net, rate string) billing.Line {
	return billing.Line{Component: "X", Quantity: dec("1"), UnitPrice: dec(net), Net: dec(net), VATCategory: "S", VATRate: dec(rate)}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	type vat struct{ rate, base, amount string }
	tests := []struct {
		name     string
		lines    []billing.Line
		wantType string
		wantVAT  []vat
		wantNet  string
		wantVATs string
		wantPay  string
	}{
		{"a half cent of VAT rounds up", []billing.Line{netLine("0.50", "21")}, billing.TypeInvoice,
			[]vat{{"21", "0.5", "0.11"}}, "0.5", "0.11", "0.61"},
		{"VAT on the category's sum, not per line (BR-CO-17)",
			[]billing.Line{netLine("0.02", "21"), netLine("0.02", "21"), netLine("0.02", "21")}, billing.TypeInvoice,
			[]vat{{"21", "0.06", "0.01"}}, "0.06", "0.01", "0.07"},
		{"one subtotal per rate", []billing.Line{netLine("100", "21"), netLine("50", "12"), netLine("10.10", "21")}, billing.TypeInvoice,
			[]vat{{"21", "110.1", "23.12"}, {"12", "50", "6"}}, "160.1", "29.12", "189.22"},
		{"a negative line inside a positive invoice", []billing.Line{netLine("100", "21"), netLine("-40.50", "21")}, billing.TypeInvoice,
			[]vat{{"21", "59.5", "12.5"}}, "59.5", "12.5", "72"},
		{"a negative total becomes a credit note with positive amounts", []billing.Line{netLine("12.50", "21"), netLine("-13", "21")}, billing.TypeCreditNote,
			[]vat{{"21", "0.5", "0.11"}}, "0.5", "0.11", "0.61"},
		{"a negative half cent of VAT rounds away from zero on the credit note", []billing.Line{netLine("-0.50", "21")}, billing.TypeCreditNote,
			[]vat{{"21", "0.5", "0.11"}}, "0.5", "0.11", "0.61"},
		{"a zero invoice stays an invoice", []billing.Line{netLine("10", "21"), netLine("-10", "21")}, billing.TypeInvoice,
			[]vat{{"21", "0", "0"}}, "0", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			inv := &billing.Invoice{Type: billing.TypeInvoice, Lines: tt.lines}
			billing.Summarise(inv)
			if inv.Type != tt.wantType {
				t.Errorf("type %s, want %s", inv.Type, tt.wantType)
			}
			if len(inv.VAT) != len(tt.wantVAT) {
				t.Fatalf("VAT = %+v, want %+v", inv.VAT, tt.wantVAT)
			}
			for i, w := range tt.wantVAT {
				v := inv.VAT[i]
				if v.Category != "S" || !v.Rate.Equal(dec(w.rate)) || !v.Base.Equal(dec(w.base)) || !v.Amount.Equal(dec(w.amount)) {
					t.Errorf("VAT %d = %s%% of %s = %s, want %s%% of %s = %s", i, v.Rate, v.Base, v.Amount, w.rate, w.base, w.amount)
				}
			}
			tot := inv.Totals
			if !tot.Net.Equal(dec(tt.wantNet)) || !tot.VAT.Equal(dec(tt.wantVATs)) || !tot.Gross.Equal(dec(tt.wantPay)) || !tot.Payable.Equal(dec(tt.wantPay)) {
				t.Errorf("totals net %s VAT %s gross %s payable %s, want %s %s %s %s", tot.Net, tot.VAT, tot.Gross, tot.Payable, tt.wantNet, tt.wantVATs, tt.wantPay, tt.wantPay)
			}
		})
	}
}

func TestSummariseCreditNoteNegatesLines(t *testing.T) {
	t.Parallel()
	l := netLine("-13", "21")
	l.Quantity = dec("-100")
	l.UnitPrice = dec("0.13")
	l.Estimated = true
	inv := &billing.Invoice{Type: billing.TypeInvoice, Lines: []billing.Line{l}}
	billing.Summarise(inv)
	if inv.Type != billing.TypeCreditNote || !inv.Lines[0].Quantity.Equal(dec("100")) || !inv.Lines[0].Net.Equal(dec("13")) ||
		!inv.Lines[0].UnitPrice.Equal(dec("0.13")) {
		t.Errorf("credit note line %s × %s = %s (%s)", inv.Lines[0].Quantity, inv.Lines[0].UnitPrice, inv.Lines[0].Net, inv.Type)
	}
	if !inv.Estimated {
		t.Error("an invoice with an estimated line is not marked estimated")
	}
}

// TestSummariseDoesNotWriteIntoSharedVAT: a copy of a document shares its VAT slice;
// summarising the copy must leave the original as it was.
func TestSummariseDoesNotWriteIntoSharedVAT(t *testing.T) {
	t.Parallel()
	orig := &billing.Invoice{Type: billing.TypeInvoice, Lines: []billing.Line{netLine("100", "21")}}
	billing.Summarise(orig)
	cp := *orig
	cp.Lines = []billing.Line{netLine("200", "21")}
	billing.Summarise(&cp)
	if !orig.VAT[0].Base.Equal(dec("100")) {
		t.Errorf("original VAT base became %s", orig.VAT[0].Base)
	}
}

func TestCreditNoteFor(t *testing.T) {
	t.Parallel()
	orig := &billing.Invoice{ID: 7, Number: "ER-2026-000001", Type: billing.TypeInvoice, IssueDate: d("2026-12-01"),
		PaymentReference: "RF32ER2026000001", Lines: []billing.Line{netLine("100", "21")}}
	billing.Summarise(orig)
	cn := billing.CreditNoteFor(orig, "reading corrected")
	if cn.Type != billing.TypeCreditNote || cn.Number != "" || cn.ID != 0 || cn.PaymentReference != "" {
		t.Errorf("credit note %s number %q id %d reference %q", cn.Type, cn.Number, cn.ID, cn.PaymentReference)
	}
	if cn.Corrects != "ER-2026-000001" || cn.CorrectsDate != d("2026-12-01") || cn.Reason != "reading corrected" {
		t.Errorf("credit note corrects %q of %s for %q", cn.Corrects, cn.CorrectsDate, cn.Reason)
	}
	if !cn.Totals.Payable.Equal(dec("121")) || !cn.Lines[0].Net.Equal(dec("100")) {
		t.Errorf("credit note payable %s, line %s; want the invoice's positive amounts", cn.Totals.Payable, cn.Lines[0].Net)
	}
	cn.Lines[0].Net = dec("1")
	cn.VAT[0].Amount = dec("1")
	if !orig.Lines[0].Net.Equal(dec("100")) || !orig.VAT[0].Amount.Equal(dec("21")) {
		t.Error("changing the credit note changed the invoice")
	}
	back := billing.CreditNoteFor(&billing.Invoice{Number: "KR-2026-000001", Type: billing.TypeCreditNote}, "cancelled")
	if back.Type != billing.TypeInvoice {
		t.Errorf("cancelling a credit note gives a %s, want an invoice", back.Type)
	}
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		year    int
		n       int64
		want    string
	}{
		{"invoice series", "ER-{YYYY}-{N:6}", 2026, 1, "ER-2026-000001"},
		{"credit note series", "KR-{YYYY}-{N:6}", 2026, 42, "KR-2026-000042"},
		{"a number wider than the padding", "ER-{YYYY}-{N:6}", 2026, 1234567, "ER-2026-1234567"},
		{"a two-digit width", "{N:10}", 2026, 5, "0000000005"},
		{"the sequence before the year", "{N:4}/{YYYY}", 2027, 12, "0012/2027"},
		{"no placeholders", "INV", 2026, 1, "INV"},
		{"an unfinished placeholder is copied", "ER-{N:6", 2026, 1, "ER-{N:6"},
		{"a placeholder without width is copied", "ER-{N:}", 2026, 1, "ER-{N:}"},
		{"a placeholder with a letter is copied", "ER-{N:x}", 2026, 1, "ER-{N:x}"},
		{"a lone brace", "{", 2026, 1, "{"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := billing.FormatNumber(tt.pattern, tt.year, tt.n); got != tt.want {
				t.Errorf("FormatNumber(%q, %d, %d) = %q, want %q", tt.pattern, tt.year, tt.n, got, tt.want)
			}
		})
	}
	r := billing.DefaultRules()
	if got := billing.FormatNumber(r.InvoiceSeries, 2026, 1); got != "ER-2026-000001" {
		t.Errorf("default invoice series gives %q", got)
	}
	if got := billing.FormatNumber(r.CreditNoteSeries, 2026, 1); got != "KR-2026-000001" {
		t.Errorf("default credit note series gives %q", got)
	}
}
