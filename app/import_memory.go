package app

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
)

// importMemoryLimit sets a soft memory limit (runtime/debug.SetMemoryLimit) for an import
// and returns the function that lifts it again. The dataset held in memory is most of the
// live heap, and reading it, checking the readings and inserting them make garbage fast:
// with the default GOGC the heap would grow to twice the dataset before the collector
// returns memory. The limit is importMemory while the file is read, then the live heap
// after reading with room for the work, if that is more, so a larger file gets a larger
// limit; the collector works harder near it and never fails for it. A limit the operator
// set (GOMEMLIMIT) is left alone. The limit is the process's: two imports at once in one
// process (which no command does) would share it.
func importMemoryLimit() (afterRead, restore func()) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}, func() {}
	}
	debug.SetMemoryLimit(importMemory)
	afterRead = func() {
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(live)
		if live[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(max(importMemory, int64(min(live[0].Value.Uint64(), math.MaxInt64/4))*8/5+64<<20))
		}
	}
	return afterRead, func() { debug.SetMemoryLimit(prev) }
}

// importMemory is the least memory limit of an import: a dataset of 100,000 contracts and
// 2.8 million readings imports within it (docs/performance.md).
const importMemory = 448 << 20
