-- +goose Up
-- Facts about the database itself, one value a name. The first server to start writes
-- `key_check`: an HMAC of a fixed label under the secret key that encrypts document
-- numbers and CURPs, so that a server started with another key refuses to start
-- instead of failing on every encrypted value it reads.
CREATE TABLE meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE meta;
