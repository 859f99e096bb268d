package io.stanee.testing;

import io.stanee.store.jpa.SqlScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server of the test's own (Debian's mariadbd) on a loopback port that takes TLS connections only:
 * a server certificate from {@link TestCertificates} and {@code require_secure_transport = ON}, so a client that
 * does not encrypt is refused. MariaDB 10.11 words that refusal as "Access denied for user ..." (its log too), the
 * same as a wrong password: the user here has none, and the same user gets in over TLS. root has no password, as
 * on the machine's own server. performance_schema is on, so that the test can see whether other sessions are
 * encrypted. Data, socket, pid file and logs live under one directory; the server runs as the mysql OS user when
 * the tests run as root. Only the process this instance started (or the one in its own pid file) is ever stopped.
 */
public final class TlsMariaDb implements AutoCloseable {

    public static final String USER = "root";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final TestCertificates certificates;
    private Process server;

    private TlsMariaDb(Path dir, int port, TestCertificates certificates) {
        this.dir = dir;
        this.port = port;
        this.certificates = certificates;
    }

    /**
     * Creates the server from nothing in {@code dir} (what an earlier run left there is stopped and deleted first)
     * and returns once it accepts TLS connections. Fails rather than share a port that something else listens on.
     */
    public static TlsMariaDb start(Path dir, int port, TestCertificates certificates)
            throws IOException, InterruptedException {
        tearDown(dir);
        if (Commands.listening(port)) {
            throw new IllegalStateException("port " + port + " is taken by something else: not starting MariaDB there");
        }
        TlsMariaDb mariaDb = new TlsMariaDb(dir, port, certificates);
        try {
            mariaDb.create();
            mariaDb.run();
        } catch (IOException | InterruptedException | RuntimeException e) {
            mariaDb.close();
            throw e;
        }
        return mariaDb;
    }

    public int port() {
        return port;
    }

    /** The CA certificate a client verifies this server with (Connector/J's serverSslCert). */
    public Path rootCertificate() {
        return certificates.caCertificate();
    }

    /** A URL to {@code database} with the given Connector/J sslMode (verify-* modes check against our CA). */
    public String jdbcUrl(String database, String sslMode) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?sslMode=" + sslMode + "&serverSslCert="
                + rootCertificate().toAbsolutePath() + "&connectTimeout=5000";
    }

    /** A verified TLS connection (verify-full against our CA). */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database, "verify-full"), USER, "");
    }

    /** Creates {@code database} empty and runs the DBA script from sql/ in it, as an operator would. */
    public void createDatabase(String database, String script) throws SQLException, IOException {
        try (Connection admin = connect(""); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(Files.readString(Path.of("sql", script)))) {
                statement.execute(sql);
            }
        }
    }

    /**
     * The TLS version of every other session on {@code database} as the server sees it (empty for an unencrypted
     * one), over {@code connection} (excluded); fails if performance_schema misses a session the process list has.
     */
    public static List<String> tlsOfOtherSessions(Connection connection, String database) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT s.VARIABLE_VALUE "
                + "FROM performance_schema.status_by_thread s JOIN performance_schema.threads t "
                + "ON t.THREAD_ID = s.THREAD_ID WHERE s.VARIABLE_NAME = 'Ssl_version' AND t.PROCESSLIST_DB = ? "
                + "AND t.PROCESSLIST_ID <> CONNECTION_ID()")) {
            select.setString(1, database);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getString(1) == null ? "" : rows.getString(1));
                }
            }
        }
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                + "WHERE DB = ? AND ID <> CONNECTION_ID()")) {
            count.setString(1, database);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                if (row.getInt(1) != versions.size()) {
                    throw new IllegalStateException(row.getInt(1) + " sessions on " + database + " but TLS status for "
                            + versions.size() + ": " + versions);
                }
            }
        }
        return versions;
    }

    /** Stops the server (SIGTERM: a normal shutdown), keeps its log in target/ and deletes the directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path log = dir.resolve("error.log");
        if (Files.exists(log) && Files.isDirectory(Path.of("target"))) {
            Files.copy(log, Path.of("target", "tls-mariadb-" + port + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (server != null) {
            stop(server.toHandle());
            server.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS); // reaped, not left <defunct>
            server = null;
        }
        tearDown(dir);
    }

    private void create() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Files.copy(certificates.caCertificate(), dir.resolve("ca.crt"));
        Files.copy(certificates.serverCertificate(), dir.resolve("server.crt"));
        Files.copy(certificates.serverKey(), dir.resolve("server.key"));
        Files.setPosixFilePermissions(dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        if (runningAsRoot()) {
            Commands.run(COMMAND_TIMEOUT, List.of("chown", "-R", "mysql:mysql", dir.toString()));
        }
        List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        install.addAll(asUser());
        Commands.run(COMMAND_TIMEOUT, install);
    }

    private void run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mariadbd(), "--no-defaults",
                "--datadir=" + dir.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("mysqld.sock"), "--pid-file=" + dir.resolve("mysqld.pid"),
                "--log-error=" + dir.resolve("error.log"), "--skip-name-resolve",
                "--ssl-ca=" + dir.resolve("ca.crt"), "--ssl-cert=" + dir.resolve("server.crt"),
                "--ssl-key=" + dir.resolve("server.key"), "--require-secure-transport=ON",
                "--performance-schema=ON", "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0"));
        command.addAll(asUser());
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("out.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd on port " + port + " exited (" + server.exitValue() + "): "
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""));
            }
            if (Commands.listening(port)) {
                try (Connection connection = connect("")) {
                    return;
                } catch (SQLException e) {
                    last = e;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("mariadbd on port " + port + " took no TLS connection within "
                + START_TIMEOUT.toSeconds() + " s: " + last);
    }

    private static String mariadbd() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) ? "/usr/sbin/mariadbd" : "mariadbd";
    }

    /** mariadbd refuses to run as root; started by root, it switches to this user itself (same process). */
    private static List<String> asUser() {
        return runningAsRoot() ? List.of("--user=mysql") : List.of();
    }

    /** Stops whatever server runs on the directory's pid file (this run's or an earlier one's) and deletes it. */
    private static void tearDown(Path dir) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Optional<ProcessHandle> left = pidFromFile(dir.resolve("mysqld.pid"));
        if (left.isPresent()) {
            stop(left.get());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        } catch (RuntimeException e) {
            process.destroyForcibly(); // did not shut down in time: as a crash would
            process.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }
    }

    private static Optional<ProcessHandle> pidFromFile(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String pid = Files.readString(pidFile).trim();
        // the PID of an earlier run may have been reused since: only a mariadbd is ours
        return pid.matches("\\d+") ? ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().orElse("").endsWith("mariadbd")) : Optional.empty();
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
