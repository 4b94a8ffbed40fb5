package sqldb

import (
	"encoding/base64"
	"testing"
)

func TestRebind(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"placeholders numbered", `SELECT ?, ?`, `SELECT $1, $2`},
		{"question mark in a literal kept", `SELECT ?, '?', ?`, `SELECT $1, '?', $2`},
		{"no placeholders", `SELECT 1`, `SELECT 1`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("%s: rebind(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestIsBase64Of(t *testing.T) {
	raw := make([]byte, 10000)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	enc := []byte(base64.StdEncoding.EncodeToString(raw))
	if !isBase64Of(enc, raw) {
		t.Error("the encoding of raw was not recognised")
	}
	for _, n := range []int{0, 1, 2, 3, 3072, 3073} {
		if !isBase64Of([]byte(base64.StdEncoding.EncodeToString(raw[:n])), raw[:n]) {
			t.Errorf("length %d not recognised", n)
		}
	}
	bad := append([]byte(nil), enc...)
	bad[len(bad)-10] ^= 1
	if isBase64Of(bad, raw) || isBase64Of(enc[:len(enc)-4], raw) {
		t.Error("a different encoding was accepted")
	}
}
