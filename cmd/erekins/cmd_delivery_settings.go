package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

func cmdContract(ctx context.Context, e *env, args []string) error {
	if len(args) < 2 || args[0] != "delivery" {
		return usageError{msg: "usage: erekins contract delivery show|set NUMBER ..."}
	}
	switch args[1] {
	case "show":
		return contractDeliveryShow(ctx, e, args[2:])
	case "set":
		return contractDeliverySet(ctx, e, args[2:])
	}
	return usageError{msg: fmt.Sprintf("unknown contract delivery command %q: use show or set", args[1])}
}

func contractDeliveryShow(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("contract delivery show", e.stderr, &s)
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins contract delivery show NUMBER [--json]"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	cs, err := a.Deliveries.ContractSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, cs)
	}
	fmt.Fprintf(e.stdout, "contract %s (%s, language %s)\nmethod: %s\nrecipients: %s\nformats: %s\n", cs.Contract, cs.Customer, cs.Language,
		cs.Settings.Method, strings.Join(cs.Settings.Recipients, ", "), strings.Join(cs.Settings.Formats, ", "))
	return nil
}

// contractDeliverySet changes what is given and keeps the rest.
func contractDeliverySet(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("contract delivery set", e.stderr, &s)
	method := fs.String("method", "", "paper or e-invoice")
	recipients := fs.String("recipients", "", "1–5 e-mail addresses, comma-separated")
	formats := fs.String("formats", "", "pdf (always), ubl, csv, comma-separated")
	actor := fs.String("actor", envOr("USER", "operator"), "who changes it, for the audit log")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins contract delivery set NUMBER [--method paper|e-invoice] [--recipients A,B] [--formats pdf,ubl,csv]"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	cur, err := a.Deliveries.ContractSettings(ctx, pos[0])
	if err != nil {
		return err
	}
	want := cur.Settings
	if *method != "" {
		want.Method = *method
	}
	if *recipients != "" {
		want.Recipients = splitList(*recipients)
	}
	if *formats != "" {
		want.Formats = splitList(*formats)
	}
	ch, err := a.Delivery.SetSettings(ctx, pos[0], want, *actor)
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, ch)
	}
	if ch.Same() {
		fmt.Fprintf(e.stdout, "contract %s: nothing changed\n", ch.Contract)
		return nil
	}
	fmt.Fprintf(e.stdout, "contract %s: %s to %s, formats %s; applies to invoices issued from now on\n", ch.Contract, ch.After.Method,
		strings.Join(ch.After.Recipients, ", "), strings.Join(ch.After.Formats, ", "))
	for _, r := range ch.NewRecipients {
		fmt.Fprintf(e.stdout, "confirmation queued to %s\n", r)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func cmdPrintBatch(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{msg: "usage: erekins print-batch list|show ID|bundle ID -o FILE.pdf|manifest ID -o FILE.csv|handed-over ID"}
	}
	var s settings
	fs := newFlags("print-batch "+args[0], e.stderr, &s)
	actor := fs.String("actor", envOr("USER", "operator"), "who hands it over, for the audit log")
	out := fs.String("o", "-", "bundle, manifest: the file to write (- for standard output)")
	pos, err := interleaved(fs, args[1:])
	if err != nil {
		return err
	}
	var id int64
	if args[0] != "list" {
		if len(pos) != 1 {
			return usageError{msg: fmt.Sprintf("usage: erekins print-batch %s ID", args[0])}
		}
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil {
			return billing.Errorf(billing.ErrInvalid, "id", "%q is not a batch id", pos[0])
		}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "list":
		bs, err := a.Deliveries.PrintBatches(ctx)
		if err != nil {
			return err
		}
		if s.json {
			return writeJSON(e, nonNilSlice(bs))
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tDATE\tINVOICES\tHANDED OVER")
		for _, b := range bs {
			ho := ""
			if !b.HandedOverAt.IsZero() {
				ho = b.HandedOverAt.UTC().Format(time.RFC3339) + " by " + b.HandedOverBy
			}
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\n", b.ID, b.Date, b.Invoices, ho)
		}
		return tw.Flush()
	case "show":
		b, err := a.Deliveries.PrintBatch(ctx, id)
		if err != nil {
			return err
		}
		if s.json {
			return writeJSON(e, b)
		}
		fmt.Fprintf(e.stdout, "print batch %d of %s: %d invoices\n", b.ID, b.Date, b.Invoices)
		for _, n := range b.Numbers {
			fmt.Fprintln(e.stdout, n)
		}
		return nil
	case "bundle", "manifest":
		b, err := a.Deliveries.PrintBatch(ctx, id)
		if err != nil {
			return err
		}
		es, err := a.Deliveries.PrintEntries(ctx, id)
		if err != nil {
			return err
		}
		return writeOutput(e, *out, func(w io.Writer) error {
			if args[0] == "manifest" {
				return delivery.Manifest(w, es)
			}
			return delivery.Bundle(w, b.Date.Time(), es)
		})
	case "handed-over":
		if err := a.Deliveries.HandOver(ctx, id, *actor, a.Now()); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "print batch %d handed over\n", id)
		return nil
	}
	return usageError{msg: fmt.Sprintf("unknown print-batch command %q: use list, show, bundle, manifest or handed-over", args[0])}
}

// writeOutput writes to the file named (- for standard output) through fn; the content is
// built in memory first, so a failure while building leaves the file untouched.
func writeOutput(e *env, name string, fn func(io.Writer) error) error {
	if name == "-" || name == "" {
		return fn(e.stdout)
	}
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}
