-- stan-ee SQL store schema for Apache Derby (10.16, embedded or network).
--
-- A faithful translation of the Go nats-streaming-server SQL schema (schema
-- version 1, scripts/postgres.db.sql and scripts/mysql.db.sql of server 0.25.x):
-- same tables, columns, defaults, primary keys and index names. The Go server
-- itself has no Derby support, this file is stan-ee only.
--
-- Type mapping (Go MySQL / Go PostgreSQL -> Derby):
--   BLOB / BYTEA          -> BLOB (default maximum length 2 GB)
--   TEXT / TEXT           -> VARCHAR(32672), the longest Derby VARCHAR. Only
--                            Clients.hbinbox uses it (a short inbox subject), and
--                            a VARCHAR is read and written with plain
--                            getString/setString, unlike CLOB.
--   BIGINT UNSIGNED / BIGINT -> BIGINT (signed, like the PostgreSQL schema)
--   BOOL / BOOL           -> BOOLEAN
--   INT, INTEGER, VARCHAR(n) -> unchanged
--
-- Other notes:
--   * Derby has no CREATE TABLE IF NOT EXISTS, so this script must be run once on
--     a schema that does not contain these tables yet (drop_derby.db.sql first
--     otherwise). Clients.proto (the Go "Updates for 0.10.0" ALTER TABLE) is
--     declared directly in CREATE TABLE Clients.
--   * Derby has no index-prefix syntax, so the Clients primary key and the
--     Channels name index cover the whole VARCHAR(1024) column (as in the
--     PostgreSQL schema).
--   * Primary key columns are implicitly NOT NULL (as in MySQL and PostgreSQL).
--
-- Identifier case: unquoted identifiers are folded to UPPER case by Derby
-- (table MESSAGES, column SUBID, index IDX_MSGSTIMESTAMP ...). The one exception
-- is the column SubsPending."row": it is created quoted, i.e. with the exact
-- lower-case name row. ROW is not a reserved word in Derby 10.16, but quoting it
-- gives it the same spelling as in PostgreSQL (where unquoted row folds to
-- lower case) and as the backtick-quoted `row` of MySQL, so one delimited name
-- works on all three databases: a JPA mapping @Column(name = "\"row\"") and a
-- native statement that quotes the column with the database delimiter
-- (double quotes here). Statements that refer to it must write "row".
--
-- Tables are created in the current schema (APP when connecting without a user,
-- otherwise the schema named after the user).
--
-- Format rule shared by all stan-ee scripts: every statement ends with a
-- semicolon at the end of a line, no semicolon appears anywhere else, and
-- comments are whole lines starting with two dashes.

CREATE TABLE ServerInfo (
    uniquerow INTEGER DEFAULT 1,
    id VARCHAR(1024),
    proto BLOB,
    version INTEGER,
    PRIMARY KEY (uniquerow)
);

CREATE TABLE Clients (
    id VARCHAR(1024),
    hbinbox VARCHAR(32672),
    proto BLOB,
    PRIMARY KEY (id)
);

CREATE TABLE Channels (
    id INTEGER,
    name VARCHAR(1024) NOT NULL,
    maxseq BIGINT DEFAULT 0,
    maxmsgs INTEGER DEFAULT 0,
    maxbytes BIGINT DEFAULT 0,
    maxage BIGINT DEFAULT 0,
    deleted BOOLEAN DEFAULT FALSE,
    PRIMARY KEY (id)
);
CREATE INDEX Idx_ChannelsName ON Channels (name);

CREATE TABLE Messages (
    id INTEGER,
    seq BIGINT,
    timestamp BIGINT,
    size INTEGER,
    data BLOB,
    CONSTRAINT PK_MsgKey PRIMARY KEY (id, seq)
);
CREATE INDEX Idx_MsgsTimestamp ON Messages (timestamp);

CREATE TABLE Subscriptions (
    id INTEGER,
    subid BIGINT,
    lastsent BIGINT DEFAULT 0,
    proto BLOB,
    deleted BOOLEAN DEFAULT FALSE,
    CONSTRAINT PK_SubKey PRIMARY KEY (id, subid)
);

CREATE TABLE SubsPending (
    subid BIGINT,
    "row" BIGINT,
    seq BIGINT DEFAULT 0,
    lastsent BIGINT DEFAULT 0,
    pending BLOB,
    acks BLOB,
    CONSTRAINT PK_MsgPendingKey PRIMARY KEY (subid, "row")
);
CREATE INDEX Idx_SubsPendingSeq ON SubsPending (seq);

CREATE TABLE StoreLock (
    id VARCHAR(30),
    tick BIGINT DEFAULT 0
);
