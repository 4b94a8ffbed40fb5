package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// zbarimg decodes the QR code in a PNG with zbarimg (zbar-tools), or skips the test.
func zbarimg(t *testing.T, pngFile string) string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg is missing: install zbar-tools")
		}
		t.Skip("SKIPPED: zbarimg is missing, so QR codes are NOT decoded; install zbar-tools")
	}
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sbinary", pngFile).Output()
	if err != nil {
		t.Fatalf("zbarimg %s: %v", pngFile, err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// writeQRPNG draws modules with a 4-module quiet zone, 4 pixels a module.
func writeQRPNG(t *testing.T, m [][]bool) string {
	t.Helper()
	const scale, quiet = 4, 4
	n := len(m)
	img := image.NewGray(image.Rect(0, 0, (n+2*quiet)*scale, (n+2*quiet)*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y, row := range m {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				for dx := range scale {
					img.SetGray((x+quiet)*scale+dx, (y+quiet)*scale+dy, color.Gray{})
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestQREncodeDecodes encodes payloads of every version from 1 to 13 and decodes them with
// a real reader.
func TestQREncodeDecodes(t *testing.T) {
	payloads := []string{"A", "BCD\n002\n1\nSCT\nBANKLV2X\nAS \"Demo Enerģija\"\nLV80BANK0000435195001\nEUR295.86\n\nRF48ER2026000101"}
	for v, n := range []int{14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331} { // the capacity of versions 1–13
		p := strings.Repeat("ā0123456789", n)[:n]
		payloads = append(payloads, p)
		for _, extra := range []int{0, 1} {
			m, err := qrEncode([]byte(p + strings.Repeat("x", extra)))
			if want := 17 + 4*(v+1+extra); err == nil && len(m) != want {
				t.Errorf("%d bytes: %d modules, want %d", n+extra, len(m), want)
			}
		}
	}
	for _, p := range payloads {
		m, err := qrEncode([]byte(p))
		if err != nil {
			t.Fatalf("%d bytes: %v", len(p), err)
		}
		if got := zbarimg(t, writeQRPNG(t, m)); got != p {
			t.Errorf("version %d, %d bytes: decoded %q, want %q", (len(m)-17)/4, len(p), got, p)
		}
	}
	if _, err := qrEncode(make([]byte, 332)); err == nil {
		t.Error("332 bytes encoded; version 13-M holds 331")
	}
}

// TestQRPenalty compares the fast penalty with a direct reading of ISO/IEC 18004 §7.8.3 on
// random symbols of every size, so the chosen mask (and the bytes of a document) do not
// depend on how the score is computed.
func TestQRPenalty(t *testing.T) {
	rnd := uint64(0x9E3779B97F4A7C15)
	for ver := 1; ver <= 13; ver++ {
		n := 17 + 4*ver
		for range 20 {
			s := &qrSymbol{size: n, dark: make([]bool, n*n)}
			for i := range s.dark {
				rnd ^= rnd << 13
				rnd ^= rnd >> 7
				rnd ^= rnd << 17
				s.dark[i] = rnd%3 == 0 || (rnd>>8)%5 == 0 && i%7 < 4
			}
			want := referencePenalty(s)
			if got := s.penalty(make([]bool, n*n)); got != want {
				t.Fatalf("version %d: penalty %d, want %d", ver, got, want)
			}
			if n <= 64 {
				if got := s.penaltyBits(make([]bool, n*n)); got != want {
					t.Fatalf("version %d: penaltyBits %d, want %d", ver, got, want)
				}
			}
		}
	}
}

func referencePenalty(s *qrSymbol) int {
	n, p, dark := s.size, 0, 0
	at := func(x, y int) bool { return s.dark[y*n+x] }
	light := func(line func(int) bool, from, to int) bool {
		for i := max(from, 0); i < min(to, n); i++ {
			if line(i) {
				return false
			}
		}
		return true
	}
	for _, vertical := range []bool{false, true} {
		for a := range n {
			line := func(b int) bool {
				if vertical {
					return at(a, b)
				}
				return at(b, a)
			}
			run := 1
			for i := 1; i <= n; i++ {
				if i < n && line(i) == line(i-1) {
					run++
					continue
				}
				if run >= 5 {
					p += run - 2
				}
				run = 1
			}
			for i := 0; i+7 <= n; i++ {
				if line(i) && !line(i+1) && line(i+2) && line(i+3) && line(i+4) && !line(i+5) && line(i+6) &&
					(light(line, i-4, i) || light(line, i+7, i+11)) {
					p += 40
				}
			}
		}
	}
	for y := range n {
		for x := range n {
			if at(x, y) {
				dark++
			}
			if x+1 < n && y+1 < n && at(x, y) == at(x+1, y) && at(x, y) == at(x, y+1) && at(x, y) == at(x+1, y+1) {
				p += 3
			}
		}
	}
	k := (abs(dark*20-n*n*10) + n*n - 1) / (n * n)
	return p + max(0, k-1)*10
}

// TestQRMaskChoice encodes payloads of versions 1 to 11 with the bitwise mask scoring and
// with the module-by-module one, which must choose the same masks.
func TestQRMaskChoice(t *testing.T) {
	defer func(v int) { qrBitsMax = v }(qrBitsMax)
	for n := 1; n <= 251; n += 3 {
		p := []byte(strings.Repeat("BCD\n002\n1\nSCT\nLV80BANK0000435195001\nEUR1.05\nRF18", 8)[:n])
		p[n/2] ^= byte(n)
		qrBitsMax = 64
		fast, err := qrEncode(p)
		if err != nil {
			t.Fatal(err)
		}
		qrBitsMax = 0
		slow, _ := qrEncode(p)
		for y := range fast {
			if !slices.Equal(fast[y], slow[y]) {
				t.Fatalf("%d bytes: the bitwise scoring chose another mask", n)
			}
		}
	}
}
