-- +goose Up
-- Staff sign in to the web console with an e-mail address and a password (an argon2id
-- hash, never the password). An admin invites a user: the invitation's link, valid for
-- a limited time, is where the person sets their password. A console session is a
-- random cookie stored here only as its SHA-256, with its CSRF token and its idle and
-- absolute expiry. Bearer tokens (users.token_hash) are unchanged.
CREATE TABLE staff_credentials (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff_invitations (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_invitations_user ON staff_invitations (user_id);

CREATE TABLE staff_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- +goose Down
DROP TABLE staff_sessions;
DROP TABLE staff_invitations;
DROP TABLE staff_credentials;
