package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/dataset"
	"github.com/erekins/erekins/store/sqldb"
)

// known answers the dataset validator's questions about stored price plans and meters.
type known struct {
	ctx   context.Context
	db    *sqldb.DB
	plans map[string]billing.PricePlan
	mps   map[string]billing.MeteringPoint
	err   error
}

func (k *known) HasPricePlan(code string) bool { _, ok := k.plans[code]; return ok }

func (k *known) MeteringPoint(code string) (billing.MeteringPoint, bool) {
	if mp, ok := k.mps[code]; ok {
		return mp, mp.Code != ""
	}
	found, err := k.db.KnownMeteringPoints(k.ctx, []string{code})
	if err != nil && k.err == nil {
		k.err = err
	}
	k.mps[code] = found[code]
	return found[code], found[code].Code != ""
}

// Import loads a dataset file: all or nothing. Every problem of the file and of its
// readings under the billing rules is listed, each naming its record and field.
func (a *App) Import(ctx context.Context, r io.Reader, actor string) (sqldb.ImportStats, error) {
	plans, err := a.DB.PricePlans(ctx)
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	k := &known{ctx: ctx, db: a.DB, plans: plans, mps: map[string]billing.MeteringPoint{}}
	ds, err := dataset.Load(r, k)
	if k.err != nil {
		return sqldb.ImportStats{}, k.err
	}
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	readings, err := a.acceptReadings(ctx, ds)
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	return a.DB.Import(ctx, ds, readings, actor, a.Now())
}

// acceptReadings runs every reading of the file through the same rules as the portal, in
// date order per register, against the stored history and the file's earlier readings.
func (a *App) acceptReadings(ctx context.Context, ds *dataset.Dataset) ([]billing.Reading, error) {
	type fileReg struct {
		digits, multiplier int
		billedThrough      billing.Date
		contract           string
	}
	inFile := map[string]fileReg{}
	for _, c := range ds.Customers {
		for _, k := range c.Contracts {
			for _, mp := range k.MeteringPoints {
				inFile[mp.Code] = fileReg{mp.Digits, mp.Multiplier, k.BilledThrough, k.Number}
			}
		}
	}
	codes := map[string]bool{}
	for _, r := range ds.Readings {
		codes[r.MeteringPoint] = true
	}
	list := make([]string, 0, len(codes))
	for c := range codes {
		list = append(list, c)
	}
	stored, err := a.DB.RegisterStates(ctx, list)
	if err != nil {
		return nil, fmt.Errorf("load registers: %w", err)
	}
	order := make([]int, len(ds.Readings))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, b := ds.Readings[i].Reading, ds.Readings[j].Reading
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return a.SubmittedAt.Compare(b.SubmittedAt)
	})
	var errs dataset.Errors
	var out []billing.Reading
	for _, i := range order {
		r := ds.Readings[i]
		key := billing.RegisterKey{MeteringPoint: r.MeteringPoint, Register: r.Register}
		st := stored[key]
		if st == nil {
			st = &billing.RegisterState{History: &billing.History{}, Billed: map[billing.Month]bool{}}
			stored[key] = st
		}
		if f, ok := inFile[r.MeteringPoint]; ok {
			st.Digits, st.Multiplier, st.BilledThrough = f.digits, f.multiplier, f.billedThrough
			st.History.Digits, st.History.Multiplier = f.digits, f.multiplier
		}
		if existing, ok := st.History.In(mustWindow(a.Config.Rules, r.Date)); ok && existing.Date.Equal(r.Date) && existing.Value.Equal(r.Value) {
			continue // already stored: importing the same file twice changes nothing
		}
		acc, err := a.Config.Rules.Accept(*st, billing.Submission{Key: key, Date: r.Date, Value: r.Value, Source: r.Source,
			By: "import", At: r.SubmittedAt, Confirmed: r.Confirmed})
		if err != nil {
			field, msg := "", err.Error()
			var be *billing.Error
			if errors.As(err, &be) {
				field, msg = be.Field, be.Message
			}
			errs = append(errs, dataset.FieldError{
				Record:  fmt.Sprintf("readings[%d] (%s %s)", r.Index, key, r.Date),
				Field:   field,
				Message: msg,
			})
			continue
		}
		st.History.Add(acc.Reading)
		out = append(out, acc.Reading)
	}
	if len(errs) > 0 {
		return nil, errs // in date order, the order a person fixes them in
	}
	return out, nil
}

func mustWindow(r billing.Rules, d billing.Date) billing.Window {
	w, _ := r.WindowFor(d)
	return w
}
