-- Delivery: one row per e-mail (an invoice to one recipient, a resend, a sign-up
-- confirmation) with every attempt; the built-in outbox; the daily print batches of paper
-- invoices.

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    invoice_id      INTEGER REFERENCES invoices(id),
    contract_id     INTEGER NOT NULL REFERENCES contracts(id),
    recipient       TEXT NOT NULL,
    formats         TEXT NOT NULL DEFAULT '[]',
    language        TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,
    seq             INTEGER NOT NULL DEFAULT 0,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP,
    sent_at         TIMESTAMP,
    last_reply      TEXT NOT NULL DEFAULT '',
    requested_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_status ON deliveries (status, id);
CREATE INDEX deliveries_invoice ON deliveries (invoice_id);
CREATE INDEX deliveries_contract ON deliveries (contract_id, id);
-- An issued invoice goes to each recipient once, however often its issue is retried.
CREATE UNIQUE INDEX deliveries_once ON deliveries (invoice_id, recipient) WHERE kind = 'invoice';

-- Every attempt; outcome 'sending' with no finished_at is an attempt the process did not live through.
CREATE TABLE delivery_attempts (
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
    n           INTEGER NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    server      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    code        INTEGER NOT NULL DEFAULT 0,
    reply       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, n)
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    mail_from  TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    message    BLOB NOT NULL
);
CREATE INDEX outbox_message_id ON outbox (message_id);

-- One open batch per issue date; once handed over to the print house, later paper invoices
-- of that date start a new one.
CREATE TABLE print_batches (
    id             INTEGER PRIMARY KEY,
    batch_date     DATE NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    handed_over_at TIMESTAMP,
    handed_over_by TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX print_batches_open ON print_batches (batch_date) WHERE handed_over_at IS NULL;

CREATE TABLE print_batch_entries (
    batch_id   INTEGER NOT NULL REFERENCES print_batches(id),
    invoice_id INTEGER NOT NULL UNIQUE REFERENCES invoices(id),
    PRIMARY KEY (batch_id, invoice_id)
);
