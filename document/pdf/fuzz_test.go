package pdf

import (
	"strings"
	"testing"

	"github.com/erekins/erekins/document/sample"
)

// FuzzRenderText puts arbitrary text into the customer's name and address and a line's
// description: rendering never panics and the result is valid PDF.
func FuzzRenderText(f *testing.F) {
	for _, s := range []string{"", `=SIA "Bite & <Kods>" +1`, "Ķēniņš \\ ( ) %", "ООО Ромашка 東京 😀",
		"\x00\xff\r\n\t", strings.Repeat("W", 400), strings.Repeat("ā ", 300), "{nb} \u202e\u200b"} {
		f.Add(s, s, s)
	}
	r := renderer(f)
	f.Fuzz(func(t *testing.T, name, street, desc string) {
		inv := sample.Cases()[1].Invoice
		inv.Customer.Name = name
		inv.Customer.Address.Street = street
		inv.Customer.Address.City = desc
		inv.Lines[0].Description = desc
		inv.Reason = name
		inv.Corrects = street
		b, err := r.Render(inv)
		if err != nil {
			t.Fatal(err)
		}
		validate(t, b)
	})
}
