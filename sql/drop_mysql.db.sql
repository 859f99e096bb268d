-- stan-ee: removes everything created by mysql.db.sql (MySQL / MariaDB).
--
-- The Go server ships no MySQL drop script, this one mirrors its
-- drop_postgres.db.sql. In MySQL all indexes are part of their table, so dropping
-- the tables removes everything. IF EXISTS makes the script safe to run on a
-- partial or empty schema.
--
-- WARNING: this deletes all stored channels, messages, subscriptions and clients.

DROP TABLE IF EXISTS ServerInfo;
DROP TABLE IF EXISTS Clients;
DROP TABLE IF EXISTS Channels;
DROP TABLE IF EXISTS Messages;
DROP TABLE IF EXISTS Subscriptions;
DROP TABLE IF EXISTS SubsPending;
DROP TABLE IF EXISTS StoreLock;
