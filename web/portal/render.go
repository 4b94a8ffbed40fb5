package portal

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/web/site"
)

// parsePages parses every page with the layout, each into its own template set.
func parsePages() (map[string]*template.Template, error) {
	return site.ParsePages(assets, template.FuncMap{"add": func(a, b int) int { return a + b }})
}

// view is what every page template sees: who is signed in, the language with its texts and
// formats, the CSRF token, and the page's own data.
type view struct {
	Lang        string
	CSRF        string
	User        *sqldb.PortalUser
	Memberships []sqldb.Membership
	Current     sqldb.Membership
	Path        string // the page's path, for the navigation
	Next        string // where the language switch returns to
	Data        any
}

// T is the text with the key in the page's language.
func (v view) T(key string) string { return text(v.Lang, key) }

// Can reports whether the user's current role holds a permission.
func (v view) Can(perm string) bool { return v.User != nil && Can(v.Current.Role, perm) }

// Date formats a date: 27.11.2026 in Latvian, 27 Nov 2026 in English.
func (v view) Date(d billing.Date) string { return formatDate(v.Lang, d) }

// Money formats an amount in euros: 1 234,56 € in Latvian, €1,234.56 in English.
func (v view) Money(d decimal.Decimal) string { return formatMoney(v.Lang, d) }

// Number formats a decimal with the language's separators and as many decimals as it has.
func (v view) Number(d decimal.Decimal) string { return formatNumber(v.Lang, d, -1) }

// Other is the other language, for the switch.
func (v view) Other() string {
	if v.Lang == billing.English {
		return billing.Latvian
	}
	return billing.English
}

func (p *Portal) render(w http.ResponseWriter, r *http.Request, rq *request, status int, page string, data any) {
	v := view{Lang: rq.Lang, User: rq.User, Memberships: rq.Memberships, Current: rq.Current, Path: r.URL.Path, Next: r.URL.Path, Data: data}
	if status >= 400 {
		v.Next = "/" // an error page does not repeat what was asked for
	}
	if rq.Session != nil {
		v.CSRF = rq.Session.CSRF
	}
	if err := site.Render(w, p.pages, page, status, rq.Lang, v); err != nil {
		p.Log.Error("render page", "page", page, "error", err)
	}
}

// groupDigits puts sep between groups of three digits of an unsigned integer string.
func groupDigits(s, sep string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	first := len(s) % 3
	if first > 0 {
		b.WriteString(s[:first])
	}
	for i := first; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// formatNumber formats d with places decimals (-1: as stored), grouping the integer part.
func formatNumber(lang string, d decimal.Decimal, places int32) string {
	s := d.String()
	if places >= 0 {
		s = d.StringFixed(places)
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	group, point := "\u00a0", ","
	if lang == billing.English {
		group, point = ",", "."
	}
	out := groupDigits(intPart, group)
	if hasFrac {
		out += point + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

func formatMoney(lang string, d decimal.Decimal) string {
	n := formatNumber(lang, d, 2)
	if lang == billing.English {
		if strings.HasPrefix(n, "−") {
			return "−€" + strings.TrimPrefix(n, "−")
		}
		return "€" + n
	}
	return n + "\u00a0€"
}

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func formatDate(lang string, d billing.Date) string {
	if d.IsZero() {
		return ""
	}
	if lang == billing.English {
		return fmt.Sprintf("%d %s %d", d.Day(), monthsEN[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%02d.%02d.%d", d.Day(), int(d.Month()), d.Year())
}

// DateTime formats an instant in Riga time.
func (v view) DateTime(t time.Time) string {
	t = t.In(calendar.Riga)
	return formatDate(v.Lang, calendar.DateOf(t)) + " " + t.Format("15:04")
}
