package app_test

import (
	"context"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/app"
	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/datagen"
	"github.com/erekins/erekins/delivery"
	"github.com/erekins/erekins/delivery/mailer"
	"github.com/erekins/erekins/delivery/smtptest"
	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// TestReminders runs the reminders every day from 20 December 2026 to 5 January 2027, twice
// a day, for December's window (27 December – 3 January; 31 December and 1 January are
// holidays, so the closing reminder is due on Wednesday 30 December). Contract L-000001
// submits its readings on 28 December.
func TestReminders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &clock{}
		a := open(t, dsn, issueDay)
		a.Now = clk.Now
		a.Delivery.Composer.BaseURL = "https://portal.example.lv"
		importGenerated(t, a, datagen.Config{Seed: 3, Contracts: 3, MinMeteringPoints: 1, MeteringPoints: 2, Months: 1,
			LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true, EInvoiceShare: 0.5,
			Customers: []datagen.Customer{{Name: "SIA Ozols", Language: "lv", Email: "Info@Ozols.lv"},
				{Name: "Acme Baltic Ltd", Language: "en", Email: "ap@acme.example.com"}}})

		sent := map[string][]string{} // day → "contract kind"
		for day := d("2026-12-20"); !day.After(d("2027-01-05")); day = day.AddDays(1) {
			clk.Set(day.In(calendar.Riga).Add(7 * time.Hour))
			if day == d("2026-12-28") {
				submitAll(t, a, "L-000001", day)
			}
			before := len(deliveries(t, a, sqldb.DeliveryFilter{}))
			for range 2 { // a second run the same day sends nothing
				if _, err := a.Remind(ctx, day); err != nil {
					t.Fatalf("remind %s: %v", day, err)
				}
			}
			ds := deliveries(t, a, sqldb.DeliveryFilter{})
			for _, dl := range ds[:len(ds)-before] {
				sent[day.String()] = append(sent[day.String()], dl.Contract+" "+dl.Recipient)
			}
		}
		for _, s := range sent {
			slices.Sort(s)
		}
		want := map[string][]string{
			"2026-12-27": {"L-000001 info@ozols.lv", "L-000002 ap@acme.example.com", "L-000003 info@ozols.lv"},
			"2026-12-30": {"L-000002 ap@acme.example.com", "L-000003 info@ozols.lv"},
		}
		if fmt.Sprint(sent) != fmt.Sprint(want) {
			t.Errorf("reminders by day\n got %v\nwant %v", sent, want)
		}

		// the e-mails: the customer's language, the window, what is missing; sent like invoices
		srv := smtptest.Start(t)
		var err error
		if a.Delivery.Mailer, err = mailer.NewSMTP(srv.URL(), 5*time.Second); err != nil {
			t.Fatal(err)
		}
		for _, dl := range deliveries(t, a, sqldb.DeliveryFilter{}) {
			if dl.Kind != delivery.KindReminder || dl.Status != delivery.Queued {
				t.Fatalf("delivery %+v: want a queued reminder", dl)
			}
			if got := attempt(t, a, dl); got.Status != delivery.Sent {
				t.Fatalf("reminder %d: %s (%s)", dl.ID, got.Status, got.LastReply)
			}
		}
		subjects := map[string]bool{}
		for _, r := range srv.Received() {
			m, err := mail.ReadMessage(strings.NewReader(string(r.Data)))
			if err != nil {
				t.Fatal(err)
			}
			subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
			subjects[subj] = true
			body := string(readParts(t, m)["text/plain"])
			if !strings.Contains(body, "https://portal.example.lv") || !strings.Contains(body, "27") {
				t.Errorf("reminder body wants the portal link and the window:\n%s", body)
			}
			// composed when sent: the registers still missing then (L-000001 submitted all)
			complete := strings.Contains(body, "L-000001")
			if strings.Contains(body, "- MP-") == complete {
				t.Errorf("reminder body lists missing registers %v, want %v:\n%s", !complete, !complete, body)
			}
		}
		for _, s := range []string{
			"Skaitītāju rādījumi par 2026. gada decembri: iesniedziet līdz 03.01.2027",
			"Atgādinājums: Skaitītāju rādījumi par 2026. gada decembri: iesniedziet līdz 03.01.2027",
			"Meter readings for December 2026: please submit them by 3 January 2027",
			"Reminder: Meter readings for December 2026: please submit them by 3 January 2027",
		} {
			if !subjects[s] {
				t.Errorf("no reminder with subject %q; got %v", s, subjects)
			}
		}
	})
}

// TestRemindersNotWhenComplete: a contract whose readings of the window are all in gets no
// reminder, neither when the window opens nor before it closes.
func TestRemindersNotWhenComplete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		clk := &clock{}
		a := open(t, dsn, issueDay)
		a.Now = clk.Now
		importGenerated(t, a, datagen.Config{Seed: 5, Contracts: 1, MinMeteringPoints: 2, MeteringPoints: 2, Months: 1,
			LastPeriod: calendar.MustDate("2026-11-01"), LegacyBaseline: true})
		day := d("2026-12-27")
		clk.Set(day.In(calendar.Riga).Add(7 * time.Hour))
		submitAll(t, a, "L-000001", day)
		for _, day := range []calendar.Date{d("2026-12-27"), d("2026-12-30")} {
			clk.Set(day.In(calendar.Riga).Add(7 * time.Hour))
			if n, err := a.Remind(ctx, day); err != nil || n != 0 {
				t.Errorf("%s: %d reminded (%v), want none", day, n, err)
			}
		}
		if ds := deliveries(t, a, sqldb.DeliveryFilter{}); len(ds) != 0 {
			t.Errorf("%d deliveries, want none", len(ds))
		}
	})
}

func TestDueReminders(t *testing.T) {
	days := calendar.NewWorkdays(nil, nil)
	r := billing.DefaultRules()
	cases := []struct {
		day  string
		want string
	}{
		{"2026-11-26", "[]"},
		{"2026-11-27", "[2026-11-01 open]"},
		{"2026-12-01", "[2026-11-01 open]"},
		{"2026-12-02", "[2026-11-01 closing]"}, // the working day before 3 December
		{"2026-12-03", "[2026-11-01 closing]"}, // a run missed on the 2nd still sends it
		{"2026-12-04", "[]"},
		{"2026-12-27", "[2026-12-01 open]"},    // a Sunday: the window opens all the same
		{"2026-12-29", "[2026-12-01 open]"},    // 31 Dec and 1 Jan are holidays, 2–3 Jan a weekend
		{"2026-12-30", "[2026-12-01 closing]"}, // so the closing reminder is due on the 30th
		{"2027-01-03", "[2026-12-01 closing]"},
		{"2027-01-04", "[]"},
	}
	for _, tc := range cases {
		var got []string
		for _, rem := range delivery.DueReminders(r, days, d(tc.day)) {
			got = append(got, rem.Window.Period.String()+" "+rem.Kind)
		}
		if fmt.Sprint(got) != tc.want && !(got == nil && tc.want == "[]") {
			t.Errorf("%s: %v, want %s", tc.day, got, tc.want)
		}
	}
}

// submitAll records a reading dated day on every register of a contract.
func submitAll(t *testing.T, a *app.App, contract string, day calendar.Date) {
	t.Helper()
	ctx := context.Background()
	rows, err := a.DB.QueryContext(ctx, a.DB.Q(`SELECT mp.code, r.zone, (SELECT rd.value FROM readings rd WHERE rd.register_id = r.id
		ORDER BY rd.reading_date DESC, rd.id DESC LIMIT 1) FROM metering_points mp JOIN registers r ON r.metering_point_id = mp.id
		JOIN contracts c ON c.id = mp.contract_id WHERE c.number = ? ORDER BY mp.code, r.zone`), contract)
	if err != nil {
		t.Fatal(err)
	}
	type reg struct {
		key  billing.RegisterKey
		last string
	}
	var regs []reg
	for rows.Next() {
		var r reg
		if err := rows.Scan(&r.key.MeteringPoint, &r.key.Register, &r.last); err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r)
	}
	rows.Close()
	if len(regs) == 0 {
		t.Fatalf("contract %s has no registers", contract)
	}
	for _, r := range regs {
		v := decimal.RequireFromString(r.last).Add(decimal.NewFromInt(10))
		if _, err := a.AddReading(ctx, billing.Submission{Key: r.key, Date: day, Value: v, Source: billing.SourceOperator,
			By: "test", Confirmed: true}); err != nil {
			t.Fatalf("reading %v: %v", r.key, err)
		}
	}
}
