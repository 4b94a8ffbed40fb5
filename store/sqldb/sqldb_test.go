package sqldb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/dataset"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

var d = calendar.MustDate

func open(t *testing.T, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seed stores one customer with one contract and a single-rate meter.
func seed(t *testing.T, db *sqldb.DB) {
	t.Helper()
	plan := billing.PricePlan{Code: "P", Components: []billing.Component{{Code: "E", Name: map[string]string{"lv": "E"}, Unit: billing.UnitKWh,
		VATCategory: "S", VATRate: decimal.NewFromInt(21), Prices: []billing.Price{{From: d("2025-01-01"), Price: decimal.RequireFromString("0.1")}}}}}
	ds := &dataset.Dataset{Version: 1, PricePlans: []billing.PricePlan{plan}, Customers: []dataset.Customer{{
		Customer: billing.Customer{RegistrationNumber: "40003012345", Name: "SIA Tests", Language: "lv",
			Address: billing.Address{Street: "Iela 1", City: "Rīga", PostalCode: "LV-1010", Country: "LV"}},
		Contracts: []billing.Contract{{Number: "K-1", Start: d("2026-01-01"), PricePlan: "P", PaymentTermDays: 15,
			Delivery:       billing.DeliverySettings{Method: billing.Paper},
			MeteringPoints: []billing.MeteringPoint{{Code: "MP-1", Multiplier: 1, Digits: 6, Registers: []string{"T1"}}}}},
	}}}
	if _, err := db.Import(context.Background(), ds, nil, "test", time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestMigrate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		db := open(t, dsn)
		if n, err := db.Migrate(context.Background()); err != nil || n != 0 {
			t.Errorf("second migrate applied %d, err %v; want 0", n, err)
		}
		if n, err := db.Pending(context.Background()); err != nil || n != 0 {
			t.Errorf("pending %d, err %v", n, err)
		}
	})
}

func TestImportUpsertsByNaturalKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		db := open(t, dsn)
		seed(t, db)
		seed(t, db)
		var customers, contracts, registers int
		db.QueryRow(`SELECT count(*) FROM customers`).Scan(&customers)
		db.QueryRow(`SELECT count(*) FROM contracts`).Scan(&contracts)
		db.QueryRow(`SELECT count(*) FROM registers`).Scan(&registers)
		if customers != 1 || contracts != 1 || registers != 1 {
			t.Errorf("after two imports: %d customers, %d contracts, %d registers; want 1 each", customers, contracts, registers)
		}
	})
}

func reading(day string, value string, at time.Time) billing.Submission {
	return billing.Submission{Key: billing.RegisterKey{MeteringPoint: "MP-1", Register: "T1"}, Date: d(day),
		Value: decimal.RequireFromString(value), Source: billing.SourceOperator, By: "test", At: at}
}

func TestReadingsAreAppendOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		rules := billing.DefaultRules()
		add := func(s billing.Submission) (billing.Accepted, error) {
			return db.AddReading(ctx, s.Key, func(st *billing.RegisterState) (billing.Accepted, error) { return rules.Accept(*st, s) })
		}
		at := time.Date(2026, 1, 31, 12, 0, 0, 0, calendar.Riga)
		first, err := add(reading("2026-01-31", "100", at))
		if err != nil {
			t.Fatal(err)
		}
		fix := reading("2026-01-31", "110", at.Add(time.Hour))
		fix.Reason = "misread"
		second, err := add(fix)
		if err != nil {
			t.Fatal(err)
		}
		if second.Reading.Supersedes != first.Reading.ID {
			t.Errorf("correction supersedes %d, want %d", second.Reading.Supersedes, first.Reading.ID)
		}
		all, err := db.Readings(ctx, fix.Key)
		if err != nil || len(all) != 2 || !all[0].Value.Equal(decimal.NewFromInt(100)) {
			t.Fatalf("readings = %+v, err %v; want both kept", all, err)
		}
		st, err := db.RegisterState(ctx, fix.Key)
		if err != nil || len(st.History.Readings) != 1 || !st.History.Readings[0].Value.Equal(decimal.NewFromInt(110)) {
			t.Errorf("effective history = %+v, err %v; want only the correction", st.History.Readings, err)
		}
		log, _ := db.AuditLog(ctx, "register", "MP-1/T1")
		if len(log) != 2 || log[1].Details["reason"] != "misread" {
			t.Errorf("audit log = %+v", log)
		}
		if _, err := add(reading("2026-01-31", "120", at.Add(2*time.Hour))); billing.ErrorCode(err) != billing.ErrConflict {
			t.Errorf("second reading without a reason: %v, want a conflict", err)
		}
	})
}

// TestConcurrentBillingIssuesOnce runs two billers at once on the same data: every period
// is issued once and the numbers stay gapless.
func TestConcurrentBillingIssuesOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := open(t, dsn)
		seed(t, db)
		rules := billing.DefaultRules()
		for _, r := range []billing.Submission{reading("2026-01-31", "100", time.Date(2026, 1, 31, 9, 0, 0, 0, calendar.Riga)),
			reading("2026-02-27", "250", time.Date(2026, 2, 27, 9, 0, 0, 0, calendar.Riga))} {
			if _, err := db.AddReading(ctx, r.Key, func(st *billing.RegisterState) (billing.Accepted, error) { return rules.Accept(*st, r) }); err != nil {
				t.Fatal(err)
			}
		}
		plans, _ := db.PricePlans(ctx)
		w := calendar.NewWorkdays(nil, nil)
		newBiller := func() *billing.Biller {
			return &billing.Biller{Store: db, Planner: &billing.Planner{Rules: rules, Schedule: billing.Schedule{Workdays: w, Rules: rules},
				Plans: plans, Now: time.Now, Supplier: billing.Supplier{Name: "S"}}}
		}
		var wg sync.WaitGroup
		results := make([]billing.RunResult, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = newBiller().Run(ctx, d("2026-03-10")) })
		}
		wg.Wait()
		total := 0
		for i := range results {
			if errs[i] != nil {
				t.Fatalf("run %d: %v", i, errs[i])
			}
			total += len(results[i].Issued)
		}
		// January (baseline, fixed fee only: no kWh lines) and February.
		if total != 2 {
			t.Errorf("four concurrent runs issued %d documents, want 2", total)
		}
		rows, _ := db.Invoices(ctx, sqldb.InvoiceFilter{})
		if len(rows) != 2 || rows[0].Number != "ER-2026-000002" || rows[1].Number != "ER-2026-000001" {
			t.Errorf("invoices = %+v", rows)
		}
		inv, err := db.Invoice(ctx, "ER-2026-000002")
		if err != nil {
			t.Fatal(err)
		}
		if len(inv.Lines) != 1 || !inv.Lines[0].Quantity.Equal(decimal.NewFromInt(150)) || !inv.Totals.Net.Equal(decimal.NewFromInt(15)) {
			t.Errorf("February invoice lines %+v totals %+v; want 150 kWh, 15.00 net", inv.Lines, inv.Totals)
		}
	})
}
