package io.stanee.testing;

import io.stanee.store.jpa.SqlScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 instance of the test's own (Debian's initdb and pg_ctl), on 127.0.0.1 and a port of its own, with
 * its data, Unix socket and log under one directory: a database the test may restart, stop or freeze without
 * touching the machine's service on 5432. Runs as the postgres OS user (initdb refuses root) through setpriv with a
 * clean environment. Freezing (SIGSTOP) and thawing signal only the postmaster of this directory's pid file and
 * its children.
 */
public final class OwnPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final List<Long> frozen = new ArrayList<>();

    private OwnPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A fresh instance in {@code dir} (anything an earlier run left there is stopped and removed first). */
    public static OwnPostgres start(Path dir, int port) throws IOException, InterruptedException {
        OwnPostgres postgres = new OwnPostgres(dir, port);
        postgres.removeLeftovers();
        Files.createDirectories(dir.resolve("sock"));
        Commands.run(COMMAND_TIMEOUT, List.of("chown", "-R", "postgres:postgres", dir.toString()));
        postgres.asPostgres("initdb", "-D", postgres.data().toString(), "--auth=trust", "-U", USER, "-E", "UTF8",
                "--locale=C.UTF-8");
        Files.writeString(postgres.data().resolve("postgresql.conf"), String.join("\n", "",
                "# set by the test (OwnPostgres)",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + dir.resolve("sock") + "'",
                "max_connections = 50", ""), java.nio.file.StandardOpenOption.APPEND);
        postgres.startAgain();
        return postgres;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?connectTimeout=5&socketTimeout=30";
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** Creates the database empty and runs the DBA script sql/postgres.db.sql in it, as an operator would. */
    public void createDatabase(String name) throws SQLException, IOException {
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
        try (Connection connection = connect(name); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(Files.readString(Path.of("sql", "postgres.db.sql")))) {
                statement.execute(sql);
            }
        }
    }

    /** pg_ctl start, waiting until it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        asPostgres("pg_ctl", "start", "-w", "-t", "30", "-D", data().toString(), "-l", dir.resolve("log").toString());
    }

    /** pg_ctl restart -m fast: every connection is ended ("terminating connection due to administrator command"). */
    public void restartFast() throws IOException, InterruptedException {
        asPostgres("pg_ctl", "restart", "-w", "-t", "30", "-m", "fast", "-D", data().toString(),
                "-l", dir.resolve("log").toString());
    }

    /** pg_ctl stop -m fast, waiting until it is down. */
    public void stopFast() throws IOException, InterruptedException {
        asPostgres("pg_ctl", "stop", "-w", "-t", "30", "-m", "fast", "-D", data().toString());
    }

    /** Whether the postmaster of this directory runs. */
    public boolean running() throws IOException {
        return postmaster().isPresent();
    }

    /**
     * Freezes the database as a hung machine would: SIGSTOP to the postmaster (so it forks nothing new), then to
     * each of its children (the backends holding stan-ee's connections, the writers). Connections stay open, and
     * nothing answers on them.
     */
    public void freeze() throws IOException, InterruptedException {
        ProcessHandle postmaster = postmaster().orElseThrow(() -> new IllegalStateException("not running"));
        frozen.add(postmaster.pid());
        postmaster.children().forEach(child -> frozen.add(child.pid()));
        signalAll("-STOP", frozen); // one kill for all: the database stops at once, not process by process
    }

    /** Lets every process {@link #freeze} stopped go on. */
    public void thaw() throws IOException, InterruptedException {
        List<Long> alive = frozen.stream().filter(pid -> ProcessHandle.of(pid).isPresent()).toList();
        if (!alive.isEmpty()) {
            signalAll("-CONT", alive);
        }
        frozen.clear();
    }

    private static void signalAll(String signal, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        Commands.run(COMMAND_TIMEOUT, command);
    }

    /** Stops the instance (thawing it first if frozen) and removes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        thaw();
        removeLeftovers();
    }

    private void removeLeftovers() throws IOException, InterruptedException {
        if (!Files.exists(dir)) {
            return;
        }
        Optional<ProcessHandle> running = postmaster();
        if (running.isPresent()) {
            signal("-CONT", running.get().pid()); // a run interrupted while frozen
            running.get().children().forEach(child -> {
                try {
                    signal("-CONT", child.pid());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            asPostgres("pg_ctl", "stop", "-w", "-t", "30", "-m", "immediate", "-D", data().toString());
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The postmaster of this directory's pid file, if it runs. */
    private Optional<ProcessHandle> postmaster() throws IOException {
        Path pidFile = data().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).filter(ProcessHandle::isAlive);
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Commands.run(COMMAND_TIMEOUT, List.of("kill", signal, Long.toString(pid)));
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
                "--init-groups", "--", "env", "-i", "PATH=" + PG_BIN + ":/usr/bin:/bin", "LANG=C.UTF-8",
                "HOME=" + dir));
        line.addAll(List.of(command));
        Commands.run(COMMAND_TIMEOUT, line);
    }

}
