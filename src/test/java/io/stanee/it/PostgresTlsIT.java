package io.stanee.it;

import io.stanee.testing.TestCertificates;
import io.stanee.testing.TlsPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link DatabaseTlsScenario} on PostgreSQL: a server with {@code ssl = on} whose pg_hba.conf takes hostssl and
 * rejects hostnossl; stan-ee's sessions are checked in {@code pg_stat_ssl}.
 */
class PostgresTlsIT extends DatabaseTlsScenario {

    private static final int PORT = 5442;
    private static final Path DIR = Path.of("/tmp/stanee-h8-pg");

    private TlsPostgres postgres;

    @Override
    protected void startDatabase(TestCertificates certificates) throws Exception {
        postgres = TlsPostgres.start(DIR, PORT, certificates);
        postgres.createDatabase(DATABASE, "postgres.db.sql");
    }

    @Override
    protected void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Map<String, String> databaseVariables() {
        return Map.of("stan.db", "postgres", "stan.db.port", String.valueOf(PORT));
    }

    @Override
    protected Connection connectOverTls() throws SQLException {
        return postgres.connect(DATABASE);
    }

    @Override
    protected String plainUrl() {
        return postgres.jdbcUrl(DATABASE, "disable");
    }

    @Override
    protected String user() {
        return TlsPostgres.USER;
    }

    /** The end of "pg_hba.conf rejects connection for host ..., user ..., database ..., no encryption". */
    @Override
    protected String plainRefusal() {
        return "no encryption";
    }

    @Override
    protected List<String> tlsOfOtherSessions(Connection connection) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.ssl, s.version "
                + "FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid "
                + "WHERE a.datname = ? AND a.pid <> pg_backend_pid()")) {
            select.setString(1, DATABASE);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getBoolean(1) ? rows.getString(2) : "");
                }
            }
        }
        return versions;
    }

    @Override
    protected Path rootCertificate() {
        return postgres.rootCertificate();
    }
}
