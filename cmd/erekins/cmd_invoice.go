package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
)

func cmdInvoice(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{msg: "usage: erekins invoice list|show|export|archive ..."}
	}
	switch args[0] {
	case "list":
		return invoiceList(ctx, e, args[1:])
	case "show":
		return invoiceShow(ctx, e, args[1:])
	case "export":
		return invoiceExport(ctx, e, args[1:])
	case "archive":
		return invoiceArchive(ctx, e, args[1:])
	}
	return usageError{msg: fmt.Sprintf("unknown invoice command %q: use list, show, export or archive", args[0])}
}

func invoiceList(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("invoice list", e.stderr, &s)
	var f sqldb.InvoiceFilter
	fs.StringVar(&f.CustomerRegistration, "customer", "", "the customer's registration number")
	fs.StringVar(&f.Contract, "contract", "", "a contract number")
	fs.TextVar(&f.From, "from", calendar.Date{}, "issued on or after YYYY-MM-DD")
	fs.TextVar(&f.To, "to", calendar.Date{}, "issued on or before YYYY-MM-DD")
	if err := parse(fs, args); err != nil {
		return err
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := a.DB.Invoices(ctx, f)
	if err != nil {
		return err
	}
	if s.json {
		if rows == nil {
			rows = []sqldb.InvoiceRow{}
		}
		return writeJSON(e, rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tTYPE\tISSUED\tDUE\tPERIOD\tCONTRACT\tPAYABLE\tCUSTOMER")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Number, r.Type, r.IssueDate, r.DueDate, r.Period.Start.String()[:7],
			r.Contract, r.Payable.StringFixed(2), r.Customer)
	}
	return tw.Flush()
}

// interleaved parses flags that may come before or after positional arguments.
func interleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func invoiceShow(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("invoice show", e.stderr, &s)
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins invoice show NUMBER --json"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	doc, err := a.Document(ctx, pos[0], "json")
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(doc)
	return err
}

func invoiceExport(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("invoice export", e.stderr, &s)
	format := fs.String("format", "pdf", "pdf, ubl, csv or json")
	out := fs.String("o", "", "write to this file instead of standard output")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins invoice export NUMBER --format pdf|ubl|csv|json [-o FILE]"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	doc, err := a.Document(ctx, pos[0], *format)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = e.stdout.Write(doc)
		return err
	}
	if err := os.WriteFile(*out, doc, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(e.stderr, "wrote %s (%d bytes)\n", *out, len(doc))
	return nil
}
