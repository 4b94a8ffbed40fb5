package sqldb

import (
	"context"
	"time"
)

// Audit is one audit log entry: who changed what and when.
type Audit struct {
	At        time.Time
	Actor     string
	Action    string
	Entity    string
	EntityKey string
	Details   map[string]any
}

func (db *DB) audit(ctx context.Context, q querier, a Audit) error {
	if a.Details == nil {
		a.Details = map[string]any{}
	}
	_, err := q.ExecContext(ctx, db.Q(`INSERT INTO audit_log (at, actor, action, entity, entity_key, details) VALUES (?, ?, ?, ?, ?, ?)`),
		utc(a.At), a.Actor, a.Action, a.Entity, a.EntityKey, jsonText(a.Details))
	return err
}

// AuditLog returns the entries for an entity, oldest first.
func (db *DB) AuditLog(ctx context.Context, entity, key string) ([]Audit, error) {
	return db.auditEntries(ctx, `WHERE entity = ? AND entity_key = ? ORDER BY id`, nil, entity, key)
}

// auditEntries reads the audit log rows that where selects, keeping those keep accepts
// (all when keep is nil).
func (db *DB) auditEntries(ctx context.Context, where string, keep func(Audit) bool, args ...any) ([]Audit, error) {
	rows, err := db.QueryContext(ctx, db.Q(`SELECT at, actor, action, entity, entity_key, details FROM audit_log `+where), args...)
	if err != nil {
		return nil, err
	}
	var out []Audit
	for rows.Next() {
		var a Audit
		if err := rows.Scan(timeCol{&a.At}, &a.Actor, &a.Action, &a.Entity, &a.EntityKey, jsonCol{&a.Details}); err != nil {
			rows.Close()
			return nil, err
		}
		if keep == nil || keep(a) {
			out = append(out, a)
		}
	}
	return out, closeRows(rows)
}
