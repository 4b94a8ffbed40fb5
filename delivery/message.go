package delivery

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// Message is one composed e-mail, ready for a Mailer.
type Message struct {
	From        string
	FromName    string
	To          string
	Subject     string
	MessageID   string // without angle brackets
	Date        time.Time
	Text, HTML  string
	Attachments []Attachment
}

// Attachment is a file attached byte for byte.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Attachment names and types per format.
var attachmentTypes = map[string]struct{ ext, ctype string }{
	billing.FormatPDF: {".pdf", "application/pdf"},
	billing.FormatUBL: {".xml", "application/xml"},
	billing.FormatCSV: {".csv", "text/csv"},
}

// AttachmentName is the file name a format of an invoice is attached under.
func AttachmentName(number, format string) string { return number + attachmentTypes[format].ext }

// InvoicePath is the portal's address of an invoice, under the base URL.
const InvoicePath = "/invoices/%s"

//go:embed templates
var templateFS embed.FS

var (
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").ParseFS(templateFS, "templates/*.html"))
	textTemplates = texttemplate.Must(texttemplate.New("").ParseFS(templateFS, "templates/*.txt"))
)

// Composer composes messages; From overrides the supplier's address (--mail-from), BaseURL
// is where the portal is (--base-url).
type Composer struct {
	From    string
	BaseURL string
}

type invoiceData struct {
	T           map[string]string
	Lang        string
	Invoice     *billing.Invoice
	Credit      bool
	Period      string
	Amount      string
	Due         string
	Link        string
	Attachments []string
}

// Invoice composes the e-mail of an invoice delivery from the stored documents, attached in
// the delivery's formats.
func (c Composer) Invoice(d Delivery, inv *billing.Invoice, docs []billing.Document, now time.Time) (*Message, error) {
	lang := language(d.Language)
	t := texts[lang]
	m := c.base(d, inv.Supplier, now)
	data := invoiceData{T: t, Lang: lang, Invoice: inv, Credit: inv.Type == billing.TypeCreditNote, Period: period(inv.Period, lang),
		Amount: amount(inv.Totals.Payable, lang), Due: date(inv.DueDate, lang), Link: c.link(inv.Number)}
	byFormat := map[string]billing.Document{}
	for _, doc := range docs {
		byFormat[doc.Format] = doc
	}
	for _, f := range d.Formats {
		doc, ok := byFormat[f]
		at, known := attachmentTypes[f]
		if !ok || !known {
			return nil, fmt.Errorf("invoice %s has no stored %s document", inv.Number, f)
		}
		name := AttachmentName(inv.Number, f)
		m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: at.ctype, Data: doc.Content})
		data.Attachments = append(data.Attachments, name)
	}
	kind := t["invoice"]
	if data.Credit {
		kind = t["credit_note"]
	}
	m.Subject = fmt.Sprintf(t["subject"], kind, inv.Number, data.Period, data.Amount, data.Due)
	if data.Credit {
		m.Subject = fmt.Sprintf(t["subject_credit"], kind, inv.Number, data.Period, data.Amount)
	}
	return m, c.bodies(m, "invoice", data)
}

// Confirmation is what a confirmation e-mail says about the contract.
type Confirmation struct {
	Supplier   billing.Supplier
	Customer   string
	Contract   string
	Recipients []string
	Formats    []string
}

type confirmationData struct {
	T    map[string]string
	Lang string
	Confirmation
	Link string
}

// Confirmation composes the e-mail that tells a new recipient it will receive e-invoices.
func (c Composer) Confirmation(d Delivery, conf Confirmation, now time.Time) (*Message, error) {
	lang := language(d.Language)
	t := texts[lang]
	m := c.base(d, conf.Supplier, now)
	m.Subject = fmt.Sprintf(t["subject_confirmation"], conf.Contract)
	return m, c.bodies(m, "confirmation", confirmationData{T: t, Lang: lang, Confirmation: conf, Link: strings.TrimRight(c.BaseURL, "/")})
}

type reminderData struct {
	T    map[string]string
	Lang string
	ReminderMail
	Period, Open, Close string
	Closing             bool
	Link                string
}

// Reminder composes a readings reminder: which window, until when, which registers.
func (c Composer) Reminder(d Delivery, rm ReminderMail, now time.Time) (*Message, error) {
	lang := language(d.Language)
	t := texts[lang]
	m := c.base(d, rm.Supplier, now)
	data := reminderData{T: t, Lang: lang, ReminderMail: rm, Period: period(billing.Period{Start: rm.Window.Period, End: rm.Window.Period.LastOfMonth()}, lang),
		Open: date(rm.Window.Open, lang), Close: date(rm.Window.Close, lang), Closing: rm.Kind == ReminderClosing, Link: strings.TrimRight(c.BaseURL, "/")}
	m.Subject = fmt.Sprintf(t["subject_reminder"], data.Period, data.Close)
	if data.Closing {
		m.Subject = t["reminder_again"] + ": " + m.Subject
	}
	return m, c.bodies(m, "reminder", data)
}

func (c Composer) base(d Delivery, sup billing.Supplier, now time.Time) *Message {
	from := c.From
	if from == "" {
		from = sup.Email
	}
	return &Message{From: from, FromName: sup.Name, To: d.Recipient, MessageID: d.MessageID, Date: now}
}

func (c Composer) link(number string) string {
	if c.BaseURL == "" {
		return ""
	}
	return strings.TrimRight(c.BaseURL, "/") + fmt.Sprintf(InvoicePath, url.PathEscape(number))
}

func (c Composer) bodies(m *Message, name string, data any) error {
	var h, t bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&h, name+".html", data); err != nil {
		return fmt.Errorf("html body: %w", err)
	}
	if err := textTemplates.ExecuteTemplate(&t, name+".txt", data); err != nil {
		return fmt.Errorf("text body: %w", err)
	}
	m.HTML, m.Text = h.String(), t.String()
	return nil
}

func language(l string) string {
	if l == billing.English {
		return billing.English
	}
	return billing.Latvian
}

var monthsLV = [...]string{"janvāri", "februāri", "martu", "aprīli", "maiju", "jūniju", "jūliju", "augustu",
	"septembri", "oktobri", "novembri", "decembri"}

// period names a billing period: a whole month by name, otherwise its first and last day.
func period(p billing.Period, lang string) string {
	if p.Start.Day() == 1 && p.End == p.Start.LastOfMonth() {
		if lang == billing.English {
			return fmt.Sprintf("%s %d", p.Start.Month(), p.Start.Year())
		}
		return fmt.Sprintf("%d. gada %s", p.Start.Year(), monthsLV[p.Start.Month()-1])
	}
	return date(p.Start, lang) + "–" + date(p.End, lang)
}

func date(d billing.Date, lang string) string {
	if lang == billing.English {
		return fmt.Sprintf("%d %s %d", d.Day(), d.Month(), d.Year())
	}
	return fmt.Sprintf("%02d.%02d.%d", d.Day(), int(d.Month()), d.Year())
}

// amount formats euros: "1 234,56 €" in Latvian, "€1,234.56" in English.
func amount(v decimal.Decimal, lang string) string {
	s := v.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	sep, dec := "\u00a0", ","
	if lang == billing.English {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	sign := ""
	if neg {
		sign = "-"
	}
	if lang == billing.English {
		return sign + "€" + b.String() + dec + frac
	}
	return sign + b.String() + dec + frac + "\u00a0€"
}
