// Command gendata writes a large erekins dataset for the benchmarks (see docs/performance.md):
//
//	go run ./bench/gendata -contracts 100000 -o /tmp/erekins-100k.json
//
// By default each contract has 1–2 metering points (about 2 registers on average), 13 months
// of readings up to last month, and every month but the last billed by the previous system,
// so `erekins bill` issues one invoice per contract.
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
)

func main() {
	contracts := flag.Int("contracts", 100000, "number of contracts (one customer each)")
	mps := flag.Int("metering-points", 2, "most metering points per contract")
	months := flag.Int("months", 13, "months of readings")
	last := flag.String("last-period", "2026-10-01", "the last month with readings")
	all := flag.Bool("all-unbilled", false, "leave every month unbilled instead of all but the last")
	out := flag.String("o", "", "output file (default standard output)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()

	lp, err := calendar.ParseDate(*last)
	if err != nil {
		fail(err)
	}
	cfg := datagen.Config{Seed: *seed, Contracts: *contracts, MeteringPoints: *mps, Months: *months,
		LastPeriod: billing.MonthOf(lp), EInvoiceShare: 0.5, LegacyBaseline: true}
	if !*all {
		cfg.BilledThrough = billing.MonthOf(lp).AddMonths(-1)
	}
	w := os.Stdout
	if *out != "" {
		if w, err = os.Create(*out); err != nil {
			fail(err)
		}
	}
	started := time.Now()
	if err := datagen.Write(w, cfg); err != nil {
		fail(err)
	}
	if err := w.Close(); err != nil {
		fail(err)
	}
	fmt.Fprintf(os.Stderr, "gendata: %d contracts in %s\n", *contracts, time.Since(started).Round(time.Millisecond))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendata:", err)
	os.Exit(1)
}
