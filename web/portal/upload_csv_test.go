package portal

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestUploadCSVParse(t *testing.T) {
	type want struct {
		line                  int
		point, register, date string
		value                 string
		confirm               bool
		reason, problem       string
	}
	for _, tc := range []struct {
		name string
		file string
		want []want
		err  string // the key of a problem with the whole file
	}{
		{name: "semicolons, BOM, header, Latvian formats",
			file: "\xef\xbb\xbfuzskaites_punkts;zona;datums;rādījums;apstiprināt;iemesls\r\nMP-1;T1;27.11.2026;12 345,6;jā;\r\nMP-1;DAY;2026-11-27;12345.6;;nolasīts nepareizi\r\n",
			want: []want{{2, "MP-1", "T1", "2026-11-27", "12345.6", true, "", ""}, {3, "MP-1", "DAY", "2026-11-27", "12345.6", false, "nolasīts nepareizi", ""}}},
		{name: "commas, no header, a quoted decimal comma",
			file: "MP-1,T1,2026-11-27,\"12 345,6\"\nMP-2,T1,27.11.2026,7,yes\n",
			want: []want{{1, "MP-1", "T1", "2026-11-27", "12345.6", false, "", ""}, {2, "MP-2", "T1", "2026-11-27", "7", true, "", ""}}},
		{name: "lines without a value are skipped",
			file: "MP-1;T1;27.11.2026;;;\n\nMP-2;T1;27.11.2026;5\n;;;\n",
			want: []want{{3, "MP-2", "T1", "2026-11-27", "5", false, "", ""}}},
		{name: "each line's own problem",
			file: "MP-1;T1;27/11/2026;5\nMP-1;T1;27.11.2026;five\nMP-1;T1;27.11.2026;5;maybe\n;T1;27.11.2026;5\nMP-1;T1;5\nMP-1;;27.11.2026;5\nMP-1;T1;31.02.2026;5\n",
			want: []want{{line: 1, point: "MP-1", problem: "upload.err.date"}, {line: 2, point: "MP-1", problem: "upload.err.value"},
				{line: 3, point: "MP-1", problem: "upload.err.confirm"}, {line: 4, problem: "upload.err.point"},
				{line: 5, point: "MP-1", problem: "upload.err.columns"}, {line: 6, point: "MP-1", problem: "upload.err.register"},
				{line: 7, point: "MP-1", problem: "upload.err.date"}}},
		{name: "empty", file: "\xef\xbb\xbf\n\n", err: "upload.err.empty"},
		{name: "only a header", file: "metering_point;register;date;value\n", err: "upload.err.empty"},
		{name: "not UTF-8", file: "MP-1;T1;27.11.2026;5;;r\xe2d\n", err: "upload.err.encoding"},
		{name: "broken quotes", file: "MP-1;T1;27.11.2026;\"5\n", err: "upload.err.csv"},
		{name: "too many lines", file: strings.Repeat("MP-1;T1;27.11.2026;5\n", maxUploadRows+1), err: "upload.err.toolarge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := parseReadingsCSV([]byte(tc.file))
			var ue errUpload
			if tc.err != "" || err != nil {
				if !errors.As(err, &ue) || ue.key != tc.err {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if len(rows) != len(tc.want) {
				t.Fatalf("%d rows, want %d: %+v", len(rows), len(tc.want), rows)
			}
			for i, w := range tc.want {
				r := rows[i]
				if r.Line != w.line || r.Point != w.point || r.Problem != w.problem {
					t.Errorf("row %d: line %d point %q problem %q; want %d %q %q", i, r.Line, r.Point, r.Problem, w.line, w.point, w.problem)
				}
				if w.problem != "" {
					continue
				}
				if r.Register != w.register || r.Date.String() != w.date || !r.Value.Equal(decimal.RequireFromString(w.value)) ||
					r.Confirm != w.confirm || r.Reason != w.reason {
					t.Errorf("row %d: %+v, want %+v", i, r, w)
				}
			}
			// The rows the commit form carries read back the same.
			if back, ok := decodeRows(encodeRows(rows)); !ok && rows[0].Problem == "" {
				t.Error("encoded rows do not decode")
			} else if ok && (len(back) != len(rows) || back[0].Line != rows[0].Line || !back[0].Value.Equal(rows[0].Value) || back[0].Reason != rows[0].Reason) {
				t.Errorf("decoded %+v, want %+v", back, rows)
			}
		})
	}
}

func TestUploadDecodeRejects(t *testing.T) {
	for _, s := range []string{"", "x;MP-1;T1;2026-11-27;5;false;", "1;MP-1;T1;27/11/2026;5;false;", "1;MP-1;T1;2026-11-27;5;false", "1;MP-1;T1;2026-11-27;-;false;"} {
		if _, ok := decodeRows(base64.RawURLEncoding.EncodeToString([]byte(s))); ok {
			t.Errorf("decodeRows(%q) accepted", s)
		}
	}
	if _, ok := decodeRows("1;MP-1;T1;2026-11-27;5;false;"); ok {
		t.Error("decodeRows accepted rows that are not base64")
	}
}
