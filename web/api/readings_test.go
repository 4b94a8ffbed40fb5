package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/store/sqldb"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
	"github.com/erekins/erekins/web/portal"
)

// lastReading is a register's last reading as GET /meters shows it.
type lastReading struct {
	Point, Register, Date, Source string
	Value                         decimal.Decimal
}

// actualReading finds a register of the token's customer whose last reading is an actual
// one (not an estimate), so the rules' "lower than the last actual reading" holds.
func (w *world) actualReading(token string) lastReading {
	w.T.Helper()
	r := w.get("/api/v1/meters", token)
	for _, m := range r.JSON["meters"].([]any) {
		m := m.(map[string]any)
		for _, g := range m["registers"].([]any) {
			g := g.(map[string]any)
			last, _ := g["last_reading"].(map[string]any)
			if last == nil || last["source"] == "estimate" {
				continue
			}
			return lastReading{Point: m["metering_point"].(string), Register: g["register"].(string), Date: last["date"].(string),
				Source: last["source"].(string), Value: decimal.RequireFromString(last["value"].(string))}
		}
	}
	w.T.Fatal("no register with an actual last reading")
	return lastReading{}
}

func (w *world) current(token, point, register string) lastReading {
	w.T.Helper()
	r := w.get("/api/v1/meters", token)
	for _, m := range r.JSON["meters"].([]any) {
		m := m.(map[string]any)
		for _, g := range m["registers"].([]any) {
			g := g.(map[string]any)
			if m["metering_point"] == point && g["register"] == register {
				last := g["last_reading"].(map[string]any)
				return lastReading{Point: point, Register: register, Date: last["date"].(string), Source: last["source"].(string),
					Value: decimal.RequireFromString(last["value"].(string))}
			}
		}
	}
	w.T.Fatalf("no register %s/%s", point, register)
	return lastReading{}
}

func batch(rows ...string) string { return `{"readings":[` + strings.Join(rows, ",") + `]}` }

func row(point, register, date string, value decimal.Decimal, extra string) string {
	return fmt.Sprintf(`{"metering_point":%q,"register":%q,"date":%q,"value":%q%s}`, point, register, date, value.String(), extra)
}

func (w *world) submit(token, key, body string) response {
	w.T.Helper()
	h := map[string]string{}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return w.call(http.MethodPost, "/api/v1/readings", token, body, h)
}

// TestReadings submits batches: a refused row stores nothing of the batch, a valid batch
// is stored with source api, a replayed key gets the first answer, a key with another body
// or still running is refused, and keys are the customer's own.
func TestReadings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		reg := w.actualReading("readings")
		today := "2026-11-28"
		one := decimal.NewFromInt(1)

		r := w.submit("readings", "bad-1", batch(row(reg.Point, reg.Register, today, reg.Value.Sub(one), "")))
		if code, _ := r.errCode(); r.Status != http.StatusUnprocessableEntity || code != "invalid" {
			t.Fatalf("a lower reading: %d %s", r.Status, cut(r.Body))
		}
		if rows := r.JSON["rows"].([]any); len(rows) != 1 || rows[0].(map[string]any)["field"] != "readings[0].value" {
			t.Errorf("rows %v, want one at readings[0].value", rows)
		}
		// A valid reading beside another customer's meter: nothing is stored.
		r = w.submit("readings", "bad-2", batch(row(reg.Point, reg.Register, today, reg.Value.Add(one), ""), row(w.B.Point, w.B.Register, today, one, "")))
		if r.Status != http.StatusUnprocessableEntity || len(r.JSON["rows"].([]any)) != 1 {
			t.Fatalf("batch with a foreign meter: %d %s", r.Status, cut(r.Body))
		}
		if got := w.current("readings", reg.Point, reg.Register); !got.Value.Equal(reg.Value) {
			t.Fatalf("a refused batch stored %s", got.Value)
		}

		body := batch(row(reg.Point, reg.Register, today, reg.Value.Add(one), `,"confirm":false,"reason":""`))
		first := w.submit("readings", "k-1", body)
		if first.Status != http.StatusCreated || first.JSON["stored"] != float64(1) {
			t.Fatalf("valid batch: %d %s", first.Status, cut(first.Body))
		}
		if got := w.current("readings", reg.Point, reg.Register); !got.Value.Equal(reg.Value.Add(one)) || got.Source != "api" || got.Date != today {
			t.Errorf("stored %+v", got)
		}
		var by string
		if err := w.App.DB.QueryRowContext(ctx, `SELECT submitted_by FROM readings WHERE source = 'api'`).Scan(&by); err != nil || !strings.Contains(by, "test readings") {
			t.Errorf("submitted by %q (%v), want the token's name", by, err)
		}
		// The same key and the same readings (written differently): the first answer again.
		again := w.submit("readings", "k-1", "\n"+strings.ReplaceAll(body, ",", " ,"))
		if again.Status != first.Status || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %d %s, want %d %s", again.Status, again.Body, first.Status, first.Body)
		}
		var n int
		w.App.DB.QueryRowContext(ctx, `SELECT count(*) FROM readings WHERE source = 'api'`).Scan(&n)
		if n != 1 {
			t.Errorf("%d readings from the API after a replay, want 1", n)
		}
		r = w.submit("readings", "k-1", batch(row(reg.Point, reg.Register, today, reg.Value.Add(one).Add(one), "")))
		if code, field := r.errCode(); r.Status != http.StatusUnprocessableEntity || code != "idempotency_key_reused" || field != "Idempotency-Key" {
			t.Errorf("same key, other body: %d %s", r.Status, cut(r.Body))
		}
		// A key whose first request is still running.
		if _, err := w.App.DB.ClaimKey(ctx, w.api.Idempotency, w.A.ID, "k-2", "running", w.Clock()); err != nil {
			t.Fatal(err)
		}
		r = w.submit("readings", "k-2", body)
		if code, _ := r.errCode(); r.Status != http.StatusConflict || code != "idempotency_key_in_progress" {
			t.Errorf("key in progress: %d %s", r.Status, cut(r.Body))
		}
		// Keys belong to the customer: B may use A's key for its own batch.
		breg := w.actualReading("other")
		r = w.submit("other", "k-1", batch(row(breg.Point, breg.Register, today, breg.Value.Add(one), "")))
		if r.Status != http.StatusCreated {
			t.Errorf("B with A's key: %d %s", r.Status, cut(r.Body))
		}
		// Too long a key.
		r = w.submit("readings", strings.Repeat("k", 256), body)
		if _, field := r.errCode(); r.Status != http.StatusUnprocessableEntity || field != "Idempotency-Key" {
			t.Errorf("256-character key: %d %s", r.Status, cut(r.Body))
		}
	})
}

// TestLastUsed: a token's last use is written when it is used, at most once a minute.
func TestLastUsed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		lastUsed := func() string {
			tok, err := w.App.DB.APITokenByHash(ctx, portal.HashAPIToken(w.tokens["viewer"]))
			if err != nil {
				t.Fatal(err)
			}
			return tok.LastUsedAt.UTC().String()
		}
		if got := lastUsed(); got != "0001-01-01 00:00:00 +0000 UTC" {
			t.Fatalf("unused token last used %s", got)
		}
		w.get("/api/v1/contacts", "viewer")
		first := lastUsed()
		if first != w.Clock().UTC().String() {
			t.Errorf("last used %s, want %s", first, w.Clock().UTC())
		}
		w.Advance(30e9)
		w.get("/api/v1/contacts", "viewer")
		if got := lastUsed(); got != first {
			t.Errorf("written again within a minute: %s", got)
		}
		w.Advance(60e9)
		w.get("/api/v1/contacts", "viewer")
		if got := lastUsed(); got != w.Clock().UTC().String() {
			t.Errorf("last used %s after a minute, want %s", got, w.Clock().UTC())
		}
	})
}

// TestRateLimit: past its burst a token gets 429 with Retry-After; other tokens do not.
func TestRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		w.api.Rate, w.api.Burst = 1.0/3600, 2 // one more request an hour
		w.restart()
		for i := range 2 {
			if r := w.get("/api/v1/contacts", "viewer"); r.Status != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, r.Status)
			}
		}
		r := w.get("/api/v1/contacts", "viewer")
		if code, _ := r.errCode(); r.Status != http.StatusTooManyRequests || code != "rate_limited" || r.Header.Get("Retry-After") == "" || r.Header.Get("Retry-After") == "0" {
			t.Errorf("past the burst: %d %q %s", r.Status, r.Header.Get("Retry-After"), cut(r.Body))
		}
		if r := w.get("/api/v1/contacts", "billing"); r.Status != http.StatusOK {
			t.Errorf("another token: %d", r.Status)
		}
	})
}

// TestContactsAndEInvoice changes contacts and e-invoice settings through the API: stored,
// audited under the token's name, and a new recipient gets a confirmation.
func TestContactsAndEInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		ctx := context.Background()
		r := w.call(http.MethodPut, "/api/v1/contacts", "billing", `{"contacts":[{"name":" Anna Bērziņa ","email":"anna@a.example.lv","phone":"+371 20000000","role":"accountant"}]}`, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("put contacts: %d %s", r.Status, cut(r.Body))
		}
		cs := r.JSON["contacts"].([]any)
		if len(cs) != 1 || cs[0].(map[string]any)["name"] != "Anna Bērziņa" {
			t.Errorf("contacts %v", cs)
		}
		log, err := w.App.DB.AuditLog(ctx, "customer", w.A.Reg)
		if err != nil || len(log) == 0 || log[len(log)-1].Action != "contacts.update" || !strings.Contains(log[len(log)-1].Actor, "test billing") {
			t.Errorf("audit %+v %v", log, err)
		}
		r = w.call(http.MethodPut, "/api/v1/contracts/"+w.A.Contract+"/einvoice", "billing", `{"method":"e-invoice","recipients":["Invoices@A.example.lv"],"formats":["ubl"]}`, nil)
		if r.Status != http.StatusOK || r.JSON["method"] != "e-invoice" || r.JSON["confirmations_sent"] == nil {
			t.Fatalf("put e-invoice: %d %s", r.Status, cut(r.Body))
		}
		if rs := r.JSON["recipients"].([]any); len(rs) < 1 || !strings.Contains(fmt.Sprint(rs), "invoices@a.example.lv") {
			t.Errorf("recipients %v", rs)
		}
		if fs := fmt.Sprint(r.JSON["formats"]); fs != "[pdf ubl]" {
			t.Errorf("formats %s", fs)
		}
		log, _ = w.App.DB.AuditLog(ctx, "contract", w.A.Contract)
		if len(log) == 0 || log[len(log)-1].Action != "delivery_settings" || !strings.Contains(log[len(log)-1].Actor, "test billing") {
			t.Errorf("e-invoice audit %+v", log)
		}
		// Back to paper with no recipients keeps the stored ones.
		r = w.call(http.MethodPut, "/api/v1/contracts/"+w.A.Contract+"/einvoice", "billing", `{"method":"paper"}`, nil)
		if r.Status != http.StatusOK || r.JSON["method"] != "paper" || !strings.Contains(fmt.Sprint(r.JSON["recipients"]), "invoices@a.example.lv") {
			t.Errorf("back to paper: %d %s", r.Status, cut(r.Body))
		}
		var tok sqldb.APIToken
		if tok, err = w.App.DB.APITokenByHash(ctx, portal.HashAPIToken(w.tokens["billing"])); err != nil || tok.LastUsedAt.IsZero() {
			t.Errorf("token not marked used: %v", err)
		}
	})
}
