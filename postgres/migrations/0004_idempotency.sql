-- Idempotency keys of POST requests (issue 7): one row per company and key
-- digest, claimed before the request runs (response NULL) and completed with
-- the response a retry replays. Keys expire 24 h after claimed_at and a
-- sweep deletes them.
CREATE TABLE idempotency_keys (
    company_id  bigint      NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    key         bytea       NOT NULL,
    fingerprint bytea       NOT NULL,
    response    bytea,
    claimed_at  timestamptz NOT NULL,
    PRIMARY KEY (company_id, key)
);

CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);
