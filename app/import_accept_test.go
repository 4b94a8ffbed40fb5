package app

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// TestRegisterRunMatchesAccept checks registerRun against Rules.Accept on the whole history,
// reading after reading, on random registers: stored histories with estimates and billed
// periods, roll-overs, implausible and confirmed consumption, readings out of order and
// twice in a window.
func TestRegisterRunMatchesAccept(t *testing.T) {
	t.Parallel()
	rules := billing.DefaultRules()
	for seed := range uint64(400) {
		rng := rand.New(rand.NewPCG(seed, 7))
		digits := 3 + rng.IntN(5)
		mult := []int{1, 1, 40}[rng.IntN(3)]
		rangeV := int64(1)
		for range digits {
			rangeV *= 10
		}
		newState := func() *billing.RegisterState {
			return &billing.RegisterState{Digits: digits, Multiplier: mult, History: &billing.History{Digits: digits, Multiplier: mult}, Billed: map[billing.Month]bool{}}
		}
		want, got := newState(), newState()
		start := calendar.NewDate(2024, time.Month(1+rng.IntN(12)), 1)
		value := rng.Int64N(rangeV)
		// A stored history, some of it estimated and billed.
		stored := rng.IntN(16)
		for m := range stored {
			if rng.IntN(6) == 0 {
				continue // a month without a reading
			}
			value = (value + rng.Int64N(rangeV/20+1)) % rangeV
			r := billing.Reading{ID: int64(m + 1), Date: rules.WindowOf(start.AddMonths(m)).Close.AddDays(-rng.IntN(3)),
				Value: decimal.NewFromInt(value), Source: billing.SourceImport}
			if rng.IntN(5) == 0 {
				r.Source = billing.SourceEstimate
			}
			for _, st := range []*billing.RegisterState{want, got} {
				st.History.Readings = append(st.History.Readings, r)
				if rng.IntN(3) == 0 {
					st.Billed[billing.MonthOf(r.Date).AddMonths(-1)] = true
				}
			}
		}
		if rng.IntN(4) == 0 {
			bt := start.AddMonths(rng.IntN(stored + 1)).LastOfMonth()
			want.BilledThrough, got.BilledThrough = bt, bt
		}
		var run registerRun
		run.reset(rules, got)
		// Submissions, mostly month after month as an import sends them.
		month := stored - rng.IntN(3)
		for range 20 {
			switch rng.IntN(10) {
			case 0:
				month -= 1 + rng.IntN(4) // an older month
			case 1: // the same window again
			default:
				month++
			}
			date := rules.WindowOf(start.AddMonths(month)).Close.AddDays(-rng.IntN(8))
			if rng.IntN(15) == 0 {
				date = date.AddDays(10) // outside every window
			}
			switch rng.IntN(12) {
			case 0:
				value += rng.Int64N(rangeV) // implausible, or a roll-over too far
			case 1:
				value -= rng.Int64N(rangeV/10 + 1) // lower
			default:
				value += rng.Int64N(rangeV/50 + 1)
			}
			value = ((value % rangeV) + rangeV) % rangeV
			s := billing.Submission{Key: billing.RegisterKey{MeteringPoint: "MP", Register: "T1"}, Date: date,
				Value: decimal.NewFromInt(value), Source: billing.SourceImport, By: "import",
				At: date.In(calendar.Riga).Add(time.Duration(10+rng.IntN(40)) * time.Hour), Confirmed: rng.IntN(8) == 0}
			wantAcc, wantErr := rules.Accept(*want, s)
			w, ok := rules.WindowFor(date)
			gotAcc, gotErr := run.accept(s, w, ok)
			if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) || !sameAccepted(wantAcc, gotAcc) {
				t.Fatalf("seed %d, %s %s: got %+v, %v; want %+v, %v", seed, date, s.Value, gotAcc, gotErr, wantAcc, wantErr)
			}
			if wantErr == nil {
				want.History.Add(wantAcc.Reading)
				run.add(gotAcc.Reading)
			}
		}
	}
}

func sameAccepted(a, b billing.Accepted) bool {
	if (a.Consumption == nil) != (b.Consumption == nil) || (a.Consumption != nil && !a.Consumption.Equal(*b.Consumption)) {
		return false
	}
	a.Consumption, b.Consumption = nil, nil
	return reflect.DeepEqual(a, b)
}
