package ubl

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// appendDecimal appends d as decimal.Decimal.String would (no exponent, trailing zeros
// trimmed), or with exactly places decimals as StringFixed would when places ≥ 0. Values
// whose coefficient fits in 18 digits, all of ours, avoid math/big; others fall back.
func appendDecimal(b []byte, d decimal.Decimal, places int) []byte {
	exp := int(d.Exponent())
	if d.NumDigits() > 18 || exp > 0 || (places >= 0 && -exp > places) {
		if places >= 0 {
			return append(b, d.StringFixed(int32(places))...)
		}
		return append(b, d.String()...)
	}
	c := d.CoefficientInt64()
	if c == 0 {
		b = append(b, '0')
		if places > 0 {
			b = append(b, '.')
			for range places {
				b = append(b, '0')
			}
		}
		return b
	}
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var buf [24]byte
	digits := strconv.AppendInt(buf[:0], c, 10)
	frac := -exp
	if places < 0 { // trim trailing zeros of the fraction
		for frac > 0 && digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
			frac--
		}
	}
	if len(digits) <= frac { // 0.00ddd
		b = append(b, '0')
		if frac > 0 || places > 0 {
			b = append(b, '.')
		}
		for range frac - len(digits) {
			b = append(b, '0')
		}
		b = append(b, digits...)
	} else {
		b = append(b, digits[:len(digits)-frac]...)
		if frac > 0 || places > 0 {
			b = append(b, '.')
		}
		b = append(b, digits[len(digits)-frac:]...)
	}
	for range places - frac {
		b = append(b, '0')
	}
	return b
}
