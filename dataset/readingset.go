package dataset

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// ReadingSet holds the readings of a dataset compactly, about 40 bytes each instead of a
// few hundred for a Reading, so that a file of millions of readings fits in memory:
// metering points and registers are interned, dates are day numbers and values are
// integers with an exponent. A reading that does not fit that form (one with a problem of
// shape, say) is kept whole. LoadCompact returns one in Dataset.ReadingSet.
type ReadingSet struct {
	rows  rows
	regs  []billing.RegisterKey // interned (metering point, register), by row.reg
	mps   map[string]int32      // metering point → index into points
	point []pointRegs           // the registers of each metering point, interned
	bys   []string              // interned submitted_by; 0 is ""
	byIdx map[string]int32
	zones []*time.Location // interned UTC offsets of submitted_at
	zoneX map[int32]int16
	whole map[int32]Reading // readings that do not fit a row

	// Files list the registers in the same order month after month: after register r
	// comes next[r] as it did last time, which saves a map lookup.
	last int32
	next []int32

	groups []RegisterReadings // by register, built on first use
}

type pointRegs struct {
	code  string
	zones []string
	regs  []int32
}

// row is one reading in 32 bytes.
type row struct {
	mant  int64 // value = mant × 10^-scale
	at    int64 // submitted_at in Unix nanoseconds; noTime when absent
	reg   int32 // index into regs
	day   int32 // days since 1970-01-01; noDay when absent
	by    int32 // index into bys
	zone  int16 // index into zones; wholeRow when the reading is in ReadingSet.whole
	flags uint8 // scale (0–18), source index << 5, confirmed
}

const (
	noDay     = math.MinInt32
	noTime    = math.MinInt64
	wholeRow  = -1
	scaleMask = 0x1f
	srcShift  = 5
	confirmed = 0x80
)

func (rw *row) whole() bool     { return rw.zone == wholeRow }
func (rw *row) exp() int32      { return -int32(rw.flags & scaleMask) }
func (rw *row) src() int        { return int(rw.flags>>srcShift) & 3 }
func (rw *row) confirmed() bool { return rw.flags&confirmed != 0 }

// rows is a list of rows in chunks, which grows without copying.
type rows struct {
	chunks [][]row
	n      int
}

const chunkBits = 16

func (rs *rows) at(i int) *row { return &rs.chunks[i>>chunkBits][i&(1<<chunkBits-1)] }

func (rs *rows) add(rw row) {
	if rs.n>>chunkBits == len(rs.chunks) {
		rs.chunks = append(rs.chunks, make([]row, 0, 1<<chunkBits))
	}
	c := &rs.chunks[len(rs.chunks)-1]
	*c = append(*c, rw)
	rs.n++
}

// instantNanos is t in Unix nanoseconds; false when out of that range or zero.
func instantNanos(t time.Time) (int64, bool) {
	if t.IsZero() || t.Year() < 1700 || t.Year() > 2200 {
		return 0, false
	}
	return t.UnixNano(), true
}

// sources are the reading sources a row can hold, the default first.
var sources = []string{billing.SourceImport, billing.SourcePortal, billing.SourceAPI, billing.SourceOperator}

func newReadingSet() *ReadingSet {
	return &ReadingSet{
		mps:   make(map[string]int32),
		bys:   []string{""},
		byIdx: map[string]int32{"": 0},
		zoneX: make(map[int32]int16),
		whole: make(map[int32]Reading),
		last:  -1,
	}
}

// Len is the number of readings.
func (s *ReadingSet) Len() int {
	if s == nil {
		return 0
	}
	return s.rows.n
}

// At returns reading i, with its Index.
func (s *ReadingSet) At(i int) Reading {
	rw := s.rows.at(i)
	if rw.whole() {
		return s.whole[int32(i)]
	}
	k := s.regs[rw.reg]
	r := Reading{Index: i}
	r.MeteringPoint, r.Register = k.MeteringPoint, k.Register
	r.Date = dayDate(rw.day)
	r.Value = decimal.New(rw.mant, rw.exp())
	r.Source = sources[rw.src()]
	r.SubmittedBy = s.bys[rw.by]
	if rw.at != noTime {
		r.SubmittedAt = time.Unix(0, rw.at).In(s.zones[rw.zone])
	}
	r.Confirmed = rw.confirmed()
	return r
}

// All returns every reading in file order.
func (s *ReadingSet) All() []Reading {
	if s.Len() == 0 {
		return nil
	}
	out := make([]Reading, s.rows.n)
	for i := range out {
		out[i] = s.At(i)
	}
	return out
}

// Key returns the metering point and register of reading i.
func (s *ReadingSet) Key(i int) billing.RegisterKey { return s.regs[s.rows.at(i).reg] }

// Date returns the date of reading i.
func (s *ReadingSet) Date(i int) calendar.Date { return dayDate(s.rows.at(i).day) }

// MeteringPoints returns the codes of the metering points the readings name, in the order
// of their first reading.
func (s *ReadingSet) MeteringPoints() []string {
	if s == nil {
		return nil
	}
	out := make([]string, len(s.point))
	for i, p := range s.point {
		out[i] = p.code
	}
	return out
}

// RegisterReadings is the readings of one register, as indexes into the set, in the order
// the billing rules take them: by date, then by submission, then in file order.
type RegisterReadings struct {
	Key     billing.RegisterKey
	Indexes []int32
}

// ByRegister groups the readings by register, registers in the order of their first
// reading. The result is shared: do not change it.
func (s *ReadingSet) ByRegister() []RegisterReadings {
	if s == nil {
		return nil
	}
	if s.groups != nil || s.rows.n == 0 {
		return s.groups
	}
	// A counting sort by register keeps file order within a register; each register's few
	// readings are then sorted by date and submission.
	start := make([]int32, len(s.regs)+1)
	for i := range s.rows.n {
		start[s.rows.at(i).reg+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, s.rows.n)
	fill := slices.Clone(start[:len(s.regs)])
	for i := range s.rows.n {
		r := s.rows.at(i).reg
		order[fill[r]] = int32(i)
		fill[r]++
	}
	groups := make([]RegisterReadings, len(s.regs))
	for r := range s.regs {
		idx := order[start[r]:start[r+1]:start[r+1]]
		slices.SortStableFunc(idx, func(a, b int32) int {
			ra, rb := s.rows.at(int(a)), s.rows.at(int(b))
			return cmp.Or(cmp.Compare(ra.day, rb.day), cmp.Compare(ra.at, rb.at))
		})
		groups[r] = RegisterReadings{Key: s.regs[r], Indexes: idx}
	}
	s.groups = groups
	return groups
}

// intern returns the register index of (mp, zone), adding it when new. The []byte forms
// avoid an allocation when the pair is known.
func (s *ReadingSet) intern(mp, zone []byte) int32 {
	if s.last >= 0 && int(s.last) < len(s.next) {
		if n := s.next[s.last]; n >= 0 && s.regs[n].MeteringPoint == string(mp) && s.regs[n].Register == string(zone) {
			s.last = n
			return n
		}
	}
	reg := s.lookup(mp, zone)
	if s.last >= 0 && int(s.last) < len(s.next) {
		s.next[s.last] = reg
	}
	s.last = reg
	return reg
}

func (s *ReadingSet) lookup(mp, zone []byte) int32 {
	p, ok := s.mps[string(mp)]
	if !ok {
		p = int32(len(s.point))
		code := string(mp)
		s.mps[code] = p
		s.point = append(s.point, pointRegs{code: code})
	}
	pr := &s.point[p]
	for i, z := range pr.zones {
		if z == string(zone) {
			return pr.regs[i]
		}
	}
	z := string(zone)
	reg := int32(len(s.regs))
	s.regs = append(s.regs, billing.RegisterKey{MeteringPoint: pr.code, Register: z})
	s.next = append(s.next, -1)
	pr.zones = append(pr.zones, z)
	pr.regs = append(pr.regs, reg)
	return reg
}

func (s *ReadingSet) internBy(by []byte) int32 {
	if i, ok := s.byIdx[string(by)]; ok {
		return i
	}
	i := int32(len(s.bys))
	str := string(by)
	s.bys = append(s.bys, str)
	s.byIdx[str] = i
	return i
}

// internZone returns the index of the zone of t's offset; false when there are too many.
func (s *ReadingSet) internZone(t time.Time) (int16, bool) {
	_, off := t.Zone()
	if i, ok := s.zoneX[int32(off)]; ok {
		return i, true
	}
	if len(s.zones) >= math.MaxInt16 {
		return 0, false
	}
	i := int16(len(s.zones))
	loc := t.Location()
	if off == 0 {
		loc = time.UTC
	} else if loc == time.Local || loc == time.UTC {
		loc = time.FixedZone("", off)
	}
	s.zones = append(s.zones, loc)
	s.zoneX[int32(off)] = i
	return i, true
}

// addWhole adds a reading that does not fit a row.
func (s *ReadingSet) addWhole(r Reading) {
	i := int32(s.rows.n)
	r.Index = int(i)
	rw := row{reg: s.intern([]byte(r.MeteringPoint), []byte(r.Register)), day: dateDay(r.Date), zone: wholeRow, at: noTime}
	if !r.SubmittedAt.IsZero() {
		// Out of the range of Unix nanoseconds, an instant sorts as its nearest end.
		rw.at = r.SubmittedAt.UnixNano()
		if y := r.SubmittedAt.Year(); y < 1700 || y > 2200 {
			rw.at = math.MaxInt64
			if y < 1700 {
				rw.at = noTime + 1
			}
		}
	}
	s.rows.add(rw)
	s.whole[i] = r
}

func dateDay(d calendar.Date) int32 {
	if d.IsZero() {
		return noDay
	}
	return int32(d.Time().Unix() / 86400) // midnight UTC: a whole number of days
}

func dayDate(day int32) calendar.Date {
	if day == noDay {
		return calendar.Date{}
	}
	return calendar.NewDate(1970, time.January, 1+int(day))
}
