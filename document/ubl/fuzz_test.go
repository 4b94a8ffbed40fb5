package ubl

import (
	"encoding/xml"
	"testing"

	"github.com/erekins/erekins/document/sample"
)

// FuzzRenderText feeds arbitrary strings into the customer's name and address and a line's
// description: Render must not panic, and what it renders must be well-formed XML that gives
// the name back (with characters XML cannot carry replaced).
func FuzzRenderText(f *testing.F) {
	for _, s := range []string{"", " ", `=SIA "Bite & <Kods>" +1`, "a\x00b\x1b\r\n\t", "\xff\xfe", "\uFFFE\uFFFF", "]]>", "&amp;", "<!--", "Ķēniņš"} {
		f.Add(s, s, s)
	}
	base := sample.Cases()[0].Invoice
	f.Fuzz(func(t *testing.T, name, street, desc string) {
		inv := *base
		inv.Lines = append(inv.Lines[:0:0], base.Lines...)
		inv.Customer.Name, inv.Customer.Address.Street, inv.Lines[0].Description = name, street, desc
		doc, err := Render(&inv, testPDF, name+".pdf")
		if err != nil {
			if blank(name) || blank(desc) {
				return // refused: a name and a description are mandatory
			}
			t.Fatalf("render: %v", err)
		}
		if err := decodeAll(doc); err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, doc)
		}
		var got struct {
			Name string `xml:"AccountingCustomerParty>Party>PartyLegalEntity>RegistrationName"`
		}
		if err := xml.Unmarshal(doc, &got); err != nil {
			t.Fatal(err)
		}
		if want := string(appendEscapedRoundTrip(name)); got.Name != want {
			t.Fatalf("name %q came back as %q, want %q", name, got.Name, want)
		}
	})
}

// appendEscapedRoundTrip is what a parser reads back from appendEscaped(s): s with the
// characters XML cannot carry replaced by U+FFFD, and CR kept (it is written as &#xD;).
func appendEscapedRoundTrip(s string) []byte {
	var b []byte
	for _, r := range s { // invalid UTF-8 ranges as U+FFFD, which is what is written
		switch {
		case r == 0xFFFE, r == 0xFFFF, r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, string(r)...)
		}
	}
	return b
}
