package main

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// An operation is what a virtual user does next: one or more requests.
type operation func(c *client) error

// operations are the weighted operations of the mixed scenario by name; the archive and
// pdf scenarios run one of them alone.
var operations = map[string]operation{
	"signin":  (*client).resignIn,
	"archive": (*client).archive,
	"pdf":     (*client).pdf,
	"reading": (*client).reading,
	"api":     (*client).api,
}

// defaultMix weighs what portal users and accounting systems do: mostly reading the
// archive and downloading, now and then a sign-in or a reading.
const defaultMix = "signin=5,archive=30,pdf=30,reading=10,api=25"

// resignIn signs in again as a new visit: the form, the sign-in, the overview the sign-in
// leads to (which gives the new session's CSRF token), then the old session signs out.
func (c *client) resignIn() error {
	oldSession, oldCSRF, err := c.signIn()
	if err != nil {
		return err
	}
	if _, err := c.get("overview", "/", http.StatusOK, nil); err != nil {
		return err
	}
	if c.csrf, err = c.field(csrfField, "CSRF token"); err != nil {
		return err
	}
	if oldSession == "" || oldCSRF == "" {
		return nil
	}
	newSession := c.session
	c.session = oldSession
	_, err = c.post("signout", "/signout", url.Values{"csrf": {oldCSRF}}, http.StatusSeeOther)
	c.session = newSession
	return err
}

// archive opens a page of the invoice archive.
func (c *client) archive() error {
	pages := max((len(c.user.Invoices)+24)/25, 1)
	_, err := c.get("archive", fmt.Sprintf("/invoices?page=%d", 1+c.rng.IntN(pages)), http.StatusOK, isArchive)
	return err
}

func isArchive(_ *http.Response, body []byte) error {
	if !bytes.Contains(body, []byte(`/pdf">PDF`)) {
		return fmt.Errorf("no invoice in the archive page: %s", snippet(body))
	}
	return nil
}

// pdf downloads the PDF of one of the customer's invoices.
func (c *client) pdf() error {
	if len(c.user.Invoices) == 0 {
		return errors.New("the user has no invoices")
	}
	n := c.user.Invoices[c.rng.IntN(len(c.user.Invoices))]
	_, err := c.get("pdf", "/invoices/"+url.PathEscape(n)+"/pdf", http.StatusOK, isPDF)
	return err
}

func isPDF(resp *http.Response, body []byte) error {
	if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" || !bytes.HasPrefix(body, []byte("%PDF-")) {
		return fmt.Errorf("not a PDF: %s, %d bytes", ct, len(body))
	}
	return nil
}

// reading opens a register's page and submits a reading on it: the value advances by the
// register's last month, so it is plausible; a reason is given, since every submission
// after the first in the window corrects the one before.
func (c *client) reading() error {
	if len(c.user.Registers) == 0 {
		return errors.New("the user has no registers to submit readings for")
	}
	r := c.user.Registers[c.rng.IntN(len(c.user.Registers))]
	path := "/readings/" + url.PathEscape(r.Point) + "/" + url.PathEscape(r.Register)
	if _, err := c.get("reading-form", path, http.StatusOK, nil); err != nil {
		return err
	}
	csrf, err := c.field(csrfField, "CSRF token")
	if err != nil {
		return err
	}
	date, err := c.field(dateField, "reading date")
	if err != nil {
		return err
	}
	c.csrf = csrf
	_, err = c.post("reading", path, url.Values{"csrf": {csrf}, "date": {date}, "value": {r.Value}, "reason": {"load test"}}, http.StatusSeeOther)
	return err
}

var apiNumber = regexp.MustCompile(`"number"\s*:\s*"([^"]+)"`)

// api lists the customer's invoices through the REST API, or downloads the PDF of one it
// listed before, in turn.
func (c *client) api() error {
	if len(c.numbers) == 0 || c.rng.IntN(2) == 0 {
		if _, err := c.get("api-list", "/api/v1/invoices?limit=50", http.StatusOK, nil); err != nil {
			return err
		}
		c.numbers = c.numbers[:0]
		for _, m := range apiNumber.FindAllSubmatch(c.buf.Bytes(), -1) {
			c.numbers = append(c.numbers, string(m[1]))
		}
		if len(c.numbers) == 0 {
			return fmt.Errorf("the API listed no invoice: %s", snippet(c.buf.Bytes()))
		}
		return nil
	}
	n := c.numbers[c.rng.IntN(len(c.numbers))]
	_, err := c.get("api-pdf", "/api/v1/invoices/"+url.PathEscape(n)+"/pdf", http.StatusOK, isPDF)
	return err
}

// mix is a weighted choice of operations.
type mix struct {
	names   []string
	weights []int
	total   int
}

// parseMix reads "name=weight,…"; names not given weigh nothing.
func parseMix(s string) (mix, error) {
	var m mix
	for part := range strings.SplitSeq(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		var weight int
		if _, err := fmt.Sscan(w, &weight); !ok || err != nil || weight < 0 {
			return m, fmt.Errorf("-mix %q: each part is name=weight with a weight of 0 or more", part)
		}
		if operations[name] == nil {
			return m, fmt.Errorf("-mix: unknown operation %q (signin, archive, pdf, reading, api)", name)
		}
		if weight > 0 {
			m.names, m.weights, m.total = append(m.names, name), append(m.weights, weight), m.total+weight
		}
	}
	if m.total == 0 {
		return m, errors.New("-mix: no operation has a weight")
	}
	return m, nil
}

// without is the mix with an operation left out.
func (m mix) without(name string) mix {
	var out mix
	for i, n := range m.names {
		if n != name {
			out.names, out.weights, out.total = append(out.names, n), append(out.weights, m.weights[i]), out.total+m.weights[i]
		}
	}
	return out
}

func (m mix) has(name string) bool {
	for _, n := range m.names {
		if n == name {
			return true
		}
	}
	return false
}

func (m mix) pick(c *client) operation {
	x := c.rng.IntN(m.total)
	for i, w := range m.weights {
		if x < w {
			return operations[m.names[i]]
		}
		x -= w
	}
	return operations[m.names[len(m.names)-1]]
}
