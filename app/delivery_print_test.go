package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

func TestDeliveryPrintBatchBundleAndManifest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := open(t, dsn, issueDay)
		importGenerated(t, a, datagen.Config{Seed: 11, Contracts: 4, MinMeteringPoints: 1, MeteringPoints: 1, Months: 1,
			LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true, EInvoiceShare: 0,
			Customers: []datagen.Customer{{Name: "=HYPERLINK(\"x\"); SIA \"Ozols\"", Language: "lv", Email: "a@ozols.lv"}}})
		res, err := a.Bill(ctx, calendar.DateOf(issueDay))
		if err != nil || len(res.Issued) == 0 {
			t.Fatalf("bill: %d issued, %v", len(res.Issued), err)
		}
		bs, err := a.Deliveries.PrintBatches(ctx)
		if err != nil || len(bs) != 1 {
			t.Fatalf("batches %v, %v: want one for the issue day", bs, err)
		}
		es, err := a.Deliveries.PrintEntries(ctx, bs[0].ID)
		if err != nil || len(es) != bs[0].Invoices || len(es) < 2 {
			t.Fatalf("%d entries (%v), want the batch's %d invoices (≥ 2)", len(es), err, bs[0].Invoices)
		}
		api.DisableConfigDir()
		conf := model.NewDefaultConfiguration()
		conf.ValidationMode = model.ValidationStrict
		want := 0
		for _, e := range es {
			n, err := delivery.Pages(e.PDF)
			if err != nil || n == 0 {
				t.Fatalf("pages of %s: %d, %v", e.Number, n, err)
			}
			want += n
		}
		var pdf, again bytes.Buffer
		if err := delivery.Bundle(&pdf, bs[0].Date.Time(), es); err != nil {
			t.Fatal(err)
		}
		if err := api.Validate(bytes.NewReader(pdf.Bytes()), conf); err != nil {
			t.Errorf("the bundle does not validate: %v", err)
		}
		if n, err := delivery.Pages(pdf.Bytes()); err != nil || n != want {
			t.Errorf("the bundle has %d pages (%v), want the sum %d", n, err, want)
		}
		for range 3 { // pdfcpu writes objects in map order and stamps the time: Bundle undoes both
			again.Reset()
			if err := delivery.Bundle(&again, bs[0].Date.Time(), es); err != nil || !bytes.Equal(pdf.Bytes(), again.Bytes()) {
				t.Fatalf("a second bundle differs (%v): want the same bytes", err)
			}
		}
		var man bytes.Buffer
		if err := delivery.Manifest(&man, es); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(man.Bytes(), []byte("\uFEFF")) || !strings.Contains(man.String(), "\r\n") {
			t.Errorf("manifest wants a BOM and CRLF lines")
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(man.Bytes(), []byte("\uFEFF"))))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("manifest does not read back: %v", err)
		}
		if strings.Join(recs[0], ",") != "number,customer,postal_address,pages" || len(recs) != len(es)+1 {
			t.Fatalf("manifest header %v and %d rows, want %d", recs[0], len(recs)-1, len(es))
		}
		total, formula := 0, false
		for i, rec := range recs[1:] {
			e := es[i]
			if rec[0] != e.Number || rec[2] != e.Address() || rec[2] == "" {
				t.Errorf("row %v, want %s at %q", rec, e.Number, e.Address())
			}
			if strings.HasPrefix(e.Customer, "=") {
				formula = true
				if rec[1] != "'"+e.Customer {
					t.Errorf("customer %q, want the formula neutralised", rec[1])
				}
			} else if rec[1] != e.Customer {
				t.Errorf("customer %q, want %q", rec[1], e.Customer)
			}
			n, _ := strconv.Atoi(rec[3])
			total += n
		}
		if total != want || !formula {
			t.Errorf("manifest pages %d, want %d; a formulaic customer seen: %v", total, want, formula)
		}
		if _, err := a.Deliveries.PrintEntries(ctx, 999); billing.ErrorCode(err) != billing.ErrNotFound {
			t.Errorf("unknown batch: %v, want not found", err)
		}
	})
}
