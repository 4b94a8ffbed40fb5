package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// billMonths issues every month up to last on the day it falls due, as the daily billing
// job would have: the month's readings arrive on the 1st of the next month, so it is issued
// on the next working day, at 06:00. A last run for today issues whatever else is due (an
// estimate, say), so a server started on the database has nothing left to bill. The
// invoice numbers of the users' customers go into their users.
func billMonths(ctx context.Context, a *app.App, o options, last billing.Month, chosen []int, users []*user) (int, error) {
	p, err := a.Planner(ctx)
	if err != nil {
		return 0, err
	}
	var clock time.Time
	p.Now = func() time.Time { return clock }
	a.DB.OnIssue = nil // no e-mails or print batches for the past: see the package comment

	byContract := map[string]*user{}
	for k, i := range chosen {
		byContract[contractNumber(i)] = users[k]
	}
	b := &billing.Biller{Store: a.DB, Planner: p}
	switch o.documents {
	case "all":
		b.Render = a.RenderAll
	case "users":
		b.Render = renderFor(a, byContract)
	}

	first := last.AddMonths(1 - o.months)
	issued := 0
	bill := func(day calendar.Date, at time.Time) error {
		clock = at
		res, err := b.Run(ctx, day)
		if err != nil {
			return fmt.Errorf("bill %s: %w", day, err)
		}
		if len(res.Failures) > 0 {
			return fmt.Errorf("bill %s: %d contracts failed, the first: %w", day, len(res.Failures), res.Failures[0])
		}
		for _, is := range res.Issued {
			if u := byContract[is.ContractNumber]; u != nil {
				u.Invoices = append(u.Invoices, is.Number)
			}
		}
		issued += len(res.Issued)
		return nil
	}
	w := p.Schedule.Workdays
	for m := first; !m.After(last); m = m.AddMonths(1) {
		day := w.NextWorkday(m.AddMonths(1))
		if err := bill(day, day.In(calendar.Riga).Add(6*time.Hour)); err != nil {
			return issued, err
		}
		fmt.Fprintf(os.Stderr, "seed: %s billed on %s, %d invoices so far\n", m.String()[:7], day, issued)
	}
	now := time.Now()
	if err := bill(billing.SubmittedOn(now), now); err != nil {
		return issued, err
	}
	return issued, nil
}

// renderFor renders the documents of the invoices of the given contracts only; the others
// are stored without documents.
func renderFor(a *app.App, contracts map[string]*user) billing.Renderer {
	return func(invs []*billing.Invoice) ([][]billing.Document, error) {
		var some []*billing.Invoice
		var at []int
		for i, inv := range invs {
			if contracts[inv.ContractNumber] != nil {
				some, at = append(some, inv), append(at, i)
			}
		}
		out := make([][]billing.Document, len(invs))
		if len(some) == 0 {
			return out, nil
		}
		docs, err := a.RenderAll(some)
		if err != nil {
			return nil, err
		}
		for k, i := range at {
			out[i] = docs[k]
		}
		return out, nil
	}
}

// contractNumber and registration are datagen's numbering of customer i (from 0).
func contractNumber(i int) string { return fmt.Sprintf("L-%06d", i+1) }
func registration(i int) string   { return fmt.Sprintf("4%010d", 3000000+i) }
