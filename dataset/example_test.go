package dataset_test

import (
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/dataset"
)

func ExampleLoad() {
	file := `{
	  "version": 1,
	  "readings": [
	    {"metering_point": "MP-000123", "register": "T1", "date": "2026-10-31", "value": 10500, "submitted_at": "2026-10-31T10:00:00+02:00"},
	    {"metering_point": "MP-000999", "register": "T2", "date": "2026-10-31", "value": "12.5", "source": "estimate", "submitted_at": "2026-10-30T12:00:00+02:00"}
	  ]
	}`
	// The import service says what the database already holds.
	known := &dataset.KnownSet{MeteringPoints: map[string]billing.MeteringPoint{
		"MP-000123": {Code: "MP-000123", Digits: 6, Multiplier: 1, Registers: []string{"T1"}},
	}}
	_, err := dataset.Load(strings.NewReader(file), known)
	fmt.Println(err)
	// Output:
	// readings[0] (MP-000123/T1 2026-10-31): value: must be a JSON string holding a decimal, such as "10500": amounts are strings, never JSON numbers
	// readings[1] (MP-000999/T2 2026-10-31): metering_point: metering point "MP-000999" is neither in the file nor in the database
	// readings[1] (MP-000999/T2 2026-10-31): source: estimate readings are made by billing and cannot be imported; use one of portal, api, import, operator
	// readings[1] (MP-000999/T2 2026-10-31): submitted_at: submitted on 2026-10-30 in Riga, before the reading date 2026-10-31
}
