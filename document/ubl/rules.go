package ubl

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// check runs the rules in a fixed order, so findings are stable.
func (c *checker) check(d *document) {
	credit := d.XMLName.Local == "CreditNote"
	switch {
	case d.XMLName.Local == "Invoice" && d.XMLName.Space == nsInvoice:
	case credit && d.XMLName.Space == nsCreditNote:
	default:
		c.add("UBL-ROOT", "root element {%s}%s is not a UBL 2.1 Invoice or CreditNote", d.XMLName.Space, d.XMLName.Local)
		return
	}
	c.header(d, credit)
	c.parties(d)
	lines := d.InvoiceLines
	if credit {
		lines = d.CreditLines
	}
	c.lines(d, lines, credit)
	c.totals(d, lines, credit)
	c.payment(d)
}

func (c *checker) header(d *document, credit bool) {
	if c.present("BR-01", "specification identifier (BT-24)", d.CustomizationID) && d.CustomizationID != CustomizationID {
		c.add("PEPPOL-EN16931-R004", "specification identifier %q is not %q", d.CustomizationID, CustomizationID)
	}
	if c.present("PEPPOL-EN16931-R001", "business process (BT-23)", d.ProfileID) && d.ProfileID != ProfileID {
		c.add("PEPPOL-EN16931-R007", "business process %q is not %q", d.ProfileID, ProfileID)
	}
	c.present("BR-02", "invoice number (BT-1)", d.ID)
	if c.present("BR-03", "issue date (BT-2)", d.IssueDate) {
		c.date("BR-03", "issue date (BT-2)", d.IssueDate)
	}
	code, want := d.InvoiceTypeCode, typeInvoice
	if credit {
		code, want = d.CreditNoteTypeCode, typeCreditNote
	}
	if c.present("BR-04", "document type code (BT-3)", code) && code != want {
		c.add("BR-CL-01", "document type code %q: erekins uses %s for this document", code, want)
	}
	if c.present("BR-05", "document currency code (BT-5)", d.DocumentCurrencyCode) && d.DocumentCurrencyCode != "EUR" {
		c.add("BR-CL-04", "currency %q: erekins invoices in EUR", d.DocumentCurrencyCode)
	}
	c.currency = d.DocumentCurrencyCode
	if len(d.Notes) > 1 {
		c.add("PEPPOL-EN16931-R002", "%d document notes: no more than one is allowed", len(d.Notes))
	}
	if blank(d.BuyerReference) && (d.OrderReference == nil || blank(d.OrderReference.ID)) {
		c.add("PEPPOL-EN16931-R003", "neither a buyer reference (BT-10) nor an order reference (BT-13)")
	}
	if len(d.InvoicePeriod) > 1 {
		c.add("UBL-SR-08", "more than one invoice period")
	}
	for _, p := range d.InvoicePeriod {
		c.period("BR-CO-19", "BR-29", "invoicing period (BG-14)", p)
	}
	for _, b := range d.BillingReferences {
		c.present("BR-55", "preceding invoice reference (BT-25)", b.ID)
	}
	for _, a := range d.Attachments {
		c.present("BR-52", "supporting document reference (BT-122)", a.ID)
		if a.Object != nil {
			if a.Object.MimeCode != mimePDF {
				c.add("PEPPOL-EN16931-CL001", "attachment mime code %q: erekins attaches %s", a.Object.MimeCode, mimePDF)
			}
			c.present("UBL-DT-07", "attached document filename (BT-125-2)", a.Object.Filename)
		}
	}
}

// period checks that a period has a start or an end, as dates, and ends after it starts.
func (c *checker) period(ruleOne, ruleOrder, what string, p period) (start, end time.Time) {
	if blank(p.StartDate) && blank(p.EndDate) {
		c.add(ruleOne, "%s has neither a start nor an end date", what)
		return
	}
	var okS, okE bool
	if !blank(p.StartDate) {
		start, okS = c.date(ruleOne, what+" start", p.StartDate)
	}
	if !blank(p.EndDate) {
		end, okE = c.date(ruleOne, what+" end", p.EndDate)
	}
	if okS && okE && end.Before(start) {
		c.add(ruleOne, "%s ends %s before it starts %s", what, p.EndDate, p.StartDate)
	}
	return
}

func (c *checker) parties(d *document) {
	type role struct {
		p                                                    *party
		who                                                  string
		nameRule, addrRule, countryRule, endpointRule, eRule string
	}
	for _, r := range []role{
		{d.Seller, "seller", "BR-06", "BR-08", "BR-09", "PEPPOL-EN16931-R020", "BR-62"},
		{d.Buyer, "buyer", "BR-07", "BR-10", "BR-11", "PEPPOL-EN16931-R010", "BR-63"},
	} {
		if r.p == nil {
			c.add(r.nameRule, "no %s party", r.who)
			continue
		}
		p := r.p
		c.present(r.nameRule, r.who+" name", p.RegistrationName)
		if p.Address == nil {
			c.add(r.addrRule, "%s postal address is missing", r.who)
		} else if c.present(r.countryRule, r.who+" country code", p.Address.Country) && !isCountry(p.Address.Country) {
			c.add("BR-CL-14", "%s country code %q is not an ISO 3166-1 alpha-2 code", r.who, p.Address.Country)
		}
		if p.EndpointID == nil || blank(p.EndpointID.Value) {
			c.add(r.endpointRule, "%s electronic address (EndpointID) is missing", r.who)
		} else if c.present(r.eRule, r.who+" electronic address scheme", p.EndpointID.Scheme) && !easCodes[p.EndpointID.Scheme] {
			c.add("PEPPOL-EN16931-CL008", "%s electronic address scheme %q is not in the Peppol EAS list", r.who, p.EndpointID.Scheme)
		}
		for _, id := range p.Identifications {
			if id.Scheme != "" && !validICD(id.Scheme) {
				c.add("BR-CL-10", "%s identifier scheme %q is not in the ISO 6523 ICD list", r.who, id.Scheme)
			}
		}
		if p.CompanyID != nil && p.CompanyID.Scheme != "" && !validICD(p.CompanyID.Scheme) {
			c.add("BR-CL-11", "%s legal registration scheme %q is not in the ISO 6523 ICD list", r.who, p.CompanyID.Scheme)
		}
		for _, t := range p.TaxSchemes {
			if t.Scheme == taxSchemeVAT && !blank(t.CompanyID) && !isCountry(t.CompanyID[:min(2, len(t.CompanyID))]) {
				c.add("BR-CO-09", "%s VAT identifier %q does not start with a country code", r.who, t.CompanyID)
			}
		}
	}
}

// vatID is the seller's VAT identifier, if any.
func (p *party) vatID() string {
	if p == nil {
		return ""
	}
	for _, t := range p.TaxSchemes {
		if t.Scheme == taxSchemeVAT {
			return t.CompanyID
		}
	}
	return ""
}

func isCountry(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

var vatCategories = setOf("AE E S Z G O K L M B") // UNCL5305 as EN 16931 restricts it

func (c *checker) lines(d *document, lines []line, credit bool) {
	if len(lines) == 0 {
		c.add("BR-16", "the document has no lines")
	}
	var docStart, docEnd time.Time
	if len(d.InvoicePeriod) == 1 {
		docStart, _ = time.Parse(time.DateOnly, d.InvoicePeriod[0].StartDate)
		docEnd, _ = time.Parse(time.DateOnly, d.InvoicePeriod[0].EndDate)
	}
	seen := map[string]bool{}
	for i, l := range lines {
		at := "line " + l.ID
		if c.present("BR-21", "line identifier (BT-126) of line "+itoa(i+1), l.ID) && seen[l.ID] {
			c.add("BR-21", "line identifier %q is not unique", l.ID)
		}
		seen[l.ID] = true
		if len(l.Notes) > 1 {
			c.add("UBL-SR-34", "%s has %d notes: no more than one is allowed", at, len(l.Notes))
		}
		q := l.Invoiced
		if credit {
			q = l.Credited
		}
		if q == nil || blank(q.Value) {
			c.add("BR-22", "%s has no quantity (BT-129)", at)
		} else {
			c.number("BR-22", at+" quantity", q.Value)
			if c.present("BR-23", at+" unit of measure (BT-130)", q.Unit) && q.Unit != unitKWh && q.Unit != unitMon {
				c.add("BR-CL-23", "%s unit code %q: erekins uses %s and %s", at, q.Unit, unitKWh, unitMon)
			}
		}
		c.money("BR-24", "BR-DEC-23", at+" net amount (BT-131)", l.LineExtension)
		c.present("BR-25", at+" item name (BT-153)", l.ItemName)
		if price, ok := c.money("BR-26", "", at+" item net price (BT-146)", l.Price); ok && price.IsNegative() {
			c.add("BR-27", "%s item net price %s is negative", at, price)
		}
		if l.Category == nil || blank(l.Category.ID) {
			c.add("BR-CO-04", "%s has no VAT category (BT-151)", at)
		} else if !vatCategories[l.Category.ID] {
			c.add("BR-CL-18", "%s VAT category %q is not in UNCL5305", at, l.Category.ID)
		} else if l.Category.ID == vatStandard {
			if r, ok := c.number("BR-S-05", at+" VAT rate", l.Category.Percent); !ok || !r.IsPositive() {
				c.add("BR-S-05", "%s: a standard rated line needs a VAT rate above zero", at)
			}
		}
		for _, p := range l.Period {
			s, e := c.period("BR-CO-20", "BR-30", at+" invoicing period (BG-26)", p)
			if !s.IsZero() && !docStart.IsZero() && s.Before(docStart) {
				c.add("PEPPOL-EN16931-R110", "%s period starts %s, before the invoice period", at, p.StartDate)
			}
			if !e.IsZero() && !docEnd.IsZero() && e.After(docEnd) {
				c.add("PEPPOL-EN16931-R111", "%s period ends %s, after the invoice period", at, p.EndDate)
			}
		}
	}
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// sums adds document-level allowances or charges, optionally of one VAT category and rate.
func (c *checker) sums(acs []allowanceCharge, charge bool, cat string, rate *decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for _, ac := range acs {
		if (strings.TrimSpace(ac.Charge) == "true") != charge {
			continue
		}
		if rate != nil {
			if ac.Category == nil || ac.Category.ID != cat {
				continue
			}
			if r, err := decimal.NewFromString(ac.Category.Percent); err != nil || !r.Equal(*rate) {
				continue
			}
		}
		a, _ := c.money("", "BR-DEC-01", "allowance or charge amount", ac.Amount)
		sum = sum.Add(a)
	}
	return sum
}

// roundedTo reports whether got is want rounded to two decimals, either way at a tie.
func roundedTo(got, want decimal.Decimal) bool {
	return got.Sub(want).Abs().LessThanOrEqual(decimal.New(5, -3))
}

func (c *checker) totals(d *document, lines []line, credit bool) {
	t := d.Totals
	if t == nil {
		t = &monetaryTotal{}
	}
	lineExt, okL := c.money("BR-12", "BR-DEC-09", "sum of line net amounts (BT-106)", t.LineExtension)
	taxExcl, okX := c.money("BR-13", "BR-DEC-12", "total without VAT (BT-109)", t.TaxExclusive)
	taxIncl, okI := c.money("BR-14", "BR-DEC-14", "total with VAT (BT-112)", t.TaxInclusive)
	payable, okP := c.money("BR-15", "BR-DEC-18", "amount due for payment (BT-115)", t.Payable)
	allowances, _ := c.money("", "BR-DEC-10", "sum of allowances (BT-107)", t.Allowances)
	charges, _ := c.money("", "BR-DEC-11", "sum of charges (BT-108)", t.Charges)
	prepaid, _ := c.money("", "BR-DEC-16", "paid amount (BT-113)", t.Prepaid)
	rounding, _ := c.money("", "BR-DEC-17", "rounding amount (BT-114)", t.Rounding)

	sum := decimal.Zero
	for _, l := range lines {
		if l.LineExtension != nil {
			n, _ := decimal.NewFromString(l.LineExtension.Value)
			sum = sum.Add(n)
		}
	}
	if okL && !lineExt.Equal(sum) {
		c.add("BR-CO-10", "sum of line net amounts is %s, the lines add up to %s", lineExt, sum)
	}
	if docA := c.sums(d.Charges, false, "", nil); !allowances.Equal(docA) {
		c.add("BR-CO-11", "sum of allowances is %s, the document allowances add up to %s", allowances, docA)
	}
	if docC := c.sums(d.Charges, true, "", nil); !charges.Equal(docC) {
		c.add("BR-CO-12", "sum of charges is %s, the document charges add up to %s", charges, docC)
	}
	if okL && okX && !taxExcl.Equal(lineExt.Sub(allowances).Add(charges)) {
		c.add("BR-CO-13", "total without VAT %s ≠ line total %s − allowances %s + charges %s", taxExcl, lineExt, allowances, charges)
	}

	var vat decimal.Decimal
	var sellerVAT, hasS bool = !blank(d.Seller.vatID()), false
	switch len(d.TaxTotals) {
	case 0:
		c.add("BR-CO-18", "no VAT breakdown (TaxTotal)")
	default:
		withSubtotals := 0
		for _, tt := range d.TaxTotals {
			if len(tt.Subtotals) == 0 {
				continue // a total in the tax currency (BT-111)
			}
			if withSubtotals++; withSubtotals == 2 {
				c.add("PEPPOL-EN16931-R053", "more than one tax total with a VAT breakdown")
			}
			v, ok := c.money("BR-CO-14", "BR-DEC-13", "total VAT (BT-110)", tt.TaxAmount)
			vat = v
			sub := decimal.Zero
			for _, s := range tt.Subtotals {
				base, okB := c.money("BR-45", "BR-DEC-19", "VAT category taxable amount (BT-116)", s.Taxable)
				tax, okT := c.money("BR-46", "BR-DEC-20", "VAT category tax amount (BT-117)", s.Tax)
				sub = sub.Add(tax)
				if s.Category == nil || blank(s.Category.ID) {
					c.add("BR-47", "a VAT breakdown has no category code (BT-118)")
					continue
				}
				if !vatCategories[s.Category.ID] {
					c.add("BR-CL-18", "VAT category %q is not in UNCL5305", s.Category.ID)
				}
				rate, okR := c.number("BR-48", "VAT category rate (BT-119)", s.Category.Percent)
				if !okB || !okT || !okR {
					continue
				}
				exact := base.Mul(rate).Div(hundred)
				if !roundedTo(tax, exact) {
					c.add("BR-CO-17", "VAT of category %s at %s%% is %s, %s × %s%% rounds to %s", s.Category.ID, rate, tax, base, rate, exact.Round(2))
				}
				if s.Category.ID == vatStandard {
					hasS = true
					c.standardRated(d, lines, credit, rate, base, tax, exact)
				}
			}
			if ok && !v.Equal(sub) {
				c.add("BR-CO-14", "total VAT %s, the VAT breakdown adds up to %s", v, sub)
			}
		}
	}
	for _, l := range lines {
		if l.Category != nil && l.Category.ID == vatStandard {
			if !hasS {
				c.add("BR-S-01", "standard rated lines but no standard rated VAT breakdown")
			}
			if !sellerVAT {
				c.add("BR-S-02", "standard rated lines but no seller VAT identifier (BT-31)")
			}
			break
		}
	}
	if okX && okI && !taxIncl.Equal(taxExcl.Add(vat)) {
		c.add("BR-CO-15", "total with VAT %s ≠ total without VAT %s + VAT %s", taxIncl, taxExcl, vat)
	}
	if okI && okP && !payable.Equal(taxIncl.Sub(prepaid).Add(rounding)) {
		c.add("BR-CO-16", "amount due %s ≠ total with VAT %s − paid %s + rounding %s", payable, taxIncl, prepaid, rounding)
	}
	if okP && payable.IsPositive() {
		due := d.DueDate
		if credit {
			for _, pm := range d.PaymentMeans {
				if !blank(pm.DueDate) {
					due = pm.DueDate
				}
			}
		}
		if blank(due) && len(d.PaymentTerms) == 0 {
			c.add("BR-CO-25", "amount due %s but neither a due date (BT-9) nor payment terms (BT-20)", payable)
		}
		if !blank(due) {
			c.date("BR-CO-25", "due date (BT-9)", due)
		}
	}
}

// standardRated checks one standard rated VAT breakdown against the lines (BR-S-08, BR-S-09).
func (c *checker) standardRated(d *document, lines []line, credit bool, rate, base, tax, exact decimal.Decimal) {
	sum := decimal.Zero
	for _, l := range lines {
		if l.Category == nil || l.Category.ID != vatStandard || l.LineExtension == nil {
			continue
		}
		if r, err := decimal.NewFromString(l.Category.Percent); err != nil || !r.Equal(rate) {
			continue
		}
		n, _ := decimal.NewFromString(l.LineExtension.Value)
		sum = sum.Add(n)
	}
	sum = sum.Add(c.sums(d.Charges, true, vatStandard, &rate)).Sub(c.sums(d.Charges, false, vatStandard, &rate))
	if !base.Equal(sum) {
		c.add("BR-S-08", "standard rated taxable amount at %s%% is %s, the lines at that rate add up to %s", rate, base, sum)
	}
	if !roundedTo(tax, exact) {
		c.add("BR-S-09", "standard rated VAT at %s%% is %s, %s × %s%% is %s", rate, tax, base, rate, exact.Round(2))
	}
}

func (c *checker) payment(d *document) {
	if len(d.PaymentMeans) == 0 {
		c.add("BR-49", "no payment instructions (BG-16)")
	}
	for _, pm := range d.PaymentMeans {
		if !c.present("BR-49", "payment means type code (BT-81)", pm.Code) {
			continue
		}
		if pm.Code != paymentSEPA {
			c.add("BR-CL-16", "payment means code %q: erekins uses %s (SEPA credit transfer)", pm.Code, paymentSEPA)
			continue
		}
		if pm.PayeeAccID == nil || blank(pm.PayeeAccID.ID) {
			c.add("BR-61", "SEPA credit transfer without the payee's account (BT-84)")
		} else if !validIBAN(pm.PayeeAccID.ID) {
			c.add("BR-61", "payee account %q is not a valid IBAN", pm.PayeeAccID.ID)
		}
	}
}

// validIBAN checks an IBAN's form and ISO 7064 mod 97 check digits.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !isCountry(s[:2]) {
		return false
	}
	r := s[4:] + s[:4]
	m := 0
	for i := 0; i < len(r); i++ {
		switch ch := r[i]; {
		case ch >= '0' && ch <= '9':
			m = (m*10 + int(ch-'0')) % 97
		case ch >= 'A' && ch <= 'Z':
			m = (m*100 + int(ch-'A'+10)) % 97
		default:
			return false
		}
	}
	return m == 1
}
