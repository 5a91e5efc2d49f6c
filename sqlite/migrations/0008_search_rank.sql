-- Search by relevance from the index alone (issue 4). A list searched
-- without a sort orders by clientele.SearchRank, then id: rank 0 when the
-- record's first word starts with the first term, 1 when the first term is
-- one of its words, 2 otherwise. Telling the rank by reading every matching
-- row cost 70 ms for a common word at a million contacts. So the search
-- indexes now also hold the first word once more, behind the marker
-- character U+E000 (private use: the tokenizer keeps it in the token, and
-- no query term can hold it, as clientele.SearchTerms keeps letters and digits
-- only). Each rank is then an FTS5 query of its own — rank 0: the terms and
-- "<U+E000>first"*; rank 1: the terms and "first", not rank 0; rank 2: the
-- rest — which FTS5 answers in rowid order and can stop after a page (see
-- lists.go, rankedIDs).
--
-- What the indexes hold is search_index, a virtual generated column: the
-- marked first word, then search_text. The indexes are made again over it,
-- and the triggers of 0001 are replaced by ones that feed it.
--
-- The tokenizer is now 'ascii': it splits on the spaces and folds nothing
-- but A-Z, which search_text does not hold. Go has made the words already
-- (clientele.SearchTokens), and the index must hold exactly those, as
-- PostgreSQL's does: unicode61 folded some letters further than
-- clientele.Fold (final sigma) and dropped others (New Tai Lue vowels), so
-- a rank read from the index could differ from clientele.SearchRank, which
-- the page's cursor carries, and paging skipped rows.
ALTER TABLE clients ADD COLUMN search_index TEXT GENERATED ALWAYS AS
    (char(57344) || substr(search_text, 1, instr(search_text || ' ', ' ') - 1) || ' ' || search_text) VIRTUAL;
ALTER TABLE contacts ADD COLUMN search_index TEXT GENERATED ALWAYS AS
    (char(57344) || substr(search_text, 1, instr(search_text || ' ', ' ') - 1) || ' ' || search_text) VIRTUAL;

DROP TRIGGER clients_search_insert;
DROP TRIGGER clients_search_delete;
DROP TRIGGER clients_search_update;
DROP TABLE clients_search;
CREATE VIRTUAL TABLE clients_search USING fts5(
    search_index, content = 'clients', content_rowid = 'id',
    tokenize = 'ascii', detail = 'none', prefix = '2 3'
);
INSERT INTO clients_search (clients_search) VALUES ('rebuild');
CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN
    INSERT INTO clients_search (rowid, search_index) VALUES (new.id, new.search_index);
END;
CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
END;
CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO clients_search (clients_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
    INSERT INTO clients_search (rowid, search_index) VALUES (new.id, new.search_index);
END;

DROP TRIGGER contacts_search_insert;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER contacts_search_update;
DROP TABLE contacts_search;
CREATE VIRTUAL TABLE contacts_search USING fts5(
    search_index, content = 'contacts', content_rowid = 'id',
    tokenize = 'ascii', detail = 'none', prefix = '2 3'
);
INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, search_index) VALUES (new.id, new.search_index);
END;
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
    INSERT INTO contacts_search (rowid, search_index) VALUES (new.id, new.search_index);
END;
