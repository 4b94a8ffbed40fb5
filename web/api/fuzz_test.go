package api

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzReadingsBatch feeds the readings batch parser any bytes: it never panics, every
// error names a field, row errors name their own row, and a batch without errors has every
// reading complete.
func FuzzReadingsBatch(f *testing.F) {
	for _, seed := range []string{
		`{"readings":[{"metering_point":"LV-1","register":"T1","date":"2026-11-28","value":"12345.6","confirm":false,"reason":""}]}`,
		`{"readings":[{"metering_point":"LV-1","register":"DAY","date":"2026-11-28","value":"1"},{"metering_point":"LV-1","register":"NIGHT","date":"2026-11-28","value":"2","confirm":true,"reason":"typo"}]}`,
		`{"readings":[null,1,"x",[],{}]}`,
		`{"readings":[{"value":12}]}`,
		`{"readings":{}}`,
		`{"readings":[]}`,
		`{"readings":[{"metering_point":"LV-1","register":"T1","date":"2026-02-30","value":"1e5"}]}`,
		`{"readings":[{"date":"2026-11-28","extra":true}]}`,
		`{"readings":[]} trailing`,
		`{"readings":[{"metering_point":"\u0000","register":"T1","date":"2026-11-28","value":"-1"}]}`,
		`[`, ``, `null`, `"readings"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, errs, err := parseReadings(body)
		if err != nil {
			if err.Field == "" || err.Code == "" || err.Message == "" || err.Status < 400 {
				t.Fatalf("request error without a field, code or status: %+v", err)
			}
			if rows != nil || errs != nil {
				t.Fatalf("a request error with rows")
			}
			return
		}
		if len(rows) == 0 || len(rows) > maxBatch {
			t.Fatalf("%d rows accepted", len(rows))
		}
		bad := map[int]bool{}
		for _, e := range errs {
			prefix := "readings[" + strconv.Itoa(e.Index) + "]"
			if e.Index < 0 || e.Index >= len(rows) || !strings.HasPrefix(e.Field, prefix) || e.Code == "" || e.Message == "" {
				t.Fatalf("row error %+v does not name its row's field", e)
			}
			bad[e.Index] = true
		}
		for i, r := range rows {
			if bad[i] {
				continue
			}
			if r.Key.MeteringPoint == "" || r.Key.Register == "" || r.Date.IsZero() || r.Value.IsNegative() {
				t.Fatalf("row %d passed incomplete: %+v", i, r)
			}
		}
	})
}
