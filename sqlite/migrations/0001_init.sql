-- Timestamps are integer microseconds since the Unix epoch, UTC.
-- Every company-owned table has UNIQUE (company_id, id) so that children
-- reference their parent together with its company: a row can never point
-- at another company's record, whatever the code above does.
--
-- The *_key columns hold what the code computes for sorting and matching
-- (clientele.Fold of a name or city, clientele.EmailKey of an e-mail), kept
-- in step with their attributes on every write, so that ordering and matching
-- never depend on SQLite's collation. Text compares byte-wise (BINARY).
-- List indexes lead with company_id and end with id where they serve an order.

-- Secrets of the whole installation (the key that seals page cursors), made
-- on first use.
CREATE TABLE installation_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE companies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    slug       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies (id),
    full_name  TEXT    NOT NULL,
    email      TEXT    NOT NULL,
    email_key  TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'member')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (company_id, id),
    CONSTRAINT users_email UNIQUE (company_id, email_key)
);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    hash         BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id) ON DELETE CASCADE
);
CREATE INDEX tokens_user ON tokens (company_id, user_id, id);

CREATE TABLE clients (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id               INTEGER NOT NULL REFERENCES companies (id),
    name                     TEXT    NOT NULL,
    name_key                 TEXT    NOT NULL, -- Fold(name)
    external_id              TEXT,
    types                    INTEGER NOT NULL, -- bit set: 1 customer, 2 supplier, 4 prospect
    email                    TEXT,
    email_key                TEXT,             -- EmailKey(email); NULL without one
    billing_email            TEXT,
    phone                    TEXT,
    phone_secondary          TEXT,
    mobile                   TEXT,
    fax                      TEXT,
    website                  TEXT,
    tax_name                 TEXT,
    tax_number               TEXT,
    registration_number      TEXT,
    bank_name                TEXT,
    iban                     TEXT,
    notes                    TEXT,
    default_rate             TEXT,
    default_rate_type        TEXT,
    invoice_reminders        INTEGER NOT NULL,
    show_location_on_invoice INTEGER NOT NULL,
    owner_id                 INTEGER,
    salesperson_id           INTEGER,
    case_manager_id          INTEGER,
    search_text              TEXT    NOT NULL DEFAULT '', -- ClientSearchText: tokens, space-separated
    created_at               INTEGER NOT NULL,
    updated_at               INTEGER NOT NULL,
    UNIQUE (company_id, id),
    CONSTRAINT clients_external_id UNIQUE (company_id, external_id),
    FOREIGN KEY (company_id, owner_id) REFERENCES users (company_id, id),
    FOREIGN KEY (company_id, salesperson_id) REFERENCES users (company_id, id),
    FOREIGN KEY (company_id, case_manager_id) REFERENCES users (company_id, id)
);
CREATE INDEX clients_owner ON clients (company_id, owner_id, id);
CREATE INDEX clients_salesperson ON clients (company_id, salesperson_id, id);
CREATE INDEX clients_case_manager ON clients (company_id, case_manager_id, id);
CREATE INDEX clients_name ON clients (company_id, name_key, id);
CREATE INDEX clients_external_id_order ON clients (company_id, coalesce(external_id, ''), id);
CREATE INDEX clients_created ON clients (company_id, created_at, id);
CREATE INDEX clients_updated ON clients (company_id, updated_at, id);
CREATE INDEX clients_email ON clients (company_id, email_key);

CREATE TABLE locations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      INTEGER NOT NULL,
    client_id       INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    name_key        TEXT    NOT NULL DEFAULT '', -- Fold(name)
    street          TEXT,
    house_number    TEXT,
    address_line_2  TEXT,
    address_line_3  TEXT,
    postal_code     TEXT,
    city            TEXT,
    city_key        TEXT    NOT NULL DEFAULT '', -- Fold(city); '' without one
    region          TEXT,
    country         TEXT    NOT NULL,
    recipient       TEXT,
    email           TEXT,
    phone           TEXT,
    phone_secondary TEXT,
    fax             TEXT,
    notes           TEXT,
    is_primary      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, client_id) REFERENCES clients (company_id, id) ON DELETE CASCADE
);
CREATE INDEX locations_client ON locations (company_id, client_id, id);
-- At most one primary location per client, whatever the code above does.
CREATE UNIQUE INDEX locations_one_primary ON locations (company_id, client_id) WHERE is_primary = 1;
CREATE INDEX locations_name ON locations (company_id, name_key, id);
CREATE INDEX locations_city ON locations (company_id, city_key, id);
CREATE INDEX locations_country ON locations (company_id, country, id);
CREATE INDEX locations_created ON locations (company_id, created_at, id);
-- The clients' country and city filters, on their primary locations.
CREATE INDEX locations_primary_country ON locations (company_id, country, client_id) WHERE is_primary = 1;
CREATE INDEX locations_primary_city ON locations (company_id, city_key, client_id) WHERE is_primary = 1;

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id    INTEGER NOT NULL,
    client_id     INTEGER NOT NULL,
    first_name    TEXT,
    last_name     TEXT,
    first_key     TEXT    NOT NULL DEFAULT '', -- Fold(first_name)
    last_key      TEXT    NOT NULL DEFAULT '', -- Fold(last_name)
    name_key      TEXT    NOT NULL DEFAULT '', -- Fold of the full name
    gender        TEXT,
    email         TEXT,
    email_key     TEXT,                        -- EmailKey(email); NULL without one
    phone         TEXT,
    mobile        TEXT,
    fax           TEXT,
    skype         TEXT,
    position      TEXT,
    notes         TEXT,
    is_main       INTEGER NOT NULL,
    portal_access INTEGER NOT NULL,
    password_hash TEXT,
    search_text   TEXT    NOT NULL DEFAULT '', -- ContactSearchText: tokens, space-separated
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, client_id) REFERENCES clients (company_id, id) ON DELETE CASCADE
);
CREATE INDEX contacts_client ON contacts (company_id, client_id, id);
-- At most one main contact per client.
CREATE UNIQUE INDEX contacts_one_main ON contacts (company_id, client_id) WHERE is_main = 1;
-- Portal logins find a contact by company and e-mail; the e-mail is unique among contacts with access.
CREATE UNIQUE INDEX contacts_portal_email ON contacts (company_id, email_key) WHERE portal_access = 1;
CREATE INDEX contacts_first_name ON contacts (company_id, first_key, id);
CREATE INDEX contacts_last_name ON contacts (company_id, last_key, id);
CREATE INDEX contacts_name ON contacts (company_id, name_key, id);
CREATE INDEX contacts_email ON contacts (company_id, coalesce(email_key, ''), id);
CREATE INDEX contacts_created ON contacts (company_id, created_at, id);
CREATE INDEX contacts_updated ON contacts (company_id, updated_at, id);

-- Search (q): FTS5 indexes over the search_text columns, which hold the
-- tokens that clientele.SearchTokens makes (letters and digits only, already
-- folded, separated by spaces), so the tokenizer only splits on the spaces.
-- External content: the text lives in clients and contacts, and the
-- triggers keep each index in step with its table in the same transaction
-- (also when ON DELETE CASCADE deletes contacts). A client's search_text
-- holds its primary location's city: the engine recomputes it whenever a
-- location of the client is written (see locations.go).
CREATE VIRTUAL TABLE clients_search USING fts5(
    search_text, content = 'clients', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', detail = 'none'
);
CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO clients_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE VIRTUAL TABLE contacts_search USING fts5(
    search_text, content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', detail = 'none'
);
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO contacts_search (rowid, search_text) VALUES (new.id, new.search_text);
END;
