package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
)

func cmdDelivery(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{msg: "usage: erekins delivery list|show|resend ..."}
	}
	switch args[0] {
	case "list":
		return deliveryList(ctx, e, args[1:])
	case "show":
		return deliveryShow(ctx, e, args[1:])
	case "resend":
		return deliveryResend(ctx, e, args[1:])
	}
	return usageError{msg: fmt.Sprintf("unknown delivery command %q: use list, show or resend", args[0])}
}

func deliveryList(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("delivery list", e.stderr, &s)
	var f sqldb.DeliveryFilter
	fs.StringVar(&f.Status, "status", "", "queued, sending, sent, retrying or failed")
	fs.StringVar(&f.Invoice, "invoice", "", "an invoice number")
	fs.StringVar(&f.Contract, "contract", "", "a contract number")
	fs.IntVar(&f.Limit, "limit", 0, "at most this many, newest first")
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.Status != "" && !slices.Contains(delivery.Statuses, f.Status) {
		return billing.Errorf(billing.ErrInvalid, "status", "%q: must be one of %s", f.Status, strings.Join(delivery.Statuses, ", "))
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	ds, err := a.Deliveries.List(ctx, f)
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, nonNilSlice(ds))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tINVOICE\tCONTRACT\tRECIPIENT\tSTATUS\tATTEMPTS\tNEXT/SENT\tLAST REPLY")
	for _, d := range ds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.Kind, d.InvoiceNumber, d.Contract, d.Recipient, d.Status,
			d.Attempts, when(d), truncateText(d.LastReply, 60))
	}
	return tw.Flush()
}

func when(d delivery.Delivery) string {
	switch {
	case d.Status == delivery.Sent:
		return d.SentAt.UTC().Format(time.RFC3339)
	case d.Status == delivery.Retrying:
		return d.NextAttemptAt.UTC().Format(time.RFC3339)
	}
	return ""
}

func truncateText(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// deliveryShow shows one delivery by id, or every delivery of an invoice, with attempts.
func deliveryShow(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("delivery show", e.stderr, &s)
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins delivery show ID|INVOICE-NUMBER [--json]"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	var ids []int64
	if id, err := strconv.ParseInt(pos[0], 10, 64); err == nil {
		ids = []int64{id}
	} else {
		ds, err := a.Deliveries.List(ctx, sqldb.DeliveryFilter{Invoice: pos[0]})
		if err != nil {
			return err
		}
		if len(ds) == 0 {
			if _, err := a.DB.Invoice(ctx, pos[0]); err != nil {
				return err
			}
			return billing.Errorf(billing.ErrNotFound, "", "invoice %s has no e-mail deliveries (a paper invoice?)", pos[0])
		}
		for i := len(ds) - 1; i >= 0; i-- {
			ids = append(ids, ds[i].ID)
		}
	}
	var out []delivery.Delivery
	for _, id := range ids {
		d, err := a.Deliveries.Get(ctx, id)
		if err != nil {
			return err
		}
		out = append(out, d)
	}
	if s.json {
		if len(out) == 1 && len(ids) == 1 && pos[0] == strconv.FormatInt(ids[0], 10) {
			return writeJSON(e, out[0])
		}
		return writeJSON(e, out)
	}
	for _, d := range out {
		fmt.Fprintf(e.stdout, "delivery %d: %s %s to %s\n", d.ID, d.Kind, d.InvoiceNumber, d.Recipient)
		fmt.Fprintf(e.stdout, "  contract %s, formats %s, language %s, Message-ID <%s>\n", d.Contract, strings.Join(d.Formats, ","), d.Language, d.MessageID)
		fmt.Fprintf(e.stdout, "  status %s after %d attempt(s); queued %s", d.Status, d.Attempts, d.CreatedAt.UTC().Format(time.RFC3339))
		if w := when(d); w != "" {
			fmt.Fprintf(e.stdout, "; %s %s", map[string]string{delivery.Sent: "sent", delivery.Retrying: "next attempt"}[d.Status], w)
		}
		fmt.Fprintln(e.stdout)
		for _, at := range d.History {
			fmt.Fprintf(e.stdout, "  #%d %s %s %s", at.N, at.StartedAt.UTC().Format(time.RFC3339), at.Server, at.Outcome)
			if at.Code != 0 {
				fmt.Fprintf(e.stdout, " %d", at.Code)
			}
			fmt.Fprintf(e.stdout, " %s\n", truncateText(at.Reply, 200))
		}
	}
	return nil
}

func deliveryResend(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("delivery resend", e.stderr, &s)
	to := fs.String("to", "", "send to this address instead of the earlier recipients")
	actor := fs.String("actor", envOr("USER", "operator"), "who asks, for the audit log")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{msg: "usage: erekins delivery resend NUMBER [--to ADDRESS]"}
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	ds, err := a.Delivery.ResendInvoice(ctx, pos[0], *to, *actor)
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, ds)
	}
	for _, d := range ds {
		fmt.Fprintf(e.stdout, "queued delivery %d of %s to %s\n", d.ID, d.InvoiceNumber, d.Recipient)
	}
	fmt.Fprintln(e.stderr, "erekins work --until-idle (or serve) sends it")
	return nil
}

func cmdOutbox(ctx context.Context, e *env, args []string) error {
	var s settings
	fs := newFlags("outbox", e.stderr, &s)
	limit := fs.Int("limit", 100, "at most this many, newest first")
	pos, err := interleaved(fs, args)
	if err != nil {
		return err
	}
	a, err := s.open(ctx, e)
	if err != nil {
		return err
	}
	defer a.Close()
	if len(pos) == 2 && pos[0] == "show" {
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return billing.Errorf(billing.ErrInvalid, "id", "%q is not a message id", pos[1])
		}
		m, err := a.Deliveries.OutboxMessage(ctx, id)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(m.Raw)
		return err
	}
	if len(pos) != 0 {
		return usageError{msg: "usage: erekins outbox [--json] | erekins outbox show ID"}
	}
	ms, err := a.Deliveries.Outbox(ctx, *limit)
	if err != nil {
		return err
	}
	if s.json {
		return writeJSON(e, nonNilSlice(ms))
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTORED\tTO\tSUBJECT\tBYTES")
	for _, m := range ms {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\n", m.ID, m.CreatedAt.UTC().Format(time.RFC3339), m.To, m.Subject, m.Size)
	}
	return tw.Flush()
}
