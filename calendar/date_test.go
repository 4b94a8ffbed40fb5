package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/erekins/erekins/calendar"
)

var d = calendar.MustDate

func TestDateOfIsTheDayInRiga(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		at   time.Time
		want calendar.Date
	}{
		{"30 Nov 23:30 UTC is already 1 Dec in Riga (winter, UTC+2)", time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), d("2026-12-01")},
		{"30 Nov 21:59 UTC is still 30 Nov in Riga", time.Date(2026, 11, 30, 21, 59, 59, 0, time.UTC), d("2026-11-30")},
		{"30 Nov 22:00 UTC is midnight of 1 Dec in Riga", time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC), d("2026-12-01")},
		{"summer time: 30 Jun 21:00 UTC is 1 Jul in Riga (UTC+3)", time.Date(2026, 6, 30, 21, 0, 0, 0, time.UTC), d("2026-07-01")},
		{"31 Dec 22:15 UTC is New Year in Riga", time.Date(2026, 12, 31, 22, 15, 0, 0, time.UTC), d("2027-01-01")},
		{"an instant in another zone is read in Riga", time.Date(2026, 12, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), d("2026-12-01")},
		{"an instant in New York late on 30 Nov is 1 Dec in Riga", time.Date(2026, 11, 30, 18, 0, 0, 0, time.FixedZone("EST", -5*3600)), d("2026-12-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := calendar.DateOf(tt.at); got != tt.want {
				t.Errorf("DateOf(%s) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    calendar.Date
		wantErr bool
	}{
		{"ISO date", "2026-11-27", calendar.NewDate(2026, time.November, 27), false},
		{"leap day", "2028-02-29", calendar.NewDate(2028, time.February, 29), false},
		{"not a leap year", "2026-02-29", calendar.Date{}, true},
		{"Latvian format is not ISO", "27.11.2026", calendar.Date{}, true},
		{"empty", "", calendar.Date{}, true},
		{"with a time", "2026-11-27T10:00:00Z", calendar.Date{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := calendar.ParseDate(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseDate(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  calendar.Date
		want calendar.Date
	}{
		{"NewDate normalises day 0 to the last of the previous month", calendar.NewDate(2026, time.March, 0), d("2026-02-28")},
		{"NewDate normalises month 13", calendar.NewDate(2026, 13, 3), d("2027-01-03")},
		{"AddDays crosses a year", d("2026-12-31").AddDays(1), d("2027-01-01")},
		{"AddDays over the spring DST change is one day", d("2026-03-28").AddDays(1), d("2026-03-29")},
		{"AddMonths from a first of month", d("2026-12-01").AddMonths(1), d("2027-01-01")},
		{"FirstOfMonth", d("2026-11-27").FirstOfMonth(), d("2026-11-01")},
		{"LastOfMonth of a 30-day month", d("2026-11-27").LastOfMonth(), d("2026-11-30")},
		{"LastOfMonth of February in a leap year", d("2028-02-10").LastOfMonth(), d("2028-02-29")},
		{"LastOfMonth of December", d("2026-12-01").LastOfMonth(), d("2026-12-31")},
		{"Min", calendar.Min(d("2026-11-27"), d("2026-11-03")), d("2026-11-03")},
		{"Max", calendar.Max(d("2026-11-27"), d("2026-11-03")), d("2026-11-27")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != tt.want {
				t.Errorf("got %s, want %s", tt.got, tt.want)
			}
		})
	}
}

func TestDaysUntil(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"same day", "2026-11-27", "2026-11-27", 0},
		{"a 30-day month", "2026-11-01", "2026-11-30", 29},
		{"across the autumn DST change", "2026-10-24", "2026-10-26", 2},
		{"backwards", "2026-12-03", "2026-11-27", -6},
		{"a leap year", "2028-01-01", "2029-01-01", 366},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := d(tt.from).DaysUntil(d(tt.to)); got != tt.want {
				t.Errorf("%s.DaysUntil(%s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestDateIn(t *testing.T) {
	t.Parallel()
	got := d("2026-12-01").In(calendar.Riga)
	want := time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)
	if !got.Equal(want) {
		t.Errorf("midnight of 1 Dec in Riga = %s, want %s", got.UTC(), want)
	}
}

func TestDateJSONAndSQL(t *testing.T) {
	t.Parallel()
	type doc struct {
		On  calendar.Date `json:"on"`
		Off calendar.Date `json:"off,omitzero"`
	}
	b, err := json.Marshal(doc{On: d("2026-11-27")})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"on":"2026-11-27"}` {
		t.Errorf("JSON = %s", b)
	}
	var back doc
	if err := json.Unmarshal([]byte(`{"on":"2026-11-27","off":""}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.On != d("2026-11-27") || !back.Off.IsZero() {
		t.Errorf("decoded %+v", back)
	}

	scans := []struct {
		name string
		src  any
		want calendar.Date
	}{
		{"NULL", nil, calendar.Date{}},
		{"SQLite text", "2026-11-27", d("2026-11-27")},
		{"bytes", []byte("2026-11-27"), d("2026-11-27")},
		{"PostgreSQL DATE in another zone keeps its day", time.Date(2026, 11, 27, 0, 0, 0, 0, calendar.Riga), d("2026-11-27")},
	}
	for _, tt := range scans {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got calendar.Date
			if err := got.Scan(tt.src); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Scan(%v) = %s, want %s", tt.src, got, tt.want)
			}
		})
	}
	var bad calendar.Date
	if err := bad.Scan(42); err == nil {
		t.Error("Scan(int) succeeded, want an error")
	}
	if v, _ := (calendar.Date{}).Value(); v != nil {
		t.Errorf("zero Date stores %v, want NULL", v)
	}
	if v, _ := d("2026-11-27").Value(); v != "2026-11-27" {
		t.Errorf("Date stores %v, want ISO text", v)
	}
}
