-- +goose Up
-- Failed migrant logins are counted per (phone, client address) and per client address,
-- never per phone alone: a phone that is not registered is counted like one that is, so
-- the answers do not tell them apart, and nobody elsewhere can lock the owner out. throttle_key is
-- a keyed hash (HMAC under a key derived from the secret key) of what is counted;
-- phone_key, on the (phone, address) rows, is the phone's login key, so that a PIN reset
-- or a successful login clears them. sweep_after (Unix seconds) is when the row no longer
-- counts and may be deleted.
CREATE TABLE login_throttles (
    throttle_key TEXT PRIMARY KEY,
    phone_key TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failed_at DATETIME NOT NULL,
    locked_until DATETIME,
    sweep_after BIGINT NOT NULL
);
CREATE INDEX login_throttles_phone ON login_throttles(phone_key);
CREATE INDEX login_throttles_sweep ON login_throttles(sweep_after);

-- +goose Down
DROP TABLE login_throttles;
