package io.stanee.store.jpa;

import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.StoreException;
import io.stanee.store.StoredMessageLimit;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Checks at start-up that every table and column of the SQL store exists, and names the script to run when
 * one does not. The application never creates a production schema; only an embedded Derby database, the
 * zero-setup default, gets its schema from {@code sql/derby.db.sql} on first start.
 */
public final class SchemaGuard {

    private static final Logger LOG = Logger.getLogger(SchemaGuard.class.getName());
    private static final String DERBY_SCRIPT = "/META-INF/sql/derby.db.sql";

    /** Every table with the columns stan-ee reads or writes (the Go server's names). */
    static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("ServerInfo", "uniquerow, id, proto, version");
        TABLES.put("Clients", "id, hbinbox, proto");
        TABLES.put("Channels", "id, name, maxseq, maxmsgs, maxbytes, maxage, deleted");
        TABLES.put("Messages", "id, seq, timestamp, size, data");
        TABLES.put("Subscriptions", "id, subid, lastsent, proto, deleted");
        TABLES.put("SubsPending", "subid, ROW, seq, lastsent, pending, acks");
        TABLES.put("StoreLock", "id, tick");
    }

    private SchemaGuard() {
    }

    /**
     * Up to this many bytes a serialized message fits whatever NATS carries (its max_payload is at most 64 MiB):
     * a Messages.data column that holds less caps the messages stan-ee may accept.
     */
    static final long NATS_MAX_PAYLOAD_CEILING = 64L * 1024 * 1024;

    /**
     * Verifies the schema; on an empty embedded Derby database, creates it first. Returns the cap of the
     * message column when it holds less than NATS may carry (a MySQL/MariaDB BLOB of the Go script), else null.
     */
    public static StoredMessageLimit verify(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            Dialect dialect = Dialect.of(product);
            List<String> missing = missingTables(connection, dialect);
            if (!missing.isEmpty() && dialect == Dialect.DERBY && missing.size() == TABLES.size()) {
                LOG.info("empty embedded Derby database: creating the stan-ee schema from sql/derby.db.sql");
                runScript(connection, DERBY_SCRIPT);
                missing = missingTables(connection, dialect);
            }
            if (!missing.isEmpty()) {
                throw new IncompatibleStoreException(String.format(
                        "stan-ee: the SQL store schema is incomplete in the %s database: %s. stan-ee does not "
                                + "create the schema; ask the DBA to run sql/%s (from the stan-ee distribution).",
                        product, String.join("; ", missing), dialect.script));
            }
            return dialect == Dialect.MYSQL ? mysqlMessageColumnLimit(connection) : null;
        } catch (SQLException e) {
            throw new StoreException("stan-ee: cannot reach the datasource to check the schema: " + e.getMessage(), e);
        }
    }

    /**
     * The size of Messages.data as MySQL/MariaDB reports it (BLOB 65535, MEDIUMBLOB 16777215, LONGBLOB 4 GiB),
     * if it caps a message below what NATS can carry. PostgreSQL's bytea and Derby's BLOB of the script do not.
     */
    private static StoredMessageLimit mysqlMessageColumnLimit(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(Statements.MYSQL_MESSAGE_COLUMN);
             ResultSet row = statement.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            String type = row.getString(1);
            long max = row.getLong(2);
            if (row.wasNull() || max >= NATS_MAX_PAYLOAD_CEILING) {
                return null;
            }
            return new StoredMessageLimit("Messages.data (" + type.toUpperCase(Locale.ROOT) + ")", max,
                    "ALTER TABLE Messages MODIFY data LONGBLOB");
        }
    }

    private static List<String> missingTables(Connection connection, Dialect dialect) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> table : TABLES.entrySet()) {
            String columns = table.getValue().replace("ROW", dialect.quotedRow);
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(Statements.probeTable(table.getKey(), columns)).close();
            } catch (SQLException e) {
                missing.add("table " + table.getKey() + " (columns " + table.getValue().replace("ROW", "row")
                        + ") is missing or incomplete [" + e.getMessage().trim() + "]");
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        }
        return missing;
    }

    private static void runScript(Connection connection, String resource) throws SQLException {
        String script;
        try (InputStream in = SchemaGuard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StoreException("stan-ee: " + resource + " is missing from the application");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("stan-ee: cannot read " + resource, e);
        }
        try (Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(script)) {
                statement.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    enum Dialect {
        POSTGRES("postgres.db.sql", "row", " FOR SHARE"),
        MYSQL("mysql.db.sql", "`row`", " LOCK IN SHARE MODE"),
        DERBY("derby.db.sql", "\"row\"", " WITH RS");

        /** The application's one datasource is of one kind: looked up on its first connection. */
        private static volatile Dialect ofTheDataSource;

        final String script;
        final String quotedRow;
        /** What makes a SELECT keep a shared lock on the rows it read until the transaction ends. */
        final String shareLock;

        Dialect(String script, String quotedRow, String shareLock) {
            this.script = script;
            this.quotedRow = quotedRow;
            this.shareLock = shareLock;
        }

        static Dialect of(Connection connection) throws SQLException {
            Dialect known = ofTheDataSource;
            if (known == null) {
                known = of(connection.getMetaData().getDatabaseProductName());
                ofTheDataSource = known;
            }
            return known;
        }

        /** As {@link #of(Connection)}, asking the datasource for a connection only the first time. */
        static Dialect of(DataSource dataSource) throws SQLException {
            Dialect known = ofTheDataSource;
            if (known != null) {
                return known;
            }
            try (Connection connection = dataSource.getConnection()) {
                return of(connection);
            }
        }

        static Dialect of(String product) {
            String name = product.toLowerCase(Locale.ROOT);
            if (name.contains("postgres")) {
                return POSTGRES;
            }
            if (name.contains("mysql") || name.contains("mariadb")) {
                return MYSQL;
            }
            if (name.contains("derby")) {
                return DERBY;
            }
            throw new StoreException("stan-ee: unsupported database " + product
                    + " (PostgreSQL, MySQL/MariaDB and Derby are supported)");
        }
    }
}
