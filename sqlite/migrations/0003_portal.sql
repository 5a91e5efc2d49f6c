-- The client portal (issue 6): contacts' sessions and failed logins.

-- A session belongs to a contact of the same company; deleting the contact,
-- or its client (which deletes the contact), deletes its sessions.
-- Only the SHA-256 hash of a session's secret is stored.
CREATE TABLE portal_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    hash       BLOB    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id) ON DELETE CASCADE
);
CREATE INDEX portal_sessions_contact ON portal_sessions (company_id, contact_id);
CREATE INDEX portal_sessions_expiry ON portal_sessions (company_id, expires_at);

-- Failed portal logins by company and e-mail, whether or not a contact has
-- the e-mail: the lockout must not tell. The e-mail is kept only as a digest,
-- as people sometimes type a password into the e-mail field.
-- Kept in the database so that the lockout holds across restarts and nodes.
CREATE TABLE portal_login_failures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES companies (id),
    email_digest TEXT    NOT NULL, -- hex SHA-256 of clientele.EmailKey(e-mail)
    failed_at    INTEGER NOT NULL,
    UNIQUE (company_id, id)
);
CREATE INDEX portal_login_failures_email ON portal_login_failures (company_id, email_digest, failed_at);
CREATE INDEX portal_login_failures_age ON portal_login_failures (company_id, failed_at);
