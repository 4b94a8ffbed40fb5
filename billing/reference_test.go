package billing_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
)

func TestPaymentReference(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		number string
		want   string
	}{
		{"the ISO 11649 example", "539007547034", "RF18539007547034"},
		{"an invoice number drops its dashes", "ER-2026-000001", "RF32ER2026000001"},
		{"a credit note number", "KR-2026-000042", "RF40KR2026000042"},
		{"lower case is upper-cased", "kr-2026-000042", "RF40KR2026000042"},
		{"a single letter", "A", "RF25A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := billing.PaymentReference(tt.number)
			if got != tt.want {
				t.Errorf("PaymentReference(%q) = %q, want %q", tt.number, got, tt.want)
			}
			if !validRF(got) {
				t.Errorf("%q fails the ISO 11649 check", got)
			}
		})
	}
}

// validRF checks an RF reference the way a bank does: move the first four characters to the
// end, turn letters into numbers (A = 10), and the result mod 97 must be 1.
func validRF(ref string) bool {
	if len(ref) < 5 || len(ref) > 25 || !strings.HasPrefix(ref, "RF") {
		return false
	}
	var b strings.Builder
	for _, r := range ref[4:] + ref[:4] {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteString(big.NewInt(int64(r - 'A' + 10)).String())
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(b.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}
