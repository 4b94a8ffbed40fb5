package site

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestClientAddr: X-Forwarded-For is read only from a trusted proxy, from the right,
// skipping trusted hops and entries that are no address; the first untrusted entry is the
// client, so entries a client writes itself never count.
func TestClientAddr(t *testing.T) {
	lb := "10.0.0.0/8, 127.0.0.1, 2001:db8:1::/48"
	for _, c := range []struct {
		name, trusted, remote string
		xff                   []string // header lines, in order
		want                  string
	}{
		{"no proxies configured: header ignored", "", "10.0.0.5:4711", []string{"203.0.113.9"}, "10.0.0.5"},
		{"no header: the connection", lb, "10.0.0.5:4711", nil, "10.0.0.5"},
		{"untrusted connection: header ignored", lb, "198.51.100.7:4711", []string{"203.0.113.9"}, "198.51.100.7"},
		{"one trusted hop", lb, "10.0.0.5:4711", []string{"203.0.113.9"}, "203.0.113.9"},
		{"two trusted hops", lb, "127.0.0.1:4711", []string{"203.0.113.9, 10.1.2.3"}, "203.0.113.9"},
		{"two hops on two header lines", lb, "127.0.0.1:4711", []string{"203.0.113.9", "10.1.2.3"}, "203.0.113.9"},
		{"spoofed leading entries ignored", lb, "10.0.0.5:4711", []string{"1.1.1.1, 10.9.9.9, 203.0.113.9"}, "203.0.113.9"},
		{"spoofed line before the proxy's", lb, "10.0.0.5:4711", []string{"1.1.1.1", "203.0.113.9"}, "203.0.113.9"},
		{"untrusted hop in the middle is the client", lb, "10.0.0.5:4711", []string{"203.0.113.9, 198.51.100.7, 10.1.2.3"}, "198.51.100.7"},
		{"every entry trusted: the leftmost", lb, "10.0.0.5:4711", []string{"10.7.7.7, 10.1.2.3"}, "10.7.7.7"},
		{"malformed entries skipped", lb, "10.0.0.5:4711", []string{"203.0.113.9, unknown, , 999.1.1.1, _hidden"}, "203.0.113.9"},
		{"only malformed: the connection", lb, "10.0.0.5:4711", []string{"unknown, <script>"}, "10.0.0.5"},
		{"entry with a port", lb, "10.0.0.5:4711", []string{"203.0.113.9:55001"}, "203.0.113.9"},
		{"spaces around entries", lb, "10.0.0.5:4711", []string{"  203.0.113.9  ,10.1.2.3 "}, "203.0.113.9"},
		{"IPv6 proxy, IPv6 client", lb, "[2001:db8:1::10]:4711", []string{"2001:db8:ffff::1"}, "2001:db8:ffff::1"},
		{"IPv6 client with a port in brackets", lb, "[2001:db8:1::10]:4711", []string{"[2001:db8:ffff::1]:443"}, "2001:db8:ffff::1"},
		{"IPv6 trusted hop skipped", lb, "10.0.0.5:4711", []string{"2001:db8:ffff::1, 2001:db8:1::20"}, "2001:db8:ffff::1"},
		{"IPv6 untrusted connection: header ignored", lb, "[2001:db8:2::1]:4711", []string{"203.0.113.9"}, "2001:db8:2::1"},
		{"IPv4-mapped connection matches an IPv4 range", lb, "[::ffff:10.0.0.5]:4711", []string{"203.0.113.9"}, "203.0.113.9"},
		{"IPv4-mapped client is written as IPv4", lb, "10.0.0.5:4711", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
		{"a single address trusts only itself", "127.0.0.1", "127.0.0.2:4711", []string{"203.0.113.9"}, "127.0.0.2"},
		{"connection without a port", lb, "10.0.0.5", []string{"203.0.113.9"}, "203.0.113.9"},
		{"connection that is no address", lb, "pipe", []string{"203.0.113.9"}, "pipe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ps, err := ParseProxies(c.trusted)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ps.ClientAddr(r); got != c.want {
				t.Errorf("client of %s via %q trusting %q: %q, want %q", c.remote, c.xff, c.trusted, got, c.want)
			}
		})
	}
}

// TestParseProxies: addresses and ranges in any spacing are accepted; anything else is an
// error that names the entry.
func TestParseProxies(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		bad  string // the entry the error names; "" for no error
		in4  string // an address the list must trust
		out4 string // … and one it must not
	}{
		{in: "", n: 0, out4: "127.0.0.1"},
		{in: " , ", n: 0, out4: "127.0.0.1"},
		{in: "10.0.0.0/8,127.0.0.1", n: 2, in4: "10.200.0.1", out4: "11.0.0.1"},
		{in: " 10.0.0.1/8 , ::1 ", n: 2, in4: "10.0.0.9", out4: "127.0.0.1"},
		{in: "::ffff:10.0.0.0/104", n: 1, in4: "10.3.3.3", out4: "11.0.0.1"},
		{in: "2001:db8::/32", n: 1, in4: "2001:db8::5", out4: "2001:db9::5"},
		{in: "10.0.0.0/8,lb.internal", bad: "lb.internal"},
		{in: "10.0.0.0/33", bad: "10.0.0.0/33"},
		{in: "10.0.0.1:80", bad: "10.0.0.1:80"},
		{in: "fe80::1%eth0", bad: "fe80::1%eth0"},
	} {
		ps, err := ParseProxies(c.in)
		if c.bad != "" {
			if err == nil || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("%q: error %v, want one naming %q", c.in, err, c.bad)
			}
			continue
		}
		if err != nil || len(ps) != c.n {
			t.Errorf("%q: %v, %v; want %d entries", c.in, ps, err, c.n)
			continue
		}
		if a, _ := parseAddr(c.in4); c.in4 != "" && !ps.trusts(a) {
			t.Errorf("%q does not trust %s", c.in, c.in4)
		}
		if a, _ := parseAddr(c.out4); ps.trusts(a) {
			t.Errorf("%q trusts %s", c.in, c.out4)
		}
	}
}

// TestClientIP: handlers read the address the middleware put in the context, and the
// connection's without it.
func TestClientIP(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "192.0.2.4:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := ClientIP(r); got != "192.0.2.4" {
		t.Errorf("without the middleware: %q, want the connection's", got)
	}
	r = r.WithContext(WithClientIP(r.Context(), "203.0.113.9"))
	if got := ClientIP(r); got != "203.0.113.9" {
		t.Errorf("with the middleware's: %q", got)
	}
}
