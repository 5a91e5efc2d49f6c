-- Idempotency keys of POST requests (issue 7): one row per company and key
-- digest, claimed before the request runs (response NULL) and completed with
-- the response a retry replays. claimed_at is integer microseconds (UTC);
-- keys expire 24 h after it and a sweep deletes them.
CREATE TABLE idempotency_keys (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    key         BLOB    NOT NULL,
    fingerprint BLOB    NOT NULL,
    response    BLOB,
    claimed_at  INTEGER NOT NULL,
    PRIMARY KEY (company_id, key)
) WITHOUT ROWID;

CREATE INDEX idempotency_keys_claimed ON idempotency_keys (claimed_at);
