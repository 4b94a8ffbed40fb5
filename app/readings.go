package app

import (
	"context"
	"database/sql"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb"
)

// ReadingOutcome is what became of one submission of a batch: accepted, or its
// *billing.Error (invalid, not_found, needs_confirmation, ...).
type ReadingOutcome = sqldb.ReadingOutcome

// AddReadings checks every submission in order in one transaction, each seeing the ones
// before it (two readings of one register in one batch work), with the rules AddReading
// applies to one. The batch is stored (readings, audit entries, reopened periods) only when
// every submission is valid and commit is true; otherwise nothing is. err is for failures
// other than invalid submissions.
func (a *App) AddReadings(ctx context.Context, subs []billing.Submission, commit bool) (out []ReadingOutcome, stored bool, err error) {
	return a.addReadings(ctx, subs, commit, nil)
}

// AddReadingsThen is AddReadings with commit true and then called inside the transaction
// just before a batch that passes commits, with the outcomes: what then writes commits or
// rolls back with the readings.
func (a *App) AddReadingsThen(ctx context.Context, subs []billing.Submission, then func(tx *sql.Tx, out []ReadingOutcome) error) (out []ReadingOutcome, stored bool, err error) {
	return a.addReadings(ctx, subs, true, then)
}

func (a *App) addReadings(ctx context.Context, subs []billing.Submission, commit bool, then func(*sql.Tx, []ReadingOutcome) error) (out []ReadingOutcome, stored bool, err error) {
	now := a.Now()
	keys := make([]billing.RegisterKey, len(subs))
	for i := range subs {
		keys[i] = subs[i].Key
	}
	accept := func(i int, st *billing.RegisterState) (billing.Accepted, error) {
		s := subs[i]
		if s.At.IsZero() {
			s.At = now
		}
		return a.Config.Rules.Accept(*st, s)
	}
	if then == nil {
		out, stored, err = a.DB.AddReadings(ctx, keys, accept, commit)
	} else {
		out, stored, err = a.DB.AddReadingsThen(ctx, keys, accept, then)
	}
	if err != nil {
		return nil, false, err
	}
	return out, stored, nil
}
