package webtest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is a browser without JavaScript: cookies, no automatic redirects, and the CSRF
// token of the last page it saw.
type Client struct {
	T    *testing.T
	HTTP *http.Client
	CSRF string
	w    *World
}

// Client is a new browser for the world's server.
func (w *World) Client() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{T: w.T, w: w, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Page is a response with its parsed HTML.
type Page struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

// Do sends the request; an HTML answer is parsed, and its first CSRF field noted.
func (c *Client) Do(req *http.Request) Page {
	c.T.Helper()
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	p := Page{Status: res.StatusCode, Header: res.Header, Body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.Doc, err = goquery.NewDocumentFromReader(bytes.NewReader(b)); err != nil {
			c.T.Fatal(err)
		}
		if v, ok := p.Doc.Find(`input[name="csrf"]`).First().Attr("value"); ok {
			c.CSRF = v
		}
	}
	return p
}

// Get asks for the path on the world's server.
func (c *Client) Get(path string) Page {
	c.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.w.Srv.URL+path, nil)
	return c.Do(req)
}

// Post sends a form with the client's CSRF token unless the form has its own "csrf" (an
// empty one: none at all).
func (c *Client) Post(path string, form url.Values) Page {
	c.T.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.CSRF)
	}
	if form.Get("csrf") == "" {
		form.Del("csrf")
	}
	req, _ := http.NewRequest(http.MethodPost, c.w.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SignIn opens the sign-in form at path and sends it with the address and password, to go
// on to next.
func (c *Client) SignIn(path, next, addr, pw string) Page {
	c.T.Helper()
	c.Get(path)
	return c.Post(path, url.Values{"email": {addr}, "password": {pw}, "next": {next}})
}
