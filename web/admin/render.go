package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

// parsePages parses every page with the layout, each into its own template set.
func parsePages() (map[string]*template.Template, error) { return site.ParsePages(assets, nil) }

// view is what every page template sees.
type view struct {
	Title    string
	CSRF     string
	Operator *sqldb.Operator
	Path     string
	Data     any
}

// Date formats a date as 27 Nov 2026.
func (view) Date(d billing.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.Day(), d.Month().String()[:3], d.Year())
}

// DateTime formats an instant in Riga time; the zero time is empty.
func (v view) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(calendar.Riga)
	return v.Date(calendar.DateOf(t)) + " " + t.Format("15:04")
}

// Money formats an amount in euros: €1,234.56.
func (view) Money(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := "€" + b.String() + "." + frac
	if neg {
		out = "−" + out
	}
	return out
}

// With is the view with other data, for a shared template.
func (v view) With(data any) view {
	v.Data = data
	return v
}

// Current reports whether the navigation link to p is the current page.
func (v view) Current(p string) bool {
	return v.Path == p || (p != "/admin" && strings.HasPrefix(v.Path, p+"/"))
}

func (ad *Admin) render(w http.ResponseWriter, r *http.Request, rq *request, status int, page, title string, data any) {
	v := view{Title: title, Operator: rq.Operator, Path: r.URL.Path, Data: data}
	if rq.Session != nil {
		v.CSRF = rq.Session.CSRF
	}
	if err := site.Render(w, ad.pages, page, status, "en", v); err != nil {
		ad.Log.Error("render back-office page", "page", page, "error", err)
	}
}

// pager is one page of a long list: which rows, and the links to the neighbours.
type pager struct {
	Page, Pages, Total int
	Offset, Limit      int
	base               url.Values
	path               string
}

// newPager reads ?page= (from 1) for a list of size per page.
func newPager(r *http.Request, size int) pager {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	return pager{Page: n, Offset: (n - 1) * size, Limit: size, base: r.URL.Query(), path: r.URL.Path}
}

// with records the total and returns the pager.
func (p pager) with(total int) pager {
	p.Total = total
	p.Pages = max((total+p.Limit-1)/p.Limit, 1)
	return p
}

func (p pager) link(n int) string {
	q := url.Values{}
	for k, v := range p.base {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return p.path + "?" + q.Encode()
}

// Prev and Next are the links to the neighbouring pages; empty at either end.
func (p pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.link(p.Page - 1)
}

func (p pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.link(p.Page + 1)
}
