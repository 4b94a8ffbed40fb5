package billing

import (
	"fmt"
	"math/big"
	"strings"
)

// PaymentReference is the ISO 11649 structured creditor reference (RF) of a document
// number: "RF", two check digits, and the number's letters and digits. Banks and the SEPA
// payment QR code carry it, so a payment finds its invoice.
func PaymentReference(number string) string {
	var ref strings.Builder
	for _, r := range strings.ToUpper(number) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			ref.WriteRune(r)
		}
	}
	body := ref.String()
	var digits strings.Builder
	for _, r := range body + "RF00" {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	check := 98 - new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("RF%02d%s", check, body)
}
