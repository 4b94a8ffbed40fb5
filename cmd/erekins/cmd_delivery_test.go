package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestCLIDelivery: an e-invoice contract billed, sent by work --until-idle to a real SMTP
// server, listed, resent; its settings changed with a confirmation; bad input rejected.
func TestCLIDelivery(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db string) {
		srv := smtptest.Start(t)
		mustCLI(t, db, "import", "../../dataset/testdata/cli-example.json")
		mustCLI(t, db, "bill", "--date", "2026-12-10")
		list := func(args ...string) []delivery.Delivery {
			t.Helper()
			var ds []delivery.Delivery
			if err := json.Unmarshal([]byte(mustCLI(t, db, append([]string{"delivery", "list", "--json"}, args...)...)), &ds); err != nil {
				t.Fatal(err)
			}
			return ds
		}
		if ds := list("--status", "queued"); len(ds) != 1 {
			t.Fatalf("%d queued deliveries after bill, want 1", len(ds))
		}
		mustCLI(t, db, "work", "--until-idle", "--smtp", srv.URL(), "--mail-from", "billing@example.lv")
		sent := list("--status", "sent")
		if len(sent) != 1 || len(srv.Received()) != 1 || srv.Received()[0].From != "billing@example.lv" {
			t.Fatalf("sent %+v, server got %d; want one e-mail from --mail-from", sent, len(srv.Received()))
		}
		var shown delivery.Delivery
		if err := json.Unmarshal([]byte(mustCLI(t, db, "delivery", "show", "1", "--json")), &shown); err != nil {
			t.Fatal(err)
		}
		if len(shown.History) != 1 || shown.History[0].Server != srv.Addr || shown.History[0].Code != 250 {
			t.Errorf("attempts %+v, want one accepted by %s", shown.History, srv.Addr)
		}
		mustCLI(t, db, "delivery", "resend", sent[0].InvoiceNumber, "--to", "ops@example.lv")
		mustCLI(t, db, "contract", "delivery", "set", sent[0].Contract, "--recipients", "new@example.lv", "--formats", "pdf,csv")
		mustCLI(t, db, "work", "--until-idle", "--smtp", srv.URL())
		if got := len(srv.Received()); got != 3 {
			t.Errorf("server got %d messages, want 3 (invoice, resend, confirmation)", got)
		}
		for _, bad := range [][]string{
			{"contract", "delivery", "set", sent[0].Contract, "--recipients", "not-an-address"},
			{"contract", "delivery", "set", sent[0].Contract, "--formats", "xlsx"},
			{"delivery", "list", "--status", "lost"},
		} {
			if _, _, code := cli(t, db, bad...); code != 3 {
				t.Errorf("%v: exit %d, want 3", bad, code)
			}
		}
		if _, _, code := cli(t, db, "delivery", "resend", "ER-1999-000001"); code != 4 {
			t.Errorf("resend of an unknown invoice: exit %d, want 4", code)
		}
	})
}

// Without --smtp the e-mail goes to the outbox.
func TestCLIOutbox(t *testing.T) {
	db := sqldbtest.New(t, "sqlite")
	mustCLI(t, db, "import", "../../dataset/testdata/cli-example.json")
	mustCLI(t, db, "bill", "--date", "2026-12-10")
	t.Setenv("EREKINS_SMTP", "")
	mustCLI(t, db, "work", "--until-idle")
	var ms []delivery.OutboxMessage
	if err := json.Unmarshal([]byte(mustCLI(t, db, "outbox", "--json")), &ms); err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].To != "gramatvediba@example.lv" || ms[0].Size == 0 {
		t.Fatalf("outbox %+v", ms)
	}
}

// TestCLIPrintBatchFiles: a paper invoice's batch as one PDF and a manifest, the same bytes
// each time; a bad --rescue-after is refused.
func TestCLIPrintBatchFiles(t *testing.T) {
	db := sqldbtest.New(t, "sqlite")
	dir := t.TempDir()
	mustCLI(t, db, "import", "../../dataset/testdata/cli-example.json")
	mustCLI(t, db, "contract", "delivery", "set", "L-2025-0001", "--method", "paper")
	mustCLI(t, db, "bill", "--date", "2026-12-10")
	pdf1, pdf2, csvFile := filepath.Join(dir, "1.pdf"), filepath.Join(dir, "2.pdf"), filepath.Join(dir, "m.csv")
	mustCLI(t, db, "print-batch", "bundle", "1", "-o", pdf1)
	mustCLI(t, db, "print-batch", "bundle", "1", "-o", pdf2)
	mustCLI(t, db, "print-batch", "manifest", "1", "-o", csvFile)
	a, _ := os.ReadFile(pdf1)
	b, _ := os.ReadFile(pdf2)
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.Equal(a, b) {
		t.Errorf("bundle: %d and %d bytes; want the same PDF twice", len(a), len(b))
	}
	m, _ := os.ReadFile(csvFile)
	if want := "\uFEFFnumber;customer;postal_address;pages\r\nER-2026-000001;"; !strings.HasPrefix(string(m), want) {
		t.Errorf("manifest %q, want it to start %q", m, want)
	}
	if out := mustCLI(t, db, "print-batch", "manifest", "1"); out != string(m) {
		t.Errorf("manifest on standard output differs from the file")
	}
	if _, _, code := cli(t, db, "print-batch", "bundle", "7", "-o", pdf1); code != 4 {
		t.Errorf("unknown batch: exit %d, want 4", code)
	}
	if _, errOut, code := cli(t, db, "work", "--until-idle", "--rescue-after", "soon"); code != exitUsage || !strings.Contains(errOut, "rescue-after") {
		t.Errorf("--rescue-after soon: exit %d (%s), want %d naming the flag", code, errOut, exitUsage)
	}
}
