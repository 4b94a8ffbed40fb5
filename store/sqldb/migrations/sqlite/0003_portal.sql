-- Portal: users, their roles per customer, server-side sessions and sign-in attempts.
-- E-mail addresses are stored lower-cased; a person belongs to any number of customers.

CREATE TABLE portal_users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT 'lv',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE portal_memberships (
    user_id     INTEGER NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    role        TEXT NOT NULL CHECK (role IN ('admin', 'billing', 'readings', 'viewer')),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, customer_id)
);
CREATE INDEX portal_memberships_customer ON portal_memberships (customer_id);

-- A session is found by the SHA-256 of its cookie token, so the table alone cannot be used
-- to take one over. Anonymous sessions (user_id NULL) carry the CSRF token of the sign-in
-- form and the chosen language.
CREATE TABLE portal_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER REFERENCES portal_users(id) ON DELETE CASCADE,
    customer_id  INTEGER REFERENCES customers(id),
    csrf_token   TEXT NOT NULL,
    language     TEXT NOT NULL DEFAULT 'lv',
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions (user_id);
CREATE INDEX portal_sessions_expires ON portal_sessions (expires_at);

-- Failed and successful sign-ins, for the rate limit per address and per client address.
CREATE TABLE portal_signin_attempts (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL,
    ip      TEXT NOT NULL,
    at      TIMESTAMP NOT NULL,
    success INTEGER NOT NULL
);
CREATE INDEX portal_signin_attempts_email ON portal_signin_attempts (email, at);
CREATE INDEX portal_signin_attempts_ip ON portal_signin_attempts (ip, at);
