package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/erekins/erekins/store/sqldb/sqldbtest"
)

// scenario is one request and what must come back. Paths and bodies name the customers'
// ids as {A.invoice}, {B.contract}, …; token is a key of world.tokens, a raw Authorization
// value (with a space), or empty for none.
type scenario struct {
	name                string
	method, path, token string
	body                string
	header              map[string]string
	status              int
	code, field         string                         // the error's code and field, when it is one
	check               func(t *testing.T, r response) // more about a successful answer
}

func (w *world) expand(s string) string {
	return strings.NewReplacer("{A.invoice}", w.A.Invoice, "{B.invoice}", w.B.Invoice, "{A.contract}", w.A.Contract, "{B.contract}", w.B.Contract,
		"{A.point}", w.A.Point, "{B.point}", w.B.Point, "{A.register}", w.A.Register, "{B.register}", w.B.Register).Replace(s)
}

func scenarios() []scenario {
	big := `{"contacts":[{"name":"` + strings.Repeat("x", 70<<10) + `","email":"a@b.lv"}]}`
	return []scenario{
		// Authentication.
		{name: "no token", method: "GET", path: "/api/v1/invoices", status: 401, code: "unauthorized", field: "Authorization",
			check: func(t *testing.T, r response) {
				if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
				}
			}},
		{name: "unknown token", method: "GET", path: "/api/v1/invoices", token: "erk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", status: 401, code: "unauthorized"},
		{name: "not a token", method: "GET", path: "/api/v1/invoices", token: "something", status: 401, code: "unauthorized"},
		{name: "basic auth", method: "GET", path: "/api/v1/invoices", token: "Basic YWRtaW46YWRtaW4=", status: 401, code: "unauthorized"},
		{name: "revoked token", method: "GET", path: "/api/v1/meters", token: "revoked", status: 401, code: "unauthorized"},
		{name: "openapi without a token", method: "GET", path: "/api/v1/openapi.json", status: 200},
		{name: "unknown route", method: "GET", path: "/api/v1/nothing", token: "admin", status: 404, code: "not_found"},
		{name: "wrong method", method: "DELETE", path: "/api/v1/contacts", token: "admin", status: 405, code: "method_not_allowed",
			check: func(t *testing.T, r response) {
				if r.Header.Get("Allow") != "GET, PUT" {
					t.Errorf("Allow %q", r.Header.Get("Allow"))
				}
			}},
		{name: "wrong method on a document", method: "POST", path: "/api/v1/invoices/{A.invoice}/pdf", token: "admin", status: 405, code: "method_not_allowed"},

		// Invoices: roles, ids, filters.
		{name: "viewer lists invoices", method: "GET", path: "/api/v1/invoices", token: "viewer", status: 200},
		{name: "readings role lists invoices", method: "GET", path: "/api/v1/invoices", token: "readings", status: 403, code: "forbidden"},
		{name: "own invoice", method: "GET", path: "/api/v1/invoices/{A.invoice}", token: "billing", status: 200,
			check: func(t *testing.T, r response) {
				if r.JSON["number"] == nil || r.Header.Get("ETag") == "" {
					t.Errorf("invoice JSON without number or ETag: %v", r.Header)
				}
			}},
		{name: "other customer's invoice", method: "GET", path: "/api/v1/invoices/{B.invoice}", token: "admin", status: 404, code: "not_found"},
		{name: "B's admin on A's invoice", method: "GET", path: "/api/v1/invoices/{A.invoice}", token: "other", status: 404, code: "not_found"},
		{name: "missing invoice", method: "GET", path: "/api/v1/invoices/ER-1999-000001", token: "admin", status: 404, code: "not_found"},
		{name: "own pdf", method: "GET", path: "/api/v1/invoices/{A.invoice}/pdf", token: "viewer", status: 200,
			check: func(t *testing.T, r response) {
				if r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
					t.Errorf("pdf: %s", r.Header.Get("Content-Type"))
				}
			}},
		{name: "own ubl", method: "GET", path: "/api/v1/invoices/{A.invoice}/ubl", token: "viewer", status: 200},
		{name: "own csv", method: "GET", path: "/api/v1/invoices/{A.invoice}/csv", token: "viewer", status: 200},
		{name: "other customer's pdf", method: "GET", path: "/api/v1/invoices/{B.invoice}/pdf", token: "admin", status: 404, code: "not_found"},
		{name: "other customer's csv", method: "GET", path: "/api/v1/invoices/{B.invoice}/csv", token: "viewer", status: 404, code: "not_found"},
		{name: "readings role pdf", method: "GET", path: "/api/v1/invoices/{A.invoice}/pdf", token: "readings", status: 403, code: "forbidden"},
		{name: "filter by own contract", method: "GET", path: "/api/v1/invoices?contract={A.contract}&type=invoice&period_from=2026-01&period_to=2026-12", token: "admin", status: 200,
			check: func(t *testing.T, r response) {
				items, _ := r.JSON["items"].([]any)
				if len(items) == 0 {
					t.Error("no invoices of the own contract")
				}
			}},
		{name: "filter by other's contract", method: "GET", path: "/api/v1/invoices?contract={B.contract}", token: "admin", status: 404, code: "not_found", field: "contract"},
		{name: "limit 0", method: "GET", path: "/api/v1/invoices?limit=0", token: "admin", status: 422, code: "invalid", field: "limit"},
		{name: "limit 201", method: "GET", path: "/api/v1/invoices?limit=201", token: "admin", status: 422, code: "invalid", field: "limit"},
		{name: "bad type", method: "GET", path: "/api/v1/invoices?type=receipt", token: "admin", status: 422, code: "invalid", field: "type"},
		{name: "bad period", method: "GET", path: "/api/v1/invoices?period_from=2026-13", token: "admin", status: 422, code: "invalid", field: "period_from"},
		{name: "bad updated_since", method: "GET", path: "/api/v1/invoices?updated_since=yesterday", token: "admin", status: 422, code: "invalid", field: "updated_since"},
		{name: "bad cursor", method: "GET", path: "/api/v1/invoices?cursor=not-ours", token: "admin", status: 422, code: "invalid", field: "cursor"},
		{name: "unknown parameter", method: "GET", path: "/api/v1/invoices?updatedSince=2026-01-01T00:00:00Z", token: "admin", status: 422, code: "invalid", field: "updatedSince"},

		// Meters.
		{name: "readings role meters", method: "GET", path: "/api/v1/meters", token: "readings", status: 200},
		{name: "billing role meters", method: "GET", path: "/api/v1/meters", token: "billing", status: 403, code: "forbidden"},

		// Contacts.
		{name: "viewer reads contacts", method: "GET", path: "/api/v1/contacts", token: "viewer", status: 200},
		{name: "readings role contacts", method: "GET", path: "/api/v1/contacts", token: "readings", status: 403, code: "forbidden"},
		{name: "viewer updates contacts", method: "PUT", path: "/api/v1/contacts", token: "viewer", body: `{"contacts":[{"name":"Ann","email":"ann@a.example.lv"}]}`, status: 403, code: "forbidden"},
		{name: "contact with a bad address", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[{"name":"Ann","email":"ann@a.example.lv"},{"name":"Bob","email":"not an address"}]}`,
			status: 422, code: "invalid", field: "contacts[1].email"},
		{name: "contact with an unknown field", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[{"name":"Ann","email":"ann@a.example.lv","nick":"A"}]}`,
			status: 422, code: "invalid", field: "contacts[0].nick"},
		{name: "contacts of the wrong type", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":"Ann"}`, status: 422, code: "invalid", field: "contacts"},
		{name: "contact name a number", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[{"name":5,"email":"ann@a.example.lv"}]}`,
			status: 422, code: "invalid", field: "contacts[0].name"},
		{name: "no contacts", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[]}`, status: 422, code: "invalid", field: "contacts"},
		{name: "malformed contacts", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[`, status: 400, code: "malformed", field: "body"},
		{name: "trailing data", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[]} {}`, status: 400, code: "malformed"},
		{name: "contacts as text", method: "PUT", path: "/api/v1/contacts", token: "billing", body: `{"contacts":[]}`, header: map[string]string{"Content-Type": "text/plain"},
			status: 415, code: "unsupported_media_type"},
		{name: "contacts too large", method: "PUT", path: "/api/v1/contacts", token: "billing", body: big, status: 413, code: "too_large"},

		// E-invoice settings.
		{name: "own contract's settings", method: "GET", path: "/api/v1/contracts/{A.contract}/einvoice", token: "viewer", status: 200},
		{name: "other's contract's settings", method: "GET", path: "/api/v1/contracts/{B.contract}/einvoice", token: "viewer", status: 404, code: "not_found"},
		{name: "readings role settings", method: "GET", path: "/api/v1/contracts/{A.contract}/einvoice", token: "readings", status: 403, code: "forbidden"},
		{name: "viewer changes settings", method: "PUT", path: "/api/v1/contracts/{A.contract}/einvoice", token: "viewer", body: `{"method":"paper"}`, status: 403, code: "forbidden"},
		{name: "change other's contract", method: "PUT", path: "/api/v1/contracts/{B.contract}/einvoice", token: "billing", body: `{"method":"paper"}`, status: 404, code: "not_found"},
		{name: "bad method", method: "PUT", path: "/api/v1/contracts/{A.contract}/einvoice", token: "billing", body: `{"method":"fax"}`, status: 422, code: "invalid", field: "method"},
		{name: "bad recipient", method: "PUT", path: "/api/v1/contracts/{A.contract}/einvoice", token: "billing", body: `{"method":"e-invoice","recipients":["ok@a.example.lv","nope"]}`,
			status: 422, code: "invalid", field: "recipients[1]"},
		{name: "e-invoice without recipients", method: "PUT", path: "/api/v1/contracts/{A.contract}/einvoice", token: "billing", body: `{"method":"e-invoice","recipients":[]}`,
			status: 422, code: "invalid", field: "recipients"},
		{name: "bad format", method: "PUT", path: "/api/v1/contracts/{A.contract}/einvoice", token: "billing", body: `{"method":"paper","formats":["docx"]}`,
			status: 422, code: "invalid", field: "formats"},

		// Readings: checks before anything is stored.
		{name: "viewer submits readings", method: "POST", path: "/api/v1/readings", token: "viewer", header: map[string]string{"Idempotency-Key": "v1"},
			body: `{"readings":[{"metering_point":"{A.point}","register":"{A.register}","date":"2026-11-28","value":"1"}]}`, status: 403, code: "forbidden"},
		{name: "no idempotency key", method: "POST", path: "/api/v1/readings", token: "readings",
			body: `{"readings":[{"metering_point":"{A.point}","register":"{A.register}","date":"2026-11-28","value":"1"}]}`, status: 422, code: "invalid", field: "Idempotency-Key"},
		{name: "malformed batch", method: "POST", path: "/api/v1/readings", token: "readings", header: map[string]string{"Idempotency-Key": "m1"},
			body: `{"readings":[{]}`, status: 400, code: "malformed", field: "body"},
		{name: "empty batch", method: "POST", path: "/api/v1/readings", token: "readings", header: map[string]string{"Idempotency-Key": "e1"},
			body: `{"readings":[]}`, status: 422, code: "invalid", field: "readings"},
		{name: "rows with errors", method: "POST", path: "/api/v1/readings", token: "readings", header: map[string]string{"Idempotency-Key": "r1"},
			body:   `{"readings":[{"metering_point":"{A.point}","register":"{A.register}","date":"28.11.2026","value":"1"},{"metering_point":"{A.point}","register":"{A.register}","date":"2026-11-28","value":12},{"metering_point":"{A.point}","register":"{A.register}","date":"2026-11-28","value":"1","extra":1}]}`,
			status: 422, code: "invalid", check: func(t *testing.T, r response) {
				rows, _ := r.JSON["rows"].([]any)
				var fields []string
				for _, x := range rows {
					fields = append(fields, x.(map[string]any)["field"].(string))
				}
				if strings.Join(fields, " ") != "readings[0].date readings[1].value readings[2].extra" {
					t.Errorf("row errors name %v", fields)
				}
			}},
		{name: "other customer's meter", method: "POST", path: "/api/v1/readings", token: "readings", header: map[string]string{"Idempotency-Key": "f1"},
			body: `{"readings":[{"metering_point":"{B.point}","register":"{B.register}","date":"2026-11-28","value":"1"}]}`, status: 422, code: "invalid",
			check: func(t *testing.T, r response) {
				rows, _ := r.JSON["rows"].([]any)
				if len(rows) != 1 || rows[0].(map[string]any)["code"] != "not_found" || rows[0].(map[string]any)["field"] != "readings[0].metering_point" {
					t.Errorf("rows %v, want one not_found at readings[0].metering_point", rows)
				}
			}},
	}
}

// TestScenarios runs every scenario on both databases: the status, the error's code and
// field, no trace of the other customer in any answer, and every answer as openapi.json
// describes it.
func TestScenarios(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		for _, s := range scenarios() {
			t.Run(s.name, func(t *testing.T) {
				w.T = t
				header := map[string]string{}
				for k, v := range s.header {
					header[k] = v
				}
				r := w.call(s.method, w.expand(s.path), s.token, w.expand(s.body), header)
				if r.Status != s.status {
					t.Fatalf("%s %s: %d, want %d\n%s", s.method, s.path, r.Status, s.status, cut(r.Body))
				}
				if s.code != "" || s.status >= 400 {
					code, field := r.errCode()
					if code != s.code || (s.field != "" && field != s.field) {
						t.Errorf("error %s at %q, want %s at %q: %s", code, field, s.code, s.field, cut(r.Body))
					}
				}
				leaks := []string{w.B.Name, w.B.Invoice, w.B.Contract, w.B.Point}
				if s.token == "other" {
					leaks = []string{w.A.Name, w.A.Invoice, w.A.Contract, w.A.Point}
				}
				asked := w.expand(s.path + s.body)
				for _, leak := range leaks {
					if !strings.Contains(asked, leak) && strings.Contains(string(r.Body), leak) {
						t.Errorf("the answer holds %q of the other customer", leak)
					}
				}
				if s.check != nil {
					s.check(t, r)
				}
			})
		}
	})
}

// TestJSONHeaders: JSON answers say so and are not cached.
func TestJSONHeaders(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dsn string) {
		w := newWorld(t, dsn)
		for _, path := range []string{"/api/v1/invoices", "/api/v1/meters", "/api/v1/contacts"} {
			r := w.get(path, "admin")
			if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: %d %q %q", path, r.Status, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
			}
		}
	})
}
