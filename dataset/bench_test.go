package dataset

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/pprof"
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

// BenchmarkLoadFile reads the file that EREKINS_BENCH_DATASET names (a large one from
// bench/gendata, say) with LoadCompact, and reports readings per second and the memory
// that the result holds.
func BenchmarkLoadFile(b *testing.B) {
	name := os.Getenv("EREKINS_BENCH_DATASET")
	if name == "" {
		b.Skip("EREKINS_BENCH_DATASET names no dataset file")
	}
	n := 0
	for b.Loop() {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		ds, err := LoadCompact(bufio.NewReaderSize(f, 1<<20), nil)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		n += ds.ReadingSet.Len()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-held")
		if name := os.Getenv("EREKINS_HEAP_PROFILE"); name != "" {
			f, err := os.Create(name)
			if err != nil {
				b.Fatal(err)
			}
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		runtime.KeepAlive(ds)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "readings/s")
}
