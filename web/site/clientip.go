package site

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the addresses whose X-Forwarded-For header is believed: the load balancers
// and reverse proxies in front of erekins (--trusted-proxies). None, the default, means the
// header is ignored and the client is whoever opened the connection.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of IP addresses and CIDR ranges, such as
// "10.0.0.0/8, 127.0.0.1, ::1"; empty entries are skipped. The error names the entry.
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if strings.Contains(e, "/") {
			p, err := netip.ParsePrefix(e)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR range such as 10.0.0.0/8", e)
			}
			if p.Addr().Is4In6() && p.Bits() >= 96 {
				p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not an IP address or CIDR range such as 10.0.0.0/8", e)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientAddr is the address of the client that sent r. When the connection comes from a
// trusted proxy, X-Forwarded-For is read from the right — each proxy appends the address
// it was connected from — skipping trusted addresses and entries that are not an address;
// the first untrusted one is the client. Entries left of it were written by the client or
// by proxies nobody vouches for, so a client cannot choose its address by sending the
// header itself. When every entry is trusted the leftmost of them is the client (a caller
// inside the trusted network); without the header, or from an untrusted connection, the
// connection's address is.
func (ps Proxies) ClientAddr(r *http.Request) string {
	conn, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return remoteHost(r.RemoteAddr)
	}
	if !ps.trusts(conn) {
		return conn.String()
	}
	client := conn
	values := r.Header.Values("X-Forwarded-For") // several lines are one list, in order
	for i := len(values) - 1; i >= 0; i-- {
		entries := strings.Split(values[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			a, ok := parseAddr(strings.TrimSpace(entries[j]))
			if !ok {
				continue
			}
			if !ps.trusts(a) {
				return a.String()
			}
			client = a
		}
	}
	return client.String()
}

// parseAddr reads an address as X-Forwarded-For or a connection gives it: "192.0.2.1",
// "2001:db8::1", or either with a port ("192.0.2.1:443", "[2001:db8::1]:443"). A zone is
// dropped and an IPv4-mapped IPv6 address is read as IPv4, so that the ranges match.
func parseAddr(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.WithZone("").Unmap(), true
}

// remoteHost is the host part of a connection's address, or the whole of it.
func remoteHost(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}

// clientIPKey is the context key of a request's client address.
type clientIPKey struct{}

// WithClientIP returns ctx with the request's client address, as the server's middleware
// determined it (Proxies.ClientAddr).
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIP is the address of the client that sent r: the one the middleware put in its
// context, else (a handler served without it, as in some tests) the connection's. Rate
// limits per client and log lines use it.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok && ip != "" {
		return ip
	}
	return remoteHost(r.RemoteAddr)
}
