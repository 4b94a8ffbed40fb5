package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/erekins/erekins/billing"
	"github.com/erekins/erekins/delivery"
)

// DeliveryFilter selects deliveries for a listing.
type DeliveryFilter struct {
	Status   string
	Invoice  string
	Contract string
	Limit    int
}

// List returns deliveries, newest first.
func (s *Deliveries) List(ctx context.Context, f DeliveryFilter) ([]delivery.Delivery, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "d.status = ?"), append(args, f.Status)
	}
	if f.Invoice != "" {
		where, args = append(where, "i.number = ?"), append(args, f.Invoice)
	}
	if f.Contract != "" {
		where, args = append(where, "c.number = ?"), append(args, f.Contract)
	}
	q := `SELECT ` + deliveryCols
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY d.id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return s.db.deliveries(ctx, q, args...)
}

// deliveries reads the deliveries a query on deliveryCols selects.
func (db *DB) deliveries(ctx context.Context, query string, args ...any) ([]delivery.Delivery, error) {
	rows, err := db.QueryContext(ctx, db.Q(query), args...)
	if err != nil {
		return nil, err
	}
	var out []delivery.Delivery
	for rows.Next() {
		var d delivery.Delivery
		if err := rows.Scan(deliveryDest(&d)...); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, d)
	}
	return out, closeRows(rows)
}

// Get returns one delivery with every attempt.
func (s *Deliveries) Get(ctx context.Context, id int64) (delivery.Delivery, error) {
	var d delivery.Delivery
	err := s.db.QueryRowContext(ctx, s.db.Q(`SELECT `+deliveryCols+` WHERE d.id = ?`), id).Scan(deliveryDest(&d)...)
	if errors.Is(err, sql.ErrNoRows) {
		return d, billing.NotFound("delivery", fmt.Sprint(id))
	}
	if err != nil {
		return d, err
	}
	rows, err := s.db.QueryContext(ctx, s.db.Q(`SELECT n, started_at, finished_at, server, outcome, code, reply
		FROM delivery_attempts WHERE delivery_id = ? ORDER BY n`), id)
	if err != nil {
		return d, err
	}
	for rows.Next() {
		var a delivery.Attempt
		if err := rows.Scan(&a.N, timeCol{&a.StartedAt}, timeCol{&a.FinishedAt}, &a.Server, &a.Outcome, &a.Code, &a.Reply); err != nil {
			rows.Close()
			return d, err
		}
		d.History = append(d.History, a)
	}
	return d, closeRows(rows)
}

// SaveOutbox implements mailer.OutboxStore.
func (s *Deliveries) SaveOutbox(ctx context.Context, m delivery.OutboxMessage) error {
	_, err := s.db.ExecContext(ctx, s.db.Q(`INSERT INTO outbox (message_id, created_at, mail_from, recipient, subject, message)
		VALUES (?, ?, ?, ?, ?, ?)`), m.MessageID, utc(m.CreatedAt), m.From, m.To, m.Subject, m.Raw)
	return err
}

// Outbox lists the outbox, newest first, without the messages' bytes.
func (s *Deliveries) Outbox(ctx context.Context, limit int) ([]delivery.OutboxMessage, error) {
	q := `SELECT id, message_id, created_at, mail_from, recipient, subject, length(message) FROM outbox ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []delivery.OutboxMessage
	for rows.Next() {
		var m delivery.OutboxMessage
		if err := rows.Scan(&m.ID, &m.MessageID, timeCol{&m.CreatedAt}, &m.From, &m.To, &m.Subject, &m.Size); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	return out, closeRows(rows)
}

// OutboxMessage returns one stored message with its bytes.
func (s *Deliveries) OutboxMessage(ctx context.Context, id int64) (delivery.OutboxMessage, error) {
	var m delivery.OutboxMessage
	err := s.db.QueryRowContext(ctx, s.db.Q(`SELECT id, message_id, created_at, mail_from, recipient, subject, message FROM outbox WHERE id = ?`), id).
		Scan(&m.ID, &m.MessageID, timeCol{&m.CreatedAt}, &m.From, &m.To, &m.Subject, &m.Raw)
	if errors.Is(err, sql.ErrNoRows) {
		return m, billing.NotFound("outbox message", fmt.Sprint(id))
	}
	m.Size = len(m.Raw)
	return m, err
}
