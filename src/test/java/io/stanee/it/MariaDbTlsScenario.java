package io.stanee.it;

import io.stanee.testing.TestCertificates;
import io.stanee.testing.TlsMariaDb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@link DatabaseTlsScenario} on MariaDB: a server with {@code require_secure_transport = ON}; stan-ee's sessions
 * are checked in performance_schema's per-thread {@code Ssl_version}.
 */
class MariaDbTlsScenario extends DatabaseTlsScenario {

    private static final int PORT = 3311;
    private static final Path DIR = Path.of("/tmp/stanee-h8-maria");

    private TlsMariaDb mariaDb;

    @Override
    protected void startDatabase(TestCertificates certificates) throws Exception {
        mariaDb = TlsMariaDb.start(DIR, PORT, certificates);
        mariaDb.createDatabase(DATABASE, "mysql.db.sql");
    }

    @Override
    protected void stopDatabase() throws Exception {
        if (mariaDb != null) {
            mariaDb.close();
        }
    }

    @Override
    protected Map<String, String> databaseVariables() {
        return Map.of("stan.db", "mysql", "stan.db.port", String.valueOf(PORT));
    }

    @Override
    protected Connection connectOverTls() throws SQLException {
        return mariaDb.connect(DATABASE);
    }

    @Override
    protected String plainUrl() {
        return mariaDb.jdbcUrl(DATABASE, "disable");
    }

    @Override
    protected String user() {
        return TlsMariaDb.USER;
    }

    /**
     * MariaDB 10.11 refuses an unencrypted session under require_secure_transport as it refuses a wrong password;
     * the user has none, and the same user gets in over TLS (the scenario's first test).
     */
    @Override
    protected String plainRefusal() {
        return "Access denied for user 'root'@'127.0.0.1'";
    }

    @Override
    protected List<String> tlsOfOtherSessions(Connection connection) throws SQLException {
        return TlsMariaDb.tlsOfOtherSessions(connection, DATABASE);
    }

    @Override
    protected Path rootCertificate() {
        return mariaDb.rootCertificate();
    }
}
