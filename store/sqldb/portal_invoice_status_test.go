package sqldb_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// billedWithCorrection is two customers billed for five months, one of them estimated, and
// a corrected reading of customer A after billing: a credit note and a new invoice. It
// returns the app and the customers' ids, A first.
func billedWithCorrection(t *testing.T, dsn string) (*app.App, []int64) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, calendar.Riga)
	a, err := app.Open(ctx, dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	a.Now = func() time.Time { return now }
	var buf bytes.Buffer
	if err := datagen.Write(&buf, datagen.Config{Seed: 5, Contracts: 3, MinMeteringPoints: 1, MeteringPoints: 2, Months: 5,
		LastPeriod: d("2026-10-01"), SkipPeriod: d("2026-08-01"), LegacyBaseline: true,
		Customers: []datagen.Customer{{Name: "SIA A", Language: "lv", Email: "a@a.example.lv"}, {Name: "B Ltd", Language: "en", Email: "b@b.example.lv"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, &buf, "test"); err != nil {
		t.Fatalf("import: %v", err)
	}
	if res, err := a.Bill(ctx, d("2026-11-27")); err != nil || len(res.Failures) > 0 {
		t.Fatalf("bill: %v %v", err, res.Failures)
	}
	var ids []int64
	rows, err := a.DB.QueryContext(ctx, `SELECT id FROM customers ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()

	ms, err := a.DB.CustomerMeters(ctx, ids[0])
	if err != nil || len(ms) == 0 {
		t.Fatalf("meters of A: %v", err)
	}
	key := billing.RegisterKey{MeteringPoint: ms[0].Code, Register: ms[0].Registers[0]}
	rs, err := a.DB.Readings(ctx, key)
	if err != nil || len(rs) == 0 {
		t.Fatalf("readings of %s: %v", key, err)
	}
	last := rs[len(rs)-1]
	now = now.Add(24 * time.Hour)
	if _, err := a.AddReading(ctx, billing.Submission{Key: key, Date: last.Date, Value: last.Value.Add(decimal.NewFromInt(7)),
		Source: billing.SourceOperator, By: "test", Confirmed: true, Reason: "misread digit"}); err != nil {
		t.Fatalf("correct %s on %s: %v", key, last.Date, err)
	}
	// Billing issues the pair on the next working day (the 28th is a Saturday).
	if res, err := a.Bill(ctx, d("2026-11-30")); err != nil || len(res.Failures) > 0 || len(res.Issued) < 2 {
		t.Fatalf("bill after the correction: %v %v, issued %d, want a credit note and an invoice", err, res.Failures, len(res.Issued))
	}
	return a, ids
}

// TestCustomerInvoiceStatus checks the archive's status filter against InvoiceStatus, the
// same rules in Go, for every status and several business dates (the boundary included:
// due today is open), on both databases; and that it stays within the customer.
func TestCustomerInvoiceStatus(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, ids := billedWithCorrection(t, dsn)
		db := a.DB
		seen := map[string]bool{}
		for _, id := range ids {
			all, total, err := db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: id})
			if err != nil || total != len(all) || total == 0 {
				t.Fatalf("customer %d: %d of %d, %v", id, len(all), total, err)
			}
			numbers := make([]string, len(all))
			var dues []billing.Date
			for i, r := range all {
				numbers[i] = r.Number
				if r.Type == billing.TypeInvoice {
					dues = append(dues, r.DueDate)
				}
			}
			corrections, err := db.CustomerCorrections(ctx, id, numbers)
			if err != nil {
				t.Fatal(err)
			}
			for inv, cn := range corrections {
				if !slices.Contains(numbers, inv) || !slices.Contains(numbers, cn) {
					t.Errorf("correction %s → %s is not the customer's", cn, inv)
				}
			}
			slices.SortFunc(dues, billing.Date.Compare)
			days := []billing.Date{dues[0], dues[len(dues)/2], dues[len(dues)-1].AddDays(1)}
			for _, today := range days {
				for _, status := range sqldb.InvoiceStatuses {
					var want []string
					for _, r := range all {
						_, corrected := corrections[r.Number]
						if st := sqldb.InvoiceStatus(r, today, corrected); st == status || status == sqldb.StatusEstimated && r.Estimated {
							want = append(want, r.Number)
						}
					}
					got, n, err := db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: id, Status: status, Today: today})
					if err != nil {
						t.Fatalf("%s on %s: %v", status, today, err)
					}
					var gotNumbers []string
					for _, r := range got {
						gotNumbers = append(gotNumbers, r.Number)
					}
					if n != len(want) || !slices.Equal(gotNumbers, want) {
						t.Errorf("customer %d, %s on %s: %v (total %d), want %v", id, status, today, gotNumbers, n, want)
					}
					if len(want) > 0 {
						seen[status] = true
					}
				}
			}
		}
		// The fixture must exercise every status, or the comparison above proves little.
		for _, s := range sqldb.InvoiceStatuses {
			if !seen[s] {
				t.Errorf("no document had status %s on any of the days: the fixture does not cover it", s)
			}
		}

		// Combined with the other filters, and paged.
		if got, n, err := db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: ids[0], Status: sqldb.StatusCorrected,
			Type: "credit_note"}); err != nil || n != 0 || len(got) != 0 {
			t.Errorf("corrected credit notes: %d, %v; a credit note is never corrected", n, err)
		}
		if got, n, err := db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: ids[0], Status: sqldb.StatusPastDue,
			Today: d("2030-01-01"), Limit: 1}); err != nil || len(got) != 1 || n < 2 {
			t.Errorf("past due in 2030, one page of 1: %d rows of %d, %v", len(got), n, err)
		}
		// B's invoices are never A's corrections.
		other, _, _ := db.CustomerInvoices(ctx, sqldb.CustomerInvoiceFilter{CustomerID: ids[1]})
		var otherNumbers []string
		for _, r := range other {
			otherNumbers = append(otherNumbers, r.Number)
		}
		if c, err := db.CustomerCorrections(ctx, ids[0], otherNumbers); err != nil || len(c) != 0 {
			t.Errorf("A's corrections of B's numbers: %v, %v", c, err)
		}

		for _, bad := range []sqldb.CustomerInvoiceFilter{{CustomerID: ids[0], Status: "paid"}, {CustomerID: ids[0], Status: sqldb.StatusOpen}} {
			if _, _, err := db.CustomerInvoices(ctx, bad); billing.ErrorCode(err) != billing.ErrInvalid {
				t.Errorf("status %q, today %v: %v, want invalid", bad.Status, bad.Today, err)
			}
		}
	})
}

func TestInvoiceStatusRules(t *testing.T) {
	today := d("2026-11-28")
	for _, c := range []struct {
		name      string
		row       sqldb.InvoiceRow
		corrected bool
		want      string
	}{
		{"due today is still open", sqldb.InvoiceRow{Type: billing.TypeInvoice, DueDate: today}, false, sqldb.StatusOpen},
		{"due later", sqldb.InvoiceRow{Type: billing.TypeInvoice, DueDate: today.AddDays(10)}, false, sqldb.StatusOpen},
		{"due yesterday has passed", sqldb.InvoiceRow{Type: billing.TypeInvoice, DueDate: today.AddDays(-1)}, false, sqldb.StatusPastDue},
		{"a correction wins over the due date", sqldb.InvoiceRow{Type: billing.TypeInvoice, DueDate: today.AddDays(-1)}, true, sqldb.StatusCorrected},
		{"a credit note has none", sqldb.InvoiceRow{Type: billing.TypeCreditNote, DueDate: today.AddDays(-1)}, false, ""},
	} {
		if got := sqldb.InvoiceStatus(c.row, today, c.corrected); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
