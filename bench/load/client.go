package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"
)

// newHTTPClient is one client for every virtual client: enough idle connections per host
// that none is closed and reopened between requests, no redirects followed (a sign-in
// answers 303 and the load checks that), no compression (the PDFs are compressed already).
func newHTTPClient(concurrency int, timeout time.Duration) *http.Client {
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        0,
		MaxIdleConnsPerHost: concurrency + 8,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// client is one virtual user: a portal session and what it knows of its customer.
type client struct {
	hc    *http.Client
	urls  []string
	next  *atomic.Uint64 // shared: requests go round-robin over the URLs
	rec   *recorder
	rng   *rand.Rand
	user  *user
	pass  string
	token string // API bearer token, empty: no API requests

	session string // the session cookie's value
	cookie  string // and its name
	csrf    string
	numbers []string // invoice numbers the API listed last
	buf     bytes.Buffer
}

func (c *client) url(path string) string {
	return c.urls[int(c.next.Add(1)-1)%len(c.urls)] + path
}

// errStatus is an answer with another status than the one expected.
type errStatus struct {
	got, want int
	body      string
}

func (e errStatus) Error() string {
	return fmt.Sprintf("status %d, want %d: %s", e.got, e.want, e.body)
}

// do sends req and reads the whole answer into c.buf; it records the request as kind.
func (c *client) do(kind string, req *http.Request, want int, check func(*http.Response, []byte) error) (*http.Response, error) {
	if c.session != "" {
		req.AddCookie(&http.Cookie{Name: c.cookie, Value: c.session})
	}
	if c.token != "" && strings.Contains(req.URL.Path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	c.buf.Reset()
	if err == nil {
		_, err = c.buf.ReadFrom(resp.Body)
		resp.Body.Close()
	}
	took := time.Since(start)
	switch {
	case err != nil:
	case resp.StatusCode != want:
		err = errStatus{resp.StatusCode, want, snippet(c.buf.Bytes())}
	case check != nil:
		err = check(resp, c.buf.Bytes())
	}
	c.rec.add(kind, start, took, int64(c.buf.Len()), err)
	return resp, err
}

func (c *client) get(kind, path string, want int, check func(*http.Response, []byte) error) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, c.url(path), nil)
	if err != nil {
		return nil, err
	}
	return c.do(kind, req, want, check)
}

func (c *client) post(kind, path string, form url.Values, want int) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(kind, req, want, nil)
}

var (
	csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	dateField = regexp.MustCompile(`name="date" type="date"[^>]* value="([0-9-]+)"`)
)

// field is the first submatch of re in the page just read.
func (c *client) field(re *regexp.Regexp, what string) (string, error) {
	m := re.FindSubmatch(c.buf.Bytes())
	if m == nil {
		return "", fmt.Errorf("no %s in the page: %s", what, snippet(c.buf.Bytes()))
	}
	return string(m[1]), nil
}

// sessionFrom takes the session cookie a response sets.
func sessionFrom(resp *http.Response) (name, value string, ok bool) {
	for _, ck := range resp.Cookies() {
		if strings.HasSuffix(ck.Name, "erekins_session") && ck.Value != "" {
			return ck.Name, ck.Value, true
		}
	}
	return "", "", false
}

// signIn goes through the sign-in form as a browser does: the form (which starts an
// anonymous session with its CSRF token), then the address and password. The new session
// replaces the client's; the old one is returned so the caller can sign it out.
func (c *client) signIn() (oldSession, oldCSRF string, err error) {
	oldSession, oldCSRF = c.session, c.csrf
	c.session, c.csrf = "", ""
	resp, err := c.get("signin-form", "/signin", http.StatusOK, nil)
	if err != nil {
		return oldSession, oldCSRF, err
	}
	csrf, err := c.field(csrfField, "CSRF token")
	if err != nil {
		return oldSession, oldCSRF, err
	}
	var ok bool
	if c.cookie, c.session, ok = sessionFrom(resp); !ok {
		return oldSession, oldCSRF, errors.New("the sign-in form set no session cookie")
	}
	resp, err = c.post("signin", "/signin", url.Values{"email": {c.user.Email}, "password": {c.pass}, "csrf": {csrf}, "next": {"/"}}, http.StatusSeeOther)
	if err != nil {
		return oldSession, oldCSRF, err
	}
	if c.cookie, c.session, ok = sessionFrom(resp); !ok {
		return oldSession, oldCSRF, errors.New("sign-in set no session cookie")
	}
	return oldSession, oldCSRF, nil
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
