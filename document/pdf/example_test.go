package pdf_test

import (
	"fmt"
	"os"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/document/pdf"
	"github.com/erekins/erekins/document/sample"
)

func ExampleRenderer_Render() {
	r, err := pdf.New() // once: parses the fonts
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	inv := sample.Cases()[0].Invoice
	b, err := r.Render(inv) // safe from many goroutines
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(string(b[:8]))
	// Output: %PDF-1.5
}

func ExampleEPCPayload() {
	s, _ := pdf.EPCPayload(pdf.Payment{BIC: "BANKLV2X", Name: "AS Demo", IBAN: "LV80BANK0000435195001",
		Amount: decimal.RequireFromString("12.3"), Reference: "RF48ER2026000101"})
	fmt.Printf("%q\n", s)
	// Output: "BCD\n002\n1\nSCT\nBANKLV2X\nAS Demo\nLV80BANK0000435195001\nEUR12.30\n\nRF48ER2026000101"
}
