package billing_test

import (
	"fmt"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

func ExampleRules_PaymentTerm() {
	r := billing.DefaultRules()
	for _, base := range []int{10, 17, 25} {
		fmt.Printf("base %d: paper %d, e-invoice %d\n", base, r.PaymentTerm(base, false), r.PaymentTerm(base, true))
	}
	// Output:
	// base 10: paper 10, e-invoice 15
	// base 17: paper 17, e-invoice 20
	// base 25: paper 25, e-invoice 25
}

func ExampleSchedule_IssueOnCompletion() {
	s := billing.Schedule{Workdays: calendar.NewWorkdays(nil, nil), Rules: billing.DefaultRules()}
	// The last reading arrives on Wednesday 23 December 2026.
	fmt.Println(s.IssueOnCompletion(calendar.MustDate("2026-12-23")))
	// Output: 2026-12-28
}

func ExampleFormatNumber() {
	r := billing.DefaultRules()
	n := billing.FormatNumber(r.InvoiceSeries, 2026, 1)
	fmt.Println(n, billing.PaymentReference(n))
	// Output: ER-2026-000001 RF32ER2026000001
}
