package ubl

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/document/sample"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testPDF stands in for the rendered PDF: small, but a real PDF header and binary bytes.
var testPDF = append([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff}, 600)...)

func pdfName(inv *billing.Invoice) string { return inv.Number + ".pdf" }

func TestRenderGolden(t *testing.T) {
	for _, c := range sample.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			got, err := Render(c.Invoice, testPDF, pdfName(c.Invoice))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", c.Name+".xml")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./document/ubl -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the rendered document; review and run with -update", path)
			}
			if f := Check(got); len(f) > 0 {
				t.Errorf("Check found %d problems, first: %v", len(f), f[:min(5, len(f))])
			}
			mustDecode(t, got)
		})
	}
}

// mustDecode reads every token of doc with encoding/xml, failing on malformed XML.
func mustDecode(t interface {
	Helper()
	Fatalf(string, ...any)
}, doc []byte) {
	t.Helper()
	if err := decodeAll(doc); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, doc)
	}
}

func decodeAll(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestRenderEscapes(t *testing.T) {
	inv := sample.Cases()[0].Invoice
	inv.Customer.Name = `=SIA "Bite & <Kods>" 'x' +1`
	inv.Customer.Address.Street = "Iela\r\n1\x00\x1b \xff\uFFFE"
	got, err := Render(inv, testPDF, `a"b&c.pdf`)
	if err != nil {
		t.Fatal(err)
	}
	mustDecode(t, got)
	s := string(got)
	for _, want := range []string{
		`<cbc:Name>=SIA &quot;Bite &amp; &lt;Kods&gt;&quot; &apos;x&apos; +1</cbc:Name>`,
		"<cbc:StreetName>Iela&#xD;\n1\uFFFD\uFFFD \uFFFD\uFFFD</cbc:StreetName>",
		`filename="a&quot;b&amp;c.pdf"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	var doc struct {
		Names []string `xml:"AccountingCustomerParty>Party>PartyName>Name"`
	}
	if err := xml.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Names) != 1 || doc.Names[0] != inv.Customer.Name {
		t.Errorf("name decodes to %q, want %q", doc.Names, inv.Customer.Name)
	}
}

// A configured Peppol id becomes the electronic address; identifiers stay 0218.
func TestRenderPeppolID(t *testing.T) {
	for _, tt := range []struct{ id, want string }{
		{"9939:LV40003012345", `<cbc:EndpointID schemeID="9939">LV40003012345</cbc:EndpointID>`},
		{"iso6523-actorid-upis::0218:40003012345", `<cbc:EndpointID schemeID="0218">40003012345</cbc:EndpointID>`},
		{"bogus", `<cbc:EndpointID schemeID="0218">40003012345</cbc:EndpointID>`},
	} {
		inv := sample.Cases()[0].Invoice
		inv.Customer.PeppolID = tt.id
		doc, err := Render(inv, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), tt.want) {
			t.Errorf("%s: want %s", tt.id, tt.want)
		}
		if f := Check(doc); len(f) > 0 {
			t.Errorf("%s: %v", tt.id, f)
		}
		if dir := os.Getenv("UBL_DUMP_DIR"); dir != "" {
			os.WriteFile(filepath.Join(dir, "peppol-id-"+strings.ReplaceAll(tt.id, ":", "_")+".xml"), doc, 0o644)
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	for name, mutate := range map[string]func(*billing.Invoice){
		"unknown type":   func(i *billing.Invoice) { i.Type = "proforma" },
		"no number":      func(i *billing.Invoice) { i.Number = " " },
		"no lines":       func(i *billing.Invoice) { i.Lines = nil },
		"unknown unit":   func(i *billing.Invoice) { i.Lines[0].Unit = "MWh" },
		"negative price": func(i *billing.Invoice) { i.Lines[0].UnitPrice = i.Lines[0].UnitPrice.Neg() },
		"no IBAN":        func(i *billing.Invoice) { i.Supplier.IBAN = "" },
		"no buyer name":  func(i *billing.Invoice) { i.Customer.Name = "" },
	} {
		inv := sample.Cases()[0].Invoice
		mutate(inv)
		if _, err := Render(inv, nil, ""); err == nil {
			t.Errorf("%s: rendered, want an error", name)
		}
	}
}
