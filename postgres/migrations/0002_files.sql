-- Uploaded images (issue 5): the key under which a client's logo and a
-- contact's image are stored in the file store (clientele.Image). NULL: none.
-- The file sweep asks which keys rows still reference, across companies,
-- so each key column has an index (not unique: keys are random, and a
-- Citus unique index would have to start with company_id).
ALTER TABLE clients ADD COLUMN logo text;
ALTER TABLE contacts ADD COLUMN image text;
CREATE INDEX clients_logo ON clients (logo) WHERE logo IS NOT NULL;
CREATE INDEX contacts_image ON contacts (image) WHERE image IS NOT NULL;
