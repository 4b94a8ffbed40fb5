-- Back office: the supplier's operators, a kind of account apart from portal users, and
-- their server-side sessions (found by the SHA-256 of the cookie token, like the portal's).
-- Anonymous sessions (operator_id NULL) carry the sign-in form's CSRF token.

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    disabled_at   TIMESTAMP
);

CREATE TABLE operator_sessions (
    token_hash   TEXT PRIMARY KEY,
    operator_id  INTEGER REFERENCES operators(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expires ON operator_sessions (expires_at);
