package sqldb

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
)

// jsonText is a value stored as JSON text (TEXT in SQLite, JSONB in PostgreSQL).
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sqldb: marshal %T: %v", v, err)) // only our own plain structs go here
	}
	return string(b)
}

// jsonCol scans a JSON column into a value.
type jsonCol struct{ v any }

func (j jsonCol) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case nil:
		return nil
	case string:
		b = []byte(s)
	case []byte:
		b = s
	default:
		return fmt.Errorf("scan JSON from %T", src)
	}
	return json.Unmarshal(b, j.v)
}

// nullDate stores the zero Date as NULL.
func nullDate(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// nullDec scans a nullable decimal.
type nullDec struct{ p **decimal.Decimal }

func (n nullDec) Scan(src any) error {
	if src == nil {
		*n.p = nil
		return nil
	}
	var d decimal.Decimal
	if err := d.Scan(src); err != nil {
		return err
	}
	*n.p = &d
	return nil
}

func decOrNil(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// utc normalises a timestamp before it is stored, so text comparisons in SQLite hold.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// timeCol scans a timestamp from either driver.
type timeCol struct{ p *time.Time }

func (t timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t.p = time.Time{}
	case time.Time:
		*t.p = v
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
			if p, err := time.Parse(layout, v); err == nil {
				*t.p = p
				return nil
			}
		}
		return fmt.Errorf("scan time from %q", v)
	default:
		return fmt.Errorf("scan time from %T", src)
	}
	return nil
}

var _ sql.Scanner = jsonCol{}

// readingCols are the columns scanReading reads, after the register's key.
const readingCols = `r.id, r.reading_date, r.value, r.source, r.submitted_by, r.submitted_at, r.confirmed, r.supersedes_id, r.reason`

func readingDest(r *billing.Reading, supersedes *sql.NullInt64) []any {
	return []any{&r.ID, &r.Date, &r.Value, &r.Source, &r.SubmittedBy, timeCol{&r.SubmittedAt}, &r.Confirmed, supersedes, &r.Reason}
}
