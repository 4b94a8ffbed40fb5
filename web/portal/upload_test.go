package portal_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// upload posts a file as the upload form does, with the client's CSRF token.
func (c *client) upload(name string, content []byte) page {
	c.T.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.w.Srv.URL+"/readings/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

// lastValue is the latest reading of a register.
func (w *world) lastValue(point, register string) decimal.Decimal {
	w.T.Helper()
	st, err := w.App.DB.RegisterState(context.Background(), billing.RegisterKey{MeteringPoint: point, Register: register})
	if err != nil {
		w.T.Fatal(err)
	}
	return st.History.Readings[len(st.History.Readings)-1].Value
}

// portalReadings counts the readings submitted through the portal.
func (w *world) portalReadings() int {
	w.T.Helper()
	var n int
	if err := w.App.DB.QueryRow(`SELECT count(*) FROM readings WHERE source = 'portal'`).Scan(&n); err != nil {
		w.T.Fatal(err)
	}
	return n
}

// rowResult is the result cell of the preview row for a line of the file.
func rowResult(p page, line int) string {
	return strings.TrimSpace(p.Doc.Find(fmt.Sprintf("#row-%d td.result", line)).Text())
}

func TestUploadReadings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("readings"))
		if p := c.Get("/readings"); p.Doc.Find(`a[href="/readings/upload"]`).Length() != 1 {
			t.Error("the readings page does not link the upload")
		}
		p := c.Get("/readings/upload")
		if p.Status != http.StatusOK || p.Doc.Find(`input[type="file"][name="file"]`).Length() != 1 || p.Doc.Find(`label[for="file"]`).Length() != 1 {
			t.Fatalf("upload form: %d", p.Status)
		}
		// The template lists the customer's registers, and only those.
		tpl := c.Get("/readings/template.csv")
		if !strings.HasPrefix(tpl.Header.Get("Content-Type"), "text/csv") || !strings.Contains(tpl.Body, w.A.Point+";"+w.A.Register+";") ||
			strings.Contains(tpl.Body, w.B.Point) {
			t.Errorf("template %q:\n%s", tpl.Header.Get("Content-Type"), tpl.Body)
		}
		ms, err := w.App.DB.CustomerMeters(context.Background(), customerID(t, w, w.A.Reg))
		if err != nil || len(ms) < 2 {
			t.Fatalf("customer A has %d meters, err %v; want two", len(ms), err)
		}
		other := ms[1].Code + ";" + ms[1].Registers[0]
		last := w.lastValue(w.A.Point, w.A.Register)
		next := last.Add(decimal.NewFromInt(5))
		lv := func(d decimal.Decimal) string { return strings.Replace(d.String(), ".", ",", 1) }
		// Line 2 valid (Latvian date and decimal comma), 3 lower than its previous, 4 another
		// customer's metering point, 5 a code that exists nowhere, 6 a bad date.
		file := "\xef\xbb\xbfuzskaites_punkts;zona;datums;rādījums;apstiprināt;iemesls\n" +
			w.A.Point + ";" + w.A.Register + ";28.11.2026;" + lv(next) + "\n" +
			other + ";2026-11-28;1\n" +
			w.B.Point + ";" + w.A.Register + ";28.11.2026;1\n" +
			"MP-NOWHERE;" + w.A.Register + ";28.11.2026;1\n" +
			w.A.Point + ";" + w.A.Register + ";28/11/2026;1\n"
		p = c.upload("readings.csv", []byte(file))
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("upload with errors: %d %s", p.Status, p.Doc.Find("#upload-error").Text())
		}
		if got := rowResult(p, 2); !strings.Contains(got, "derīgs") {
			t.Errorf("line 2: %q, want valid", got)
		}
		if got := rowResult(p, 3); !strings.Contains(got, "mazāks par pēdējo faktisko rādījumu") {
			t.Errorf("line 3: %q, want lower than the previous", got)
		}
		foreign, missing := rowResult(p, 4), rowResult(p, 5)
		if !strings.Contains(foreign, "nav atrasts") || strings.Replace(foreign, w.B.Point, "X", 1) != strings.Replace(missing, "MP-NOWHERE", "X", 1) {
			t.Errorf("another customer's point %q, a missing one %q: want the same not found", foreign, missing)
		}
		if got := rowResult(p, 6); !strings.Contains(got, "Datums") {
			t.Errorf("line 6: %q, want a date error", got)
		}
		if p.Doc.Find("#commit").Length() != 0 {
			t.Error("a file with errors can be submitted")
		}
		if n := w.portalReadings(); n != 0 {
			t.Fatalf("the preview stored %d readings", n)
		}

		// Fixed: the preview shows consumption and the form to submit all.
		file = "metering_point,register,date,value\n" + w.A.Point + "," + w.A.Register + ",2026-11-28," + next.String() + "\n"
		p = c.upload("readings.csv", []byte(file))
		if p.Status != http.StatusOK || p.Doc.Find("#commit").Length() != 1 {
			t.Fatalf("valid upload: %d %q", p.Status, p.Doc.Find("#upload-summary").Text())
		}
		if got := strings.TrimSpace(p.Doc.Find("#row-2 td").Eq(6).Text()); got == "—" || got == "" {
			t.Errorf("consumption %q, want a number", got)
		}
		rows, _ := p.Doc.Find(`#commit input[name="rows"]`).Attr("value")
		mac, _ := p.Doc.Find(`#commit input[name="mac"]`).Attr("value")

		// A changed row or a wrong MAC stores nothing.
		plain, err := base64.RawURLEncoding.DecodeString(rows)
		if err != nil || !strings.Contains(string(plain), next.String()) {
			t.Fatalf("the form's rows %q (%v) do not hold the value %s", plain, err, next)
		}
		tampered := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(plain), next.String(), next.Add(decimal.NewFromInt(1)).String(), 1)))
		if r := c.Post("/readings/upload/commit", url.Values{"rows": {tampered}, "mac": {mac}}); r.Status != http.StatusUnprocessableEntity || w.portalReadings() != 0 {
			t.Errorf("tampered rows: %d, %d stored", r.Status, w.portalReadings())
		}
		// Even with a MAC of its own session, another customer's register is not found.
		c.Get("/readings/upload")
		forged := base64.RawURLEncoding.EncodeToString([]byte("2;" + w.B.Point + ";" + w.A.Register + ";2026-11-28;1;false;\n"))
		m := hmac.New(sha256.New, []byte(c.CSRF))
		fmt.Fprintf(m, "readings-upload\x00%d\x00%s", customerID(t, w, w.A.Reg), forged)
		if r := c.Post("/readings/upload/commit", url.Values{"rows": {forged}, "mac": {hex.EncodeToString(m.Sum(nil))}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(rowResult(r, 2), "nav atrasts") || w.portalReadings() != 0 {
			t.Errorf("forged rows of another customer: %d %q, %d stored", r.Status, rowResult(r, 2), w.portalReadings())
		}

		p = c.Post("/readings/upload/commit", url.Values{"rows": {rows}, "mac": {mac}})
		if p.Status != http.StatusSeeOther || w.portalReadings() != 1 {
			t.Fatalf("submit all: %d, %d stored", p.Status, w.portalReadings())
		}
		if p = c.Get(p.Header.Get("Location")); p.Doc.Find("#uploaded").Length() != 1 {
			t.Error("no confirmation after submitting")
		}
		if got := w.lastValue(w.A.Point, w.A.Register); !got.Equal(next) {
			t.Errorf("stored %s, want %s", got, next)
		}
		// The same rows again: now a second reading of the window without a reason, and
		// nothing is stored.
		if r := c.Post("/readings/upload/commit", url.Values{"rows": {rows}, "mac": {mac}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(rowResult(r, 2), "iemeslu") || w.portalReadings() != 1 {
			t.Errorf("the same rows again: %d %q", r.Status, rowResult(r, 2))
		}
	})
}

// TestUploadConfirm: an implausible consumption asks for confirmation row by row; confirmed,
// the batch is stored.
func TestUploadConfirm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("admin"))
		st, err := w.App.DB.RegisterState(context.Background(), billing.RegisterKey{MeteringPoint: w.A.Point, Register: w.A.Register})
		if err != nil {
			t.Fatal(err)
		}
		most := decimal.NewFromInt(1)
		for _, r := range st.History.MonthlyConsumption(st.History.Readings[len(st.History.Readings)-1].Date.AddDays(1)) {
			most = decimal.Max(most, r)
		}
		huge := w.lastValue(w.A.Point, w.A.Register).Add(most.Mul(decimal.NewFromInt(10)).Div(decimal.NewFromInt(int64(st.Multiplier)))).Ceil()
		if huge.GreaterThanOrEqual(billing.RegisterRange(st.Digits)) {
			t.Skipf("register of %d digits too small for the implausible case", st.Digits)
		}
		p := c.upload("r.csv", []byte(w.A.Point+";"+w.A.Register+";28.11.2026;"+huge.String()+"\n"))
		box := p.Doc.Find(`#row-1 input[type="checkbox"][name="confirm"]`)
		if p.Status != http.StatusOK || box.Length() != 1 {
			t.Fatalf("implausible row: %d, confirm box %d, %q", p.Status, box.Length(), rowResult(p, 1))
		}
		rows, _ := p.Doc.Find(`#commit input[name="rows"]`).Attr("value")
		mac, _ := p.Doc.Find(`#commit input[name="mac"]`).Attr("value")
		if r := c.Post("/readings/upload/commit", url.Values{"rows": {rows}, "mac": {mac}}); r.Status != http.StatusUnprocessableEntity || w.portalReadings() != 0 {
			t.Errorf("unconfirmed: %d, %d stored", r.Status, w.portalReadings())
		}
		if r := c.Post("/readings/upload/commit", url.Values{"rows": {rows}, "mac": {mac}, "confirm": {"1"}}); r.Status != http.StatusSeeOther || w.portalReadings() != 1 {
			t.Errorf("confirmed: %d, %d stored", r.Status, w.portalReadings())
		}
	})
}

// TestUploadLimits: a file over the size limit is refused with a page that says so.
func TestUploadLimits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		c := w.signedIn(email("readings"))
		c.Get("/readings/upload")
		big := bytes.Repeat([]byte("MP-1;T1;28.11.2026;1\n"), (3<<20)/21)
		if p := c.upload("big.csv", big); p.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("3 MiB file: %d", p.Status)
		}
		c.Get("/readings/upload")
		if p := c.upload("empty.csv", []byte("\n\n")); p.Status != http.StatusUnprocessableEntity || p.Doc.Find("#upload-error").Length() != 1 {
			t.Errorf("empty file: %d", p.Status)
		}
	})
}
