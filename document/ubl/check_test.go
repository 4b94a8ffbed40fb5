package ubl

import (
	"strings"
	"testing"

	"github.com/erekins/erekins/document/sample"
)

// rendered returns the sample case's document as a string.
func rendered(t *testing.T, name string) string {
	t.Helper()
	for _, c := range sample.Cases() {
		if c.Name == name {
			doc, err := Render(c.Invoice, testPDF, pdfName(c.Invoice))
			if err != nil {
				t.Fatal(err)
			}
			return string(doc)
		}
	}
	t.Fatalf("no sample case %q", name)
	return ""
}

// mutation replaces the first occurrence of old with new; the test fails if old is absent,
// so a row never passes vacuously.
type mutation struct{ old, new string }

func TestCheckFindsBrokenDocuments(t *testing.T) {
	invoice, credit := rendered(t, "single-rate"), rendered(t, "credit-note")
	tests := []struct {
		name   string
		credit bool
		rule   string
		muts   []mutation
	}{
		{"not XML", false, "XML", []mutation{{"</Invoice>", "</Invoic>"}}},
		{"wrong root", false, "UBL-ROOT", []mutation{{`xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"`, `xmlns="urn:example"`}}},
		{"empty element", false, "PEPPOL-EN16931-R008", []mutation{{"<cbc:CityName>Rīga</cbc:CityName>", "<cbc:CityName> </cbc:CityName>"}}},
		{"no customization", false, "BR-01", []mutation{{"<cbc:CustomizationID>" + CustomizationID + "</cbc:CustomizationID>", ""}}},
		{"other customization", false, "PEPPOL-EN16931-R004", []mutation{{"billing:3.0</cbc:CustomizationID>", "billing:2.0</cbc:CustomizationID>"}}},
		{"no profile", false, "PEPPOL-EN16931-R001", []mutation{{"<cbc:ProfileID>" + ProfileID + "</cbc:ProfileID>", ""}}},
		{"other profile", false, "PEPPOL-EN16931-R007", []mutation{{"billing:01:1.0", "billing:99:1.0"}}},
		{"no number", false, "BR-02", []mutation{{"<cbc:ID>ER-2026-000101</cbc:ID>\n  <cbc:IssueDate>", "<cbc:IssueDate>"}}},
		{"no issue date", false, "BR-03", []mutation{{"<cbc:IssueDate>2026-12-01</cbc:IssueDate>", ""}}},
		{"bad issue date", false, "BR-03", []mutation{{"<cbc:IssueDate>2026-12-01</cbc:IssueDate>", "<cbc:IssueDate>01.12.2026</cbc:IssueDate>"}}},
		{"no type code", false, "BR-04", []mutation{{"<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", ""}}},
		{"type code", false, "BR-CL-01", []mutation{{"<cbc:InvoiceTypeCode>380", "<cbc:InvoiceTypeCode>999"}}},
		{"credit type code", true, "BR-CL-01", []mutation{{"<cbc:CreditNoteTypeCode>381", "<cbc:CreditNoteTypeCode>380"}}},
		{"no currency", false, "BR-05", []mutation{{"<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>", ""}}},
		{"currency", false, "BR-CL-04", []mutation{{"<cbc:DocumentCurrencyCode>EUR", "<cbc:DocumentCurrencyCode>USD"}}},
		{"amount currency", false, "PEPPOL-EN16931-R051", []mutation{{`<cbc:PayableAmount currencyID="EUR"`, `<cbc:PayableAmount currencyID="USD"`}}},
		{"two notes", true, "PEPPOL-EN16931-R002", []mutation{{"<cbc:DocumentCurrencyCode>", "<cbc:Note>x</cbc:Note><cbc:DocumentCurrencyCode>"}}},
		{"no order reference", false, "PEPPOL-EN16931-R003", []mutation{{"<cac:OrderReference>\n    <cbc:ID>L-2025-0101</cbc:ID>\n  </cac:OrderReference>", ""}}},
		{"period reversed", false, "BR-CO-19", []mutation{{"<cbc:StartDate>2026-10-01", "<cbc:StartDate>2026-11-01"}}},
		{"no preceding invoice number", true, "BR-55", []mutation{{"<cbc:ID>ER-2026-000101</cbc:ID>\n      <cbc:IssueDate>", "<cbc:IssueDate>"}}},
		{"attachment mime", false, "PEPPOL-EN16931-CL001", []mutation{{`mimeCode="application/pdf"`, `mimeCode="application/zip"`}}},
		{"attachment filename", false, "UBL-DT-07", []mutation{{`filename="ER-2026-000101.pdf"`, ``}}},
		{"no seller name", false, "BR-06", []mutation{{"<cbc:RegistrationName>AS &quot;Demo Enerģija&quot;</cbc:RegistrationName>", ""}}},
		{"no buyer name", false, "BR-07", []mutation{{"<cbc:RegistrationName>SIA &quot;Kūdras Rūpnīca&quot;</cbc:RegistrationName>", ""}}},
		{"no seller address", false, "BR-08", []mutation{{"<cac:PostalAddress>", "<cac:PostalAddres>"}, {"</cac:PostalAddress>", "</cac:PostalAddres>"}}},
		{"no seller country", false, "BR-09", []mutation{{"<cac:Country>\n          <cbc:IdentificationCode>LV</cbc:IdentificationCode>\n        </cac:Country>", ""}}},
		{"bad seller country", false, "BR-CL-14", []mutation{{"<cbc:IdentificationCode>LV", "<cbc:IdentificationCode>Latvia"}}},
		{"no buyer address", false, "BR-10", []mutation{{"<cac:PostalAddress>\n        <cbc:StreetName>Brīvības", "<cac:PostalAddres>\n        <cbc:StreetName>Brīvības"}, {"</cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>LV40003012345", "</cac:PostalAddres>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>LV40003012345"}}},
		{"no buyer country", false, "BR-11", []mutation{{"LV-1010</cbc:PostalZone>\n        <cac:Country>\n          <cbc:IdentificationCode>LV</cbc:IdentificationCode>\n        </cac:Country>", "LV-1010</cbc:PostalZone>"}}},
		{"no seller endpoint", false, "PEPPOL-EN16931-R020", []mutation{{`<cbc:EndpointID schemeID="0218">40003000000</cbc:EndpointID>`, ""}}},
		{"no buyer endpoint", false, "PEPPOL-EN16931-R010", []mutation{{`<cbc:EndpointID schemeID="0218">40003012345</cbc:EndpointID>`, ""}}},
		{"no endpoint scheme", false, "BR-62", []mutation{{`<cbc:EndpointID schemeID="0218">40003000000`, `<cbc:EndpointID>40003000000`}}},
		{"endpoint scheme", false, "PEPPOL-EN16931-CL008", []mutation{{`<cbc:EndpointID schemeID="0218">40003012345`, `<cbc:EndpointID schemeID="0219">40003012345`}}},
		{"party id scheme", false, "BR-CL-10", []mutation{{`<cbc:ID schemeID="0218">40003000000`, `<cbc:ID schemeID="9939">40003000000`}}},
		{"legal id scheme", false, "BR-CL-11", []mutation{{`<cbc:CompanyID schemeID="0218">40003000000`, `<cbc:CompanyID schemeID="0092">40003000000`}}},
		{"VAT id prefix", false, "BR-CO-09", []mutation{{"<cbc:CompanyID>LV40003012345", "<cbc:CompanyID>40003012345"}}},
		{"no seller VAT id", false, "BR-S-02", []mutation{{"<cac:PartyTaxScheme>\n        <cbc:CompanyID>LV40003000000</cbc:CompanyID>\n        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n      </cac:PartyTaxScheme>", ""}}},
		{"no line id", false, "BR-21", []mutation{{"<cbc:ID>1</cbc:ID>", ""}}},
		{"duplicate line id", false, "BR-21", []mutation{{"<cbc:ID>2</cbc:ID>", "<cbc:ID>1</cbc:ID>"}}},
		{"two line notes", false, "UBL-SR-34", []mutation{{"<cbc:ID>1</cbc:ID>", "<cbc:ID>1</cbc:ID><cbc:Note>a</cbc:Note><cbc:Note>b</cbc:Note>"}}},
		{"no quantity", false, "BR-22", []mutation{{`<cbc:InvoicedQuantity unitCode="KWH">1234</cbc:InvoicedQuantity>`, ""}}},
		{"credit quantity as invoiced", true, "BR-22", []mutation{{`<cbc:CreditedQuantity unitCode="KWH">1234</cbc:CreditedQuantity>`, `<cbc:InvoicedQuantity unitCode="KWH">1234</cbc:InvoicedQuantity>`}}},
		{"no unit", false, "BR-23", []mutation{{`<cbc:InvoicedQuantity unitCode="KWH">`, `<cbc:InvoicedQuantity>`}}},
		{"unit code", false, "BR-CL-23", []mutation{{`unitCode="KWH"`, `unitCode="kWh"`}}},
		{"no line net", false, "BR-24", []mutation{{`<cbc:LineExtensionAmount currencyID="EUR">179.18</cbc:LineExtensionAmount>`, ""}}},
		{"line net decimals", false, "BR-DEC-23", []mutation{{`>179.18</cbc:LineExtensionAmount>`, `>179.181</cbc:LineExtensionAmount>`}}},
		{"no item name", false, "BR-25", []mutation{{"<cbc:Name>Elektroenerģija</cbc:Name>", ""}}},
		{"no price", false, "BR-26", []mutation{{`<cbc:PriceAmount currencyID="EUR">0.1452</cbc:PriceAmount>`, ""}}},
		{"negative price", false, "BR-27", []mutation{{`>0.1452</cbc:PriceAmount>`, `>-0.1452</cbc:PriceAmount>`}}},
		{"no line VAT category", false, "BR-CO-04", []mutation{{"<cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>", "<cac:ClassifiedTaxCategory>"}}},
		{"line VAT category", false, "BR-CL-18", []mutation{{"<cac:ClassifiedTaxCategory>\n        <cbc:ID>S</cbc:ID>", "<cac:ClassifiedTaxCategory>\n        <cbc:ID>X</cbc:ID>"}}},
		{"line period outside", false, "PEPPOL-EN16931-R111", []mutation{{"<cbc:EndDate>2026-10-31</cbc:EndDate>\n    </cac:InvoicePeriod>\n    <cac:Item>", "<cbc:EndDate>2026-11-30</cbc:EndDate>\n    </cac:InvoicePeriod>\n    <cac:Item>"}}},
		{"line total", false, "BR-CO-10", []mutation{{`<cbc:LineExtensionAmount currencyID="EUR">244.51`, `<cbc:LineExtensionAmount currencyID="EUR">244.50`}}},
		{"allowance total", false, "BR-CO-11", []mutation{{`<cbc:TaxInclusiveAmount`, `<cbc:AllowanceTotalAmount currencyID="EUR">1.00</cbc:AllowanceTotalAmount><cbc:TaxInclusiveAmount`}}},
		{"charge total", false, "BR-CO-12", []mutation{{`<cbc:TaxInclusiveAmount`, `<cbc:ChargeTotalAmount currencyID="EUR">1.00</cbc:ChargeTotalAmount><cbc:TaxInclusiveAmount`}}},
		{"total without VAT", false, "BR-CO-13", []mutation{{`<cbc:TaxExclusiveAmount currencyID="EUR">244.51`, `<cbc:TaxExclusiveAmount currencyID="EUR">244.52`}}},
		{"no total without VAT", false, "BR-13", []mutation{{`<cbc:TaxExclusiveAmount currencyID="EUR">244.51</cbc:TaxExclusiveAmount>`, ``}}},
		{"total VAT", false, "BR-CO-14", []mutation{{`<cbc:TaxAmount currencyID="EUR">51.35`, `<cbc:TaxAmount currencyID="EUR">51.36`}}},
		{"total with VAT", false, "BR-CO-15", []mutation{{`<cbc:TaxInclusiveAmount currencyID="EUR">295.86`, `<cbc:TaxInclusiveAmount currencyID="EUR">295.85`}}},
		{"no total with VAT", false, "BR-14", []mutation{{`<cbc:TaxInclusiveAmount currencyID="EUR">295.86</cbc:TaxInclusiveAmount>`, ``}}},
		{"amount due", false, "BR-CO-16", []mutation{{`<cbc:PayableAmount currencyID="EUR">295.86`, `<cbc:PayableAmount currencyID="EUR">295.87`}}},
		{"no amount due", false, "BR-15", []mutation{{`<cbc:PayableAmount currencyID="EUR">295.86</cbc:PayableAmount>`, ``}}},
		{"amount due decimals", false, "BR-DEC-18", []mutation{{`<cbc:PayableAmount currencyID="EUR">295.86`, `<cbc:PayableAmount currencyID="EUR">295.861`}}},
		{"line total absent", false, "BR-12", []mutation{{`<cbc:LineExtensionAmount currencyID="EUR">244.51</cbc:LineExtensionAmount>`, ``}}},
		{"subtotal VAT", false, "BR-CO-17", []mutation{{"<cbc:TaxAmount currencyID=\"EUR\">51.35</cbc:TaxAmount>\n      <cac:TaxCategory>", "<cbc:TaxAmount currencyID=\"EUR\">51.40</cbc:TaxAmount>\n      <cac:TaxCategory>"}}},
		{"standard rated VAT", false, "BR-S-09", []mutation{{"<cbc:TaxAmount currencyID=\"EUR\">51.35</cbc:TaxAmount>\n      <cac:TaxCategory>", "<cbc:TaxAmount currencyID=\"EUR\">51.40</cbc:TaxAmount>\n      <cac:TaxCategory>"}}},
		{"standard rated base", false, "BR-S-08", []mutation{{`<cbc:TaxableAmount currencyID="EUR">244.51`, `<cbc:TaxableAmount currencyID="EUR">244.00`}}},
		{"standard rated rate", false, "BR-S-08", []mutation{{"<cbc:Percent>21</cbc:Percent>", "<cbc:Percent>12</cbc:Percent>"}}},
		{"no VAT breakdown", false, "BR-S-01", []mutation{{"<cac:TaxSubtotal>", "<cac:TaxSubtota>"}, {"</cac:TaxSubtotal>", "</cac:TaxSubtota>"}}},
		{"two tax totals", false, "PEPPOL-EN16931-R053", []mutation{{"</cac:TaxTotal>", "</cac:TaxTotal>\n<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount><cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"EUR\">0.00</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>"}}},
		{"no due date or terms", false, "BR-CO-25", []mutation{{"<cbc:DueDate>2026-12-21</cbc:DueDate>", ""}, {"<cac:PaymentTerms>", "<cac:PaymentTerm>"}, {"</cac:PaymentTerms>", "</cac:PaymentTerm>"}}},
		{"credit: no due date or terms", true, "BR-CO-25", []mutation{{"<cbc:PaymentDueDate>2026-12-21</cbc:PaymentDueDate>", ""}, {"<cac:PaymentTerms>", "<cac:PaymentTerm>"}, {"</cac:PaymentTerms>", "</cac:PaymentTerm>"}}},
		{"no payment means", false, "BR-49", []mutation{{"<cac:PaymentMeans>", "<cac:PaymentMean>"}, {"</cac:PaymentMeans>", "</cac:PaymentMean>"}}},
		{"payment means code", false, "BR-CL-16", []mutation{{`name="SEPA credit transfer">58<`, `name="SEPA credit transfer">99<`}}},
		{"no IBAN", false, "BR-61", []mutation{{"<cbc:ID>LV80BANK0000435195001</cbc:ID>", ""}}},
		{"bad IBAN", false, "BR-61", []mutation{{"<cbc:ID>LV80BANK0000435195001</cbc:ID>", "<cbc:ID>LV81BANK0000435195001</cbc:ID>"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := invoice
			if tt.credit {
				doc = credit
			}
			for _, m := range tt.muts {
				if !strings.Contains(doc, m.old) {
					t.Fatalf("mutation target %q not in the document", m.old)
				}
				doc = strings.Replace(doc, m.old, m.new, 1)
			}
			findings := Check([]byte(doc))
			for _, f := range findings {
				if f.Rule == tt.rule {
					return
				}
			}
			t.Errorf("want a %s finding, got %v", tt.rule, findings)
		})
	}
}

func TestCheckFindsNoLines(t *testing.T) {
	doc := strings.ReplaceAll(rendered(t, "single-rate"), "cac:InvoiceLine>", "cac:Line>")
	found := false
	for _, f := range Check([]byte(doc)) {
		found = found || f.Rule == "BR-16"
	}
	if !found {
		t.Error("want a BR-16 finding for a document without lines")
	}
}

func TestCheckPassesSamples(t *testing.T) {
	for _, c := range sample.Cases() {
		if f := Check([]byte(rendered(t, c.Name))); len(f) > 0 {
			t.Errorf("%s: %v", c.Name, f)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	for iban, want := range map[string]bool{
		"LV80BANK0000435195001": true, "GB82WEST12345698765432": true,
		"LV80BANK0000435195002": false, "LV80": false, "lv80bank0000435195001": false,
	} {
		if got := validIBAN(iban); got != want {
			t.Errorf("validIBAN(%q) = %v, want %v", iban, got, want)
		}
	}
}
