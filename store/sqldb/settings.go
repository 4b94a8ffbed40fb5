package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/erekins/erekins/billing"
)

// Settings keys.
const (
	keySupplier = "supplier"
	keyCalendar = "calendar"
)

func (db *DB) putSetting(ctx context.Context, q querier, key string, v any) error {
	_, err := q.ExecContext(ctx, db.Q(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`), key, jsonText(v))
	return err
}

func (db *DB) setting(ctx context.Context, key string, v any) (bool, error) {
	var s string
	err := db.QueryRowContext(ctx, db.Q(`SELECT value FROM settings WHERE key = ?`), key).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	return true, jsonCol{v}.Scan(s)
}

// Supplier returns the supplier stored by the last import; ok is false when none was.
func (db *DB) Supplier(ctx context.Context) (s billing.Supplier, ok bool, err error) {
	ok, err = db.setting(ctx, keySupplier, &s)
	return s, ok, err
}

// Calendar returns the calendar additions stored by the last import.
func (db *DB) Calendar(ctx context.Context) (billing.Calendar, error) {
	var c billing.Calendar
	_, err := db.setting(ctx, keyCalendar, &c)
	return c, err
}

// PricePlans returns every price plan by code.
func (db *DB) PricePlans(ctx context.Context) (map[string]billing.PricePlan, error) {
	rows, err := db.QueryContext(ctx, `SELECT code, components FROM price_plans`)
	if err != nil {
		return nil, fmt.Errorf("read price plans: %w", err)
	}
	out := map[string]billing.PricePlan{}
	for rows.Next() {
		var p billing.PricePlan
		if err := rows.Scan(&p.Code, jsonCol{&p.Components}); err != nil {
			rows.Close()
			return nil, err
		}
		out[p.Code] = p
	}
	return out, closeRows(rows)
}
