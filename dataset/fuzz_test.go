package dataset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse and Validate: they must never panic, and every
// problem must say something.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"version":1}`, `{"version":2}`, `{"version":1,"version":1}`,
		`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"1e999999999"}]}`,
		`{"version":1,"customers":[{"contracts":[{"metering_points":[{"digits":12,"registers":["T1"],"code":"A"}]}]}],"readings":[{"metering_point":"A","value":"99999999999999999999999.5"}]}`,
		`{"version":1,"price_plans":[{"components":[{"name":{"lv":null,"en":1},"prices":[null,{}]}]}]}`,
		"{\"version\":1,\"supplier\":{\"name\":\"\xff\"}}",
	} {
		f.Add([]byte(s))
	}
	known := fullKnown()
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := Parse(bytes.NewReader(data))
		if err == nil {
			for _, e := range Validate(ds, known) {
				if e.Message == "" {
					t.Errorf("problem without a message: %+v", e)
				}
			}
		} else {
			_ = err.Error()
		}
		if _, err := Load(bytes.NewReader(data), known); err != nil {
			var errs Errors
			if errors.As(err, &errs) {
				for _, e := range errs {
					if e.Message == "" {
						t.Errorf("problem without a message: %+v", e)
					}
				}
			}
		}
	})
}
