package ubl

import (
	"strings"

	"github.com/erekins/erekins/billing"
)

// Specification identifiers of Peppol BIS Billing 3.0 (BT-24, BT-23).
const (
	CustomizationID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	ProfileID       = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
)

// Identifier schemes for Latvian parties. 0218 is "Unified registration number (Latvia)" in
// both the ISO 6523 ICD list (party and legal identifiers) and the Peppol EAS list (electronic
// addresses); 9939 is "Latvia VAT number" in the EAS list only. A party's electronic address
// defaults to 0218 and its registration number, the identifier under which Latvian companies
// are registered in Peppol and the state e-address; a configured Peppol id takes precedence.
const (
	SchemeLVRegistration = "0218"
	SchemeLVVAT          = "9939"
)

// Codes erekins uses from the EN 16931 code lists.
const (
	typeInvoice      = "380" // UNCL1001 commercial invoice
	typeCreditNote   = "381" // UNCL1001 credit note
	paymentSEPA      = "58"  // UNCL4461 SEPA credit transfer
	vatStandard      = "S"   // UNCL5305 standard rate
	taxSchemeVAT     = "VAT"
	mimePDF          = "application/pdf"
	unitKWh, unitMon = "KWH", "MON" // UN/ECE Recommendation 20
)

// unitCode maps a billing unit to its UN/ECE Recommendation 20 code.
func unitCode(u string) (string, bool) {
	switch u {
	case billing.UnitKWh:
		return unitKWh, true
	case billing.UnitMonth:
		return unitMon, true
	}
	return "", false
}

// easCodes is the Peppol Electronic Address Scheme list of Peppol BIS Billing 3.0.19
// (rules/sch/PEPPOL-EN16931-UBL.sch, variable eaid).
var easCodes = setOf(`0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0151 0177
	0183 0184 0188 0190 0191 0192 0193 0195 0196 0198 0199 0200 0201 0202 0204 0208 0209 0210
	0211 0212 0213 0215 0216 0218 0221 0230 0235 9910 9913 9914 9915 9918 9919 9920 9922 9923
	9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939 9940 9941
	9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 0147 0154 0158 0170
	0194 0203 0205 0217 0225 0240`)

// validICD reports whether s is in the ISO 6523 ICD list as Peppol BIS 3.0.19 carries it:
// 0002 to 0240 without 0092, 0103, 0181 and 0182.
func validICD(s string) bool {
	if len(s) != 4 {
		return false
	}
	n := 0
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int(s[i]-'0')
	}
	switch n {
	case 92, 103, 181, 182:
		return false
	}
	return n >= 2 && n <= 240
}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, f := range strings.Fields(s) {
		m[f] = true
	}
	return m
}

// splitPeppolID splits a Peppol participant id ("0218:40003012345", optionally prefixed by
// the identifier scheme "iso6523-actorid-upis::") into its EAS code and identifier.
func splitPeppolID(id string) (scheme, value string, ok bool) {
	id = strings.TrimSpace(id)
	id = strings.TrimPrefix(id, "iso6523-actorid-upis::")
	scheme, value, ok = strings.Cut(id, ":")
	if !ok || !easCodes[scheme] || strings.TrimSpace(value) == "" {
		return "", "", false
	}
	return scheme, strings.TrimSpace(value), true
}
