-- REST API: bearer tokens that a customer admin creates in the portal, and the responses of
-- requests made with an Idempotency-Key, kept 24 hours per customer.

-- A token is found by the SHA-256 of its secret; the secret itself is shown once and never
-- stored. A revoked token stays listed (and audited) but no longer authenticates.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    role         TEXT NOT NULL CHECK (role IN ('admin', 'billing', 'readings', 'viewer')),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP,
    revoked_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_customer ON api_tokens (customer_id, created_at);

-- One row per customer and Idempotency-Key: the hash of the request it came with, and the
-- response once there is one (status 0 while the first request is still running).
CREATE TABLE api_idempotency (
    customer_id  INTEGER NOT NULL REFERENCES customers(id),
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    body         BLOB,
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (customer_id, idem_key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

-- The API's updated_since finds an invoice's credit note through corrects_id.
CREATE INDEX invoices_corrects ON invoices (corrects_id);
