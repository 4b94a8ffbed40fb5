package dataset

import (
	"math/big"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/erekins/erekins/billing"
)

var (
	registrationNumber = regexp.MustCompile(`^[0-9]{11}$`)
	latvianVAT         = regexp.MustCompile(`^LV[0-9]{11}$`)
	euVAT              = regexp.MustCompile(`^([A-Z]{2})[0-9A-Z]{2,13}$`)
	countryCode        = regexp.MustCompile(`^[A-Z]{2}$`)
	iban               = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[0-9A-Z]{11,30}$`)
	bic                = regexp.MustCompile(`^[A-Z]{4}[A-Z]{2}[0-9A-Z]{2}([0-9A-Z]{3})?$`)
	latvianPostalCode  = regexp.MustCompile(`^LV-[0-9]{4}$`)
	peppolID           = regexp.MustCompile(`^[0-9]{4}:[0-9A-Za-z.:_-]{1,50}$`)
)

// euVATPrefixes are the VAT number prefixes of the EU member states (Greece is EL) and XI,
// Northern Ireland, which VIES also answers for.
var euVATPrefixes = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true,
	"EE": true, "EL": true, "ES": true, "FI": true, "FR": true, "HR": true, "HU": true,
	"IE": true, "IT": true, "LT": true, "LU": true, "LV": true, "MT": true, "NL": true,
	"PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true, "XI": true,
}

// vatNumberProblem says what is wrong with a VAT number, "" when nothing is.
func vatNumberProblem(s string) string {
	if strings.HasPrefix(s, "LV") {
		if !latvianVAT.MatchString(s) {
			return "a Latvian VAT number is LV followed by 11 digits"
		}
		return ""
	}
	if m := euVAT.FindStringSubmatch(s); m == nil || !euVATPrefixes[m[1]] {
		return "must be an EU VAT number: a country prefix such as LV, LT or EE (EL for Greece) and 2–13 capitals or digits, no spaces"
	}
	return ""
}

// emailProblem says what is wrong with an e-mail address, "" when nothing is. A bare
// address is required (no display name, no spaces) whose domain has a dot.
func emailProblem(s string) string {
	if s == "" {
		return "required"
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "not a valid e-mail address (give a bare address such as name@example.lv)"
	}
	at := strings.LastIndexByte(s, '@')
	if domain := s[at+1:]; !strings.Contains(domain, ".") || strings.HasPrefix(domain, "[") {
		return "the e-mail domain must be a name such as example.lv"
	}
	return ""
}

// ibanValid checks the format and the ISO 13616 check digits.
func ibanValid(s string) bool {
	if !iban.MatchString(s) {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' && r <= 'Z' {
			digits.WriteString(strconv.Itoa(int(r-'A') + 10))
		} else {
			digits.WriteRune(r)
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

func websiteValid(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// textProblem says what is wrong with a required text, "" when nothing is.
func textProblem(s string) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "required"
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "must not hold control characters (line breaks, tabs)"
	}
	return ""
}

// maxKeyLen bounds codes and numbers that identify records.
const maxKeyLen = 64

// keyProblem says what is wrong with a natural key (a code or number), "" when nothing is.
func keyProblem(s string) string {
	switch {
	case s == "":
		return "required"
	case strings.TrimSpace(s) != s:
		return "must not start or end with spaces"
	case len(s) > maxKeyLen:
		return "must be at most 64 characters"
	case strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "must hold only printable characters"
	}
	return ""
}

// addressProblems checks an address, calling fail(field, message) per problem.
func addressProblems(a billing.Address, path string, fail func(field, msg string)) {
	if a == (billing.Address{}) {
		fail(path, "required: street, city, postal_code and country")
		return
	}
	for _, f := range []struct{ name, value string }{
		{"street", a.Street}, {"city", a.City}, {"postal_code", a.PostalCode},
	} {
		if p := textProblem(f.value); p != "" {
			fail(join(path, f.name), p)
		}
	}
	switch {
	case a.Country == "":
		fail(join(path, "country"), "required")
	case !countryCode.MatchString(a.Country):
		fail(join(path, "country"), "must be a two-letter ISO 3166 country code in capitals, such as LV")
	case a.Country == "LV" && a.PostalCode != "" && !latvianPostalCode.MatchString(a.PostalCode):
		fail(join(path, "postal_code"), "a Latvian postal code is LV- and 4 digits, such as LV-1010")
	}
}
