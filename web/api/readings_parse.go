package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// maxBatch is how many readings one request may carry.
const maxBatch = 1000

// readingRow is one reading of a batch as the client sends it.
type readingRow struct {
	MeteringPoint string `json:"metering_point"`
	Register      string `json:"register"`
	Date          string `json:"date"`
	Value         string `json:"value"`
	Confirm       bool   `json:"confirm"`
	Reason        string `json:"reason"`
}

// parsedReading is a row that passed the syntax checks, ready for the reading rules.
type parsedReading struct {
	Key     billing.RegisterKey
	Date    billing.Date
	Value   decimal.Decimal
	Confirm bool
	Reason  string
}

// valueRE is a meter value as the API takes it: digits with an optional fraction, no sign,
// exponent or thousands separator (the rules check the places and the register's range).
var valueRE = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,15})?$`)

// parseReadings reads a batch body {"readings": [...]}. A body that cannot be read as a
// batch is a request error; rows that can be read but are wrong come back as row errors,
// every one of them, each naming its field ("readings[3].date").
func parseReadings(body []byte) ([]parsedReading, []rowError, *apiError) {
	var batch struct {
		Readings []json.RawMessage `json:"readings"`
	}
	if err := decodeStrict(body, &batch, ""); err != nil {
		return nil, nil, err
	}
	switch n := len(batch.Readings); {
	case batch.Readings == nil:
		return nil, nil, invalid("readings", "the batch needs a readings array")
	case n == 0:
		return nil, nil, invalid("readings", "the batch has no readings")
	case n > maxBatch:
		return nil, nil, invalid("readings", "at most "+strconv.Itoa(maxBatch)+" readings per request")
	}
	out := make([]parsedReading, 0, len(batch.Readings))
	var errs []rowError
	for i, raw := range batch.Readings {
		p, e := parseRow(i, raw)
		errs = append(errs, e...)
		out = append(out, p)
	}
	return out, errs, nil
}

func parseRow(i int, raw json.RawMessage) (parsedReading, []rowError) {
	prefix := "readings[" + strconv.Itoa(i) + "]"
	var row readingRow
	if string(raw) == "null" {
		return parsedReading{}, []rowError{{Index: i, Code: billing.ErrInvalid, Field: prefix, Message: "must be an object"}}
	}
	if err := decodeStrict(raw, &row, prefix); err != nil {
		return parsedReading{}, []rowError{{Index: i, Code: billing.ErrInvalid, Field: err.Field, Message: err.Message}}
	}
	var errs []rowError
	bad := func(field, msg string) {
		errs = append(errs, rowError{Index: i, Code: billing.ErrInvalid, Field: prefix + "." + field, Message: msg})
	}
	p := parsedReading{Key: billing.RegisterKey{MeteringPoint: strings.TrimSpace(row.MeteringPoint), Register: strings.TrimSpace(row.Register)},
		Confirm: row.Confirm, Reason: strings.TrimSpace(row.Reason)}
	if p.Key.MeteringPoint == "" || len(p.Key.MeteringPoint) > 100 {
		bad("metering_point", "give the metering point's code")
	}
	if p.Key.Register == "" || len(p.Key.Register) > 20 {
		bad("register", "give the register (T1, DAY or NIGHT)")
	}
	d, err := calendar.ParseDate(row.Date)
	if err != nil || len(row.Date) != len("2006-01-02") {
		bad("date", "must be a date as YYYY-MM-DD")
	}
	p.Date = d
	if !valueRE.MatchString(row.Value) {
		bad("value", "must be a decimal string such as \"12345.6\"")
	} else {
		p.Value = decimal.RequireFromString(row.Value)
	}
	if len(p.Reason) > 500 {
		bad("reason", "at most 500 characters")
	}
	return p, errs
}

// canonical is the batch in a fixed form, for comparing a replayed Idempotency-Key's body
// with the first: the same readings in other whitespace or key order are the same request.
func canonical(rs []parsedReading) []byte {
	type row struct {
		P, R, D, V, Why string
		C               bool
	}
	out := make([]row, len(rs))
	for i, r := range rs {
		out[i] = row{P: r.Key.MeteringPoint, R: r.Key.Register, D: r.Date.String(), V: r.Value.String(), Why: r.Reason, C: r.Confirm}
	}
	return marshal(out)
}

func rowsError(msg string, rows []rowError) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: billing.ErrInvalid, Message: msg, Rows: rows}
}
