package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// BenchmarkDeliver measures e-mails per second through the worker's whole path: claim the
// delivery, read the stored PDF, UBL and CSV, compose, send to a local SMTP server over a
// connection of its own, record the attempt; 10 at once, as the delivery queue runs them.
//
//	go test ./app/ -run '^$' -bench Deliver -benchtime 2000x
func BenchmarkDeliver(b *testing.B) {
	for _, kind := range sqldbtest.Kinds {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			a, _, srv := deliveryApp(b, sqldbtest.New(b, kind), 20)
			invs, err := a.DB.Invoices(ctx, sqldb.InvoiceFilter{})
			if err != nil {
				b.Fatal(err)
			}
			ids := make(chan int64, b.N)
			for i := range b.N {
				ds, err := a.Delivery.ResendInvoice(ctx, invs[i%len(invs)].Number, fmt.Sprintf("r%d@example.lv", i), "bench")
				if err != nil {
					b.Fatal(err)
				}
				ids <- ds[0].ID
			}
			close(ids)
			srv.SetDiscard(true)
			b.ResetTimer()
			var wg sync.WaitGroup
			for range 10 {
				wg.Go(func() {
					for id := range ids {
						if err := a.Delivery.Attempt(ctx, delivery.Job{DeliveryID: id}); err != nil {
							b.Error(err)
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "emails/s")
			if got := len(srv.Received()); got != b.N {
				b.Fatalf("server received %d messages, want %d", got, b.N)
			}
			size := 0
			for _, f := range []string{"pdf", "ubl", "csv"} {
				doc, err := a.Document(ctx, invs[0].Number, f)
				if err != nil {
					b.Fatal(err)
				}
				size += len(doc)
			}
			b.ReportMetric(float64(size)/1024, "KiB-attached/email")
		})
	}
}
