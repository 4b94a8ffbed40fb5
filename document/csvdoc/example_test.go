package csvdoc_test

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/csvdoc"
	"github.com/erekins/erekins/document/sample"
)

func ExampleRender() {
	inv := sample.Cases()[6].Invoice // an English customer: decimal points
	b, err := csvdoc.Render(inv, csvdoc.Options{})
	if err != nil {
		panic(err)
	}
	lines := strings.Split(string(b), "\r\n")
	fmt.Println(len(lines)-2, "lines")
	fmt.Println(lines[1])
	// Output:
	// 5 lines
	// ER-2026-000107;invoice;2026-12-01;2026-12-21;2026-11-01;2026-11-30;L-2025-0107;Baltic Widgets Ltd;40003078901;LV40003078901;EUR;RF80ER2026000107;;;1;Electricity;MP-000700;T1;2026-11-01;2026-11-15;40000.000;42500.000;1;1250.000;kWh;0.145200;181.50;S;21.00;false;490.07;102.91;592.98;592.98
}

func ExampleWriter() {
	w := csvdoc.NewWriter(os.Stdout, csvdoc.Options{Language: "lv"})
	for _, c := range sample.Cases()[:2] {
		if err := w.Write(c.Invoice); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
}

func ExampleXLSX() {
	var invs []*billing.Invoice
	for _, c := range sample.Cases() {
		invs = append(invs, c.Invoice)
	}
	f, err := os.CreateTemp("", "invoices-*.xlsx")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	if err := csvdoc.XLSX(f, slices.Values(invs), "lv"); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
