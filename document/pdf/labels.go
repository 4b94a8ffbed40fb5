package pdf

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

// labels are the words of a document in one language.
type labels struct {
	invoice, creditNote                                 string
	number, contract, period, issueDate, supplyDate     string
	paymentTerm, dueDate, reference                     string
	days                                                string
	supplier, buyer, regNo, vatNo, address, postal      string
	bank, iban, bic, phone, email, web                  string
	colPoint, colRegister, colDescription               string
	colPrevious, colCurrent, colMultiplier              string
	colQuantity, colUnit, colPrice, colVAT, colNet      string
	units                                               map[string]string
	vatBreakdown, vatRate, vatBase, vatAmount           string
	totalNet, totalVAT, totalGross, payable, creditable string
	estimatedLegend                                     string
	eInvoice                                            func(extension, max, days int) string
	corrects                                            func(number, date string) string
	reason                                              string
	payTitle, payRecipient, payAmount, payScan          string
	page                                                func(n, of string) string
	continued                                           string
	noSignature                                         string
	lineTotal                                           string
}

var lv = labels{
	invoice: "Rēķins", creditNote: "Kredītrēķins",
	number: "Nr.", contract: "Līgums", period: "Norēķinu periods", issueDate: "Izrakstīšanas datums",
	supplyDate: "Piegādes datums", paymentTerm: "Apmaksas termiņš", dueDate: "Apmaksāt līdz",
	reference: "Maksājuma atsauce", days: "dienas",
	supplier: "Piegādātājs", buyer: "Pircējs", regNo: "Reģ. Nr.", vatNo: "PVN reģ. Nr.",
	address: "Adrese", postal: "Pasta adrese", bank: "Banka", iban: "IBAN", bic: "BIC",
	phone: "Tālr.", email: "E-pasts", web: "Tīmekļa vietne",
	colPoint: "Uzskaites punkts", colRegister: "Zona", colDescription: "Apraksts",
	colPrevious: "Sākuma rādījums", colCurrent: "Beigu rādījums", colMultiplier: "Reiz.",
	colQuantity: "Daudzums", colUnit: "Mērv.", colPrice: "Cena, EUR", colVAT: "PVN", colNet: "Summa, EUR",
	units:        map[string]string{billing.UnitKWh: "kWh", billing.UnitMonth: "mēn."},
	vatBreakdown: "PVN aprēķins", vatRate: "PVN likme", vatBase: "Apliekamā summa", vatAmount: "PVN summa",
	totalNet: "Summa bez PVN", totalVAT: "PVN", totalGross: "Kopā ar PVN",
	payable: "Summa apmaksai", creditable: "Summa kredītā",
	estimatedLegend: "* aprēķināts rādījums (prognoze), nevis nolasīts no skaitītāja",
	eInvoice: func(extension, max, days int) string {
		return fmt.Sprintf("E-rēķina saņēmējiem apmaksas termiņš tiek pagarināts par %d dienām, bet ne vairāk kā līdz %d dienām; šim rēķinam tas ir %d dienas.", extension, max, days)
	},
	corrects: func(number, date string) string {
		return fmt.Sprintf("Kredītrēķins koriģē rēķinu Nr. %s, izrakstīts %s.", number, date)
	},
	reason:   "Iemesls",
	payTitle: "Maksājuma rekvizīti", payRecipient: "Saņēmējs", payAmount: "Summa",
	payScan:   "Skenējiet QR kodu bankas lietotnē",
	page:      func(n, of string) string { return "Lapa " + n + " no " + of },
	continued: "turpinājums", noSignature: "Dokuments sagatavots elektroniski un ir derīgs bez paraksta.",
	lineTotal: "Kopā",
}

var en = labels{
	invoice: "Invoice", creditNote: "Credit note",
	number: "No.", contract: "Contract", period: "Billing period", issueDate: "Issue date",
	supplyDate: "Date of supply", paymentTerm: "Payment term", dueDate: "Due date",
	reference: "Payment reference", days: "days",
	supplier: "Supplier", buyer: "Buyer", regNo: "Reg. No.", vatNo: "VAT No.",
	address: "Address", postal: "Postal address", bank: "Bank", iban: "IBAN", bic: "BIC",
	phone: "Phone", email: "E-mail", web: "Web",
	colPoint: "Metering point", colRegister: "Zone", colDescription: "Description",
	colPrevious: "Previous reading", colCurrent: "Current reading", colMultiplier: "Mult.",
	colQuantity: "Quantity", colUnit: "Unit", colPrice: "Price, EUR", colVAT: "VAT", colNet: "Amount, EUR",
	units:        map[string]string{billing.UnitKWh: "kWh", billing.UnitMonth: "month"},
	vatBreakdown: "VAT breakdown", vatRate: "VAT rate", vatBase: "Taxable amount", vatAmount: "VAT amount",
	totalNet: "Total excl. VAT", totalVAT: "VAT", totalGross: "Total incl. VAT",
	payable: "Amount due", creditable: "Amount credited",
	estimatedLegend: "* estimated reading, not read from the meter",
	eInvoice: func(extension, max, days int) string {
		return fmt.Sprintf("E-invoice recipients get %d more days to pay, up to a term of %d days; this invoice's term is %d days.", extension, max, days)
	},
	corrects: func(number, date string) string {
		return fmt.Sprintf("This credit note corrects invoice No. %s issued on %s.", number, date)
	},
	reason:   "Reason",
	payTitle: "Payment details", payRecipient: "Beneficiary", payAmount: "Amount",
	payScan:   "Scan the QR code in your banking app",
	page:      func(n, of string) string { return "Page " + n + " of " + of },
	continued: "continued", noSignature: "This document was prepared electronically and is valid without a signature.",
	lineTotal: "Total",
}

// locale formats numbers and dates in one language.
type locale struct {
	labels
	decimal, group byte
	lang           string
}

func localeOf(lang string) *locale {
	if lang == billing.English {
		return &locale{labels: en, decimal: '.', group: ',', lang: billing.English}
	}
	return &locale{labels: lv, decimal: ',', group: ' ', lang: billing.Latvian}
}

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// date is "27.11.2026" in Latvian and "27 Nov 2026" in English.
func (l *locale) date(d billing.Date) string {
	if d.IsZero() {
		return ""
	}
	if l.lang == billing.English {
		return fmt.Sprintf("%d %s %d", d.Day(), monthsEN[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%02d.%02d.%d", d.Day(), int(d.Month()), d.Year())
}

// span is "01.10.2026–31.10.2026" or "1 Oct 2026 – 31 Oct 2026".
func (l *locale) span(p billing.Period) string {
	if l.lang == billing.English {
		return l.date(p.Start) + " – " + l.date(p.End)
	}
	return l.date(p.Start) + "–" + l.date(p.End)
}

// shortPeriod is a sub-period within the billing period, without the year: "01.11.–15.11."
// or "1–15 Nov".
func (l *locale) shortPeriod(p billing.Period) string {
	if l.lang == billing.English {
		if p.Start.Month() == p.End.Month() {
			return fmt.Sprintf("%d–%d %s", p.Start.Day(), p.End.Day(), monthsEN[p.End.Month()-1])
		}
		return fmt.Sprintf("%d %s – %d %s", p.Start.Day(), monthsEN[p.Start.Month()-1], p.End.Day(), monthsEN[p.End.Month()-1])
	}
	return fmt.Sprintf("%02d.%02d.–%02d.%02d.", p.Start.Day(), int(p.Start.Month()), p.End.Day(), int(p.End.Month()))
}

// fixed formats d with exactly places decimals and grouped thousands: "1 234,56".
func (l *locale) fixed(d decimal.Decimal, places int32) string {
	return l.group3(d.StringFixed(places))
}

// money is an amount with 2 decimals.
func (l *locale) money(d decimal.Decimal) string { return l.fixed(d, 2) }

// trimmed formats d with at least min and at most max decimals, dropping trailing zeros:
// unit prices (0,151234; 12,50) and readings (10 500; 1 234,5).
func (l *locale) trimmed(d decimal.Decimal, min, max int32) string {
	s := d.Round(max).StringFixed(max)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		keep := len(s)
		for keep > i+1+int(min) && s[keep-1] == '0' {
			keep--
		}
		if keep == i+1 {
			keep = i
		}
		s = s[:keep]
	}
	return l.group3(s)
}

// group3 localises a plain decimal string ("-1234.5"): separator and thousands groups.
func (l *locale) group3(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i+1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3+2)
	if neg {
		out = append(out, '-')
	}
	for i := range len(intPart) {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			out = append(out, l.group)
		}
		out = append(out, intPart[i])
	}
	if frac != "" {
		out = append(out, l.decimal)
		out = append(out, frac...)
	}
	return string(out)
}

// rate is a VAT rate: "21%".
func (l *locale) rate(d decimal.Decimal) string { return l.trimmed(d, 0, 2) + "%" }

// vatCategory names a VAT rate; categories other than standard (S) show their code:
// "21%", "0% (Z)".
func (l *locale) vatCategory(cat string, rate decimal.Decimal) string {
	if cat == "" || cat == "S" {
		return l.rate(rate)
	}
	return l.rate(rate) + " (" + cat + ")"
}

// unit names a line's unit.
func (l *locale) unit(u string) string {
	if n, ok := l.units[u]; ok {
		return n
	}
	return u
}
