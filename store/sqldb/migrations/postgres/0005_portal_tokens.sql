-- Portal: invitations by company admins and password resets. Both are single-use links
-- sent by e-mail; the tables hold only the SHA-256 of each link's token.

CREATE TABLE portal_invitations (
    token_hash  TEXT PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'billing', 'readings', 'viewer')),
    invited_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ
);
CREATE INDEX portal_invitations_customer ON portal_invitations (customer_id, created_at);

CREATE TABLE portal_password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX portal_password_resets_user ON portal_password_resets (user_id, created_at);
