package jsondoc_test

import (
	"encoding/json"
	"fmt"

	"github.com/erekins/erekins/document/jsondoc"
	"github.com/erekins/erekins/document/sample"
)

func ExampleRender() {
	b, err := jsondoc.Render(sample.Cases()[0].Invoice)
	if err != nil {
		panic(err)
	}
	var doc struct {
		Number string            `json:"number"`
		Totals map[string]string `json:"totals"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		panic(err)
	}
	fmt.Println(doc.Number, doc.Totals["payable"])
	// Output: ER-2026-000101 295.86
}
