-- Search by relevance from the index alone (issue 4): nothing for
-- PostgreSQL, which tells clientele.SearchRank from search_text (lists.go).
-- SQLite's 0008 adds the first word to its FTS5 indexes; the number keeps
-- both engines at the same schema version (transfer.schemaVersion).
SELECT 1;
