-- +goose Up
-- Migrants log in with their phone and a PIN. The phone is stored only as a keyed hash
-- (HMAC-SHA256 under a key derived from the secret key), so it can be looked up without
-- an index of plain phone numbers; the PIN only as an argon2id hash.
CREATE TABLE migrant_credentials (
    candidate_id TEXT PRIMARY KEY REFERENCES candidates(id) ON DELETE CASCADE,
    phone_key TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    last_failed_at TIMESTAMPTZ,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Migrants' tokens expire; staff tokens (NULL) do not.
ALTER TABLE users ADD COLUMN expires_at TIMESTAMPTZ;
-- One login per migrant: a new login replaces the token of the last one.
CREATE UNIQUE INDEX users_migrant_candidate ON users(candidate_id) WHERE role = 'migrant';

-- +goose Down
DROP INDEX users_migrant_candidate;
ALTER TABLE users DROP COLUMN expires_at;
DROP TABLE migrant_credentials;
