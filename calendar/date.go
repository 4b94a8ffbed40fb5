// Package calendar holds the business dates of erekins: a civil Date without a time of day,
// the Europe/Riga zone every date rule is evaluated in, and the Latvian working-day calendar
// (public holidays with their weekend transfers, plus the supplier's extra holidays and
// working Saturdays).
package calendar

import (
	"database/sql/driver"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Riga must work on machines without a zoneinfo database.
)

// Riga is the supplier's time zone; every business date is a date in Riga.
var Riga = mustLoad("Europe/Riga")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load %s: %v", name, err))
	}
	return loc
}

// Date is a calendar day, independent of any time zone. The zero Date is "no date".
type Date struct {
	t time.Time // midnight UTC of the day; zero for no date
}

// NewDate returns the given day; out-of-range values normalise as time.Date does.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf is the day in Riga of the instant t.
func DateOf(t time.Time) Date {
	r := t.In(Riga)
	return NewDate(r.Year(), r.Month(), r.Day())
}

// ParseDate reads an ISO date (YYYY-MM-DD).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// MustDate parses s and panics on error; for tests and constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool          { return d.t.IsZero() }
func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Day() int              { return d.t.Day() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }
func (d Date) AddDays(n int) Date    { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) AddMonths(n int) Date  { return Date{d.t.AddDate(0, n, 0)} }
func (d Date) Before(o Date) bool    { return d.t.Before(o.t) }
func (d Date) After(o Date) bool     { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool     { return d.t.Equal(o.t) }
func (d Date) Compare(o Date) int    { return d.t.Compare(o.t) }
func (d Date) Time() time.Time       { return d.t }
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

// FirstOfMonth and LastOfMonth bound d's month.
func (d Date) FirstOfMonth() Date { return NewDate(d.Year(), d.Month(), 1) }
func (d Date) LastOfMonth() Date  { return NewDate(d.Year(), d.Month()+1, 0) }

// String is the ISO form, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Min and Max return the earlier and the later of two dates.
func Min(a, b Date) Date {
	if a.Before(b) {
		return a
	}
	return b
}

func Max(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores a Date as ISO text (NULL for the zero Date); both databases accept it.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a Date from ISO text (SQLite) or a time.Time (PostgreSQL DATE).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	default:
		return fmt.Errorf("calendar: cannot scan %T into Date", src)
	}
	return nil
}
