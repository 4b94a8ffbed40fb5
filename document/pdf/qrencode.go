package pdf

import (
	"fmt"
	"math/bits"
	"sync"
)

// A small QR code encoder (ISO/IEC 18004) for what EPC069-12 needs: byte mode, error
// correction level M, versions 1 to 13 (331 bytes, the EPC limit). It replaces a general
// library that spent most of an invoice's rendering time on allocations; this one builds
// a symbol in a few tens of microseconds.

// qrVersion is the block structure of one version at level M.
type qrVersion struct {
	ec         int   // error correction codewords per block
	blocks     []int // data codewords of each block, shorter blocks first
	alignments []int // centre coordinates of the alignment patterns
}

var qrVersionsM = [...]qrVersion{
	1:  {10, []int{16}, nil},
	2:  {16, []int{28}, []int{6, 18}},
	3:  {26, []int{44}, []int{6, 22}},
	4:  {18, []int{32, 32}, []int{6, 26}},
	5:  {24, []int{43, 43}, []int{6, 30}},
	6:  {16, []int{27, 27, 27, 27}, []int{6, 34}},
	7:  {18, []int{31, 31, 31, 31}, []int{6, 22, 38}},
	8:  {22, []int{38, 38, 39, 39}, []int{6, 24, 42}},
	9:  {22, []int{36, 36, 36, 37, 37}, []int{6, 26, 46}},
	10: {26, []int{43, 43, 43, 43, 44}, []int{6, 28, 50}},
	11: {30, []int{50, 51, 51, 51, 51}, []int{6, 30, 54}},
	12: {22, []int{36, 36, 36, 36, 36, 36, 37, 37}, []int{6, 32, 58}},
	13: {22, []int{37, 37, 37, 37, 37, 37, 37, 37, 38}, []int{6, 34, 62}},
}

func (v qrVersion) dataCodewords() int {
	n := 0
	for _, b := range v.blocks {
		n += b
	}
	return n
}

// qrSymbol is a symbol being built: dark modules and which modules are function patterns.
type qrSymbol struct {
	size     int
	dark     []bool
	function []bool
}

func (s *qrSymbol) set(x, y int, dark bool) {
	s.dark[y*s.size+x] = dark
	s.function[y*s.size+x] = true
}

// qrEncode returns the modules of the smallest level-M symbol that holds data in byte
// mode, row by row, without the quiet zone.
func qrEncode(data []byte) ([][]bool, error) {
	ver := 0
	for v := 1; v < len(qrVersionsM); v++ {
		countBits := 8
		if v >= 10 {
			countBits = 16
		}
		if 4+countBits+8*len(data) <= 8*qrVersionsM[v].dataCodewords() {
			ver = v
			break
		}
	}
	if ver == 0 {
		return nil, fmt.Errorf("qr: %d bytes do not fit version 13-M", len(data))
	}
	v := qrVersionsM[ver]

	// Data codewords: mode, count, bytes, terminator, padding.
	var bits qrBits
	bits.append(0b0100, 4)
	if ver >= 10 {
		bits.append(uint32(len(data)), 16)
	} else {
		bits.append(uint32(len(data)), 8)
	}
	for _, b := range data {
		bits.append(uint32(b), 8)
	}
	capacity := 8 * v.dataCodewords()
	bits.append(0, min(4, capacity-bits.n))
	bits.append(0, (8-bits.n%8)%8)
	for pad := uint32(0xEC); bits.n < capacity; pad ^= 0xEC ^ 0x11 {
		bits.append(pad, 8)
	}

	// Error correction per block, then the blocks interleaved.
	divisor := rsDivisor(v.ec)
	var blocks, ecs [][]byte
	off := 0
	for _, n := range v.blocks {
		blk := bits.bytes[off : off+n]
		off += n
		blocks = append(blocks, blk)
		ecs = append(ecs, rsRemainder(blk, divisor))
	}
	codewords := make([]byte, 0, v.dataCodewords()+v.ec*len(v.blocks))
	for i := 0; i < v.blocks[len(v.blocks)-1]; i++ {
		for _, b := range blocks {
			if i < len(b) {
				codewords = append(codewords, b[i])
			}
		}
	}
	for i := 0; i < v.ec; i++ {
		for _, e := range ecs {
			codewords = append(codewords, e[i])
		}
	}

	size := 17 + 4*ver
	s := &qrSymbol{size: size, dark: make([]bool, size*size), function: make([]bool, size*size)}
	s.drawFunctionPatterns(ver, v.alignments)
	s.drawCodewords(codewords)

	// Mask selection: every mask is scored with its format information, on the unmasked
	// modules XOR the mask's cached pattern, and only the best is applied.
	masks := maskFlips(ver)
	flips := &masks.flips
	best, bestPenalty := 0, -1
	var scratch []bool
	var base, b qrLines
	if size <= qrBitsMax {
		base.build(s.dark, nil, size)
	}
	for mask := range 8 {
		s.drawFormat(mask)
		var p int
		if size <= qrBitsMax {
			// The masked lines are the unmasked ones XOR the mask's cached lines; only
			// row 8 and column 8, which hold the format information, are read again.
			fl := flips[mask]
			for i := range size {
				b.rows[i] = base.rows[i] ^ masks.lines[mask].rows[i]
				b.cols[i] = base.cols[i] ^ masks.lines[mask].cols[i]
			}
			for j := range size {
				b.set(j, 8, s.dark[8*size+j] != fl[8*size+j])
				b.set(8, j, s.dark[j*size+8] != fl[j*size+8])
			}
			p = b.penalty(size)
		} else {
			if scratch == nil {
				scratch = make([]bool, size*size)
			}
			s.applyMask(flips[mask])
			p = s.penalty(scratch)
			s.applyMask(flips[mask]) // undo: masking is an XOR
		}
		if bestPenalty < 0 || p < bestPenalty {
			best, bestPenalty = mask, p
		}
	}
	s.applyMask(flips[best])
	s.drawFormat(best)

	out := make([][]bool, size)
	for y := range size {
		out[y] = s.dark[y*size : (y+1)*size]
	}
	return out, nil
}

// qrBits is a big-endian bit buffer.
type qrBits struct {
	bytes []byte
	n     int
}

func (b *qrBits) append(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		if b.n%8 == 0 {
			b.bytes = append(b.bytes, 0)
		}
		if v>>uint(i)&1 == 1 {
			b.bytes[b.n/8] |= 0x80 >> uint(b.n%8)
		}
		b.n++
	}
}

func (s *qrSymbol) drawFunctionPatterns(ver int, align []int) {
	n := s.size
	for i := range n {
		s.set(6, i, i%2 == 0)
		s.set(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {n - 4, 3}, {3, n - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x < 0 || y < 0 || x >= n || y >= n {
					continue
				}
				d := max(abs(dx), abs(dy))
				s.set(x, y, d != 2 && d != 4)
			}
		}
	}
	k := len(align)
	for i := range k {
		for j := range k {
			if (i == 0 && j == 0) || (i == 0 && j == k-1) || (i == k-1 && j == 0) {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					s.set(align[i]+dx, align[j]+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	s.drawFormat(0) // reserve the format areas
	if ver >= 7 {
		rem := ver
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1F25
		}
		bits := ver<<12 | rem
		for i := range 18 {
			dark := bits>>uint(i)&1 == 1
			a, b := n-11+i%3, i/3
			s.set(a, b, dark)
			s.set(b, a, dark)
		}
	}
}

// drawFormat writes both copies of the format information (level M, mask) and the dark
// module.
func (s *qrSymbol) drawFormat(mask int) {
	data := 0b00<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>uint(i)&1 == 1 }
	n := s.size
	for i := 0; i <= 5; i++ {
		s.set(8, i, bit(i))
	}
	s.set(8, 7, bit(6))
	s.set(8, 8, bit(7))
	s.set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		s.set(14-i, 8, bit(i))
	}
	for i := range 8 {
		s.set(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		s.set(8, n-15+i, bit(i))
	}
	s.set(8, n-8, true)
}

// drawCodewords places the bits in the two-module-wide zigzag from the bottom right.
func (s *qrSymbol) drawCodewords(cw []byte) {
	n, i := s.size, 0
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := range n {
			for j := range 2 {
				x := right - j
				y := vert
				if (right+1)&2 == 0 {
					y = n - 1 - vert
				}
				if s.function[y*n+x] || i >= len(cw)*8 {
					continue
				}
				s.dark[y*n+x] = cw[i>>3]>>uint(7-i&7)&1 == 1
				i++
			}
		}
	}
}

// applyMask inverts the modules that flip (a maskFlips pattern) marks.
func (s *qrSymbol) applyMask(flip []bool) {
	for i, f := range flip {
		if f {
			s.dark[i] = !s.dark[i]
		}
	}
}

// qrMasks caches, per version, the modules each of the eight masks inverts: the mask
// patterns and the function patterns they skip depend only on the version.
var qrMasks [len(qrVersionsM)]qrMaskSet

type qrMaskSet struct {
	once  sync.Once
	flips [8][]bool
	lines [8]qrLines // the same as bits, for symbols of at most 64 modules a side
}

func maskFlips(ver int) *qrMaskSet {
	c := &qrMasks[ver]
	c.once.Do(func() {
		n := 17 + 4*ver
		s := &qrSymbol{size: n, dark: make([]bool, n*n), function: make([]bool, n*n)}
		s.drawFunctionPatterns(ver, qrVersionsM[ver].alignments)
		for mask := range 8 {
			f := make([]bool, n*n)
			for y := range n {
				for x := range n {
					f[y*n+x] = !s.function[y*n+x] && maskBit(mask, x, y)
				}
			}
			c.flips[mask] = f
			if n <= 64 {
				c.lines[mask].build(f, nil, n)
			}
		}
	})
	return c
}

// maskBit tells whether mask inverts the module at (x, y) (ISO/IEC 18004 table 10).
func maskBit(mask, x, y int) bool {
	switch mask {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	default:
		return ((x+y)%2+x*y%3)%2 == 0
	}
}

// qrBitsMax is the largest symbol scored as qrLines (a variable so that a test can
// compare with the module-by-module scoring).
var qrBitsMax = 64

// qrLines is a symbol of at most 64 modules a side as bits: each row and each column a
// uint64 whose bit i is module i. The penalty rules then take a handful of word operations
// per line instead of a loop per module.
type qrLines struct {
	rows, cols [64]uint64
}

// build sets the lines from modules (XOR flip, when given).
func (l *qrLines) build(dark, flip []bool, n int) {
	*l = qrLines{}
	for y := range n {
		var r uint64
		for x, d := range dark[y*n : (y+1)*n] {
			if flip != nil {
				d = d != flip[y*n+x]
			}
			if d {
				r |= 1 << uint(x)
				l.cols[x] |= 1 << uint(y)
			}
		}
		l.rows[y] = r
	}
}

// set makes the module at (x, y) dark or light.
func (l *qrLines) set(x, y int, dark bool) {
	if dark {
		l.rows[y] |= 1 << uint(x)
		l.cols[x] |= 1 << uint(y)
	} else {
		l.rows[y] &^= 1 << uint(x)
		l.cols[x] &^= 1 << uint(y)
	}
}

// penaltyBits is penalty for symbols of at most 64 modules a side (versions 1 to 11), on
// the modules masked by flip.
func (s *qrSymbol) penaltyBits(flip []bool) int {
	var l qrLines
	l.build(s.dark, flip, s.size)
	return l.penalty(s.size)
}

// penalty is qrSymbol.penalty on the lines of an n×n symbol.
func (l *qrLines) penalty(n int) int {
	rows, cols := &l.rows, &l.cols
	full := uint64(1)<<uint(n) - 1
	p, darkCount := 0, 0
	for i := range n {
		p += lineBitsPenalty(rows[i], full) + lineBitsPenalty(cols[i], full)
		darkCount += bits.OnesCount64(rows[i])
	}
	pairs := full >> 1 // the n-1 positions that have a right neighbour
	for y := 0; y+1 < n; y++ {
		r0, r1 := rows[y], rows[y+1]
		same := ^(r0 ^ r0>>1) & ^(r1 ^ r1>>1) & ^(r0 ^ r1) & pairs
		p += 3 * bits.OnesCount64(same)
	}
	total := n * n
	k := (abs(darkCount*20-total*10) + total - 1) / total
	return p + max(0, k-1)*10
}

// lineBitsPenalty is linePenalty of one row or column given as bits (within full).
func lineBitsPenalty(r, full uint64) int {
	// Runs: a run of L ≥ 5 scores L-2, that is one per five-module window inside it (L-4)
	// plus 2 for its first window.
	e := ^(r ^ r>>1) & (full >> 1) // module i has the colour of module i+1
	w5 := e & (e >> 1) & (e >> 2) & (e >> 3)
	p := bits.OnesCount64(w5) + 2*bits.OnesCount64(w5&^(e<<1))
	// Finder-like 1:1:3:1:1 starting at i, with modules i-4..i-1 or i+7..i+10 light
	// (outside the symbol is light: the shifts bring in zeros).
	c := ^r & full
	m := r & (c >> 1) & (r >> 2) & (r >> 3) & (r >> 4) & (c >> 5) & (r >> 6)
	before := ^(r<<1 | r<<2 | r<<3 | r<<4)
	after := ^(r>>7 | r>>8 | r>>9 | r>>10)
	return p + 40*bits.OnesCount64(m&(before|after))
}

// penalty scores a masked symbol by the four rules of ISO/IEC 18004 §7.8.3: runs of one
// colour, 2×2 blocks, finder-like patterns, and the balance of dark modules. Columns are
// scored on a transposed copy (t, n×n, reused across masks) so both passes read
// contiguous memory.
func (s *qrSymbol) penalty(t []bool) int {
	n, p, darkCount := s.size, 0, 0
	for y := range n {
		row := s.dark[y*n : (y+1)*n]
		for x, d := range row {
			t[x*n+y] = d
		}
	}
	for a := range n {
		p += linePenalty(s.dark[a*n : (a+1)*n])
		p += linePenalty(t[a*n : (a+1)*n])
	}
	for y := range n {
		row := s.dark[y*n : (y+1)*n]
		for _, d := range row {
			if d {
				darkCount++
			}
		}
		if y+1 == n {
			break
		}
		next := s.dark[(y+1)*n : (y+2)*n]
		for x := 0; x+1 < n; x++ {
			d := row[x]
			if d == row[x+1] && d == next[x] && d == next[x+1] {
				p += 3
			}
		}
	}
	total := n * n
	k := (abs(darkCount*20-total*10) + total - 1) / total
	return p + max(0, k-1)*10
}

// linePenalty scores one row or column: runs of five or more modules of one colour, and
// the 1:1:3:1:1 finder pattern with four light modules on either side (modules outside
// the symbol count as light). The finder test slides a 15-module window (4 + 7 + 4) over
// the line as bits.
func linePenalty(l []bool) int {
	n, p, run := len(l), 0, 1
	for i := 1; i <= n; i++ {
		if i < n && l[i] == l[i-1] {
			run++
			continue
		}
		if run >= 5 {
			p += run - 2
		}
		run = 1
	}
	const (
		core  = 0b1011101 << 4 // the 1:1:3:1:1 pattern in the middle of the window
		mid   = 0x7F << 4
		left  = 0xF << 11
		right = 0xF
	)
	var w uint32
	// Position q is the window's last module; the pattern then starts at q-10.
	for q := 0; q < n+4; q++ {
		w <<= 1
		if q < n && l[q] {
			w |= 1
		}
		w &= 0x7FFF
		start := q - 10
		if start < 0 || start+7 > n {
			continue
		}
		if w&mid == core && (w&left == 0 || w&right == 0) {
			p += 40
		}
	}
	return p
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// rsDivisor is the Reed–Solomon generator polynomial of the given degree over GF(256)
// with the QR polynomial 0x11D, highest coefficient (always 1) dropped.
func rsDivisor(degree int) []byte {
	r := make([]byte, degree)
	r[degree-1] = 1
	root := byte(1)
	for range degree {
		for j := range r {
			r[j] = gfMul(r[j], root)
			if j+1 < len(r) {
				r[j] ^= r[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return r
}

// rsRemainder is the error correction of data: the remainder of its division by divisor.
func rsRemainder(data, divisor []byte) []byte {
	r := make([]byte, len(divisor))
	for _, b := range data {
		f := b ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		for i, d := range divisor {
			r[i] ^= gfMul(d, f)
		}
	}
	return r
}

// gfMul multiplies in GF(256) with the QR polynomial, through logarithm tables.
func gfMul(x, y byte) byte {
	if x == 0 || y == 0 {
		return 0
	}
	return gfExp[int(gfLog[x])+int(gfLog[y])]
}

// gfExp[i] is 2^i (twice over, so sums of two logarithms need no reduction); gfLog is its
// inverse.
var gfExp, gfLog = func() (exp [510]byte, log [256]byte) {
	v := 1
	for i := range 255 {
		exp[i], exp[i+255] = byte(v), byte(v)
		log[v] = byte(i)
		v <<= 1
		if v&0x100 != 0 {
			v ^= 0x11D
		}
	}
	return
}()
