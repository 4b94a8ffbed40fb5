package pdf

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// Payment is what a SEPA credit transfer QR code carries.
type Payment struct {
	BIC       string // optional in version 002 inside the EEA
	Name      string // beneficiary, at most 70 characters (longer names are cut)
	IBAN      string
	Amount    decimal.Decimal // euro, 0.01 to 999999999.99
	Reference string          // ISO 11649 creditor reference ("RF…")
}

// ErrNoQR reports a payment that no QR code can carry, such as a zero amount.
var ErrNoQR = errors.New("no payment QR code")

// EPCPayload is the text of the European Payments Council QR code (EPC069-12, version 002,
// UTF-8, SEPA credit transfer) for p: "BCD", "002", "1", "SCT", BIC, name, IBAN,
// "EUR" amount, an empty purpose and the structured reference, one per line.
func EPCPayload(p Payment) (string, error) {
	amount := p.Amount.Round(2)
	if amount.LessThan(decimal.New(1, -2)) || amount.GreaterThan(decimal.RequireFromString("999999999.99")) {
		return "", fmt.Errorf("%w: amount %s is outside 0.01 to 999999999.99", ErrNoQR, p.Amount)
	}
	name := strings.Join(strings.Fields(p.Name), " ")
	if name == "" {
		return "", fmt.Errorf("%w: no beneficiary name", ErrNoQR)
	}
	if utf8.RuneCountInString(name) > 70 {
		name = string([]rune(name)[:70])
	}
	account := strings.ToUpper(strings.ReplaceAll(p.IBAN, " ", ""))
	if !validMod97(account, 15, 34) {
		return "", fmt.Errorf("%w: invalid IBAN %q", ErrNoQR, p.IBAN)
	}
	bic := strings.ToUpper(strings.TrimSpace(p.BIC))
	if bic != "" && len(bic) != 8 && len(bic) != 11 {
		return "", fmt.Errorf("%w: invalid BIC %q", ErrNoQR, p.BIC)
	}
	ref := strings.ToUpper(strings.ReplaceAll(p.Reference, " ", ""))
	if !strings.HasPrefix(ref, "RF") || !validMod97(ref, 5, 25) {
		return "", fmt.Errorf("%w: invalid creditor reference %q", ErrNoQR, p.Reference)
	}
	return strings.Join([]string{"BCD", "002", "1", "SCT", bic, name, account, "EUR" + amount.StringFixed(2), "", ref}, "\n"), nil
}

// validMod97 checks an IBAN or an RF creditor reference: letters and digits, length in
// range, and the ISO 7064 check (the first four characters moved to the end, letters as
// numbers 10 to 35, remainder 1 modulo 97).
func validMod97(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// qrModules encodes payload at error correction level M, as EPC069-12 asks, without the
// quiet zone (the layout leaves white space around it).
func qrModules(payload string) ([][]bool, error) { return qrEncode([]byte(payload)) }

// drawQR draws the modules as vector squares of side size at (x, y): sharp at any print
// resolution, and no image to encode. A transformation makes one unit one module, so the
// squares are small integers, and all of them are one path filled once, which leaves no
// seams between neighbouring modules.
func (d *doc) drawQR(m [][]bool, x, y, size float64) {
	n := len(m)
	if n == 0 {
		return
	}
	if d.pdf.page == 0 {
		return
	}
	u := size / float64(n) * k
	p := d.pdf.cur()
	buf := append(*p, "q 0 g "...)
	for _, v := range [6]float64{u, 0, 0, u, x * k, (pageH - y - size) * k} {
		buf = strconv.AppendFloat(buf, v, 'f', 4, 64)
		buf = append(buf, ' ')
	}
	buf = append(buf, "cm\n"...)
	for i, line := range m {
		for j := 0; j < n; {
			if !line[j] {
				j++
				continue
			}
			e := j
			for e < n && line[e] {
				e++
			}
			buf = strconv.AppendInt(buf, int64(j), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(n-1-i), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(e-j), 10)
			buf = append(buf, " 1 re\n"...)
			j = e
		}
	}
	*p = append(buf, "f Q\n"...)
}
