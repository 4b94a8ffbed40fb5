package delivery_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/delivery"
)

func TestPolicyNext(t *testing.T) {
	p := delivery.DefaultPolicy()
	created := time.Date(2026, 12, 10, 7, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		attempts int
		now      time.Time
		want     time.Time
		ok       bool
	}{
		{"first failure waits a minute", 1, created, created.Add(time.Minute), true},
		{"then doubles", 2, created.Add(time.Minute), created.Add(3 * time.Minute), true},
		{"fifth waits 16 minutes", 5, created, created.Add(16 * time.Minute), true},
		{"a step never exceeds 6 hours", 20, created, created.Add(6 * time.Hour), true},
		{"the last try is at the window's end", 20, created.Add(70 * time.Hour), created.Add(72 * time.Hour), true},
		{"at the window's end it fails", 21, created.Add(72 * time.Hour), time.Time{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := p.Next(created, tc.attempts, tc.now)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("Next(%d, %s) = %s, %v; want %s, %v", tc.attempts, tc.now, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestNormalizeSettings(t *testing.T) {
	cases := []struct {
		name  string
		in    billing.DeliverySettings
		want  billing.DeliverySettings
		field string // the field at fault, "" when valid
	}{
		{"pdf is always added, formats in order", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"A@Example.lv"}, Formats: []string{"csv"}},
			billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@example.lv"}, Formats: []string{"pdf", "csv"}}, ""},
		{"duplicates collapse", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@example.lv", "A@example.lv"}},
			billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@example.lv"}, Formats: []string{"pdf"}}, ""},
		{"e-invoice needs a recipient", billing.DeliverySettings{Method: "e-invoice"}, billing.DeliverySettings{}, "recipients"},
		{"at most five", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@x.lv", "b@x.lv", "c@x.lv", "d@x.lv", "e@x.lv", "f@x.lv"}},
			billing.DeliverySettings{}, "recipients"},
		{"a display name is not an address", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"Anna <a@x.lv>"}}, billing.DeliverySettings{}, "recipients"},
		{"no domain", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@localhost"}}, billing.DeliverySettings{}, "recipients"},
		{"unknown format", billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@x.lv"}, Formats: []string{"xlsx"}}, billing.DeliverySettings{}, "formats"},
		{"unknown method", billing.DeliverySettings{Method: "fax"}, billing.DeliverySettings{}, "method"},
		{"paper needs no recipient", billing.DeliverySettings{Method: "paper"},
			billing.DeliverySettings{Method: "paper", Recipients: []string{}, Formats: []string{"pdf"}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := delivery.NormalizeSettings(tc.in)
			if tc.field != "" {
				var e *billing.Error
				if err == nil || billing.ErrorCode(err) != billing.ErrInvalid || !asError(err, &e) || e.Field != tc.field {
					t.Fatalf("err %v, want invalid %s", err, tc.field)
				}
				return
			}
			if err != nil || got.Method != tc.want.Method || strings.Join(got.Recipients, ",") != strings.Join(tc.want.Recipients, ",") ||
				strings.Join(got.Formats, ",") != strings.Join(tc.want.Formats, ",") {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func asError(err error, e **billing.Error) bool {
	x, ok := err.(*billing.Error)
	*e = x
	return ok
}

func TestDiffNewRecipients(t *testing.T) {
	before := billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@x.lv"}, Formats: []string{"pdf"}}
	after := billing.DeliverySettings{Method: "e-invoice", Recipients: []string{"a@x.lv", "b@x.lv"}, Formats: []string{"pdf"}}
	if got := delivery.Diff("K-1", before, after).NewRecipients; strings.Join(got, ",") != "b@x.lv" {
		t.Errorf("new recipients %v, want b@x.lv only", got)
	}
	paper := billing.DeliverySettings{Method: "paper", Recipients: []string{"a@x.lv"}}
	if got := delivery.Diff("K-1", paper, after).NewRecipients; len(got) != 2 {
		t.Errorf("switching from paper: new recipients %v, want both", got)
	}
	if !delivery.Diff("K-1", after, after).Same() {
		t.Error("no change is not Same")
	}
}

func TestComposeEscapesAndTranslates(t *testing.T) {
	inv := &billing.Invoice{Number: "ER-2026-000007", Type: billing.TypeInvoice, Language: "en",
		Period:         billing.Period{Start: calendar.MustDate("2026-11-01"), End: calendar.MustDate("2026-11-30")},
		DueDate:        calendar.MustDate("2026-12-30"),
		Totals:         billing.Totals{Payable: decimal.RequireFromString("1234.5")},
		Supplier:       billing.Supplier{Name: `Enerģija <script>alert(1)</script> & Co`, Email: "rekini@example.lv", IBAN: "LV00HABA0000000000000"},
		ContractNumber: "K-1"}
	d := delivery.New(delivery.KindInvoice, inv, "ap@example.com", []string{"pdf"}, time.Now())
	docs := []billing.Document{billing.NewDocument("pdf", []byte("%PDF-1.7 test"))}
	m, err := delivery.Composer{BaseURL: "https://portal.example.lv/"}.Invoice(d, inv, docs, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := "Invoice ER-2026-000007 for November 2026: €1,234.50, due 30 December 2026"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("HTML body does not escape the supplier's name:\n%s", m.HTML)
	}
	if strings.Contains(strings.ToLower(m.HTML), "<img") {
		t.Error("HTML body has an image: no tracking pixels")
	}
	if !strings.Contains(m.Text, "https://portal.example.lv/invoices/ER-2026-000007") {
		t.Errorf("text body lacks the portal link:\n%s", m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "ER-2026-000007.pdf" || string(m.Attachments[0].Data) != "%PDF-1.7 test" {
		t.Errorf("attachments %+v", m.Attachments)
	}
	inv.Language = "lv"
	d.Language = "lv"
	m, err = delivery.Composer{}.Invoice(d, inv, docs, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if want := "Rēķins Nr. ER-2026-000007 par 2026. gada novembri: 1\u00a0234,50\u00a0€, apmaksāt līdz 30.12.2026"; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	d.Formats = []string{"pdf", "ubl"}
	if _, err := (delivery.Composer{}).Invoice(d, inv, docs, time.Now()); err == nil {
		t.Error("a missing stored document composed anyway")
	}
}
