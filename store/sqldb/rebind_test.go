package sqldb

import "testing"

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
