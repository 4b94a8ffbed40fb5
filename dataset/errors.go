package dataset

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/erekins/erekins/billing"
)

// FieldError is one problem in a dataset: the record it is in, the field within that record,
// and a message a person can act on. Record is empty for the top-level fields (version) and
// Field is empty for a problem with the record as a whole.
type FieldError struct {
	Record  string // e.g. "customers[0] (40003012345)", "readings[17] (MP-000123/T1 2026-10-31)"
	Field   string // e.g. "contracts[0].metering_points[1].multiplier"
	Message string
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.Record != "" {
		b.WriteString(e.Record)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in a dataset, in file order. A nil Errors means no problem.
type Errors []FieldError

// Error prints one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each problem as a *billing.Error with code billing.ErrInvalid, so that
// billing.ErrorCode maps a dataset's errors to the same exit and HTTP status as other
// invalid input.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		field := e.Field
		if e.Record != "" {
			field = strings.TrimSuffix(e.Record+"."+e.Field, ".")
		}
		out[i] = &billing.Error{Code: billing.ErrInvalid, Field: field, Message: e.Message}
	}
	return out
}

// sort orders the problems by record in file order (top level, supplier, calendar,
// price_plans, customers, readings, each by index), keeping the order within a record.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b FieldError) int {
		sa, ia := recordOrder(a.Record)
		sb, ib := recordOrder(b.Record)
		return cmp.Or(cmp.Compare(sa, sb), cmp.Compare(ia, ib))
	})
}

var sections = []string{"", "supplier", "calendar", "price_plans", "customers", "readings"}

func recordOrder(record string) (section, index int) {
	name, rest, _ := strings.Cut(record, "[")
	section = slices.Index(sections, name)
	if section < 0 {
		section = len(sections)
	}
	if num, _, ok := strings.Cut(rest, "]"); ok {
		index, _ = strconv.Atoi(num)
	}
	return section, index
}

// SyntaxError is JSON that cannot be read at all; nothing after it is checked.
type SyntaxError struct {
	Line, Column int // 1-based; the column counts characters, not bytes
	Message      string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// Unwrap makes billing.ErrorCode report billing.ErrInvalid.
func (e *SyntaxError) Unwrap() error {
	return &billing.Error{Code: billing.ErrInvalid, Message: e.Error()}
}
