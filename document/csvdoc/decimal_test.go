package csvdoc

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestAppendFixed checks the integer fast path against decimal.StringFixed on the values
// billing produces and on arbitrary ones.
func TestAppendFixed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in     string
		places int32
		want   string
	}{
		{"0", 2, "0,00"},
		{"-0.05", 2, "-0,05"},
		{"-12.345", 3, "-12,345"},
		{"179.18", 2, "179,18"},
		{"179.1800", 2, "179,18"},
		{"12.5", 6, "12,500000"},
		{"0.00101", 6, "0,001010"},
		{"21", 2, "21,00"},
		{"1e3", 3, "1000,000"},
		{"999999999999999999.99", 2, "999999999999999999,99"},
		{"-123456789012345678901234567890.5", 3, "-123456789012345678901234567890,500"},
	} {
		got, err := appendFixed(nil, decimal.RequireFromString(tc.in), tc.places, ',')
		if err != nil || string(got) != tc.want {
			t.Errorf("appendFixed(%s, %d) = %q, %v; want %q", tc.in, tc.places, got, err, tc.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		d := decimal.New(rapid.Int64().Draw(t, "coefficient"), rapid.Int32Range(-12, 12).Draw(t, "exponent"))
		places := rapid.SampledFrom([]int32{2, 3, 6}).Draw(t, "places")
		got, err := appendFixed(nil, d, places, '.')
		if !d.Equal(d.Truncate(places)) {
			if err == nil {
				t.Fatalf("%s to %d places: no error", d, places)
			}
			return
		}
		if want := d.StringFixed(places); err != nil || string(got) != want {
			t.Fatalf("%s to %d places = %q, %v; want %q", d, places, got, err, want)
		}
	})
}
