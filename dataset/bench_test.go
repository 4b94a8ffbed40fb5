package dataset

import (
	"bytes"
	"testing"

	"github.com/erekins/erekins/calendar"
)

// BenchmarkLoad reads testdata/full.json with 10,000 readings: a year of monthly readings
// for about 800 registers.
func BenchmarkLoad(b *testing.B) {
	var readings []any
	day := calendar.MustDate("2000-01-31")
	for i := range 10000 {
		d := day.AddDays(i).String()
		readings = append(readings, map[string]any{
			"metering_point": "MP-000123", "register": "T1", "date": d, "value": "10500.5",
			"source": "import", "submitted_at": d + "T10:00:00+02:00",
		})
	}
	doc := mutate(b, readFile(b, "testdata/full.json"), set("readings", readings))
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, err := Load(bytes.NewReader(doc), fullKnown()); err != nil {
			b.Fatal(err)
		}
	}
}
