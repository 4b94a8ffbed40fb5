package dataset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// streamingCases are documents on which the streaming reader is compared with the tree
// reader it replaced, beyond the test files and their mutations.
var streamingCases = []string{
	``, ` `, `{}`, `[]`, `null`, `1`, `"x"`, `{"version":1}`, `{"version":2}`, `{"version":1,"version":1}`,
	"\xef\xbb\xbf{\"version\":1}", "{\"version\":1}\n\n x", `{"version":1} {}`, `{"version":1}]`,
	`{"version":1,"readings":[]}`, `{"version":1,"readings":{}}`, `{"version":1,"readings":"x"}`, `{"version":1,"readings":[1,null,[],{}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"1e999999999"}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"1","value":"2"}]}`,
	`{"version":1,"readings":[{"metering_point":"A","extra":{"a":[1,2]},"register":"T1"}]}`,
	`{"version":1,"readings":[{"metering_point":{"x":1},"register":"T1"}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"1.50000","source":null,"submitted_by":null,"submitted_at":"2026-01-01T10:00:00.5+02:00","confirmed":null}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"0001","submitted_at":"2026-01-01T10:00:00Z","confirmed":1}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"-1","submitted_at":"2026-01-01T10:00:00Z"}]}`,
	`{"version":1,"readings":[{"metering_point":"A","register":"T1","date":"2026-01-01","value":"1"},{"metering_point":"A","register":"T1","date":"2026-01-01","value":"2"}],"readings":[]}`,
	`{"version":1,"customers":[{"contracts":[{"metering_points":[{"digits":12,"registers":["T1"],"code":"A"}]}]}],"readings":[{"metering_point":"A","value":"99999999999999999999999.5"}]}`,
	`{"version":1,"customers":[],"customers":"x"}`, `{"version":1,"customers":[1,"a",{}]}`,
	`{"version":1,"price_plans":[{"components":[{"name":{"lv":null,"en":1},"prices":[null,{}]}]}]}`,
	"{\"version\":1,\"supplier\":{\"name\":\"\xff\"}}", "{\"version\":1,\"supplier\":{\"name\":\"\\u00e9\\ud83d\\ude00\\ud800x\\n\"}}",
	"{\"version\":1,\n\"supplier\":{\"name\":\"a\tb\"}}", `{"version":1,"supplier":{"name":"a\qb"}}`, `{"version":1,"supplier":{"name":"\u12G4"}}`,
	`{"version":01}`, `{"version":-}`, `{"version":1.}`, `{"version":1e}`, `{"version":1.5e+3}`, `{"version":tru}`, `{"version":nulL}`,
	`{"version" 1}`, `{"version":1 "a":2}`, `{"version":1,}`, `{,}`, `[1 2]`, `[1,]`, `{"a":[}`, `{"a":"`, `{"a":"\`, `{"a":"\u12`, `{"a":1`, `{"a"`, `{`, `{"a":-`,
	"{\"a\":\"\xc3\"}", "{\"a\":1}\xff", "{\"a\":\xff}", "{\"a\": ā}",
	strings.Repeat("[", 64) + strings.Repeat("]", 64), strings.Repeat("[", 65) + strings.Repeat("]", 65),
	`{"version":1,"customers":` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}`,
	strings.Repeat("[", 70) + strings.Repeat("]", 69) + "}",
}

func TestStreamingMatchesTree(t *testing.T) {
	t.Parallel()
	docs := append([]string(nil), streamingCases...)
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		docs = append(docs, string(readFile(t, name)))
	}
	base := readFile(t, "testdata/full.json")
	for _, tc := range ruleCases {
		docs = append(docs, string(mutate(t, base, tc.muts...)))
	}
	for _, doc := range docs {
		compareReaders(t, []byte(doc))
	}
}

func FuzzStreamingMatchesTree(f *testing.F) {
	for _, s := range streamingCases {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) { compareReaders(t, doc) })
}

// compareReaders checks that Load and Parse agree with the tree reader on doc.
func compareReaders(t *testing.T, doc []byte) {
	t.Helper()
	want, wantErr := oldLoad(bytes.NewReader(doc), fullKnown())
	got, gotErr := Load(bytes.NewReader(doc), fullKnown())
	var wse, gse *SyntaxError
	switch {
	case errors.As(wantErr, &wse):
		if !errors.As(gotErr, &gse) || !sameSyntaxError(gse, wse) {
			t.Errorf("%q:\ngot  %v\nwant %v", clipDoc(doc), gotErr, wantErr)
		}
		return
	case (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()):
		t.Errorf("%q:\ngot  %v\nwant %v", clipDoc(doc), gotErr, wantErr)
		return
	}
	if want != nil {
		normalize(want)
		normalize(got)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%q:\ngot  %+v\nwant %+v", clipDoc(doc), got, want)
		}
	}
}

// sameSyntaxError compares syntax errors, but for two improvements. Where the file ends
// inside an escape or a number, encoding/json blamed an invented space before the end
// ("invalid character ' ' in string escape code"); the streaming reader says that the file
// ends there. And a file of white space that JSON does not know (a vertical tab) was called
// empty; it is an invalid character.
func sameSyntaxError(got, want *SyntaxError) bool {
	if *got == *want {
		return true
	}
	if want.Message == msgEmpty && strings.HasPrefix(got.Message, "invalid character ") {
		return true
	}
	return strings.HasPrefix(want.Message, "invalid character ' ' ") && got.Message == msgUnclosed &&
		got.Line == want.Line && got.Column == want.Column+1
}

// normalize makes the instants of readings comparable: the same instant in another
// *time.Location is the same.
func normalize(ds *Dataset) {
	for i := range ds.Readings {
		if t := ds.Readings[i].SubmittedAt; !t.IsZero() {
			ds.Readings[i].SubmittedAt = t.UTC()
		}
	}
	if len(ds.Readings) == 0 {
		ds.Readings = nil
	}
	if len(ds.Customers) == 0 {
		ds.Customers = nil
	}
	_ = time.UTC
}

func clipDoc(doc []byte) string {
	if len(doc) > 200 {
		return string(doc[:200]) + "…"
	}
	return string(doc)
}
