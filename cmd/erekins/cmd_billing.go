package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

func writeJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("import", e.stderr, &s)
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins import FILE.json"}
	}
	name := pos[0]
	f, err := os.Open(name)
	if err != nil {
		return billing.Errorf(billing.ErrInvalid, "FILE", "%v", err)
	}
	defer f.Close()
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	started := time.Now()
	st, err := a.Import(ctx, f, "cli")
	if err != nil {
		return fmt.Errorf("%s: nothing was imported:\n%w", name, err)
	}
	if s.json {
		return writeJSON(e, st)
	}
	fmt.Fprintf(e.stdout, "imported %s: %d customers, %d contracts, %d metering points, %d price plans, %d readings (%s)\n",
		name, st.Customers, st.Contracts, st.MeteringPoints, st.PricePlans, st.Readings, time.Since(started).Round(time.Millisecond))
	return nil
}

func cmdReading(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{msg: "usage: erekins reading add --metering-point CODE --register T1 --date YYYY-MM-DD --value N [--at RFC3339] [--confirm] [--source operator] [--reason TEXT]"}
	}
	var s settings
	fs := newFlags("reading add", e.stderr, &s)
	mp := fs.String("metering-point", "", "metering point code")
	reg := fs.String("register", "T1", "register (T1, DAY or NIGHT)")
	date := fs.String("date", "", "the reading's date, YYYY-MM-DD")
	value := fs.String("value", "", "the register's value")
	at := fs.String("at", "", "when it was submitted, RFC 3339 (default now); stands for now in every check")
	confirm := fs.Bool("confirm", false, "accept an implausibly high consumption")
	source := fs.String("source", billing.SourceOperator, "portal, api, import or operator")
	by := fs.String("by", envOr("USER", "operator"), "who submits it")
	reason := fs.String("reason", "", "why an existing reading is corrected")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	sub := billing.Submission{Key: billing.RegisterKey{MeteringPoint: *mp, Register: *reg}, Source: *source, By: *by,
		Confirmed: *confirm, Reason: *reason}
	switch {
	case *mp == "":
		return billing.Errorf(billing.ErrInvalid, "metering-point", "is required")
	case *date == "":
		return billing.Errorf(billing.ErrInvalid, "date", "is required")
	case *value == "":
		return billing.Errorf(billing.ErrInvalid, "value", "is required")
	}
	var err error
	if sub.Date, err = calendar.ParseDate(*date); err != nil {
		return billing.Errorf(billing.ErrInvalid, "date", "%v", err)
	}
	if sub.Value, err = decimal.NewFromString(*value); err != nil {
		return billing.Errorf(billing.ErrInvalid, "value", "%q is not a number", *value)
	}
	if *at != "" {
		if sub.At, err = time.Parse(time.RFC3339, *at); err != nil {
			return billing.Errorf(billing.ErrInvalid, "at", "%q is not an RFC 3339 time such as 2026-11-30T10:00:00+02:00", *at)
		}
	}
	switch sub.Source {
	case billing.SourcePortal, billing.SourceAPI, billing.SourceImport, billing.SourceOperator:
	default:
		return billing.Errorf(billing.ErrInvalid, "source", "%q: must be portal, api, import or operator", sub.Source)
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	acc, err := a.AddReading(ctx, sub)
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, acc)
	}
	r := acc.Reading
	fmt.Fprintf(e.stdout, "recorded %s/%s %s = %s", r.MeteringPoint, r.Register, r.Date, r.Value)
	if acc.Consumption != nil {
		fmt.Fprintf(e.stdout, " (consumption %s kWh", acc.Consumption.StringFixed(3))
		if acc.Rollover {
			fmt.Fprint(e.stdout, ", register rolled over")
		}
		fmt.Fprint(e.stdout, ")")
	}
	fmt.Fprintln(e.stdout)
	for _, m := range acc.Rebill {
		fmt.Fprintf(e.stdout, "corrects billed period %s: a credit note and a new invoice follow on the next working day\n", m.String()[:7])
	}
	return nil
}

func cmdBill(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("bill", e.stderr, &s)
	date := fs.String("date", "", "the billing day, YYYY-MM-DD (default today in Riga); stands for today")
	if err := parse(fs, args); err != nil {
		return err
	}
	day := calendar.DateOf(time.Now())
	if *date != "" {
		var err error
		if day, err = calendar.ParseDate(*date); err != nil {
			return billing.Errorf(billing.ErrInvalid, "date", "%v", err)
		}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	started := time.Now()
	res, err := a.Bill(ctx, day)
	if err != nil {
		return err
	}
	for _, f := range res.Failures {
		fmt.Fprintf(e.stderr, "not billed: %v\n", f)
	}
	if s.json {
		if err := writeJSON(e, struct {
			Date     calendar.Date    `json:"date"`
			Issued   []billing.Issued `json:"issued"`
			Failures []string         `json:"failures"`
		}{day, nonNilIssued(res.Issued), errStrings(res.Failures)}); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, inv := range res.Issued {
			est := ""
			if inv.Estimated {
				est = "estimated"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", inv.Number, inv.Type, inv.ContractNumber, inv.Period.Start.String()[:7], inv.Payable, est, inv.Customer)
		}
		tw.Flush()
		took := time.Since(started)
		fmt.Fprintf(e.stdout, "issued %d documents on %s in %s\n", len(res.Issued), day, took.Round(time.Millisecond))
	}
	if len(res.Failures) > 0 {
		return fmt.Errorf("%d contracts could not be billed (listed above); the rest were issued", len(res.Failures))
	}
	return nil
}

func nonNilIssued(s []billing.Issued) []billing.Issued {
	if s == nil {
		return []billing.Issued{}
	}
	return s
}

func errStrings(errs []error) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("migrate", e.stderr, &s)
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(e.stdout, "database is up to date")
	return nil
}
