-- Per-company counts of clients, locations and contacts (issue 4), so that
-- the total of an unfiltered list in number mode is read, not counted:
-- count(*) over a million rows is a parallel scan of 100+ ms.
--
-- Exact whatever writes the rows (the engine's statements, ON DELETE CASCADE,
-- the COPY of `clientele copy`): statement-level triggers with transition
-- tables see every inserted and deleted row. They do not update the counts
-- row themselves: every UPDATE of one row within one transaction adds a
-- version that the next UPDATE must walk past (none can be pruned before the
-- commit), so n writes in a transaction cost O(n²) — 10 000 single-row
-- inserts took 3.8 s, 20 000 took 28 s. Instead each statement appends its
-- change to company_count_changes, and a deferred trigger folds a company's
-- changes into its counts row once, at commit: one UPDATE per company and
-- transaction (10 000 inserts: 0.8 s, 20 000: 0.6 s). A company's writes
-- already hold its advisory lock (postgres/tx.go) until they end, so the
-- counts row adds no waiting. Readers add the changes not yet folded (their
-- own transaction's; none committed), see postgres/counts.go.
CREATE TABLE company_counts (
    company_id bigint PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    clients    bigint NOT NULL DEFAULT 0,
    locations  bigint NOT NULL DEFAULT 0,
    contacts   bigint NOT NULL DEFAULT 0
);
INSERT INTO company_counts (company_id, clients, locations, contacts)
SELECT id,
    (SELECT count(*) FROM clients WHERE company_id = companies.id),
    (SELECT count(*) FROM locations WHERE company_id = companies.id),
    (SELECT count(*) FROM contacts WHERE company_id = companies.id)
FROM companies;

CREATE FUNCTION company_counts_create() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO company_counts (company_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER companies_count AFTER INSERT ON companies
FOR EACH ROW EXECUTE FUNCTION company_counts_create();

-- A transaction's changes, which live until its commit folds them. No
-- foreign key: the rows are gone at the commit, and the key's check would
-- cost every write statement one more lookup.
CREATE TABLE company_count_changes (
    company_id bigint NOT NULL,
    id         bigint GENERATED ALWAYS AS IDENTITY,
    clients    bigint NOT NULL DEFAULT 0,
    locations  bigint NOT NULL DEFAULT 0,
    contacts   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, id)
);

-- The rows a statement inserted or deleted (the transition table changed),
-- per company, as one change row each.
CREATE FUNCTION company_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign bigint := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    IF TG_TABLE_NAME = 'clients' THEN
        INSERT INTO company_count_changes (company_id, clients)
        SELECT company_id, sign * count(*) FROM changed GROUP BY company_id;
    ELSIF TG_TABLE_NAME = 'locations' THEN
        INSERT INTO company_count_changes (company_id, locations)
        SELECT company_id, sign * count(*) FROM changed GROUP BY company_id;
    ELSE
        INSERT INTO company_count_changes (company_id, contacts)
        SELECT company_id, sign * count(*) FROM changed GROUP BY company_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER clients_count_insert AFTER INSERT ON clients
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();
CREATE TRIGGER clients_count_delete AFTER DELETE ON clients
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();
CREATE TRIGGER locations_count_insert AFTER INSERT ON locations
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();
CREATE TRIGGER locations_count_delete AFTER DELETE ON locations
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();
CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts
REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();
CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts
REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION company_counts_change();

-- At commit, once per change row: the first of a company's rows in a
-- transaction folds them all (and deletes them); the later ones find their
-- row gone by its primary key and stop there, so the fold stays linear.
CREATE FUNCTION company_counts_fold() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM company_count_changes WHERE company_id = NEW.company_id AND id = NEW.id) THEN
        RETURN NULL;
    END IF;
    WITH folded AS (
        DELETE FROM company_count_changes WHERE company_id = NEW.company_id
        RETURNING clients, locations, contacts
    )
    UPDATE company_counts k SET clients = k.clients + s.clients, locations = k.locations + s.locations,
        contacts = k.contacts + s.contacts
    FROM (SELECT sum(clients) AS clients, sum(locations) AS locations, sum(contacts) AS contacts FROM folded) s
    WHERE k.company_id = NEW.company_id;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER company_count_changes_fold AFTER INSERT ON company_count_changes
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_counts_fold();
