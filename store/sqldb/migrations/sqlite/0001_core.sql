-- Core schema: configuration, customers, contracts, meters, readings, price plans,
-- invoices with lines, number series, billing periods, documents and the audit log.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    registration_number TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL,
    vat_number          TEXT NOT NULL DEFAULT '',
    language            TEXT NOT NULL DEFAULT 'lv',
    address             TEXT NOT NULL,
    postal_address      TEXT,
    peppol_id           TEXT NOT NULL DEFAULT '',
    updated_at          TIMESTAMP NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    UNIQUE (customer_id, position)
);

CREATE TABLE price_plans (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    components TEXT NOT NULL
);

CREATE TABLE contracts (
    id                   INTEGER PRIMARY KEY,
    number               TEXT NOT NULL UNIQUE,
    customer_id          INTEGER NOT NULL REFERENCES customers(id),
    start_date           DATE NOT NULL,
    end_date             DATE,
    price_plan           TEXT NOT NULL REFERENCES price_plans(code),
    payment_term_days    INTEGER NOT NULL,
    monthly_estimate_kwh TEXT NOT NULL DEFAULT '0',
    billed_through       DATE,
    delivery_method      TEXT NOT NULL,
    recipients           TEXT NOT NULL DEFAULT '[]',
    formats              TEXT NOT NULL DEFAULT '["pdf"]',
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX contracts_customer ON contracts (customer_id);

CREATE TABLE metering_points (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    address      TEXT NOT NULL,
    meter_serial TEXT NOT NULL DEFAULT '',
    multiplier   INTEGER NOT NULL CHECK (multiplier >= 1),
    digits       INTEGER NOT NULL CHECK (digits BETWEEN 1 AND 12)
);
CREATE INDEX metering_points_contract ON metering_points (contract_id);

CREATE TABLE registers (
    id                INTEGER PRIMARY KEY,
    metering_point_id INTEGER NOT NULL REFERENCES metering_points(id),
    zone              TEXT NOT NULL,
    UNIQUE (metering_point_id, zone)
);

-- Readings are append-only: a correction is a new row that supersedes an older one.
CREATE TABLE readings (
    id            INTEGER PRIMARY KEY,
    register_id   INTEGER NOT NULL REFERENCES registers(id),
    reading_date  DATE NOT NULL,
    value         TEXT NOT NULL,
    source        TEXT NOT NULL,
    submitted_by  TEXT NOT NULL DEFAULT '',
    submitted_at  TIMESTAMP NOT NULL,
    confirmed     INTEGER NOT NULL DEFAULT 0,
    supersedes_id INTEGER UNIQUE REFERENCES readings(id),
    reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX readings_register_date ON readings (register_id, reading_date);

CREATE TABLE number_series (
    series     TEXT PRIMARY KEY,
    next_value INTEGER NOT NULL
);

CREATE TABLE invoices (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    type              TEXT NOT NULL,
    issue_date        DATE NOT NULL,
    due_date          DATE NOT NULL,
    payment_term_days INTEGER NOT NULL,
    e_invoice         INTEGER NOT NULL,
    period_start      DATE NOT NULL,
    period_end        DATE NOT NULL,
    currency          TEXT NOT NULL,
    language          TEXT NOT NULL,
    contract_id       INTEGER NOT NULL REFERENCES contracts(id),
    customer_id       INTEGER NOT NULL REFERENCES customers(id),
    supplier          TEXT NOT NULL,
    customer          TEXT NOT NULL,
    vat               TEXT NOT NULL,
    net               TEXT NOT NULL,
    vat_total         TEXT NOT NULL,
    gross             TEXT NOT NULL,
    payable           TEXT NOT NULL,
    payment_reference TEXT NOT NULL,
    corrects_id       INTEGER REFERENCES invoices(id),
    corrects          TEXT NOT NULL DEFAULT '',
    corrects_date     DATE,
    reason            TEXT NOT NULL DEFAULT '',
    estimated         INTEGER NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX invoices_customer ON invoices (customer_id, issue_date);
CREATE INDEX invoices_contract ON invoices (contract_id, period_start);
CREATE INDEX invoices_issue_date ON invoices (issue_date);

CREATE TABLE invoice_lines (
    invoice_id       INTEGER NOT NULL REFERENCES invoices(id),
    line_no          INTEGER NOT NULL,
    description      TEXT NOT NULL,
    component        TEXT NOT NULL,
    metering_point   TEXT NOT NULL DEFAULT '',
    register         TEXT NOT NULL DEFAULT '',
    period_start     DATE NOT NULL,
    period_end       DATE NOT NULL,
    previous_reading TEXT,
    current_reading  TEXT,
    multiplier       INTEGER NOT NULL DEFAULT 0,
    quantity         TEXT NOT NULL,
    unit             TEXT NOT NULL,
    unit_price       TEXT NOT NULL,
    net              TEXT NOT NULL,
    vat_category     TEXT NOT NULL,
    vat_rate         TEXT NOT NULL,
    estimated        INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

-- One row per contract and billing period that erekins has billed: the key that makes
-- billing idempotent. The document in force is the period's latest; rebill_at marks a
-- correction waiting for its credit note and new invoice.
CREATE TABLE billing_periods (
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    period       DATE NOT NULL,
    rebill_at    TIMESTAMP,
    rebill_reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contract_id, period)
);

-- Documents are rendered at issue and never again: every stored form with its SHA-256.
CREATE TABLE documents (
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    format     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    content    BLOB NOT NULL,
    -- another format of the invoice that content embeds in base64 at embed_at, kept out
    -- here so that it is stored once (the UBL's PDF)
    embeds     TEXT NOT NULL DEFAULT '',
    embed_at   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (invoice_id, format)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    details    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_key);
