-- +goose Up
-- The process running or queueing an import (the server or `vincula import`) renews the
-- job's lease while it holds the job. A queued or running job whose lease has run out
-- was left behind by a process that stopped, and is marked failed; one whose lease is
-- still current belongs to a live process and is left alone.
ALTER TABLE import_jobs ADD COLUMN lease_until DATETIME;

-- +goose Down
ALTER TABLE import_jobs DROP COLUMN lease_until;
