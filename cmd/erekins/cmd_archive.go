package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"os"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/store/sqldb"
)

// invoiceArchive writes many documents into one CSV or XLSX file: a period or a date range,
// optionally of one customer, oldest first.
func invoiceArchive(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("invoice archive", e.stderr, &s)
	var f sqldb.InvoiceFilter
	fs.StringVar(&f.CustomerRegistration, "customer", "", "the customer's registration number")
	fs.TextVar(&f.From, "from", calendar.Date{}, "issued on or after YYYY-MM-DD")
	fs.TextVar(&f.To, "to", calendar.Date{}, "issued on or before YYYY-MM-DD")
	period := fs.String("period", "", "billing period YYYY-MM")
	format := fs.String("format", "csv", "csv or xlsx")
	lang := fs.String("lang", "lv", "number format: lv (decimal comma) or en (decimal point)")
	out := fs.String("o", "", "output file (default standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var err error
	if *period != "" {
		if f.Period, err = calendar.ParseDate(*period + "-01"); err != nil {
			return billing.Errorf(billing.ErrInvalid, "period", "%q is not a month in the form YYYY-MM", *period)
		}
	}
	if *format != "csv" && *format != "xlsx" {
		return billing.Errorf(billing.ErrInvalid, "format", "%q: must be csv or xlsx", *format)
	}
	if *lang != billing.Latvian && *lang != billing.English {
		return billing.Errorf(billing.ErrInvalid, "lang", "%q: must be lv or en", *lang)
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
	var loadErr error
	docs := iter.Seq[*billing.Invoice](func(yield func(*billing.Invoice) bool) {
		for i := len(rows) - 1; i >= 0; i-- { // oldest first
			inv, err := a.DB.Invoice(ctx, rows[i].Number)
			if err != nil {
				loadErr = err
				return
			}
			if !yield(inv) {
				return
			}
		}
	})
	var w io.Writer = e.stdout
	if *out != "" {
		file, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("create %s: %w", *out, err)
		}
		defer file.Close()
		w = file
	}
	if *format == "xlsx" {
		err = csvdoc.XLSX(w, docs, *lang)
	} else {
		cw := csvdoc.NewWriter(w, csvdoc.Options{Language: *lang})
		for inv := range docs {
			if err = cw.Write(inv); err != nil {
				break
			}
		}
		if cerr := cw.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = loadErr
	}
	if err != nil {
		return err
	}
	if *out != "" {
		fmt.Fprintf(e.stderr, "wrote %d documents to %s\n", len(rows), *out)
	}
	return nil
}
