package pdf

import "fmt"

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

	best, bestPenalty := 0, -1
	for mask := range 8 {
		s.applyMask(mask)
		s.drawFormat(mask)
		if p := s.penalty(); bestPenalty < 0 || p < bestPenalty {
			best, bestPenalty = mask, p
		}
		s.applyMask(mask) // undo: masking is an XOR
	}
	s.applyMask(best)
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

func (s *qrSymbol) applyMask(mask int) {
	n := s.size
	for y := range n {
		for x := range n {
			if s.function[y*n+x] {
				continue
			}
			var inv bool
			switch mask {
			case 0:
				inv = (x+y)%2 == 0
			case 1:
				inv = y%2 == 0
			case 2:
				inv = x%3 == 0
			case 3:
				inv = (x+y)%3 == 0
			case 4:
				inv = (x/3+y/2)%2 == 0
			case 5:
				inv = x*y%2+x*y%3 == 0
			case 6:
				inv = (x*y%2+x*y%3)%2 == 0
			default:
				inv = ((x+y)%2+x*y%3)%2 == 0
			}
			if inv {
				s.dark[y*n+x] = !s.dark[y*n+x]
			}
		}
	}
}

// penalty scores a masked symbol by the four rules of ISO/IEC 18004 §7.8.3: runs of one
// colour, 2×2 blocks, finder-like patterns, and the balance of dark modules.
func (s *qrSymbol) penalty() int {
	n, p, darkCount := s.size, 0, 0
	line := make([]bool, n)
	for _, vertical := range [2]bool{false, true} {
		for a := range n {
			for b := range n {
				if vertical {
					line[b] = s.dark[b*n+a]
				} else {
					line[b] = s.dark[a*n+b]
				}
			}
			p += linePenalty(line)
		}
	}
	for y := range n {
		row := s.dark[y*n : (y+1)*n]
		for x, d := range row {
			if d {
				darkCount++
			}
			if x+1 < n && y+1 < n && d == row[x+1] && d == s.dark[(y+1)*n+x] && d == s.dark[(y+1)*n+x+1] {
				p += 3
			}
		}
	}
	total := n * n
	k := (abs(darkCount*20-total*10) + total - 1) / total
	return p + max(0, k-1)*10
}

// linePenalty scores one row or column: runs of five or more modules of one colour, and
// the 1:1:3:1:1 finder pattern with four light modules on either side.
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
	light := func(from, to int) bool {
		for i := max(from, 0); i < min(to, n); i++ {
			if l[i] {
				return false
			}
		}
		return true
	}
	for i := 0; i+7 <= n; i++ {
		if l[i] && !l[i+1] && l[i+2] && l[i+3] && l[i+4] && !l[i+5] && l[i+6] && (light(i-4, i) || light(i+7, i+11)) {
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

func gfMul(x, y byte) byte {
	var z int
	for i := 7; i >= 0; i-- {
		z = z<<1 ^ (z>>7)*0x11D
		z ^= int(y>>uint(i)&1) * int(x)
	}
	return byte(z)
}
