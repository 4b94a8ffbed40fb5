package portal

import (
	"errors"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
)

func TestPasswordHash(t *testing.T) {
	p := Argon2Params{Memory: 1024, Time: 1, Threads: 1}
	h1, err := HashPassword("correct horse battery", p)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("correct horse battery", p)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=1024,t=1,p=1$") || h1 == h2 {
		t.Errorf("hashes %q and %q: want argon2id PHC strings with different salts", h1, h2)
	}
	for _, tc := range []struct {
		name, password string
		want           bool
	}{
		{"the password", "correct horse battery", true},
		{"another password", "correct horse battery!", false},
		{"empty", "", false},
		{"case matters", "Correct horse battery", false},
	} {
		got, err := CheckPassword(h1, tc.password)
		if err != nil || got != tc.want {
			t.Errorf("%s: %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := HashPassword("short", p); err == nil {
		t.Error("a short password was hashed")
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=19$m=x$salt$hash", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"} {
		if ok, err := CheckPassword(bad, "anything at all"); ok || err == nil {
			t.Errorf("hash %q: %v, %v; want an error", bad, ok, err)
		}
	}
	// The default cost holds as stored: a hash made with it checks with it.
	h, _ := HashPassword("correct horse battery", DefaultArgon2)
	if ok, _ := CheckPassword(h, "correct horse battery"); !ok || !strings.Contains(h, "m=19456,t=2,p=1") {
		t.Errorf("default parameters: %q", h)
	}
}

func TestFormats(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		lang string
		in   decimal.Decimal
		want string
	}{
		{"lv", d("1234.56"), "1\u00a0234,56\u00a0€"},
		{"lv", d("0.5"), "0,50\u00a0€"},
		{"lv", d("1234567.891"), "1\u00a0234\u00a0567,89\u00a0€"},
		{"lv", d("-12.3"), "−12,30\u00a0€"},
		{"en", d("1234.56"), "€1,234.56"},
		{"en", d("-1234.5"), "−€1,234.50"},
	} {
		if got := formatMoney(tc.lang, tc.in); got != tc.want {
			t.Errorf("money %s %s: %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
	if got := formatDate("lv", calendar.MustDate("2026-11-27")); got != "27.11.2026" {
		t.Errorf("lv date %q", got)
	}
	if got := formatDate("en", calendar.MustDate("2026-03-05")); got != "5 Mar 2026" {
		t.Errorf("en date %q", got)
	}
	if got := formatNumber("lv", d("12345.678"), -1); got != "12\u00a0345,678" {
		t.Errorf("lv number %q", got)
	}
}

// TestTexts checks that every text key the templates use exists in both languages.
func TestTexts(t *testing.T) {
	for k, v := range texts {
		if v[0] == "" || v[1] == "" {
			t.Errorf("text %q lacks a language", k)
		}
	}
	used := regexp.MustCompile(`\.T "([^"]+)"`)
	dynamic := regexp.MustCompile(`printf "([a-z_.]+)%s"`)
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(assets, path)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := texts[m[1]]; !ok {
				t.Errorf("%s uses text %q, which is missing", path, m[1])
			}
		}
		for _, m := range dynamic.FindAllStringSubmatch(string(b), -1) {
			n := 0
			for k := range texts {
				if strings.HasPrefix(k, m[1]) {
					n++
				}
			}
			if n == 0 {
				t.Errorf("%s uses texts %q…, none exist", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"readings.badvalue", "signin.limited", "contacts.err.email", "contacts.err.phone", "contacts.err.none", "contacts.err.long",
		"invoices.badperiod", "readings.baddate", "readings.longreason", "error.csrf"} {
		if _, ok := texts[key]; !ok {
			t.Errorf("text %q used by Go code is missing", key)
		}
	}
	for _, z := range []string{"zone.T1", "zone.DAY", "zone.NIGHT", "source.portal", "source.estimate", "source.import", "source.operator", "source.api",
		"role.admin", "role.billing", "role.readings", "role.viewer", "type.invoice", "type.credit_note"} {
		if _, ok := texts[z]; !ok {
			t.Errorf("text %q is missing", z)
		}
	}
}

// TestReadingMessages checks that the rules' messages, as billing writes them, are translated.
func TestReadingMessages(t *testing.T) {
	r := billing.DefaultRules()
	h := &billing.History{Readings: []billing.Reading{{Date: calendar.MustDate("2026-09-30"), Value: decimal.NewFromInt(5000), Source: "import"}}}
	st := billing.RegisterState{Digits: 6, Multiplier: 1, History: h, Billed: map[billing.Month]bool{}}
	at := calendar.MustDate("2026-10-30").In(calendar.Riga).Add(12 * 60 * 60 * 1e9)
	for _, tc := range []struct {
		name  string
		value string
		date  string
		want  string
	}{
		{"lower", "10", "2026-10-29", "mazāks par pēdējo faktisko rādījumu"},
		{"negative", "-1", "2026-10-29", "nevar būt negatīvs"},
		{"outside the window", "5100", "2026-10-15", "neietilpst rādījumu iesniegšanas laikā"},
		{"future", "5100", "2026-10-31", "vēlāks par iesniegšanas dienu"},
		{"decimals", "5100.0001", "2026-10-29", "vairāk nekā 3 zīmes"},
	} {
		_, err := r.Accept(st, billing.Submission{Key: billing.RegisterKey{MeteringPoint: "MP", Register: "T1"}, Date: calendar.MustDate(tc.date),
			Value: decimal.RequireFromString(tc.value), At: at, Source: "portal"})
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if got := errorMessage("lv", err); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want it to say %q (from %q)", tc.name, got, tc.want, err)
		}
		if got := errorMessage("en", err); strings.Contains(got, tc.want) || got == "" {
			t.Errorf("%s: English %q", tc.name, got)
		}
	}
	if got := errorMessage("lv", errors.New("boom")); got != text("lv", "error.internal") {
		t.Errorf("internal error shown as %q", got)
	}
}

func TestFirstCustomer(t *testing.T) {
	tests := []struct {
		ms   []sqldb.Membership
		want int64
	}{
		{[]sqldb.Membership{{CustomerID: 1, Role: sqldb.RoleViewer}}, 1},
		{[]sqldb.Membership{{CustomerID: 1, Role: sqldb.RoleViewer}, {CustomerID: 2, Role: sqldb.RoleAdmin}}, 2},
		{[]sqldb.Membership{{CustomerID: 1, Role: sqldb.RoleReadings}, {CustomerID: 2, Role: sqldb.RoleViewer}, {CustomerID: 3, Role: sqldb.RoleBilling}}, 3},
		{[]sqldb.Membership{{CustomerID: 1, Role: sqldb.RoleAdmin}, {CustomerID: 2, Role: sqldb.RoleAdmin}}, 1}, // the first by name
	}
	for _, tc := range tests {
		if got := firstCustomer(tc.ms); got != tc.want {
			t.Errorf("firstCustomer(%+v) = %d, want %d", tc.ms, got, tc.want)
		}
	}
}
