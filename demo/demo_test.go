package demo_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/demo"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/portal"
)

// TestBuild checks the demo has what the README promises.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, calendar.Riga)
	a, sum, err := demo.Build(ctx, path, app.Config{Rules: billing.DefaultRules()}, now)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	// October 2025 to October 2026 for four customers.
	if sum.Issued != 4*13 {
		t.Errorf("issued %d, want 52", sum.Issued)
	}
	rows, err := a.DB.Invoices(ctx, sqldb.InvoiceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	estimated, english, quoted := 0, false, false
	for _, r := range rows {
		if r.Estimated {
			estimated++
		}
		if r.IssueDate.After(calendar.DateOf(now)) || !r.IssueDate.After(r.Period.End) {
			t.Errorf("%s issued %s for %s", r.Number, r.IssueDate, r.Period.Start)
		}
		quoted = quoted || strings.Contains(r.Customer, `"`) && strings.Contains(r.Customer, "&")
	}
	if estimated != 4 {
		t.Errorf("%d estimated invoices, want one per customer for the missing month", estimated)
	}
	var multiplier40, dayNight, langEN int
	a.DB.QueryRow(`SELECT count(*) FROM metering_points WHERE multiplier = 40`).Scan(&multiplier40)
	a.DB.QueryRow(`SELECT count(*) FROM registers WHERE zone = 'NIGHT'`).Scan(&dayNight)
	a.DB.QueryRow(`SELECT count(*) FROM customers WHERE language = 'en'`).Scan(&langEN)
	english = langEN > 0
	if multiplier40 == 0 || dayNight == 0 || !english || !quoted {
		t.Errorf("demo lacks variety: multiplier 40 meters %d, day/night %d, English customer %v, quotes and & %v", multiplier40, dayNight, english, quoted)
	}
	var mps []int
	r, _ := a.DB.Query(`SELECT count(*) FROM metering_points GROUP BY contract_id`)
	for r.Next() {
		var n int
		r.Scan(&n)
		mps = append(mps, n)
	}
	r.Close()
	for _, n := range mps {
		if n < 2 || n > 10 {
			t.Errorf("a customer has %d metering points, want 2–10", n)
		}
	}
	if o, err := a.DB.OperatorByEmail(ctx, sum.Operator.Email); err != nil || sum.Operator.Password == "" {
		t.Errorf("demo operator %q: %v", sum.Operator.Email, err)
	} else if ok, _ := portal.CheckPassword(o.PasswordHash, sum.Operator.Password); !ok {
		t.Error("the demo operator's printed password does not sign in")
	}
	// Building again replaces the demo; a file that is not a demo is never replaced.
	a.Close()
	if again, _, err := demo.Build(ctx, path, app.Config{Rules: billing.DefaultRules()}, now); err != nil {
		t.Errorf("rebuild: %v", err)
	} else {
		again.Close()
	}
	other := filepath.Join(t.TempDir(), "real.db")
	os.WriteFile(other, []byte("not a demo"), 0o644)
	if _, _, err := demo.Build(ctx, other, app.Config{Rules: billing.DefaultRules()}, now); err == nil {
		t.Error("replaced a file that is not a demo database")
	}
}
