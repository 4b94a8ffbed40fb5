package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/erekins/erekins/billing"
)

const customerCols = `cu.id, cu.registration_number, cu.name, cu.vat_number, cu.language, cu.address, cu.postal_address, cu.peppol_id`

func customerDest(c *billing.Customer) []any {
	return []any{&c.ID, &c.RegistrationNumber, &c.Name, &c.VATNumber, &c.Language, jsonCol{&c.Address}, jsonCol{&c.PostalAddress}, &c.PeppolID}
}

// invoiceInsert stores documents in a transaction: each head by itself, for its id; lines
// and rendered forms in multi-row batches.
type invoiceInsert struct {
	head        *sql.Stmt
	lines, docs *batchInsert
}

func (db *DB) newInvoiceInsert(ctx context.Context, tx *sql.Tx) (*invoiceInsert, error) {
	head, err := tx.PrepareContext(ctx, db.Q(`INSERT INTO invoices (number, type, issue_date, due_date, payment_term_days, e_invoice,
		period_start, period_end, currency, language, contract_id, customer_id, supplier, customer, vat, net, vat_total, gross, payable,
		payment_reference, corrects_id, corrects, corrects_date, reason, estimated, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`))
	if err != nil {
		return nil, fmt.Errorf("prepare invoice insert: %w", err)
	}
	return &invoiceInsert{head: head,
		lines: db.newBatch(tx, "invoice_lines", "invoice_id", "line_no", "description", "component", "metering_point",
			"register", "period_start", "period_end", "previous_reading", "current_reading", "multiplier", "quantity", "unit",
			"unit_price", "net", "vat_category", "vat_rate", "estimated"),
		docs: db.newBatch(tx, "documents", "invoice_id", "format", "sha256", "content", "embeds", "embed_at"),
	}, nil
}

func (s *invoiceInsert) insert(ctx context.Context, inv *billing.Invoice, docs []billing.Document) error {
	var corrects any
	if inv.CorrectsID != 0 {
		corrects = inv.CorrectsID
	}
	t := inv.Totals
	err := s.head.QueryRowContext(ctx, inv.Number, inv.Type, inv.IssueDate.String(), inv.DueDate.String(), inv.PaymentTermDays,
		inv.EInvoice, inv.Period.Start.String(), inv.Period.End.String(), inv.Currency, inv.Language, inv.ContractID, inv.CustomerID,
		jsonText(inv.Supplier), jsonText(inv.Customer), jsonText(inv.VAT), t.Net.String(), t.VAT.String(), t.Gross.String(),
		t.Payable.String(), inv.PaymentReference, corrects, inv.Corrects, nullDate(inv.CorrectsDate), inv.Reason, inv.Estimated,
		utc(inv.CreatedAt)).Scan(&inv.ID)
	if err != nil {
		return err
	}
	for i, l := range inv.Lines {
		if err := s.lines.add(ctx, inv.ID, i+1, l.Description, l.Component, l.MeteringPoint, l.Register,
			l.Period.Start.String(), l.Period.End.String(), decOrNil(l.PreviousReading), decOrNil(l.CurrentReading), l.Multiplier,
			l.Quantity.String(), l.Unit, l.UnitPrice.String(), l.Net.String(), l.VATCategory, l.VATRate.String(), l.Estimated); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	for _, d := range docs {
		content := d.Content
		if d.Embeds != "" {
			content, err = withoutEmbedded(d, docs)
			if err != nil {
				return err
			}
		}
		if err := s.docs.add(ctx, inv.ID, d.Format, d.SHA256, content, d.Embeds, d.EmbedAt); err != nil {
			return fmt.Errorf("%s document: %w", d.Format, err)
		}
	}
	return nil
}

// flush stores the queued lines and documents.
func (s *invoiceInsert) flush(ctx context.Context) error {
	if err := s.lines.flush(ctx); err != nil {
		return fmt.Errorf("invoice lines: %w", err)
	}
	if err := s.docs.flush(ctx); err != nil {
		return fmt.Errorf("documents: %w", err)
	}
	return nil
}

// withoutEmbedded is d's content without the base64 copy of the sibling form it embeds,
// after checking that the copy is exact.
func withoutEmbedded(d billing.Document, docs []billing.Document) ([]byte, error) {
	for _, o := range docs {
		if o.Format != d.Embeds {
			continue
		}
		n := base64.StdEncoding.EncodedLen(len(o.Content))
		if d.EmbedAt+n > len(d.Content) || !isBase64Of(d.Content[d.EmbedAt:d.EmbedAt+n], o.Content) {
			return nil, fmt.Errorf("%s document does not embed the %s at %d", d.Format, d.Embeds, d.EmbedAt)
		}
		return append(d.Content[:d.EmbedAt:d.EmbedAt], d.Content[d.EmbedAt+n:]...), nil
	}
	return nil, fmt.Errorf("%s document embeds a %s that is not being stored", d.Format, d.Embeds)
}

// isBase64Of reports whether enc is the standard base64 encoding of raw, comparing a chunk
// at a time rather than encoding raw whole.
func isBase64Of(enc, raw []byte) bool {
	if len(enc) != base64.StdEncoding.EncodedLen(len(raw)) {
		return false
	}
	var buf [4096]byte
	const chunk = 3072 // encodes to exactly 4096 bytes
	for len(raw) > 0 {
		k := min(chunk, len(raw))
		m := base64.StdEncoding.EncodedLen(k)
		base64.StdEncoding.Encode(buf[:m], raw[:k])
		if !bytes.Equal(buf[:m], enc[:m]) {
			return false
		}
		raw, enc = raw[k:], enc[m:]
	}
	return true
}

// Document returns a stored document of an invoice by number and format.
func (db *DB) Document(ctx context.Context, number, format string) (billing.Document, error) {
	docs, err := db.documents(ctx, db.Read, "i.number = ? AND d.format = ?", number, format)
	if err != nil {
		return billing.Document{}, err
	}
	if len(docs) == 0 {
		return billing.Document{}, billing.NotFound(format+" document of invoice", number)
	}
	return docs[0], nil
}

// documents reads stored documents byte for byte as they were issued: a form stored without
// the sibling it embeds gets it spliced back, and the result is checked against the stored
// SHA-256. where selects on invoices i and documents d.
func (db *DB) documents(ctx context.Context, q querier, where string, args ...any) ([]billing.Document, error) {
	rows, err := q.QueryContext(ctx, db.Q(`SELECT i.number, d.format, d.sha256, d.content, d.embeds, d.embed_at, e.content
		FROM documents d JOIN invoices i ON i.id = d.invoice_id
		LEFT JOIN documents e ON e.invoice_id = d.invoice_id AND e.format = d.embeds
		WHERE `+where), args...)
	if err != nil {
		return nil, err
	}
	var out []billing.Document
	for rows.Next() {
		var d billing.Document
		var number string
		var embedded []byte
		if err := rows.Scan(&number, &d.Format, &d.SHA256, &d.Content, &d.Embeds, &d.EmbedAt, &embedded); err != nil {
			rows.Close()
			return nil, err
		}
		if d.Embeds != "" {
			full := make([]byte, 0, len(d.Content)+base64.StdEncoding.EncodedLen(len(embedded)))
			full = append(full, d.Content[:d.EmbedAt]...)
			full = base64.StdEncoding.AppendEncode(full, embedded)
			d.Content = append(full, d.Content[d.EmbedAt:]...)
			if sum := sha256.Sum256(d.Content); hex.EncodeToString(sum[:]) != d.SHA256 {
				rows.Close()
				return nil, fmt.Errorf("%s document of invoice %s does not match its SHA-256", d.Format, number)
			}
		}
		out = append(out, d)
	}
	return out, closeRows(rows)
}

const invoiceCols = `i.id, i.number, i.type, i.issue_date, i.due_date, i.payment_term_days, i.e_invoice, i.period_start, i.period_end,
	i.currency, i.language, i.contract_id, i.customer_id, c.number, i.supplier, i.customer, i.vat, i.net, i.vat_total, i.gross, i.payable,
	i.payment_reference, i.corrects_id, i.corrects, i.corrects_date, i.reason, i.estimated, i.created_at`

func invoiceDest(inv *billing.Invoice, corrects *sql.NullInt64) []any {
	t := &inv.Totals
	return []any{&inv.ID, &inv.Number, &inv.Type, &inv.IssueDate, &inv.DueDate, &inv.PaymentTermDays, &inv.EInvoice,
		&inv.Period.Start, &inv.Period.End, &inv.Currency, &inv.Language, &inv.ContractID, &inv.CustomerID, &inv.ContractNumber,
		jsonCol{&inv.Supplier}, jsonCol{&inv.Customer}, jsonCol{&inv.VAT}, &t.Net, &t.VAT, &t.Gross, &t.Payable,
		&inv.PaymentReference, corrects, &inv.Corrects, &inv.CorrectsDate, &inv.Reason, &inv.Estimated, timeCol{&inv.CreatedAt}}
}

// invoice loads one document with its lines.
func (db *DB) invoice(ctx context.Context, q querier, where string, args ...any) (*billing.Invoice, error) {
	inv := &billing.Invoice{}
	var corrects sql.NullInt64
	err := q.QueryRowContext(ctx, db.Q(`SELECT `+invoiceCols+` FROM invoices i JOIN contracts c ON c.id = i.contract_id WHERE `+where), args...).
		Scan(invoiceDest(inv, &corrects)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, billing.NotFound("invoice", fmt.Sprint(args...))
	}
	if err != nil {
		return nil, err
	}
	inv.CorrectsID = corrects.Int64
	rows, err := q.QueryContext(ctx, db.Q(`SELECT description, component, metering_point, register, period_start, period_end,
		previous_reading, current_reading, multiplier, quantity, unit, unit_price, net, vat_category, vat_rate, estimated
		FROM invoice_lines WHERE invoice_id = ? ORDER BY line_no`), inv.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var l billing.Line
		if err := rows.Scan(&l.Description, &l.Component, &l.MeteringPoint, &l.Register, &l.Period.Start, &l.Period.End,
			nullDec{&l.PreviousReading}, nullDec{&l.CurrentReading}, &l.Multiplier, &l.Quantity, &l.Unit, &l.UnitPrice, &l.Net,
			&l.VATCategory, &l.VATRate, &l.Estimated); err != nil {
			rows.Close()
			return nil, err
		}
		inv.Lines = append(inv.Lines, l)
	}
	return inv, closeRows(rows)
}

// Invoice returns the document with the given number.
func (db *DB) Invoice(ctx context.Context, number string) (*billing.Invoice, error) {
	inv, err := db.invoice(ctx, db.Read, "i.number = ?", number)
	if billing.ErrorCode(err) == billing.ErrNotFound {
		return nil, billing.NotFound("invoice", number)
	}
	return inv, err
}

// InvoiceFilter selects documents for a listing.
type InvoiceFilter struct {
	CustomerRegistration string
	Contract             string
	From, To             billing.Date  // issue dates, inclusive
	Period               billing.Month // billing period (its first day), if set
	Limit                int
}

// InvoiceRow is a document in a listing, without its lines.
type InvoiceRow struct {
	Number    string          `json:"number"`
	Type      string          `json:"type"`
	IssueDate billing.Date    `json:"issue_date"`
	DueDate   billing.Date    `json:"due_date"`
	Period    billing.Period  `json:"period"`
	Contract  string          `json:"contract"`
	Customer  string          `json:"customer"`
	RegNo     string          `json:"customer_registration_number"`
	Gross     decimal.Decimal `json:"gross"`
	Payable   decimal.Decimal `json:"payable"`
	Estimated bool            `json:"estimated"`
	Corrects  string          `json:"corrects,omitempty"`
}

// Invoices lists documents, newest first.
func (db *DB) Invoices(ctx context.Context, f InvoiceFilter) ([]InvoiceRow, error) {
	var where []string
	var args []any
	if f.CustomerRegistration != "" {
		where, args = append(where, "cu.registration_number = ?"), append(args, f.CustomerRegistration)
	}
	if f.Contract != "" {
		where, args = append(where, "c.number = ?"), append(args, f.Contract)
	}
	if !f.From.IsZero() {
		where, args = append(where, "i.issue_date >= ?"), append(args, f.From.String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "i.issue_date <= ?"), append(args, f.To.String())
	}
	if !f.Period.IsZero() {
		where = append(where, "i.period_start >= ? AND i.period_start < ?")
		args = append(args, f.Period.String(), f.Period.AddMonths(1).String())
	}
	q := `SELECT i.number, i.type, i.issue_date, i.due_date, i.period_start, i.period_end, c.number, cu.name, cu.registration_number,
		i.gross, i.payable, i.estimated, i.corrects
		FROM invoices i JOIN contracts c ON c.id = i.contract_id JOIN customers cu ON cu.id = i.customer_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY i.issue_date DESC, i.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := db.Read.QueryContext(ctx, db.Q(q), args...)
	if err != nil {
		return nil, err
	}
	var out []InvoiceRow
	for rows.Next() {
		var r InvoiceRow
		if err := rows.Scan(&r.Number, &r.Type, &r.IssueDate, &r.DueDate, &r.Period.Start, &r.Period.End, &r.Contract, &r.Customer,
			&r.RegNo, &r.Gross, &r.Payable, &r.Estimated, &r.Corrects); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
	}
	return out, closeRows(rows)
}
