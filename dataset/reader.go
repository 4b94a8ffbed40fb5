package dataset

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/calendar"
)

// reader maps a record's JSON tree onto Go values, collecting every problem with its field
// path relative to the record.
type reader struct {
	errs []FieldError // Record is filled in by the caller, who knows the record's label
}

func (r *reader) fail(field, format string, args ...any) {
	r.errs = append(r.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// object is a JSON object being read; every member it is asked for counts as known.
type object struct {
	r    *reader
	n    *node
	path string
	used map[string]bool
}

// object opens n as an object at path; nil when n is absent or null (no problem) or not an
// object (a problem).
func (r *reader) object(n *node, path string) *object {
	if n == nil || n.kind == kindNull {
		return nil
	}
	if n.kind != kindObject {
		r.fail(path, "must be an object, not %s", n.kind)
		return nil
	}
	return &object{r: r, n: n, path: path, used: make(map[string]bool)}
}

// array returns the elements of n at path; nil when absent, null or not an array.
func (r *reader) array(n *node, path string) []*node {
	if n == nil || n.kind == kindNull {
		return nil
	}
	if n.kind != kindArray {
		r.fail(path, "must be an array, not %s", n.kind)
		return nil
	}
	return n.elems
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// get returns the member key (the last one when repeated; close reports the repetition), or
// nil when it is absent or null.
func (o *object) get(key string) *node {
	o.used[key] = true
	var v *node
	for i, k := range o.n.keys {
		if k == key {
			v = o.n.elems[i]
		}
	}
	if v == nil || v.kind == kindNull {
		return nil
	}
	return v
}

func (o *object) field(key string) string { return join(o.path, key) }

// close reports members that were not asked for and members that appear twice.
func (o *object) close() {
	seen := make(map[string]bool, len(o.n.keys))
	for _, k := range o.n.keys {
		switch {
		case seen[k]:
			o.r.fail(o.field(k), "appears more than once in the same object")
		case !o.used[k]:
			msg := "unknown field"
			if s := suggest(k, o.used); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			o.r.fail(o.field(k), "%s", msg)
		}
		seen[k] = true
	}
}

func (o *object) has(key string) bool { return o.get(key) != nil }

// str reads a string member.
func (o *object) str(key string) string {
	v := o.get(key)
	if v == nil {
		return ""
	}
	if v.kind != kindString {
		o.r.fail(o.field(key), "must be a string, not %s", v.kind)
		return ""
	}
	return v.text
}

// strings reads an array of strings.
func (o *object) strings(key string) []string {
	elems := o.r.array(o.get(key), o.field(key))
	if elems == nil {
		return nil
	}
	out := make([]string, 0, len(elems))
	for i, v := range elems {
		if v.kind != kindString {
			o.r.fail(index(o.field(key), i), "must be a string, not %s", v.kind)
			continue
		}
		out = append(out, v.text)
	}
	return out
}

func (o *object) bool(key string) bool {
	v := o.get(key)
	if v == nil {
		return false
	}
	if v.kind != kindBool {
		o.r.fail(o.field(key), "must be true or false, not %s", v.kind)
		return false
	}
	return v.bool
}

// integer reads a whole number; present is false when the member is absent or null.
// A JSON number is the form; a string is refused, so that "15" and 15 are not both in use.
func (o *object) integer(key string, required bool) (n int, present bool) {
	v := o.get(key)
	if v == nil {
		if required {
			o.r.fail(o.field(key), "required")
		}
		return 0, false
	}
	if v.kind != kindNumber {
		o.r.fail(o.field(key), "must be a whole number such as 15, not %s", v.kind)
		return 0, false
	}
	i, err := strconv.ParseInt(v.text, 10, 64)
	if err != nil || i < math.MinInt32 || i > math.MaxInt32 {
		o.r.fail(o.field(key), "must be a whole number such as 15, not %s", v.text)
		return 0, false
	}
	return int(i), true
}

// date reads a YYYY-MM-DD string.
func (o *object) date(key string) calendar.Date {
	return o.r.dateAt(o.get(key), o.field(key))
}

func (r *reader) dateAt(v *node, field string) calendar.Date {
	if v == nil {
		return calendar.Date{}
	}
	if v.kind != kindString {
		r.fail(field, "must be a date string such as \"2026-10-31\", not %s", v.kind)
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(v.text)
	if err != nil {
		r.fail(field, "%q is not a date in the form YYYY-MM-DD", v.text)
		return calendar.Date{}
	}
	return d
}

// dates reads an array of dates.
func (o *object) dates(key string) []calendar.Date {
	elems := o.r.array(o.get(key), o.field(key))
	if elems == nil {
		return nil
	}
	out := make([]calendar.Date, 0, len(elems))
	for i, v := range elems {
		if d := o.r.dateAt(v, index(o.field(key), i)); !d.IsZero() {
			out = append(out, d)
		}
	}
	return out
}

// instant reads an RFC 3339 date and time with its UTC offset.
func (o *object) instant(key string) time.Time {
	v := o.get(key)
	if v == nil {
		return time.Time{}
	}
	if v.kind != kindString {
		o.r.fail(o.field(key), "must be a string such as \"2026-10-31T10:00:00+02:00\", not %s", v.kind)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v.text)
	if err != nil {
		o.r.fail(o.field(key), "%q is not an RFC 3339 date and time with a UTC offset, such as \"2026-10-31T10:00:00+02:00\"", v.text)
		return time.Time{}
	}
	return t
}

// plainDecimal is the only form of an amount: digits with an optional sign and fraction,
// no exponent, no thousands separators, a dot for the decimal point.
var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// maxDecimalLen bounds an amount's text; no meter or price needs more.
const maxDecimalLen = 40

// amount reads a decimal held in a JSON string; present is false when absent or null.
func (o *object) amount(key string, required bool) (d decimal.Decimal, present bool) {
	v := o.get(key)
	if v == nil {
		if required {
			o.r.fail(o.field(key), "required")
		}
		return decimal.Zero, false
	}
	field := o.field(key)
	switch {
	case v.kind == kindNumber:
		o.r.fail(field, "must be a JSON string holding a decimal, such as \"%s\": amounts are strings, never JSON numbers", v.text)
	case v.kind != kindString:
		o.r.fail(field, "must be a string holding a decimal, such as \"12.50\", not %s", v.kind)
	case len(v.text) > maxDecimalLen || !plainDecimal.MatchString(v.text):
		o.r.fail(field, "%q is not a decimal such as \"12.50\" (digits, an optional minus sign and a dot; no exponent, spaces or comma)", clip(v.text))
	default:
		return decimal.RequireFromString(v.text), true
	}
	return decimal.Zero, false
}

// clip shortens a long value quoted in a message.
func clip(s string) string {
	if len(s) <= maxDecimalLen {
		return s
	}
	return strings.ToValidUTF8(s[:maxDecimalLen], "") + "…"
}

// suggest is the known field name closest to an unknown one, if it is a likely typo.
func suggest(key string, known map[string]bool) string {
	best, bestDist := "", 3
	for k := range known {
		if d := distance(strings.ToLower(key), k); d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if bestDist > 2 {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, over bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
