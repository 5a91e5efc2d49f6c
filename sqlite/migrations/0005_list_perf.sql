-- Lists at a million rows (issue 4).
--
-- A client's country and folded city are those of its primary location
-- (its address); they are copied onto the client row, so that the clients'
-- country and city filters walk an index in name order instead of joining
-- every client of a country and sorting them. Triggers on locations keep the
-- copies in step in the same statement, whatever writes the locations
-- (creates, updates, moves, deletes, ON DELETE CASCADE). NULL without a
-- primary location; city_key '' without a city, as on locations.
ALTER TABLE clients ADD COLUMN country TEXT;
ALTER TABLE clients ADD COLUMN city_key TEXT;
UPDATE clients SET (country, city_key) = (SELECT p.country, p.city_key FROM locations p
    WHERE p.company_id = clients.company_id AND p.client_id = clients.id AND p.is_primary = 1);
CREATE INDEX clients_country ON clients (company_id, country, name_key, id);
CREATE INDEX clients_city ON clients (company_id, city_key, name_key, id);

CREATE TRIGGER locations_primary_insert AFTER INSERT ON locations WHEN new.is_primary = 1 BEGIN
    UPDATE clients SET country = new.country, city_key = new.city_key
    WHERE company_id = new.company_id AND id = new.client_id;
END;
CREATE TRIGGER locations_primary_update AFTER UPDATE OF client_id, is_primary, country, city_key ON locations
WHEN old.is_primary = 1 OR new.is_primary = 1 BEGIN
    UPDATE clients SET (country, city_key) = (SELECT p.country, p.city_key FROM locations p
        WHERE p.company_id = clients.company_id AND p.client_id = clients.id AND p.is_primary = 1)
    WHERE company_id = old.company_id AND id IN (old.client_id, new.client_id);
END;
CREATE TRIGGER locations_primary_delete AFTER DELETE ON locations WHEN old.is_primary = 1 BEGIN
    UPDATE clients SET country = NULL, city_key = NULL
    WHERE company_id = old.company_id AND id = old.client_id;
END;

-- The number of clients, locations and contacts of each company, kept by
-- triggers (which also fire for ON DELETE CASCADE), so that the total of an
-- unfiltered list in number mode is read, not counted: count(*) over a
-- million rows is a scan of a million index entries. SQLite has one writer
-- at a time, so the counter row costs no concurrency.
CREATE TABLE company_counts (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    clients    INTEGER NOT NULL DEFAULT 0,
    locations  INTEGER NOT NULL DEFAULT 0,
    contacts   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO company_counts (company_id, clients, locations, contacts)
SELECT id,
    (SELECT count(*) FROM clients WHERE company_id = companies.id),
    (SELECT count(*) FROM locations WHERE company_id = companies.id),
    (SELECT count(*) FROM contacts WHERE company_id = companies.id)
FROM companies;
CREATE TRIGGER companies_count AFTER INSERT ON companies BEGIN
    INSERT INTO company_counts (company_id) VALUES (new.id);
END;
CREATE TRIGGER clients_count_insert AFTER INSERT ON clients BEGIN
    UPDATE company_counts SET clients = clients + 1 WHERE company_id = new.company_id;
END;
CREATE TRIGGER clients_count_delete AFTER DELETE ON clients BEGIN
    UPDATE company_counts SET clients = clients - 1 WHERE company_id = old.company_id;
END;
CREATE TRIGGER locations_count_insert AFTER INSERT ON locations BEGIN
    UPDATE company_counts SET locations = locations + 1 WHERE company_id = new.company_id;
END;
CREATE TRIGGER locations_count_delete AFTER DELETE ON locations BEGIN
    UPDATE company_counts SET locations = locations - 1 WHERE company_id = old.company_id;
END;
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
    UPDATE company_counts SET contacts = contacts + 1 WHERE company_id = new.company_id;
END;
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
    UPDATE company_counts SET contacts = contacts - 1 WHERE company_id = old.company_id;
END;

-- Search: FTS5 keeps prefix indexes of the first 2 and 3 characters of
-- every token, so that a short or very common prefix term ("de" of an
-- e-mail's domain, "crm" of an external id) is one doclist that the AND
-- of the other terms seeks into, not the merge of every token that starts
-- with it, built in full before the AND (a rare e-mail: 36 → 11 ms, a rare
-- external id: 22 → 0.6 ms in the C shell at a million contacts). The
-- tables are made again with the option and rebuilt from their content; the
-- triggers of 0001 name them and go on feeding them.
DROP TABLE clients_search;
CREATE VIRTUAL TABLE clients_search USING fts5(
    search_text, content = 'clients', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', detail = 'none', prefix = '2 3'
);
INSERT INTO clients_search (clients_search) VALUES ('rebuild');
DROP TABLE contacts_search;
CREATE VIRTUAL TABLE contacts_search USING fts5(
    search_text, content = 'contacts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0', detail = 'none', prefix = '2 3'
);
INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');
