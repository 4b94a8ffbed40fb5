-- Portal: an optional TOTP second factor (RFC 6238) with single-use recovery codes, and
-- the half-finished sign-in of a user who has given the right password but not yet a code.

-- One row per user who has started or finished setting up TOTP. enabled_at is NULL while
-- the user has yet to confirm the secret with a code. last_step is the last 30-second time
-- step whose code was accepted: a code is accepted only for a later step, so a code seen by
-- someone else cannot be used again within its window. The secret is the base32 key the
-- authenticator app holds; see docs/portal.md for why it is not encrypted.
CREATE TABLE portal_totp (
    user_id    INTEGER PRIMARY KEY REFERENCES portal_users(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    enabled_at TIMESTAMP,
    last_step  INTEGER NOT NULL DEFAULT 0
);

-- Recovery codes: only the SHA-256 of the user id and the code; used_at once spent.
CREATE TABLE portal_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TIMESTAMP,
    PRIMARY KEY (user_id, code_hash)
);

-- The second step of a sign-in lives in the anonymous session that gave the password: whose
-- password it was, until when the code may follow, and where to go afterwards.
ALTER TABLE portal_sessions ADD COLUMN pending_user_id INTEGER REFERENCES portal_users(id) ON DELETE CASCADE;
ALTER TABLE portal_sessions ADD COLUMN pending_until TIMESTAMP;
ALTER TABLE portal_sessions ADD COLUMN pending_next TEXT;
