package ubl

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/shopspring/decimal"
)

// Finding is a broken rule: the official rule identifier (EN 16931 BR-…, Peppol
// PEPPOL-EN16931-…) and what is wrong.
type Finding struct {
	Rule    string
	Message string
}

func (f Finding) String() string { return f.Rule + ": " + f.Message }

// The model of a UBL Invoice or CreditNote that Check reads. UBL's aggregate (cac) and basic
// (cbc) components never share a local name, so fields match on local names; the root's
// namespace is checked separately.
type document struct {
	XMLName              xml.Name
	CustomizationID      string               `xml:"CustomizationID"`
	ProfileID            string               `xml:"ProfileID"`
	ID                   string               `xml:"ID"`
	IssueDate            string               `xml:"IssueDate"`
	DueDate              string               `xml:"DueDate"`
	InvoiceTypeCode      string               `xml:"InvoiceTypeCode"`
	CreditNoteTypeCode   string               `xml:"CreditNoteTypeCode"`
	Notes                []string             `xml:"Note"`
	DocumentCurrencyCode string               `xml:"DocumentCurrencyCode"`
	BuyerReference       string               `xml:"BuyerReference"`
	InvoicePeriod        []period             `xml:"InvoicePeriod"`
	OrderReference       *struct{ ID string } `xml:"OrderReference"`
	BillingReferences    []struct {
		ID string `xml:"InvoiceDocumentReference>ID"`
	} `xml:"BillingReference"`
	Attachments []struct {
		ID     string `xml:"ID"`
		Object *struct {
			MimeCode string `xml:"mimeCode,attr"`
			Filename string `xml:"filename,attr"`
		} `xml:"Attachment>EmbeddedDocumentBinaryObject"`
	} `xml:"AdditionalDocumentReference"`
	Seller       *party            `xml:"AccountingSupplierParty>Party"`
	Buyer        *party            `xml:"AccountingCustomerParty>Party"`
	PaymentMeans []paymentMeans    `xml:"PaymentMeans"`
	PaymentTerms []string          `xml:"PaymentTerms>Note"`
	Charges      []allowanceCharge `xml:"AllowanceCharge"`
	TaxTotals    []taxTotal        `xml:"TaxTotal"`
	Totals       *monetaryTotal    `xml:"LegalMonetaryTotal"`
	InvoiceLines []line            `xml:"InvoiceLine"`
	CreditLines  []line            `xml:"CreditNoteLine"`
}

type period struct {
	StartDate string `xml:"StartDate"`
	EndDate   string `xml:"EndDate"`
}

type idWithScheme struct {
	Value  string `xml:",chardata"`
	Scheme string `xml:"schemeID,attr"`
}

type party struct {
	EndpointID      *idWithScheme  `xml:"EndpointID"`
	Identifications []idWithScheme `xml:"PartyIdentification>ID"`
	Name            string         `xml:"PartyName>Name"`
	Address         *struct {
		Street  string `xml:"StreetName"`
		City    string `xml:"CityName"`
		Country string `xml:"Country>IdentificationCode"`
	} `xml:"PostalAddress"`
	TaxSchemes []struct {
		CompanyID string `xml:"CompanyID"`
		Scheme    string `xml:"TaxScheme>ID"`
	} `xml:"PartyTaxScheme"`
	RegistrationName string        `xml:"PartyLegalEntity>RegistrationName"`
	CompanyID        *idWithScheme `xml:"PartyLegalEntity>CompanyID"`
}

type paymentMeans struct {
	Code       string `xml:"PaymentMeansCode"`
	DueDate    string `xml:"PaymentDueDate"`
	PaymentID  string `xml:"PaymentID"`
	PayeeAccID *struct {
		ID string `xml:"ID"`
	} `xml:"PayeeFinancialAccount"`
}

type amount struct {
	Value    string `xml:",chardata"`
	Currency string `xml:"currencyID,attr"`
}

type taxCategory struct {
	ID      string `xml:"ID"`
	Percent string `xml:"Percent"`
	Scheme  string `xml:"TaxScheme>ID"`
}

type allowanceCharge struct {
	Charge   string       `xml:"ChargeIndicator"`
	Amount   *amount      `xml:"Amount"`
	Category *taxCategory `xml:"TaxCategory"`
}

type taxTotal struct {
	TaxAmount *amount `xml:"TaxAmount"`
	Subtotals []struct {
		Taxable  *amount      `xml:"TaxableAmount"`
		Tax      *amount      `xml:"TaxAmount"`
		Category *taxCategory `xml:"TaxCategory"`
	} `xml:"TaxSubtotal"`
}

type monetaryTotal struct {
	LineExtension *amount `xml:"LineExtensionAmount"`
	TaxExclusive  *amount `xml:"TaxExclusiveAmount"`
	TaxInclusive  *amount `xml:"TaxInclusiveAmount"`
	Allowances    *amount `xml:"AllowanceTotalAmount"`
	Charges       *amount `xml:"ChargeTotalAmount"`
	Prepaid       *amount `xml:"PrepaidAmount"`
	Rounding      *amount `xml:"PayableRoundingAmount"`
	Payable       *amount `xml:"PayableAmount"`
}

type quantity struct {
	Value string `xml:",chardata"`
	Unit  string `xml:"unitCode,attr"`
}

type line struct {
	ID            string            `xml:"ID"`
	Notes         []string          `xml:"Note"`
	Invoiced      *quantity         `xml:"InvoicedQuantity"`
	Credited      *quantity         `xml:"CreditedQuantity"`
	LineExtension *amount           `xml:"LineExtensionAmount"`
	Period        []period          `xml:"InvoicePeriod"`
	Charges       []allowanceCharge `xml:"AllowanceCharge"`
	ItemName      string            `xml:"Item>Name"`
	Category      *taxCategory      `xml:"Item>ClassifiedTaxCategory"`
	Price         *amount           `xml:"Price>PriceAmount"`
}

// Check parses a UBL 2.1 Invoice or CreditNote and returns the rules it breaks, of those
// erekins' documents touch; none for a valid document.
func Check(doc []byte) []Finding {
	c := &checker{}
	if empty, err := emptyElements(doc); err != nil {
		return []Finding{{"XML", "not well-formed: " + err.Error()}}
	} else {
		for _, name := range empty {
			c.add("PEPPOL-EN16931-R008", "empty element %s: documents must not contain empty elements", name)
		}
	}
	var d document
	if err := xml.Unmarshal(doc, &d); err != nil {
		return append(c.findings, Finding{"XML", "cannot read the document: " + err.Error()})
	}
	c.check(&d)
	return c.findings
}

// emptyElements lists the elements with neither child elements nor text (attributes do not
// count, as in the Peppol rule).
func emptyElements(doc []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	type open struct {
		name    string
		content bool
	}
	var stack []open
	var empty []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) > 0 {
				return empty, io.ErrUnexpectedEOF
			}
			return empty, nil
		}
		if err != nil {
			return empty, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				stack[len(stack)-1].content = true
			}
			stack = append(stack, open{name: t.Name.Local})
		case xml.CharData:
			if len(stack) > 0 && !blank(string(t)) {
				stack[len(stack)-1].content = true
			}
		case xml.EndElement:
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !top.content {
				empty = append(empty, top.name)
			}
		}
	}
}

type checker struct {
	findings []Finding
	currency string
}

func (c *checker) add(rule, format string, args ...any) {
	c.findings = append(c.findings, Finding{rule, fmt.Sprintf(format, args...)})
}

// present reports whether s is not blank, adding a finding for rule otherwise.
func (c *checker) present(rule, what, s string) bool {
	if blank(s) {
		c.add(rule, "%s is missing", what)
		return false
	}
	return true
}

// date parses an ISO date, adding a finding for rule when it is not one.
func (c *checker) date(rule, what, s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		c.add(rule, "%s %q is not a date YYYY-MM-DD", what, s)
		return t, false
	}
	return t, true
}

// money reads an amount: present (else a finding for missingRule when it is set), in the
// document currency (PEPPOL-EN16931-R051), with at most two decimals (decRule, when set).
func (c *checker) money(missingRule, decRule, what string, a *amount) (decimal.Decimal, bool) {
	if a == nil || blank(a.Value) {
		if missingRule != "" {
			c.add(missingRule, "%s is missing", what)
		}
		return decimal.Zero, false
	}
	if a.Currency != c.currency {
		c.add("PEPPOL-EN16931-R051", "%s is in %q, not the document currency %q", what, a.Currency, c.currency)
	}
	d, err := decimal.NewFromString(a.Value)
	if err != nil {
		c.add("UBL-DT-01", "%s %q is not a decimal number", what, a.Value)
		return decimal.Zero, false
	}
	if decRule != "" && d.Exponent() < -2 && !d.Equal(d.Round(2)) {
		c.add(decRule, "%s %s has more than 2 decimals", what, a.Value)
	}
	return d, true
}

func (c *checker) number(rule, what, s string) (decimal.Decimal, bool) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		c.add(rule, "%s %q is not a decimal number", what, s)
		return decimal.Zero, false
	}
	return d, true
}
