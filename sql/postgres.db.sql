-- stan-ee SQL store schema for PostgreSQL.
--
-- Data-compatible with the Go nats-streaming-server SQL store (schema version 1,
-- scripts/postgres.db.sql of server 0.25.x): same table names, column names,
-- types, defaults, primary keys and index names, so a database created by either
-- server can be used by the other.
--
-- Differences from the Go script (none of them changes the stored data):
--   * Clients.proto, added by the Go script with a separate "Updates for 0.10.0"
--     ALTER TABLE, is declared directly in CREATE TABLE Clients. The script
--     therefore runs cleanly on an empty database. To upgrade a database created
--     before 0.10.0 run by hand:  ALTER TABLE Clients ADD proto BYTEA
--   * The Go script indexes Channels with "(name(256))", MySQL prefix syntax
--     that PostgreSQL parses as an expression (a constant of type name), so the
--     Go index does not cover the column at all. We create a plain index on the
--     name column instead. No store statement looks a channel up by name, so
--     this only matters for ad-hoc queries. Caveat: a btree entry is limited to
--     2704 bytes, so a channel name longer than that in UTF-8 (only possible with
--     many multi-byte characters, max 1024 characters) cannot be inserted.
--     The Go Clients primary key on id VARCHAR(1024) has the same limit.
--   * Indexes use CREATE INDEX IF NOT EXISTS (PostgreSQL 9.5+) so that re-running
--     the script on an up-to-date database is a no-op.
--
-- Identifiers are unquoted, so PostgreSQL folds them to lower case
-- (table messages, column subid, index idx_msgstimestamp ...).
-- The column SubsPending.row needs no quoting in PostgreSQL.
--
-- Format rule shared by all stan-ee scripts: every statement ends with a
-- semicolon at the end of a line, no semicolon appears anywhere else, and
-- comments are whole lines starting with two dashes.

CREATE TABLE IF NOT EXISTS ServerInfo (
    uniquerow INTEGER DEFAULT 1,
    id VARCHAR(1024),
    proto BYTEA,
    version INTEGER,
    PRIMARY KEY (uniquerow)
);

CREATE TABLE IF NOT EXISTS Clients (
    id VARCHAR(1024),
    hbinbox TEXT,
    proto BYTEA,
    PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS Channels (
    id INTEGER,
    name VARCHAR(1024) NOT NULL,
    maxseq BIGINT DEFAULT 0,
    maxmsgs INTEGER DEFAULT 0,
    maxbytes BIGINT DEFAULT 0,
    maxage BIGINT DEFAULT 0,
    deleted BOOL DEFAULT FALSE,
    PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS Idx_ChannelsName ON Channels (name);

CREATE TABLE IF NOT EXISTS Messages (
    id INTEGER,
    seq BIGINT,
    timestamp BIGINT,
    size INTEGER,
    data BYTEA,
    CONSTRAINT PK_MsgKey PRIMARY KEY (id, seq)
);
CREATE INDEX IF NOT EXISTS Idx_MsgsTimestamp ON Messages (timestamp);

CREATE TABLE IF NOT EXISTS Subscriptions (
    id INTEGER,
    subid BIGINT,
    lastsent BIGINT DEFAULT 0,
    proto BYTEA,
    deleted BOOL DEFAULT FALSE,
    CONSTRAINT PK_SubKey PRIMARY KEY (id, subid)
);

CREATE TABLE IF NOT EXISTS SubsPending (
    subid BIGINT,
    row BIGINT,
    seq BIGINT DEFAULT 0,
    lastsent BIGINT DEFAULT 0,
    pending BYTEA,
    acks BYTEA,
    CONSTRAINT PK_MsgPendingKey PRIMARY KEY (subid, row)
);
CREATE INDEX IF NOT EXISTS Idx_SubsPendingSeq ON SubsPending (seq);

CREATE TABLE IF NOT EXISTS StoreLock (
    id VARCHAR(30),
    tick BIGINT DEFAULT 0
);
