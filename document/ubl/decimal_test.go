package ubl

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestAppendDecimalMatchesDecimal(t *testing.T) {
	for _, s := range []string{"0", "0.00", "-0.5", "12.5", "12.50", "0.145200", "0.00101", "1234", "-1234.560", "100", "1e3", "0.001", "-0.001", "123456789012345678901234.5"} {
		d := decimal.RequireFromString(s)
		if got, want := string(appendDecimal(nil, d, -1)), d.String(); got != want {
			t.Errorf("%s: got %q, want String() %q", s, got, want)
		}
		if got, want := string(appendDecimal(nil, d, 2)), d.StringFixed(2); got != want {
			t.Errorf("%s: got %q, want StringFixed(2) %q", s, got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		d := decimal.New(rapid.Int64().Draw(t, "coefficient"), int32(rapid.IntRange(-8, 2).Draw(t, "exponent")))
		if got, want := string(appendDecimal(nil, d, -1)), d.String(); got != want {
			t.Fatalf("%s: got %q", want, got)
		}
		if got, want := string(appendDecimal(nil, d, 2)), d.StringFixed(2); got != want {
			t.Fatalf("fixed %s: got %q", want, got)
		}
	})
}
