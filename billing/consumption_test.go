package billing_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

func TestAdvance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		prev         billing.Reading
		lastActual   string
		value        string
		digits       int
		want         string
		wantRollover bool
		wantErr      bool
	}{
		{"a higher reading", actual("2026-10-28", "1000"), "1000", "1250.5", 6, "250.5", false, false},
		{"the same reading", actual("2026-10-28", "1000"), "1000", "1000", 6, "0", false, false},
		{"roll-over of a 6-digit register: 999900 to 120", actual("2026-10-28", "999900"), "999900", "120", 6, "220", true, false},
		{"roll-over just below 10% of the range", actual("2026-10-28", "950000"), "950000", "49999.999", 6, "99999.999", true, false},
		{"roll-over of exactly 10% of the range is rejected", actual("2026-10-28", "950000"), "950000", "50000", 6, "", false, true},
		{"a reading much lower than the previous one is rejected", actual("2026-10-28", "500000"), "500000", "400000", 6, "", false, true},
		{"a 5-digit register rolls over at 100000", actual("2026-10-28", "99950"), "99950", "30", 5, "80", true, false},
		{"a register of unknown size never rolls over", actual("2026-10-28", "500"), "500", "20", 0, "", false, true},
		{"lower than an estimate is accepted with negative consumption", estimated("2026-10-31", "1300"), "1000", "1200", 6, "-100", false, false},
		{"down to the last actual reading", estimated("2026-10-31", "1300"), "1000", "1000", 6, "-300", false, false},
		{"lower than the last actual reading under an estimate is rejected", estimated("2026-10-31", "1300"), "1000", "900", 6, "", false, true},
		{"higher than an estimate", estimated("2026-10-31", "1300"), "1000", "1450", 6, "150", false, false},
		{"the meter rolled over after an estimate", estimated("2026-10-31", "999990"), "999900", "30", 6, "40", true, false},
		{"an estimate that rolled over, the meter did too", estimated("2026-10-31", "50"), "999900", "80", 6, "30", false, false},
		{"an estimate that rolled over, the meter did not: negative", estimated("2026-10-31", "50"), "999900", "999950", 6, "-100", false, false},
		{"an estimate that rolled over, the meter a little less", estimated("2026-10-31", "50"), "999900", "30", 6, "-20", false, false},
		{"lastActual of an actual reading is the reading itself", actual("2026-10-28", "1000"), "0", "900", 6, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			adv, rollover, err := billing.Advance(tt.prev, dec(tt.lastActual), dec(tt.value), tt.digits)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Advance(%s → %s) = %s, want an error", tt.prev.Value, tt.value, adv)
				}
				if billing.ErrorCode(err) != billing.ErrInvalid {
					t.Errorf("error code = %q, want %q", billing.ErrorCode(err), billing.ErrInvalid)
				}
				if !strings.Contains(err.Error(), tt.value) {
					t.Errorf("error %q does not name the value", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Advance(%s → %s): %v", tt.prev.Value, tt.value, err)
			}
			if !adv.Equal(dec(tt.want)) || rollover != tt.wantRollover {
				t.Errorf("Advance(%s → %s) = %s, roll-over %v; want %s, %v", tt.prev.Value, tt.value, adv, rollover, tt.want, tt.wantRollover)
			}
		})
	}
}

func TestConsumption(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		advance    string
		multiplier int
		want       string
	}{
		{"multiplier 1", "250.5", 1, "250.5"},
		{"multiplier 40 (current transformer 200/5)", "12.345", 40, "493.8"},
		{"multiplier 40 on a roll-over", "220", 40, "8800"},
		{"negative consumption keeps its sign", "-100", 40, "-4000"},
		{"kWh to 3 decimals, half away from zero", "1.2345", 1, "1.235"},
		{"negative kWh to 3 decimals, half away from zero", "-1.2345", 1, "-1.235"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := billing.Consumption(dec(tt.advance), tt.multiplier); !got.Equal(dec(tt.want)) {
				t.Errorf("Consumption(%s × %d) = %s, want %s", tt.advance, tt.multiplier, got, tt.want)
			}
		})
	}
}

func TestRounding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		round func(decimal.Decimal) decimal.Decimal
		in    string
		want  string
	}{
		{"a half cent rounds up", billing.RoundMoney, "0.005", "0.01"},
		{"a negative half cent rounds away from zero", billing.RoundMoney, "-0.005", "-0.01"},
		{"just under a half cent rounds down", billing.RoundMoney, "0.004999", "0"},
		{"2.675 is exact in decimal (binary floating point gives 2.67)", billing.RoundMoney, "2.675", "2.68"},
		{"-2.675", billing.RoundMoney, "-2.675", "-2.68"},
		{"already two decimals", billing.RoundMoney, "12.50", "12.5"},
		{"half a watt-hour rounds up", billing.RoundQty, "0.0005", "0.001"},
		{"negative half a watt-hour rounds away from zero", billing.RoundQty, "-0.0005", "-0.001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.round(dec(tt.in)); !got.Equal(dec(tt.want)) {
				t.Errorf("round(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestImplausible(t *testing.T) {
	t.Parallel()
	months := func(vs ...string) []decimal.Decimal {
		out := make([]decimal.Decimal, len(vs))
		for i, v := range vs {
			out[i] = dec(v)
		}
		return out
	}
	tests := []struct {
		name        string
		consumption string
		history     []decimal.Decimal
		want        bool
		wantAvg     string
	}{
		{"above 3× the average of 3 months is detected", "301", months("100", "100", "100"), true, "100"},
		{"exactly 3× the average is accepted", "300", months("100", "100", "100"), false, "100"},
		{"below 3× the average", "250", months("90", "100", "110"), false, "100"},
		{"a year of history", "1500", months("400", "420", "380", "450", "500", "480", "400", "390", "410", "430", "470", "470"), true, "433.333"},
		{"not detected with fewer than 3 months", "10000", months("100", "100"), false, "0"},
		{"not detected with no history", "10000", nil, false, "0"},
		{"not detected when nothing was consumed", "10", months("0", "0", "0"), false, "0"},
		{"exactly 3× an average that does not round (4 = 3 × 4/3)", "4", months("1", "1", "2"), false, "1.333"},
		{"just above 3× an average that does not round", "4.001", months("1", "1", "2"), true, "1.333"},
	}
	r := billing.DefaultRules()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, avg := r.Implausible(dec(tt.consumption), tt.history)
			if got != tt.want || !avg.Equal(dec(tt.wantAvg)) {
				t.Errorf("Implausible(%s) = %v (average %s), want %v (average %s)", tt.consumption, got, avg, tt.want, tt.wantAvg)
			}
		})
	}
}

func TestImplausibleConfigurable(t *testing.T) {
	t.Parallel()
	r := billing.DefaultRules()
	r.PlausibilityFactor, r.PlausibilityMinimum = dec("2"), 1
	if got, _ := r.Implausible(dec("201"), []decimal.Decimal{dec("100")}); !got {
		t.Error("201 after one month of 100 is plausible with factor 2 and minimum 1")
	}
}
