package pdf

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares the extracted text of every sample with testdata/<case>.txt. Run
// with -update to rewrite them, then read the diff: Latvian letters, numbers, dates.
func TestGolden(t *testing.T) {
	r := renderer(t)
	for _, c := range sample.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			b, err := r.Render(c.Invoice)
			if err != nil {
				t.Fatal(err)
			}
			got := pdftotext(t, b)
			path := filepath.Join("testdata", c.Name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (go test -update rewrites it):\n%s", c.Name, path, diff(string(want), got))
			}
		})
	}
}

// diff lists the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out strings.Builder
	n := 0
	for i := 0; i < max(len(w), len(g)) && n < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&out, "line %d\n- %s\n+ %s\n", i+1, wl, gl)
			n++
		}
	}
	return out.String()
}

// TestText checks what a reader must find in the extracted text of each sample.
func TestText(t *testing.T) {
	r := renderer(t)
	cases := map[string][]string{
		"single-rate": {"Rēķins", "Nr. ER-2026-000101", "AS \"Demo Enerģija\"", "SIA \"Kūdras Rūpnīca\"", "Reģ. Nr. 40003012345",
			"PVN reģ. Nr. LV40003000000", "LV80 BANK 0000 4351 9500 1", "BANKLV2X", "01.12.2026", "21.12.2026",
			"01.10.2026–31.10.2026", "Piegādes datums", "31.10.2026", "RF48ER2026000101", "1 234,000", "0,1452", "21%",
			"295,86", "E-rēķina saņēmējiem apmaksas termiņš tiek pagarināts par 5 dienām", "Lapa 1 no 1"},
		"day-night":   {"SIA Ēvalds un Ķēniņš", "DAY", "NIGHT", "Elektroenerģija, dienas zona", "Elektroenerģija, nakts zona", "2 310,5"},
		"multiplier":  {"AS Ģenerators", "1 234,5", "1 301,25", "40", "2 670,000"},
		"estimate":    {"SIA Ūdensrozes", "950,333*", "150,333*", "* aprēķināts rādījums"},
		"price-split": {"SIA Žagatas", "Elektroenerģija, 01.11.–15.11.", "Elektroenerģija, 16.11.–30.11.", "0,151234"},
		"english": {"Invoice", "No. ER-2026-000107", "Baltic Widgets Ltd", "1 Dec 2026", "21 Dec 2026", "2,500.000",
			"Electricity, 1–15 Nov", "Amount due", "592.98", "Page 1 of 1", "E-invoice recipients get 5 more days"},
		"escaping": {`=SIA "Bite & <Kods>" +1`},
		"credit-note": {"Kredītrēķins", "Nr. KR-2026-000001", "koriģē rēķinu Nr. ER-2026-000101, izrakstīts 01.12.2026",
			"Iemesls: Rādījums labots: 11 634 kWh", "Summa kredītā", "295,86"},
	}
	for _, c := range sample.Cases() {
		want, ok := cases[c.Name]
		if !ok {
			continue
		}
		t.Run(c.Name, func(t *testing.T) {
			b, err := r.Render(c.Invoice)
			if err != nil {
				t.Fatal(err)
			}
			text := pdftotext(t, b)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q", w)
				}
			}
			if c.Invoice.Type == billing.TypeCreditNote && strings.Contains(text, "Maksājuma rekvizīti") {
				t.Error("a credit note shows payment details")
			}
		})
	}
}

// TestDeterministic renders every sample twice, from fresh invoices and on one renderer,
// and wants identical bytes.
func TestDeterministic(t *testing.T) {
	r := renderer(t)
	r2, err := New()
	if err != nil {
		t.Fatal(err)
	}
	second := sample.Cases()
	for i, c := range sample.Cases() {
		a, err := r.Render(c.Invoice)
		if err != nil {
			t.Fatal(err)
		}
		b, err := r2.Render(second[i].Invoice)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ", c.Name)
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:20261201060000)")) {
			t.Errorf("%s: creation date is not the invoice's", c.Name)
		}
	}
}

// TestConcurrent renders from many goroutines on one renderer (run with -race).
func TestConcurrent(t *testing.T) {
	r := renderer(t)
	cases := sample.Cases()
	want := make([][]byte, len(cases))
	for i, c := range cases {
		b, err := r.Render(c.Invoice)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			i := g % len(cases)
			b, err := r.Render(cases[i].Invoice)
			if err != nil || !bytes.Equal(b, want[i]) {
				t.Errorf("%s: concurrent render differs (err %v)", cases[i].Name, err)
			}
		})
	}
	wg.Wait()
}

// TestPages: the 60 metering points run over several pages, each numbered, each with the
// table's column titles; the samples are valid PDF.
func TestPages(t *testing.T) {
	r := renderer(t)
	for _, c := range sample.Cases() {
		b, err := r.Render(c.Invoice)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, b)
		n, err := api.PageCount(bytes.NewReader(b), pdfConf())
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "sixty-meters" {
			if n != 1 {
				t.Errorf("%s: %d pages, want 1", c.Name, n)
			}
			continue
		}
		if n < 2 {
			t.Fatalf("%s: %d page, want more", c.Name, n)
		}
		pages := strings.Split(strings.TrimRight(pdftotext(t, b), "\f"), "\f")
		if len(pages) != n {
			t.Fatalf("pdftotext found %d pages, pdfcpu %d", len(pages), n)
		}
		meters := regexp.MustCompile(`MP-6\d{5}`)
		seen := map[string]bool{}
		for i, p := range pages {
			if !strings.Contains(p, fmt.Sprintf("Lapa %d no %d", i+1, n)) {
				t.Errorf("page %d lacks its number", i+1)
			}
			if !meters.MatchString(p) {
				continue
			}
			for _, h := range []string{"Uzskaites", "Apraksts", "Daudzums", "Cena, EUR", "Summa,"} {
				if !strings.Contains(p, h) {
					t.Errorf("page %d has table rows but no column title %q", i+1, h)
				}
			}
			if i > 0 && !strings.Contains(p, "ER-2026-000106 (turpinājums)") {
				t.Errorf("page %d does not name the document it continues", i+1)
			}
			for _, m := range meters.FindAllString(p, -1) {
				seen[m] = true
			}
		}
		if len(seen) != 60 {
			t.Errorf("%d metering points in the text, want 60", len(seen))
		}
		if !strings.Contains(pages[n-1], "Summa apmaksai") {
			t.Error("the totals are not on the last page")
		}
	}
}

// TestQRInDocument reads the QR code back from the printed page, as a banking app would.
func TestQRInDocument(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("SKIPPED: pdftoppm is missing; install poppler-utils")
	}
	inv := sample.Cases()[0].Invoice
	b, err := renderer(t).Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-png", "-r", "150", "-gray", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	want, err := EPCPayload(Payment{BIC: inv.Supplier.BIC, Name: inv.Supplier.Name, IBAN: inv.Supplier.IBAN,
		Amount: inv.Totals.Payable, Reference: inv.PaymentReference})
	if err != nil {
		t.Fatal(err)
	}
	if got := zbarimg(t, filepath.Join(dir, "page-1.png")); got != want {
		t.Errorf("QR code on the page reads %q, want %q", got, want)
	}
}

// TestFallback renders names outside the code page: they come out transliterated or as
// '?', never as other letters.
func TestFallback(t *testing.T) {
	r := renderer(t)
	inv := sample.Cases()[0].Invoice
	inv.Customer.Name = "ООО Ромашка · Łódź Ørsted Œuvre ﬁrma 東京 😀"
	b, err := r.Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, b)
	if want := "OOO Romaška · Łódź Ørsted OEuvre firma ?? ?"; !strings.Contains(text, want) {
		t.Errorf("text lacks %q", want)
	}
}

// TestEInvoiceNote: the note to an e-invoice recipient states the configured rule, not the
// default one.
func TestEInvoiceNote(t *testing.T) {
	inv := sample.Cases()[0].Invoice
	inv.EInvoiceExtension, inv.MaxPaymentTerm, inv.PaymentTermDays = 7, 25, 22
	b, err := renderer(t).Render(inv)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftotext(t, b)), " ")
	want := "pagarināts par 7 dienām, bet ne vairāk kā līdz 25 dienām; šim rēķinam tas ir 22 dienas"
	if !strings.Contains(text, want) {
		t.Errorf("the note lacks %q", want)
	}
}
