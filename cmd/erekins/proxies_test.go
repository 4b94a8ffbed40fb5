package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
)

// TestTrustedProxiesSetting: --trusted-proxies is serve's alone; it takes addresses and
// CIDR ranges, and anything else stops serve before it opens the database, with an error
// that names the setting and the entry.
func TestTrustedProxiesSetting(t *testing.T) {
	for _, tc := range []struct {
		value string
		n     int
		bad   string
	}{
		{"", 0, ""},
		{"10.0.0.0/8,127.0.0.1", 2, ""},
		{" 10.0.0.0/8 , ::1 , ", 2, ""},
		{"10.0.0.0/8,lb.internal", 0, "lb.internal"},
		{"10.0.0.0/40", 0, "10.0.0.0/40"},
	} {
		var s settings
		if err := parse(newFlags("serve", &bytes.Buffer{}, &s), []string{"--trusted-proxies", tc.value}); err != nil {
			t.Fatal(err)
		}
		err := s.parseProxies()
		if tc.bad == "" && (err != nil || len(s.proxies) != tc.n) {
			t.Errorf("%q: %v, %v; want %d entries", tc.value, s.proxies, err, tc.n)
		}
		if tc.bad != "" && (billing.ErrorCode(err) != billing.ErrInvalid || !strings.Contains(err.Error(), "trusted-proxies") || !strings.Contains(err.Error(), tc.bad)) {
			t.Errorf("%q: error %v, want one naming trusted-proxies and %q", tc.value, err, tc.bad)
		}
	}
	for _, c := range commands() {
		var s settings
		if has := newFlags(c.name, &bytes.Buffer{}, &s).Lookup("trusted-proxies") != nil; has != (c.name == "serve") {
			t.Errorf("%s has --trusted-proxies: %v", c.name, has)
		}
	}

	db := filepath.Join(t.TempDir(), "e.db")
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--trusted-proxies", "balancer"}, &bytes.Buffer{}, &stderr)
	if code == 0 || !strings.Contains(stderr.String(), "trusted-proxies") {
		t.Errorf("serve with a bad --trusted-proxies: exit %d, %q", code, stderr.String())
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve opened the database before checking --trusted-proxies: %v", err)
	}
}
