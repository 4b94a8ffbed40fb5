package app

import (
	"context"

	"github.com/erekins/erekins/billing"
)

// ReadingOutcome is what became of one submission of a batch.
type ReadingOutcome struct {
	Accepted billing.Accepted
	Err      error // a *billing.Error (invalid, not_found, needs_confirmation, ...) or nil
}

// AddReadings checks every submission in order in one transaction, each seeing the ones
// before it (two readings of one register in one batch work), with the rules AddReading
// applies to one. The batch is stored (readings, audit entries, reopened periods) only when
// every submission is valid and commit is true; otherwise nothing is. err is for failures
// other than invalid submissions.
func (a *App) AddReadings(ctx context.Context, subs []billing.Submission, commit bool) (out []ReadingOutcome, stored bool, err error) {
	now := a.Now()
	keys := make([]billing.RegisterKey, len(subs))
	for i := range subs {
		keys[i] = subs[i].Key
	}
	res, stored, err := a.DB.AddReadings(ctx, keys, func(i int, st *billing.RegisterState) (billing.Accepted, error) {
		s := subs[i]
		if s.At.IsZero() {
			s.At = now
		}
		return a.Config.Rules.Accept(*st, s)
	}, commit)
	if err != nil {
		return nil, false, err
	}
	out = make([]ReadingOutcome, len(res))
	for i, r := range res {
		out[i] = ReadingOutcome(r)
	}
	return out, stored, nil
}
