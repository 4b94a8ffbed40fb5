package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

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
//
// The file is read in one pass with its readings held compactly (dataset.LoadCompact), the
// readings are checked register by register on every core, and the store writes them in
// batches, all in one transaction; see docs/performance.md.
func (a *App) Import(ctx context.Context, r io.Reader, actor string) (sqldb.ImportStats, error) {
	plans, err := a.DB.PricePlans(ctx)
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	k := &known{ctx: ctx, db: a.DB, plans: plans, mps: map[string]billing.MeteringPoint{}}
	started := time.Now()
	afterRead, restore := importMemoryLimit()
	defer restore()
	ds, err := dataset.LoadCompact(r, k)
	if k.err != nil {
		return sqldb.ImportStats{}, k.err
	}
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	a.Log.Debug("import: dataset read and checked", "readings", ds.ReadingSet.Len(), "took", time.Since(started))
	afterRead()
	started = time.Now()
	accepted, err := a.acceptReadings(ctx, ds)
	if err != nil {
		return sqldb.ImportStats{}, err
	}
	a.Log.Debug("import: readings accepted", "took", time.Since(started))
	started = time.Now()
	defer func() { a.Log.Debug("import: stored", "took", time.Since(started)) }()
	set := ds.ReadingSet
	readings := func(yield func(billing.Reading) bool) {
		for _, batch := range accepted {
			for _, i := range batch {
				if !yield(acceptedReading(set.At(int(i)))) {
					return
				}
			}
		}
	}
	return a.DB.ImportSeq(ctx, ds, readings, actor, a.Now())
}

// acceptedReading is the reading that Rules.Accept makes of a file's reading: the import
// is its submitter.
func acceptedReading(r dataset.Reading) billing.Reading {
	return billing.Reading{MeteringPoint: r.MeteringPoint, Register: r.Register, Date: r.Date, Value: r.Value,
		Source: r.Source, SubmittedBy: importSubmitter, SubmittedAt: r.SubmittedAt, Confirmed: r.Confirmed}
}

const importSubmitter = "import"

// fileMeter is what the file says of a metering point's meter and contract.
type fileMeter struct {
	digits, multiplier int
	billedThrough      billing.Date
}

// importBatch is the registers whose stored state is loaded at once.
const importBatch = 500

// acceptReadings runs every reading of the file through the same rules as the portal, in
// date order per register, against the stored history and the file's earlier readings. It
// returns the readings to store, as indexes into ds.ReadingSet in batches of registers,
// or every problem, in date order (the order a person fixes them in).
func (a *App) acceptReadings(ctx context.Context, ds *dataset.Dataset) ([][]int32, error) {
	inFile := map[string]fileMeter{}
	for _, c := range ds.Customers {
		for _, k := range c.Contracts {
			for _, mp := range k.MeteringPoints {
				inFile[mp.Code] = fileMeter{mp.Digits, mp.Multiplier, k.BilledThrough}
			}
		}
	}
	storedCodes, err := a.DB.MeteringPointCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("load metering points: %w", err)
	}
	groups := ds.ReadingSet.ByRegister()
	// Registers in batches of about importBatch metering points; each batch loads the
	// stored state of its registers and checks their readings, on as many cores as there are.
	var batches [][]dataset.RegisterReadings
	for start := 0; start < len(groups); {
		end, points := start, 0
		for end < len(groups) && points < importBatch {
			if end == start || groups[end].Key.MeteringPoint != groups[end-1].Key.MeteringPoint {
				points++
			}
			end++
		}
		batches = append(batches, groups[start:end])
		start = end
	}
	type result struct {
		accepted []int32
		errs     []readingError
		err      error
	}
	results := make([]result, len(batches))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(batches)) {
		wg.Go(func() {
			for b := range work {
				res := &results[b]
				res.accepted, res.errs, res.err = a.acceptBatch(ctx, ds.ReadingSet, batches[b], inFile, storedCodes)
			}
		})
	}
	for b := range batches {
		if ctx.Err() != nil {
			break
		}
		work <- b
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var errs []readingError
	out := make([][]int32, len(results))
	for b, res := range results {
		if res.err != nil {
			return nil, res.err
		}
		errs = append(errs, res.errs...)
		out[b] = res.accepted
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(x, y readingError) int {
			return cmp.Or(x.date.Compare(y.date), x.at.Compare(y.at), cmp.Compare(x.index, y.index))
		})
		list := make(dataset.Errors, len(errs))
		for i, e := range errs {
			list[i] = e.FieldError
		}
		return nil, list
	}
	return out, nil
}

// readingError is a reading's problem under the billing rules, with what orders it.
type readingError struct {
	dataset.FieldError
	date  billing.Date
	at    time.Time
	index int
}

// acceptBatch checks the readings of a batch of registers.
func (a *App) acceptBatch(ctx context.Context, set *dataset.ReadingSet, batch []dataset.RegisterReadings, inFile map[string]fileMeter, storedCodes map[string]bool) ([]int32, []readingError, error) {
	var codes []string // of the stored metering points
	for i, g := range batch {
		if (i == 0 || g.Key.MeteringPoint != batch[i-1].Key.MeteringPoint) && storedCodes[g.Key.MeteringPoint] {
			codes = append(codes, g.Key.MeteringPoint)
		}
	}
	stored := map[billing.RegisterKey]*billing.RegisterState{}
	if len(codes) > 0 {
		var err error
		if stored, err = a.DB.RegisterStates(ctx, codes); err != nil {
			return nil, nil, fmt.Errorf("load registers: %w", err)
		}
	}
	var accepted []int32
	var errs []readingError
	var reg registerRun
	for _, g := range batch {
		st := stored[g.Key]
		if st == nil {
			st = &billing.RegisterState{History: &billing.History{}, Billed: map[billing.Month]bool{}}
		}
		if f, ok := inFile[g.Key.MeteringPoint]; ok {
			st.Digits, st.Multiplier, st.BilledThrough = f.digits, f.multiplier, f.billedThrough
			st.History.Digits, st.History.Multiplier = f.digits, f.multiplier
		}
		reg.reset(a.Config.Rules, st)
		for _, i := range g.Indexes {
			r := set.At(int(i))
			w, inWindow := a.Config.Rules.WindowFor(r.Date)
			if existing, ok := st.History.In(w); ok && existing.Date.Equal(r.Date) && existing.Value.Equal(r.Value) {
				continue // already stored: importing the same file twice changes nothing
			}
			acc, err := reg.accept(billing.Submission{Key: g.Key, Date: r.Date, Value: r.Value, Source: r.Source,
				By: importSubmitter, At: r.SubmittedAt, Confirmed: r.Confirmed}, w, inWindow)
			if err != nil {
				field, msg := "", err.Error()
				var be *billing.Error
				if errors.As(err, &be) {
					field, msg = be.Field, be.Message
				}
				errs = append(errs, readingError{
					FieldError: dataset.FieldError{Record: fmt.Sprintf("readings[%d] (%s %s)", r.Index, g.Key, r.Date), Field: field, Message: msg},
					date:       r.Date, at: r.SubmittedAt, index: r.Index,
				})
				continue
			}
			reg.add(acc.Reading)
			accepted = append(accepted, i)
		}
	}
	return accepted, errs, nil
}
