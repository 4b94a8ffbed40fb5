-- Readings reminders: one row per contract, readings window (its period) and kind
-- ('open' when the window opens, 'closing' one working day before it closes), inserted in
-- the transaction that queues the reminder's e-mails, so a contract is reminded once.

CREATE TABLE reading_reminders (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    period      DATE NOT NULL,
    kind        TEXT NOT NULL,
    -- the window as the reminder announced it
    window_open  DATE NOT NULL,
    window_close DATE NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (contract_id, period, kind)
);

-- The reminder an e-mail of kind 'reminder' belongs to.
ALTER TABLE deliveries ADD COLUMN reminder_id INTEGER REFERENCES reading_reminders(id);
CREATE INDEX deliveries_reminder ON deliveries (reminder_id) WHERE reminder_id IS NOT NULL;
