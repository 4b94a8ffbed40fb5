package app_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
)

// TestBillingProperties bills random datasets on random days and checks what must hold of
// every run: totals are the sum of the lines, VAT is each category's base × rate rounded,
// numbers are unique and gapless, a second run the same day issues nothing, and no invoice
// is issued before its period is complete or its window closed.
func TestBillingProperties(t *testing.T) {
	dir := t.TempDir()
	n, issued := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		ctx := context.Background()
		last := calendar.NewDate(2026, time.Month(rapid.IntRange(1, 12).Draw(rt, "last month")), 1)
		months := rapid.IntRange(2, 8).Draw(rt, "months")
		cfg := datagen.Config{
			Seed: rapid.Uint64().Draw(rt, "seed"), Contracts: rapid.IntRange(1, 6).Draw(rt, "contracts"),
			MeteringPoints: rapid.IntRange(1, 3).Draw(rt, "meters"), Months: months, LastPeriod: last,
			LegacyBaseline: rapid.Bool().Draw(rt, "legacy baseline"), EInvoiceShare: 0.5,
		}
		if rapid.Bool().Draw(rt, "skip a month") {
			cfg.SkipPeriod = last.AddMonths(-rapid.IntRange(0, months-1).Draw(rt, "skipped"))
		}
		if rapid.Bool().Draw(rt, "price change") {
			cfg.PriceChange = last.AddMonths(-rapid.IntRange(0, months-1).Draw(rt, "change month")).AddDays(rapid.IntRange(1, 27).Draw(rt, "change day"))
		}
		a := open(t, filepath.Join(dir, fmt.Sprintf("p%d.db", n)), time.Date(2027, 1, 1, 0, 0, 0, 0, calendar.Riga))
		var buf bytes.Buffer
		if err := datagen.Write(&buf, cfg); err != nil {
			rt.Fatal(err)
		}
		if _, err := a.Import(ctx, &buf, "test"); err != nil {
			rt.Fatalf("import: %v", err)
		}
		w, _ := a.Workdays(ctx)
		sched := billing.Schedule{Workdays: w, Rules: a.Config.Rules}
		day := last.AddMonths(-months)
		for range rapid.IntRange(1, 4).Draw(rt, "runs") {
			day = day.AddDays(rapid.IntRange(1, 150).Draw(rt, "days later"))
			a.Now = func() time.Time { return day.In(calendar.Riga).Add(6 * time.Hour) }
			res, err := a.Bill(ctx, day)
			if err != nil || len(res.Failures) > 0 {
				rt.Fatalf("bill %s: %v %v", day, err, res.Failures)
			}
			issued += len(res.Issued)
			for _, s := range res.Issued {
				inv, err := a.DB.Invoice(ctx, s.Number)
				if err != nil {
					rt.Fatal(err)
				}
				checkTotals(rt, inv)
				checkDue(rt, a.DB, sched, inv)
			}
			again, err := a.Bill(ctx, day)
			if err != nil || len(again.Issued) > 0 {
				rt.Fatalf("second run on %s issued %d (%v)", day, len(again.Issued), err)
			}
		}
		checkNumbers(rt, a.DB)
	})
	if issued == 0 {
		t.Error("no check issued anything: the properties were never exercised")
	}
	t.Logf("%d datasets, %d documents issued", n, issued)
}

func checkTotals(t *rapid.T, inv *billing.Invoice) {
	net := decimal.Zero
	bases := map[string]decimal.Decimal{}
	for _, l := range inv.Lines {
		if !l.Net.Equal(billing.RoundMoney(l.Quantity.Mul(l.UnitPrice))) {
			t.Fatalf("%s: line net %s ≠ %s × %s", inv.Number, l.Net, l.Quantity, l.UnitPrice)
		}
		net = net.Add(l.Net)
		bases[l.VATCategory+"/"+l.VATRate.String()] = bases[l.VATCategory+"/"+l.VATRate.String()].Add(l.Net)
	}
	vat := decimal.Zero
	for _, s := range inv.VAT {
		base := bases[s.Category+"/"+s.Rate.String()]
		if !s.Base.Equal(base) || !s.Amount.Equal(billing.RoundMoney(base.Mul(s.Rate).Div(decimal.NewFromInt(100)))) {
			t.Fatalf("%s: VAT %s/%s base %s amount %s, lines give base %s", inv.Number, s.Category, s.Rate, s.Base, s.Amount, base)
		}
		vat = vat.Add(s.Amount)
	}
	if !inv.Totals.Net.Equal(net) || !inv.Totals.VAT.Equal(vat) || !inv.Totals.Gross.Equal(net.Add(vat)) || !inv.Totals.Payable.Equal(inv.Totals.Gross) {
		t.Fatalf("%s: totals %+v, lines give net %s VAT %s", inv.Number, inv.Totals, net, vat)
	}
	if inv.Totals.Gross.IsNegative() {
		t.Fatalf("%s: negative gross %s on a %s", inv.Number, inv.Totals.Gross, inv.Type)
	}
}

// checkDue asserts the period was complete or its window closed on the issue day.
func checkDue(t *rapid.T, db *sqldb.DB, sched billing.Schedule, inv *billing.Invoice) {
	m := billing.MonthOf(inv.Period.Start)
	if !sched.IssueOnEstimate(m).After(inv.IssueDate) {
		return // the window had closed
	}
	if inv.Estimated {
		t.Fatalf("%s: estimated before the window of %s closed", inv.Number, m)
	}
	w := sched.Rules.WindowOf(m)
	var last string
	err := db.QueryRow(db.Q(`SELECT max(r.submitted_at) FROM readings r JOIN registers g ON g.id = r.register_id
		JOIN metering_points mp ON mp.id = g.metering_point_id JOIN contracts c ON c.id = mp.contract_id
		WHERE c.number = ? AND r.reading_date BETWEEN ? AND ?`), inv.ContractNumber, w.Open.String(), w.Close.String()).Scan(&last)
	if err != nil {
		t.Fatal(err)
	}
	var at time.Time
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano} {
		if p, err := time.Parse(layout, last); err == nil {
			at = p
		}
	}
	if sched.IssueOnCompletion(calendar.DateOf(at)).After(inv.IssueDate) {
		t.Fatalf("%s issued %s, before the next working day after completion on %s", inv.Number, inv.IssueDate, calendar.DateOf(at))
	}
}

func checkNumbers(t *rapid.T, db *sqldb.DB) {
	rows, err := db.Query(`SELECT number FROM invoices`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	series := map[string][]string{}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		series[n[:7]] = append(series[n[:7]], n)
	}
	for s, nums := range series {
		sort.Strings(nums)
		for i, n := range nums {
			if want := fmt.Sprintf("%s-%06d", s, i+1); n != want {
				t.Fatalf("series %s: number %d is %s, want %s (gap or duplicate)", s, i+1, n, want)
			}
		}
	}
}
