-- stan-ee: removes everything created by derby.db.sql (Apache Derby).
--
-- Derby has no DROP TABLE IF EXISTS. Dropping a table also drops its indexes and
-- constraints, so only the tables are listed. On a partial or empty schema the
-- statements for missing tables fail with SQLState 42Y55 ("'DROP TABLE' cannot
-- be performed on ... because it does not exist"). Those errors can be ignored:
-- run the statements one by one and carry on after a failure (ij does this by
-- default).
--
-- WARNING: this deletes all stored channels, messages, subscriptions and clients.

DROP TABLE ServerInfo;
DROP TABLE Clients;
DROP TABLE Channels;
DROP TABLE Messages;
DROP TABLE Subscriptions;
DROP TABLE SubsPending;
DROP TABLE StoreLock;
