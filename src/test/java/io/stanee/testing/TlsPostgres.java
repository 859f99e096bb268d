package io.stanee.testing;

import io.stanee.store.jpa.SqlScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * A PostgreSQL 15 instance of the test's own (Debian's binaries) on a loopback port, that takes TLS connections
 * only: {@code ssl = on} with a server certificate from {@link TestCertificates}, and pg_hba.conf allows
 * {@code hostssl} and rejects every {@code hostnossl} connection, so a client that does not encrypt is refused
 * ("... no encryption"). Authentication is trust, as on the machine's own database: the test is about the
 * transport. Data, sockets, certificate copies and the log live under one directory; initdb and the server run
 * as the postgres OS user when the tests run as root (both refuse root). Only the postmaster this instance
 * started is ever stopped, through pg_ctl on its own data directory; the machine's PostgreSQL on 5432 is never
 * touched.
 */
public final class TlsPostgres implements AutoCloseable {

    public static final String USER = "postgres";

    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final TestCertificates certificates;
    private Process postmaster;

    private TlsPostgres(Path dir, int port, TestCertificates certificates) {
        this.dir = dir;
        this.port = port;
        this.certificates = certificates;
    }

    /**
     * Creates the instance from nothing in {@code dir} (what an earlier run left there is stopped and deleted
     * first) and returns once it accepts TLS connections. Fails rather than share a port that something else
     * listens on.
     */
    public static TlsPostgres start(Path dir, int port, TestCertificates certificates)
            throws IOException, InterruptedException {
        tearDown(dir);
        if (Commands.listening(port)) {
            throw new IllegalStateException("port " + port + " is taken by something else: not starting PostgreSQL there");
        }
        TlsPostgres postgres = new TlsPostgres(dir, port, certificates);
        try {
            postgres.create();
            postgres.run();
        } catch (IOException | InterruptedException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    public int port() {
        return port;
    }

    /** The CA certificate a client verifies this server with (pgjdbc's sslrootcert). */
    public Path rootCertificate() {
        return certificates.caCertificate();
    }

    /** A URL to {@code database} with the given pgjdbc sslmode (verify-* modes check against our CA). */
    public String jdbcUrl(String database, String sslmode) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?sslmode=" + sslmode + "&sslrootcert="
                + rootCertificate() + "&connectTimeout=5";
    }

    /** A verified TLS connection (verify-full against our CA). */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database, "verify-full"), USER, "");
    }

    /** Creates {@code database} empty and runs the DBA script from sql/ in it, as an operator would. */
    public void createDatabase(String database, String script) throws SQLException, IOException {
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(Files.readString(Path.of("sql", script)))) {
                statement.execute(sql);
            }
        }
    }

    /** Stops the postmaster (fast shutdown), keeps its log in target/ and deletes the directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path log = dir.resolve("postgres.log");
        if (Files.exists(log) && Files.isDirectory(Path.of("target"))) {
            Files.copy(log, Path.of("target", "tls-postgres-" + port + ".log"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (postmaster != null) {
            stop(dir, postmaster.toHandle());
            postmaster.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS); // reaped, not left <defunct>
            postmaster = null;
        }
        tearDown(dir);
    }

    private void create() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Files.createDirectories(dir.resolve("sock"));
        Path serverCertificate = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        Files.copy(certificates.serverCertificate(), serverCertificate);
        Files.copy(certificates.serverKey(), serverKey);
        Files.setPosixFilePermissions(serverKey, PosixFilePermissions.fromString("rw-------")); // or PostgreSQL refuses it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (runningAsRoot()) {
            Commands.run(COMMAND_TIMEOUT, List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        // -N: no fsync of the new cluster, a scratch database needs no crash safety (saves seconds under load)
        asPostgres(COMMAND_TIMEOUT, "initdb", "-N", "-D", data.toString(), "--auth=trust", "-U", USER, "-E", "UTF8",
                "--locale=C.UTF-8");
        Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + dir.resolve("sock") + "'",
                "ssl = on",
                "ssl_cert_file = '" + serverCertificate + "'",
                "ssl_key_file = '" + serverKey + "'",
                "fsync = off",
                ""), StandardOpenOption.APPEND);
        // TLS or nothing over TCP; the local socket (only ours, in our directory) stays for pg_ctl
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                "local     all all              trust",
                "hostssl   all all 127.0.0.1/32 trust",
                "hostnossl all all 127.0.0.1/32 reject",
                ""));
    }

    private void run() throws IOException, InterruptedException {
        List<String> command = wrapped(List.of(PG_BIN.resolve("postgres").toString(), "-D", dir.resolve("data").toString()));
        // setpriv and env exec in place: this process is the postmaster itself
        postmaster = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("postgres.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!postmaster.isAlive()) {
                throw new IllegalStateException("PostgreSQL on port " + port + " exited (" + postmaster.exitValue()
                        + "): " + Files.readString(dir.resolve("postgres.log")));
            }
            try (Connection connection = connect("postgres")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("PostgreSQL on port " + port + " took no TLS connection within "
                + START_TIMEOUT.toSeconds() + " s: " + last);
    }

    /** Stops whatever postmaster runs on the directory's data (this run's or an earlier one's) and deletes it. */
    private static void tearDown(Path dir) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Optional<ProcessHandle> left = postmasterOf(dir.resolve("data"));
        if (left.isPresent()) {
            stop(dir, left.get());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** pg_ctl's fast shutdown of the directory's own postmaster; SIGKILL to that PID if it does not go in time. */
    private static void stop(Path dir, ProcessHandle process) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        try {
            asPostgres(STOP_TIMEOUT, "pg_ctl", "stop", "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                    "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
        } catch (IllegalStateException e) {
            // did not stop in time: SIGKILL below, as a crash would
        }
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private static Optional<ProcessHandle> postmasterOf(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        // the PID of an earlier run may have been reused since: only a postgres is ours
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().orElse("").endsWith("postgres"));
    }

    private static void asPostgres(Duration timeout, String program, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PG_BIN.resolve(program).toString()));
        command.addAll(List.of(arguments));
        Commands.run(timeout, wrapped(command));
    }

    /** The command as the postgres OS user (when we are root), in a clean environment. */
    private static List<String> wrapped(List<String> command) {
        List<String> line = new ArrayList<>();
        if (runningAsRoot()) {
            line.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        line.addAll(List.of("env", "-i", "PATH=" + PG_BIN + ":/usr/bin:/bin", "LANG=C.UTF-8", "HOME=/tmp"));
        line.addAll(command);
        return line;
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

}
