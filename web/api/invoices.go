package api

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/calendar"
	"github.com/erekins/erekins/store/sqldb"
)

// Page sizes of the invoice list.
const (
	defaultLimit = 50
	maxLimit     = 200
)

// invoiceItem is a document in the list. Amounts are decimal strings with 2 places.
type invoiceItem struct {
	Number     string       `json:"number"`
	Type       string       `json:"type"`
	Contract   string       `json:"contract"`
	IssueDate  string       `json:"issue_date"`
	DueDate    string       `json:"due_date"`
	Period     periodJSON   `json:"period"`
	Gross      string       `json:"gross"`
	Payable    string       `json:"payable"`
	Estimated  bool         `json:"estimated"`
	Corrects   string       `json:"corrects,omitempty"`
	CreditedBy string       `json:"credited_by,omitempty"`
	UpdatedAt  string       `json:"updated_at"`
	Links      invoiceLinks `json:"links"`
}

type periodJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type invoiceLinks struct {
	Self string `json:"self"`
	PDF  string `json:"pdf"`
	UBL  string `json:"ubl"`
	CSV  string `json:"csv"`
}

type invoiceList struct {
	Items      []invoiceItem `json:"items"`
	NextCursor *string       `json:"next_cursor"`
}

// cursor is the position after which the next page starts: the last item's sort key.
type cursor struct {
	UpdatedAt time.Time `json:"u"`
	ID        int64     `json:"i"`
}

func encodeCursor(k sqldb.InvoiceKey) string {
	return base64.RawURLEncoding.EncodeToString(marshal(cursor{UpdatedAt: k.UpdatedAt.UTC(), ID: k.ID}))
}

func decodeCursor(s string) (*sqldb.InvoiceKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.ID <= 0 || c.UpdatedAt.IsZero() {
		return nil, invalid("cursor", "not a cursor this API gave; start again without one")
	}
	return &sqldb.InvoiceKey{UpdatedAt: c.UpdatedAt, ID: c.ID}, nil
}

var listParams = []string{"contract", "type", "period_from", "period_to", "updated_since", "limit", "cursor"}

// listFilter reads the list's query parameters; an unknown one is an error, so that a
// misspelt filter is not silently ignored.
func listFilter(q url.Values, customerID int64) (sqldb.APIInvoiceFilter, error) {
	f := sqldb.APIInvoiceFilter{CustomerID: customerID, Contract: q.Get("contract"), Type: q.Get("type"), Limit: defaultLimit}
	for k := range q {
		known := false
		for _, p := range listParams {
			known = known || k == p
		}
		if !known {
			return f, invalid(k, "unknown query parameter; known are "+strings.Join(listParams, ", "))
		}
	}
	if f.Type != "" && f.Type != billing.TypeInvoice && f.Type != billing.TypeCreditNote {
		return f, invalid("type", "must be invoice or credit_note")
	}
	var err error
	if f.From, err = month(q, "period_from"); err != nil {
		return f, err
	}
	if f.To, err = month(q, "period_to"); err != nil {
		return f, err
	}
	if s := q.Get("updated_since"); s != "" {
		if f.UpdatedSince, err = time.Parse(time.RFC3339, s); err != nil {
			return f, invalid("updated_since", "must be an RFC 3339 time such as 2026-11-01T00:00:00Z")
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return f, invalid("limit", "must be a whole number from 1 to "+strconv.Itoa(maxLimit))
		}
		f.Limit = n
	}
	if s := q.Get("cursor"); s != "" {
		if f.After, err = decodeCursor(s); err != nil {
			return f, err
		}
	}
	return f, nil
}

func month(q url.Values, name string) (billing.Month, error) {
	s := q.Get(name)
	if s == "" {
		return billing.Month{}, nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return billing.Month{}, invalid(name, "must be a month as YYYY-MM")
	}
	return calendar.NewDate(t.Year(), t.Month(), 1), nil
}

// invoices lists the token's customer's documents, oldest change first, a page at a time.
func (api *API) invoices(w http.ResponseWriter, r *http.Request, c *caller) error {
	f, err := listFilter(r.URL.Query(), c.Token.CustomerID)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if f.Contract != "" {
		// Another customer's contract is not found, like a missing one, rather than empty.
		own, err := api.App.DB.CustomerContracts(ctx, c.Token.CustomerID)
		if err != nil {
			return err
		}
		if !slices.Contains(own, f.Contract) {
			return newError(http.StatusNotFound, billing.ErrNotFound, "contract", "contract "+strconv.Quote(f.Contract)+" not found")
		}
	}
	limit := f.Limit
	f.Limit++ // one more tells whether there is a next page
	rows, err := api.App.DB.APIInvoices(ctx, f)
	if err != nil {
		return err
	}
	out := invoiceList{Items: []invoiceItem{}}
	if len(rows) > limit {
		rows = rows[:limit]
		last := rows[limit-1]
		next := encodeCursor(sqldb.InvoiceKey{UpdatedAt: last.UpdatedAt, ID: last.ID})
		out.NextCursor = &next
	}
	for _, row := range rows {
		out.Items = append(out.Items, item(row))
	}
	writeJSON(w, http.StatusOK, marshal(out))
	return nil
}

func item(r sqldb.APIInvoice) invoiceItem {
	self := Prefix + "/invoices/" + url.PathEscape(r.Number)
	return invoiceItem{Number: r.Number, Type: r.Type, Contract: r.Contract, IssueDate: r.IssueDate.String(), DueDate: r.DueDate.String(),
		Period: periodJSON{Start: r.Period.Start.String(), End: r.Period.End.String()}, Gross: r.Gross.StringFixed(2),
		Payable: r.Payable.StringFixed(2), Estimated: r.Estimated, Corrects: r.Corrects, CreditedBy: r.CreditedBy,
		UpdatedAt: r.UpdatedAt.UTC().Format(time.RFC3339Nano),
		Links:     invoiceLinks{Self: self, PDF: self + "/pdf", UBL: self + "/ubl", CSV: self + "/csv"}}
}

// invoice serves one document as JSON: the form stored when it was issued (jsondoc), the
// same bytes as `erekins invoice show --json`.
func (api *API) invoice(w http.ResponseWriter, r *http.Request, c *caller) error {
	return api.serveDocument(w, r, c, "json", "application/json", "")
}

var documentTypes = map[string]struct{ contentType, ext string }{
	billing.FormatPDF: {"application/pdf", ".pdf"},
	billing.FormatUBL: {"application/xml", ".xml"},
	billing.FormatCSV: {"text/csv; charset=utf-8", ".csv"},
}

// document serves a stored PDF, UBL or CSV byte for byte.
func (api *API) document(format string) handler {
	t := documentTypes[format]
	return func(w http.ResponseWriter, r *http.Request, c *caller) error {
		return api.serveDocument(w, r, c, format, t.contentType, t.ext)
	}
}

// serveDocument serves a stored form of one of the customer's documents with its SHA-256
// as ETag; a matching If-None-Match gets 304 and no body.
func (api *API) serveDocument(w http.ResponseWriter, r *http.Request, c *caller, format, contentType, ext string) error {
	number := r.PathValue("number")
	doc, err := api.App.DB.CustomerDocument(r.Context(), c.Token.CustomerID, number, format)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return newError(http.StatusNotFound, billing.ErrNotFound, "number", "invoice "+strconv.Quote(number)+" not found")
	}
	if err != nil {
		return err
	}
	etag := `"` + doc.SHA256 + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", contentType)
	if ext != "" {
		h.Set("Content-Disposition", `attachment; filename="`+number+ext+`"`)
	}
	h.Set("Content-Length", strconv.Itoa(len(doc.Content)))
	w.Write(doc.Content)
	return nil
}

// etagMatch reports whether an If-None-Match header names etag (weakly, as RFC 9110
// compares for GET) or is "*".
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
