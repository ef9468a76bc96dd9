-- +goose Up
-- Employers' webhook endpoints and the outbox of their deliveries. A delivery row is
-- written in the transaction of the change it reports, so no committed change is
-- without its delivery; the webhooks worker sends due rows at least once (claiming a
-- row pushes next_attempt_at past a lease, so a worker that dies mid-send leaves the
-- row to be sent again). secret is encrypted with the store's key: it is needed to sign.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    employer_id TEXT NOT NULL REFERENCES employers(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '[]',
    secret TEXT NOT NULL,
    status TEXT NOT NULL,
    disabled_reason TEXT NOT NULL DEFAULT '',
    failing_since DATETIME,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX webhook_endpoints_employer ON webhook_endpoints(employer_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    delivered_at DATETIME
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
