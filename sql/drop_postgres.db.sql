-- stan-ee: removes everything created by postgres.db.sql (PostgreSQL).
--
-- Same objects as the Go server's scripts/drop_postgres.db.sql. The indexes are
-- dropped first (dropping a table would drop its indexes anyway), so no
-- "does not exist, skipping" notices appear on a complete schema. IF EXISTS
-- makes the script safe to run on a partial or empty schema.
--
-- WARNING: this deletes all stored channels, messages, subscriptions and clients.

DROP INDEX IF EXISTS Idx_ChannelsName;
DROP INDEX IF EXISTS Idx_MsgsTimestamp;
DROP INDEX IF EXISTS Idx_SubsPendingSeq;
DROP TABLE IF EXISTS ServerInfo;
DROP TABLE IF EXISTS Clients;
DROP TABLE IF EXISTS Channels;
DROP TABLE IF EXISTS Messages;
DROP TABLE IF EXISTS Subscriptions;
DROP TABLE IF EXISTS SubsPending;
DROP TABLE IF EXISTS StoreLock;
