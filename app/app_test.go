package app_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

var d = calendar.MustDate

// open returns an App on a fresh database whose clock reads now.
func open(t *testing.T, dsn string, now time.Time) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), dsn, app.Config{Rules: billing.DefaultRules()}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	a.Now = func() time.Time { return now }
	t.Cleanup(func() { a.Close() })
	return a
}

// importGenerated imports a generated dataset into a.
func importGenerated(t testing.TB, a *app.App, cfg datagen.Config) {
	t.Helper()
	var buf bytes.Buffer
	if err := datagen.Write(&buf, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(context.Background(), &buf, "test"); err != nil {
		t.Fatalf("import: %v", err)
	}
}

func TestBillGeneratedDataset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := open(t, dsn, time.Date(2026, 12, 10, 12, 0, 0, 0, calendar.Riga))
		importGenerated(t, a, datagen.Config{Seed: 1, Contracts: 20, MeteringPoints: 3, Months: 13, LastPeriod: d("2026-11-01"),
			SkipPeriod: d("2026-06-01"), PriceChange: d("2026-11-16"), EInvoiceShare: 0.5})
		res, err := a.Bill(ctx, d("2026-12-10"))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Failures) > 0 {
			t.Fatalf("failures: %v", res.Failures)
		}
		if got, want := len(res.Issued), 20*14; got != want {
			t.Errorf("issued %d documents, want %d (14 periods × 20 contracts)", got, want)
		}
		again, err := a.Bill(ctx, d("2026-12-10"))
		if err != nil || len(again.Issued) != 0 {
			t.Errorf("second run issued %d, err %v; want nothing", len(again.Issued), err)
		}
		// The UBL is stored without its copy of the PDF and read back whole: byte for byte
		// the document that was issued, as its stored SHA-256 proves.
		for _, s := range res.Issued[:10] {
			pdf, err := a.Document(ctx, s.Number, "pdf")
			if err != nil {
				t.Fatal(err)
			}
			ubl, err := a.DB.Document(ctx, s.Number, "ubl")
			if err != nil {
				t.Fatalf("%s ubl: %v", s.Number, err)
			}
			sum := sha256.Sum256(ubl.Content)
			if hex.EncodeToString(sum[:]) != ubl.SHA256 || !bytes.Contains(ubl.Content, []byte(base64.StdEncoding.EncodeToString(pdf))) {
				t.Errorf("%s: UBL read back does not match its digest or lacks the PDF", s.Number)
			}
		}
		var stored int
		a.DB.QueryRow(`SELECT max(length(content)) FROM documents WHERE format = 'ubl'`).Scan(&stored)
		if stored > 40000 {
			t.Errorf("a stored UBL takes %d bytes: the PDF is stored twice", stored)
		}
	})
}
