package pdf

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendFixed2 checks the coordinate formatting against strconv.
func TestAppendFixed2(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), -0.001, 0.005, 0.015, 0.125, 1.005, 2.675, 595.28, 841.89, 99.995,
		-12.345, 1e8, 1e12, math.Inf(1), math.NaN(), 0.57, 0.567, 296.99}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		vals = append(vals, (rnd.Float64()-0.2)*1000, float64(rnd.IntN(100000))/1000, float64(rnd.IntN(1000000))/200)
	}
	for _, v := range vals {
		if got, want := string(appendFixed2(nil, v)), strconv.FormatFloat(v, 'f', 2, 64); got != want {
			t.Fatalf("%v: %s, want %s", v, got, want)
		}
	}
}
