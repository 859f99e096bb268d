-- stan-ee SQL store schema for MySQL / MariaDB.
--
-- Data-compatible with the Go nats-streaming-server SQL store (schema version 1,
-- scripts/mysql.db.sql of server 0.25.x): same table names, column names,
-- types, defaults, primary keys and index names, so a database created by either
-- server can be used by the other.
--
-- Differences from the Go script (none of them changes the stored data):
--   * Clients.proto, added by the Go script with a separate "Updates for 0.10.0"
--     ALTER TABLE, is declared directly in CREATE TABLE Clients. The script
--     therefore runs cleanly on an empty database and, thanks to
--     CREATE TABLE IF NOT EXISTS, can be re-run on an up-to-date one. To upgrade
--     a database created before 0.10.0 run by hand:  ALTER TABLE Clients ADD proto BLOB
--   * Comments use "-- " instead of "#" (format rule below).
--
-- Sizes: the column types are the Go ones (BLOB, TEXT, BIGINT UNSIGNED ...) but
-- for three. Messages.data is LONGBLOB: the Go script's BLOB holds at most
-- 65535 bytes, so it capped a serialized message (MsgProto: sequence, subject,
-- reply, payload, timestamp) at 64 KiB, far below the 1 MB NATS accepts by
-- default ("Data too long", or silent truncation outside strict SQL mode).
-- SubsPending.pending and .acks are MEDIUMBLOB: in caching mode they hold a
-- subscription's pending sequences as a JSON array, past 64 KiB from about
-- 8,000 pending messages. Both servers read and write these types exactly as
-- BLOB, so a database still moves between the Go server and stan-ee. To
-- upgrade a database created by the Go script or an older stan-ee script:
--     ALTER TABLE Messages MODIFY data LONGBLOB;
--     ALTER TABLE SubsPending MODIFY pending MEDIUMBLOB, MODIFY acks MEDIUMBLOB;
-- Subscriptions.proto and Clients.hbinbox keep their 64 KiB caps (a few
-- hundred bytes each in practice).
--
-- The column SubsPending.row is quoted with backticks because ROW is a reserved
-- word in MySQL 8.0.2 and later (MariaDB accepts it unquoted but the backticks
-- are harmless there).
--
-- Identifier case: table names keep the case written here (Messages, SubsPending
-- ...) and are case-sensitive on Linux with lower_case_table_names=0, so every
-- statement must spell them exactly like this. Column and index names are
-- case-insensitive.
--
-- Format rule shared by all stan-ee scripts: every statement ends with a
-- semicolon at the end of a line, no semicolon appears anywhere else, and
-- comments are whole lines starting with two dashes and a space.

CREATE TABLE IF NOT EXISTS ServerInfo (
    uniquerow INT DEFAULT 1,
    id VARCHAR(1024),
    proto BLOB,
    version INTEGER,
    PRIMARY KEY (uniquerow)
);

CREATE TABLE IF NOT EXISTS Clients (
    id VARCHAR(1024),
    hbinbox TEXT,
    proto BLOB,
    PRIMARY KEY (id(256))
);

CREATE TABLE IF NOT EXISTS Channels (
    id INTEGER,
    name VARCHAR(1024) NOT NULL,
    maxseq BIGINT UNSIGNED DEFAULT 0,
    maxmsgs INTEGER DEFAULT 0,
    maxbytes BIGINT DEFAULT 0,
    maxage BIGINT DEFAULT 0,
    deleted BOOL DEFAULT FALSE,
    PRIMARY KEY (id),
    INDEX Idx_ChannelsName (name(256))
);

CREATE TABLE IF NOT EXISTS Messages (
    id INTEGER,
    seq BIGINT UNSIGNED,
    timestamp BIGINT,
    size INTEGER,
    data LONGBLOB,
    CONSTRAINT PK_MsgKey PRIMARY KEY (id, seq),
    INDEX Idx_MsgsTimestamp (timestamp)
);

CREATE TABLE IF NOT EXISTS Subscriptions (
    id INTEGER,
    subid BIGINT UNSIGNED,
    lastsent BIGINT UNSIGNED DEFAULT 0,
    proto BLOB,
    deleted BOOL DEFAULT FALSE,
    CONSTRAINT PK_SubKey PRIMARY KEY (id, subid)
);

CREATE TABLE IF NOT EXISTS SubsPending (
    subid BIGINT UNSIGNED,
    `row` BIGINT UNSIGNED,
    seq BIGINT UNSIGNED DEFAULT 0,
    lastsent BIGINT UNSIGNED DEFAULT 0,
    pending MEDIUMBLOB,
    acks MEDIUMBLOB,
    CONSTRAINT PK_MsgPendingKey PRIMARY KEY (subid, `row`),
    INDEX Idx_SubsPendingSeq (seq)
);

CREATE TABLE IF NOT EXISTS StoreLock (
    id VARCHAR(30),
    tick BIGINT UNSIGNED DEFAULT 0
);
