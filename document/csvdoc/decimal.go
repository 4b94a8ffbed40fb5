package csvdoc

import (
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// pow10 holds the powers of ten that fit an int64.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// appendFixed appends d with exactly places decimals (0 < places ≤ 18) and sep as the
// decimal separator. A value with more significant decimals than places is an error: a
// document never rounds what billing computed.
func appendFixed(dst []byte, d decimal.Decimal, places int32, sep byte) ([]byte, error) {
	if err := checkPlaces(d, places); err != nil {
		return dst, err
	}
	if u, neg, ok := scaled(d, places); ok {
		if neg {
			dst = append(dst, '-')
		}
		dst = strconv.AppendInt(dst, u/pow10[places], 10)
		dst = append(dst, sep)
		frac := u % pow10[places]
		for p := places - 1; p > 0 && frac < pow10[p]; p-- {
			dst = append(dst, '0')
		}
		return strconv.AppendInt(dst, frac, 10), nil
	}
	s := d.StringFixed(places)
	n := len(dst)
	dst = append(dst, s...)
	for i := len(dst) - 1; i >= n; i-- {
		if dst[i] == '.' {
			dst[i] = sep
			break
		}
	}
	return dst, nil
}

// scaled is |d| × 10^places as an int64 and d's sign, when d has at most places decimals
// and the result fits; ok is false when the slow path must be taken.
func scaled(d decimal.Decimal, places int32) (u int64, neg, ok bool) {
	digits := d.NumDigits() // does not allocate for an int64 coefficient
	if digits > 18 {
		return 0, false, false
	}
	c, shift := d.CoefficientInt64(), d.Exponent()+places
	if c < 0 {
		c, neg = -c, true
	}
	switch {
	case shift >= 0:
		if int32(digits)+shift > 18 {
			return 0, false, false
		}
		return c * pow10[shift], neg, true
	case -shift <= 18 && c%pow10[-shift] == 0:
		return c / pow10[-shift], neg, true
	}
	return 0, false, false
}

// checkPlaces reports an error if d has more significant decimals than places.
func checkPlaces(d decimal.Decimal, places int32) error {
	if d.Exponent() >= -places || d.Truncate(places).Equal(d) {
		return nil
	}
	return fmt.Errorf("%s has more than %d decimal places", d, places)
}
