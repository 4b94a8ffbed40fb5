package ubl

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
)

// Render writes an issued invoice or credit note as a UBL 2.1 Invoice or CreditNote
// following Peppol BIS Billing 3.0, with pdf (when not empty) embedded under pdfName.
//
// A credit note made from an invoice whose total came out negative (billing.Summarise) has
// no invoice to refer to: it carries no BillingReference, and its lines are already negated,
// so that positive credited amounts reduce what the buyer owes.
func Render(inv *billing.Invoice, pdf []byte, pdfName string) ([]byte, error) {
	if err := validate(inv); err != nil {
		return nil, err
	}
	credit := inv.Type == billing.TypeCreditNote
	root, lineTag, qtyTag, typeCode, ns := "Invoice", "cac:InvoiceLine", "cbc:InvoicedQuantity", typeInvoice, nsInvoice
	if credit {
		root, lineTag, qtyTag, typeCode, ns = "CreditNote", "cac:CreditNoteLine", "cbc:CreditedQuantity", typeCreditNote, nsCreditNote
	}
	t := textsFor(inv.Language)
	cur := inv.Currency

	w := &writer{b: make([]byte, 0, 8192+len(inv.Lines)*2400+base64Len(len(pdf))+len(pdfName))}
	w.b = append(w.b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<"...)
	w.b = append(w.b, root...)
	w.b = append(w.b, ` xmlns="`+ns+`" xmlns:cac="`+nsCAC+`" xmlns:cbc="`+nsCBC+`">`...)
	w.depth = 1

	w.elem("cbc:CustomizationID", CustomizationID)
	w.elem("cbc:ProfileID", ProfileID)
	w.elem("cbc:ID", inv.Number)
	w.date("cbc:IssueDate", inv.IssueDate)
	if !credit {
		w.date("cbc:DueDate", inv.DueDate)
		w.elem("cbc:InvoiceTypeCode", typeCode)
	} else {
		w.elem("cbc:CreditNoteTypeCode", typeCode)
	}
	w.opt("cbc:Note", documentNote(inv, t))
	w.elem("cbc:DocumentCurrencyCode", cur)

	w.open("cac:InvoicePeriod")
	w.date("cbc:StartDate", inv.Period.Start)
	w.date("cbc:EndDate", inv.Period.End)
	w.close("cac:InvoicePeriod")

	w.open("cac:OrderReference")
	w.elem("cbc:ID", inv.ContractNumber)
	w.close("cac:OrderReference")
	if !blank(inv.Corrects) {
		w.open("cac:BillingReference")
		w.open("cac:InvoiceDocumentReference")
		w.elem("cbc:ID", inv.Corrects)
		if !inv.CorrectsDate.IsZero() {
			w.date("cbc:IssueDate", inv.CorrectsDate)
		}
		w.close("cac:InvoiceDocumentReference")
		w.close("cac:BillingReference")
	}
	w.open("cac:ContractDocumentReference")
	w.elem("cbc:ID", inv.ContractNumber)
	w.close("cac:ContractDocumentReference")
	if len(pdf) > 0 {
		w.open("cac:AdditionalDocumentReference")
		w.elem("cbc:ID", inv.Number)
		w.elem("cbc:DocumentDescription", t.pdfDescription)
		w.open("cac:Attachment")
		w.binary("cbc:EmbeddedDocumentBinaryObject", mimePDF, pdfName, pdf)
		w.close("cac:Attachment")
		w.close("cac:AdditionalDocumentReference")
	}

	s := &inv.Supplier
	w.open("cac:AccountingSupplierParty")
	writeParty(w, partyData{s.PeppolID, s.RegistrationNumber, s.Name, s.Address, s.VATNumber, "", s.Phone, s.Email})
	w.close("cac:AccountingSupplierParty")
	c := &inv.Customer
	buyer := partyData{c.PeppolID, c.RegistrationNumber, c.Name, c.Address, c.VATNumber, "", "", ""}
	if len(c.Contacts) > 0 {
		buyer.contact, buyer.phone, buyer.email = c.Contacts[0].Name, c.Contacts[0].Phone, c.Contacts[0].Email
	}
	w.open("cac:AccountingCustomerParty")
	writeParty(w, buyer)
	w.close("cac:AccountingCustomerParty")

	w.open("cac:PaymentMeans")
	w.elemAttr("cbc:PaymentMeansCode", "name", "SEPA credit transfer", paymentSEPA)
	if credit {
		w.date("cbc:PaymentDueDate", inv.DueDate)
	}
	w.opt("cbc:PaymentID", inv.PaymentReference)
	w.open("cac:PayeeFinancialAccount")
	w.elem("cbc:ID", s.IBAN)
	w.opt("cbc:Name", s.Name)
	if !blank(s.BIC) {
		w.open("cac:FinancialInstitutionBranch")
		w.elem("cbc:ID", s.BIC)
		w.close("cac:FinancialInstitutionBranch")
	}
	w.close("cac:PayeeFinancialAccount")
	w.close("cac:PaymentMeans")

	due := string(appendDate(nil, inv.DueDate))
	terms := t.termsInvoice
	if credit {
		terms = t.termsCredit
	}
	w.open("cac:PaymentTerms")
	w.elem("cbc:Note", terms(inv.PaymentTermDays, due))
	w.close("cac:PaymentTerms")

	w.open("cac:TaxTotal")
	w.amount("cbc:TaxAmount", cur, inv.Totals.VAT)
	for _, v := range inv.VAT {
		w.open("cac:TaxSubtotal")
		w.amount("cbc:TaxableAmount", cur, v.Base)
		w.amount("cbc:TaxAmount", cur, v.Amount)
		writeTaxCategory(w, "cac:TaxCategory", v.Category, v.Rate)
		w.close("cac:TaxSubtotal")
	}
	w.close("cac:TaxTotal")

	w.open("cac:LegalMonetaryTotal")
	w.amount("cbc:LineExtensionAmount", cur, inv.Totals.Net)
	w.amount("cbc:TaxExclusiveAmount", cur, inv.Totals.Net)
	w.amount("cbc:TaxInclusiveAmount", cur, inv.Totals.Gross)
	w.amount("cbc:PayableAmount", cur, inv.Totals.Payable)
	w.close("cac:LegalMonetaryTotal")

	for i := range inv.Lines {
		writeLine(w, t, lineTag, qtyTag, cur, i+1, &inv.Lines[i])
	}
	w.depth = 0
	w.indent()
	w.b = append(w.b, "</"...)
	w.b = append(w.b, root...)
	w.b = append(w.b, ">\n"...)
	return w.b, nil
}

// documentNote is the one document-level note Peppol allows (BT-22): the correction and its
// reason, or why a credit note without a preceding invoice is one, and whether consumption
// was estimated.
func documentNote(inv *billing.Invoice, t *texts) string {
	var b []byte
	if !blank(inv.Corrects) {
		b = append(b, t.corrects...)
		b = append(b, inv.Corrects...)
		if !inv.CorrectsDate.IsZero() {
			b = append(b, " ("...)
			b = appendDate(b, inv.CorrectsDate)
			b = append(b, ')')
		}
		b = append(b, '.')
	} else if inv.Type == billing.TypeCreditNote {
		// A credit note the billing rules made from a negative invoice: nothing to refer
		// to, so say why it is a credit note.
		b = append(b, t.negative...)
		b = appendDate(b, inv.Period.Start)
		b = append(b, "–"...)
		b = appendDate(b, inv.Period.End)
		b = append(b, t.negativeEnd...)
	}
	if !blank(inv.Reason) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, inv.Reason...)
	}
	if inv.Estimated {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, t.estimatedDoc...)
	}
	return string(b)
}

type partyData struct {
	peppolID, regNo, name string
	addr                  billing.Address
	vat                   string
	contact, phone, email string
}

func writeParty(w *writer, p partyData) {
	w.open("cac:Party")
	scheme, endpoint, ok := splitPeppolID(p.peppolID)
	if !ok {
		scheme, endpoint = SchemeLVRegistration, p.regNo
	}
	w.elemAttr("cbc:EndpointID", "schemeID", scheme, endpoint)
	w.open("cac:PartyIdentification")
	w.elemAttr("cbc:ID", "schemeID", SchemeLVRegistration, p.regNo)
	w.close("cac:PartyIdentification")
	w.open("cac:PartyName")
	w.elem("cbc:Name", p.name)
	w.close("cac:PartyName")
	w.open("cac:PostalAddress")
	w.opt("cbc:StreetName", p.addr.Street)
	w.opt("cbc:CityName", p.addr.City)
	w.opt("cbc:PostalZone", p.addr.PostalCode)
	w.open("cac:Country")
	w.elem("cbc:IdentificationCode", p.addr.Country)
	w.close("cac:Country")
	w.close("cac:PostalAddress")
	if !blank(p.vat) {
		w.open("cac:PartyTaxScheme")
		w.elem("cbc:CompanyID", p.vat)
		w.open("cac:TaxScheme")
		w.elem("cbc:ID", taxSchemeVAT)
		w.close("cac:TaxScheme")
		w.close("cac:PartyTaxScheme")
	}
	w.open("cac:PartyLegalEntity")
	w.elem("cbc:RegistrationName", p.name)
	w.elemAttr("cbc:CompanyID", "schemeID", SchemeLVRegistration, p.regNo)
	w.close("cac:PartyLegalEntity")
	if !blank(p.contact) || !blank(p.phone) || !blank(p.email) {
		w.open("cac:Contact")
		w.opt("cbc:Name", p.contact)
		w.opt("cbc:Telephone", p.phone)
		w.opt("cbc:ElectronicMail", p.email)
		w.close("cac:Contact")
	}
	w.close("cac:Party")
}

func writeTaxCategory(w *writer, tag, category string, rate decimal.Decimal) {
	w.open(tag)
	w.elem("cbc:ID", category)
	w.number("cbc:Percent", rate)
	w.open("cac:TaxScheme")
	w.elem("cbc:ID", taxSchemeVAT)
	w.close("cac:TaxScheme")
	w.close(tag)
}

func writeLine(w *writer, t *texts, tag, qtyTag, cur string, n int, l *billing.Line) {
	w.open(tag)
	w.indent()
	w.b = append(w.b, "<cbc:ID>"...)
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.b = append(w.b, "</cbc:ID>"...)
	if l.Estimated {
		w.elem("cbc:Note", t.estimatedLine)
	}
	unit, _ := unitCode(l.Unit)
	w.startAttr(qtyTag, "unitCode", unit)
	w.b = appendDecimal(w.b, l.Quantity, -1)
	w.end(qtyTag)
	w.amount("cbc:LineExtensionAmount", cur, l.Net)
	w.open("cac:InvoicePeriod")
	w.date("cbc:StartDate", l.Period.Start)
	w.date("cbc:EndDate", l.Period.End)
	w.close("cac:InvoicePeriod")

	w.open("cac:Item")
	if !blank(l.MeteringPoint) {
		d := make([]byte, 0, 64)
		d = append(d, t.meteringPoint...)
		d = append(d, ' ')
		d = append(d, l.MeteringPoint...)
		if !blank(l.Register) {
			d = append(d, ", "...)
			d = append(d, t.registerInline...)
			d = append(d, ' ')
			d = append(d, l.Register...)
		}
		w.elem("cbc:Description", string(d))
	}
	w.elem("cbc:Name", l.Description)
	if !blank(l.Component) {
		w.open("cac:SellersItemIdentification")
		w.elem("cbc:ID", l.Component)
		w.close("cac:SellersItemIdentification")
	}
	writeTaxCategory(w, "cac:ClassifiedTaxCategory", l.VATCategory, l.VATRate)
	property(w, t.meteringPoint, l.MeteringPoint)
	property(w, t.register, l.Register)
	if l.PreviousReading != nil {
		property(w, t.previous, string(appendDecimal(nil, *l.PreviousReading, -1)))
	}
	if l.CurrentReading != nil {
		property(w, t.current, string(appendDecimal(nil, *l.CurrentReading, -1)))
	}
	if l.Multiplier != 0 {
		property(w, t.multiplier, strconv.Itoa(l.Multiplier))
	}
	w.close("cac:Item")

	w.open("cac:Price")
	w.startAttr("cbc:PriceAmount", "currencyID", cur)
	w.b = appendDecimal(w.b, l.UnitPrice, -1)
	w.end("cbc:PriceAmount")
	w.close("cac:Price")
	w.close(tag)
}

func property(w *writer, name, value string) {
	if blank(value) {
		return
	}
	w.open("cac:AdditionalItemProperty")
	w.elem("cbc:Name", name)
	w.elem("cbc:Value", value)
	w.close("cac:AdditionalItemProperty")
}

func base64Len(n int) int { return (n + 2) / 3 * 4 }

// validate refuses documents that cannot be valid whatever the renderer does: the fields
// EN 16931 makes mandatory and the codes this renderer can express.
func validate(inv *billing.Invoice) error {
	invalid := func(field, format string, args ...any) error {
		return billing.Errorf(billing.ErrInvalid, field, "render UBL of %s: "+format, append([]any{inv.Number}, args...)...)
	}
	switch {
	case inv.Type != billing.TypeInvoice && inv.Type != billing.TypeCreditNote:
		return invalid("type", "unknown document type %q", inv.Type)
	case blank(inv.Number):
		return invalid("number", "no document number")
	case inv.IssueDate.IsZero() || inv.DueDate.IsZero():
		return invalid("issue_date", "issue and due dates are required")
	case inv.Period.Start.IsZero() || inv.Period.End.IsZero():
		return invalid("period", "no billing period")
	case blank(inv.Currency):
		return invalid("currency", "no currency")
	case blank(inv.ContractNumber):
		return invalid("contract_number", "no contract number")
	case len(inv.Lines) == 0:
		return invalid("lines", "no lines")
	case blank(inv.Supplier.Name) || blank(inv.Supplier.RegistrationNumber) || blank(inv.Supplier.Address.Country):
		return invalid("supplier", "supplier name, registration number and country are required")
	case blank(inv.Supplier.VATNumber):
		return invalid("supplier.vat_number", "no supplier VAT number") // BR-S-02
	case blank(inv.Supplier.IBAN):
		return invalid("supplier.iban", "no IBAN for the SEPA credit transfer")
	case blank(inv.Customer.Name) || blank(inv.Customer.RegistrationNumber) || blank(inv.Customer.Address.Country):
		return invalid("customer", "customer name, registration number and country are required")
	}
	for i, l := range inv.Lines {
		if _, ok := unitCode(l.Unit); !ok {
			return invalid("lines", "line %d: unit %q has no UN/ECE code", i+1, l.Unit)
		}
		if blank(l.Description) || blank(l.VATCategory) {
			return invalid("lines", "line %d: description and VAT category are required", i+1)
		}
		if l.UnitPrice.IsNegative() {
			return invalid("lines", "line %d: negative unit price", i+1) // BR-27
		}
	}
	return nil
}
