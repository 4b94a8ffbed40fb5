package billing

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// BillingStore is the storage the Biller needs.
type BillingStore interface {
	// BillingStates returns up to limit contracts with an id above after, in id order, with
	// their reading histories and pending corrections.
	BillingStates(ctx context.Context, after int64, limit int) ([]*ContractState, error)
	// SaveIssues stores a batch in one transaction: it claims each new period (skipping a
	// contract whose period another run claimed first), stores the estimates, numbers the
	// documents gaplessly in their series, renders and stores them. It returns what it issued.
	SaveIssues(ctx context.Context, issues []Issue, series Series, render Renderer) ([]*Invoice, error)
	// FullHistories reloads the states' histories with every reading the rules look at
	// (12 months before the earliest period to bill) and clears HistorySince.
	FullHistories(ctx context.Context, states []*ContractState) error
}

// Series names the number series of a document and its number format.
type Series func(inv *Invoice) (key, pattern string)

// Series returns the number series of the rules: one per document type and year.
func (r Rules) Series() Series {
	return func(inv *Invoice) (string, string) {
		p := r.InvoiceSeries
		if inv.Type == TypeCreditNote {
			p = r.CreditNoteSeries
		}
		return fmt.Sprintf("%s/%d", inv.Type, inv.IssueDate.Year()), p
	}
}

// Biller runs billing: it plans every contract's due periods for a day and stores them in
// batches. Running it twice for a day issues nothing new; a run killed at any point and
// started again finishes the work with no duplicate and no gap, because each batch is one
// transaction and each period is claimed in it.
type Biller struct {
	Store   BillingStore
	Planner *Planner
	Render  Renderer // nil stores no documents
	Log     *slog.Logger
	// LoadSize is how many contracts are loaded at once (default 500); BatchSize is how
	// many issues are stored in one transaction (default 200), which bounds the memory that
	// rendered documents take.
	LoadSize, BatchSize int
}

// Issued summarises an issued document; a run over 100,000 contracts keeps only these.
type Issued struct {
	Number         string `json:"number"`
	Type           string `json:"type"`
	ContractNumber string `json:"contract"`
	Customer       string `json:"customer"`
	Period         Period `json:"period"`
	Payable        string `json:"payable"`
	Estimated      bool   `json:"estimated"`
	Corrects       string `json:"corrects,omitempty"`
}

// Summary is the summary of an issued document.
func (inv *Invoice) Summary() Issued {
	return Issued{Number: inv.Number, Type: inv.Type, ContractNumber: inv.ContractNumber, Customer: inv.Customer.Name,
		Period: inv.Period, Payable: inv.Totals.Payable.StringFixed(2), Estimated: inv.Estimated, Corrects: inv.Corrects}
}

// RunResult is what a billing run did.
type RunResult struct {
	Issued   []Issued
	Failures []error // contracts that could not be billed, each naming the contract
}

// Run issues every document due on today. Loading and planning the next contracts runs
// beside storing the last batch, so both cores work.
func (b *Biller) Run(ctx context.Context, today Date) (RunResult, error) {
	load, batch := cmp.Or(b.LoadSize, 500), cmp.Or(b.BatchSize, 200)
	started := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type planned struct {
		issues   []Issue
		failures []error
	}
	batches := make(chan planned, 1)
	var loadErr error
	go func() {
		defer close(batches)
		loadErr = b.plan(ctx, today, load, batch, func(p []Issue, f []error) bool {
			select {
			case batches <- planned{p, f}:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()

	var res RunResult
	var saveErr error
	for p := range batches {
		res.Failures = append(res.Failures, p.failures...)
		if saveErr != nil || len(p.issues) == 0 {
			continue
		}
		issued, err := b.Store.SaveIssues(ctx, p.issues, b.Planner.Rules.Series(), b.Render)
		if err != nil {
			saveErr = fmt.Errorf("store invoices: %w", err)
			cancel() // stop loading; drain what is planned
			continue
		}
		for _, inv := range issued {
			res.Issued = append(res.Issued, inv.Summary())
		}
	}
	if saveErr != nil {
		return res, saveErr
	}
	if loadErr != nil {
		return res, loadErr
	}
	if b.Log != nil {
		b.Log.Info("billing run", "date", today.String(), "issued", len(res.Issued),
			"failures", len(res.Failures), "took", time.Since(started).Round(time.Millisecond))
	}
	return res, nil
}

// plan loads contracts in id order and plans them, handing over batches of at least
// batch issues (and every failure) to emit; it stops when emit returns false.
func (b *Biller) plan(ctx context.Context, today Date, load, batch int, emit func([]Issue, []error) bool) error {
	var pending []Issue
	var failures []error
	var after int64
	for {
		states, err := b.Store.BillingStates(ctx, after, load)
		if err != nil {
			return fmt.Errorf("load contracts after %d: %w", after, err)
		}
		if len(states) == 0 {
			break
		}
		after = states[len(states)-1].Contract.ID
		var short []*ContractState
		for _, st := range states {
			is, err := b.Planner.Plan(st, today)
			switch {
			case errors.Is(err, ErrShortHistory):
				short = append(short, st)
				continue
			case err != nil:
				failures = append(failures, err)
				continue
			}
			pending = append(pending, is...)
			if len(pending) >= batch {
				if !emit(pending, failures) {
					return ctx.Err()
				}
				pending, failures = nil, nil
			}
		}
		if len(short) == 0 {
			continue
		}
		if err := b.Store.FullHistories(ctx, short); err != nil {
			return fmt.Errorf("load reading history: %w", err)
		}
		for _, st := range short {
			is, err := b.Planner.Plan(st, today)
			if err != nil {
				failures = append(failures, err)
				continue
			}
			pending = append(pending, is...)
		}
	}
	if len(pending) > 0 || len(failures) > 0 {
		emit(pending, failures)
	}
	return nil
}
