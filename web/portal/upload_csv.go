package portal

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// The readings CSV a customer uploads: one reading a line, columns metering point;
// register; date; value; and optionally confirm and reason. The separator is ";" when the
// first line has one outside quotes, "," otherwise; a UTF-8 byte order mark and a header
// line are skipped, and so are lines that give a register but no value (the template lists
// every register, and a person fills in those they read). Values may be written the
// Latvian way (12 345,6) or with a point (12345.6), dates as 27.11.2026 or 2026-11-27.
const (
	maxUploadBytes = 2 << 20 // of the file
	maxUploadRows  = 5000
	maxReasonLen   = 500
)

// uploadRow is one line of the file: what it says, and what the rules made of it.
type uploadRow struct {
	Line              int // in the file
	Point, Register   string
	RawDate, RawValue string // as written
	Reason            string
	Confirm           bool
	Problem           string // a text key: the line's fields are not a reading
	ProblemArg        int    // for the "columns" problem: how many there are
	Date              billing.Date
	Value             decimal.Decimal

	// The outcome of the check.
	Previous     *billing.Reading
	Consumption  *decimal.Decimal
	Rollover     bool
	Error        string // the message in the person's language; "" when the row is fine
	NeedsConfirm bool   // the only problem is an implausible consumption
}

// errUpload is a problem with the file as a whole, named by a text key.
type errUpload struct {
	key string
	arg any
}

func (e errUpload) Error() string { return e.key }

// parseReadingsCSV reads the rows of an uploaded file.
func parseReadingsCSV(data []byte) ([]uploadRow, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, errUpload{key: "upload.err.encoding"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = detectSeparator(data)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	var rows []uploadRow
	for first := true; ; first = false {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, errUpload{key: "upload.err.csv", arg: line}
		}
		line, _ := r.FieldPos(0)
		row := parseRecord(rec)
		row.Line = line
		switch {
		case first && row.Problem != "" && looksLikeHeader(rec):
			continue
		case blankRecord(rec):
			continue
		}
		if len(rows) == maxUploadRows {
			return nil, errUpload{key: "upload.err.toolarge"}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, errUpload{key: "upload.err.empty"}
	}
	return rows, nil
}

// detectSeparator is ";" when the first line has one outside quotes, "," otherwise.
func detectSeparator(data []byte) rune {
	quoted := false
	for _, c := range data {
		switch {
		case c == '"':
			quoted = !quoted
		case c == '\n' && !quoted:
			return ','
		case c == ';' && !quoted:
			return ';'
		}
	}
	return ','
}

// looksLikeHeader: a first line whose date and value are not a date and a number.
func looksLikeHeader(rec []string) bool {
	if len(rec) < 4 {
		return false
	}
	_, dok := parseUploadDate(rec[2])
	_, vok := parseValue(rec[3])
	return !dok && !vok
}

// blankRecord is an empty line, or a register without a value, confirmation or reason.
func blankRecord(rec []string) bool {
	if len(rec) < 4 {
		return strings.TrimSpace(strings.Join(rec, "")) == ""
	}
	for _, f := range rec[3:] {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func parseRecord(rec []string) uploadRow {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	var row uploadRow
	if len(rec) < 4 || len(rec) > 6 {
		row.Problem, row.ProblemArg = "upload.err.columns", len(rec)
		if len(rec) > 0 {
			row.Point = rec[0]
		}
		return row
	}
	rec = append(rec, "", "")[:6]
	row.Point, row.Register, row.RawDate, row.RawValue, row.Reason = rec[0], rec[1], rec[2], rec[3], rec[5]
	var ok bool
	row.Confirm, ok = parseConfirm(rec[4])
	if !ok {
		row.Problem = "upload.err.confirm"
	}
	if row.Value, ok = parseValue(row.RawValue); !ok {
		row.Problem = "upload.err.value"
	}
	if row.Date, ok = parseUploadDate(row.RawDate); !ok {
		row.Problem = "upload.err.date"
	}
	switch {
	case utf8.RuneCountInString(row.Reason) > maxReasonLen:
		row.Problem = "readings.longreason"
	case row.Register == "":
		row.Problem = "upload.err.register"
	case row.Point == "":
		row.Problem = "upload.err.point"
	}
	return row
}

// parseUploadDate reads 27.11.2026 or 2026-11-27.
func parseUploadDate(s string) (billing.Date, bool) {
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return billing.Date{}, false
	}
	day, err1 := strconv.Atoi(parts[0])
	month, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return billing.Date{}, false
	}
	d, err := calendar.ParseDate(fmt.Sprintf("%s-%02d-%02d", parts[2], month, day))
	return d, err == nil
}

// parseConfirm reads the confirm column: jā/yes (and the like) or empty/nē/no.
func parseConfirm(s string) (yes, ok bool) {
	switch strings.ToLower(s) {
	case "jā", "ja", "yes", "y", "x", "1", "true":
		return true, true
	case "", "nē", "ne", "no", "n", "0", "false":
		return false, true
	}
	return false, false
}

// encodeRows writes the rows the commit form carries: line, point, register, ISO date,
// value, confirm, reason, as CSV in base64 (browsers turn the line breaks of a field into
// CR LF when they submit it). decodeRows reads them back, checking every field again.
func encodeRows(rows []uploadRow) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Comma = ';'
	for _, r := range rows {
		w.Write([]string{strconv.Itoa(r.Line), r.Point, r.Register, r.Date.String(), r.Value.String(), strconv.FormatBool(r.Confirm), r.Reason})
	}
	w.Flush()
	return base64.RawURLEncoding.EncodeToString([]byte(b.String()))
}

func decodeRows(s string) ([]uploadRow, bool) {
	text, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = 7
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 || len(recs) > maxUploadRows {
		return nil, false
	}
	rows := make([]uploadRow, len(recs))
	for i, rec := range recs {
		line, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, false
		}
		rows[i] = parseRecord(rec[1:])
		rows[i].Line = line
		if rows[i].Problem != "" {
			return nil, false
		}
	}
	return rows, true
}
