package io.stanee.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A PostgreSQL formation of the tests' own made highly available by pg_auto_failover (Debian's packages): a
 * monitor on 127.0.0.1:6000 and two data nodes on :6001 and :6002. With two data nodes that both count for the
 * replication quorum, the primary runs with {@code synchronous_standby_names = 'ANY 1 (...)'}: a commit returns
 * only once the standby has it, so what was acknowledged survives the loss of the primary.
 *
 * <p>Everything lives under one directory (data, pg_autoctl's config, state and pid files, Unix sockets, logs):
 * pg_autoctl puts its files under the XDG directories and the server's sockets would go to the machine service's
 * /var/run/postgresql otherwise. It runs as the postgres OS user (pg_autoctl and initdb refuse root), through a
 * wrapper with a clean environment. It stops only what it started, by the PIDs of its own pid files, so the
 * machine's own PostgreSQL on 5432 is never touched. The monitor's failure detection is tuned down (1 s health
 * checks, 5 s to unhealthy and to demote) so that a failover takes seconds rather than a minute.
 */
public final class PgAutoFailover implements AutoCloseable {

    public static final Path DIR = Path.of(System.getProperty("stanee.pgaf.dir", "/tmp/stanee-pgaf"));
    public static final int MONITOR_PORT = 6000;
    public static final List<Integer> NODE_PORTS = List.of(6001, 6002);
    public static final String USER = "postgres";

    private static final Path PG_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path EXTENSION = Path.of("/usr/share/postgresql/15/extension/pgautofailover.control");
    private static final List<String> PACKAGES = List.of("pg-auto-failover-cli", "postgresql-15-auto-failover");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** A state in which a node takes writes (wait_primary: alone, asynchronous until the standby is back). */
    private static final Set<String> WRITABLE = Set.of("single", "wait_primary", "primary");

    /** One node as the monitor sees it. */
    public record Node(String name, int port, String reportedState, String goalState) {

        /** Settled in a state that takes writes (not while it is still being promoted or demoted). */
        public boolean isPrimary() {
            return WRITABLE.contains(reportedState) && reportedState.equals(goalState);
        }

        public boolean is(String state) {
            return state.equals(reportedState) && state.equals(goalState);
        }
    }

    /** The pg_autoctl keepers this instance started, by pgdata directory. */
    private final Map<Path, Process> keepers = new LinkedHashMap<>();

    private PgAutoFailover() {
    }

    /**
     * Sets the formation up from nothing (installing the packages if they are missing) and returns once one node
     * is primary and the other its synchronous secondary. A formation left behind by an earlier run in the same
     * directory is torn down first; ports 6000-6002 taken by anything else make it fail rather than share them.
     */
    public static PgAutoFailover start() throws IOException, InterruptedException {
        installIfMissing();
        tearDown();
        for (int port : allPorts()) {
            if (Commands.listening(port)) {
                throw new IllegalStateException("port " + port + " is taken by something else: not starting "
                        + "a formation there");
            }
        }
        PgAutoFailover formation = new PgAutoFailover();
        try {
            formation.create();
        } catch (IOException | InterruptedException | RuntimeException e) {
            formation.close();
            throw e;
        }
        return formation;
    }

    /** The data nodes as a multi-host list ("127.0.0.1:6001,127.0.0.1:6002"): stan-ee's stan.db.hosts. */
    public String hosts() {
        return String.join(",", NODE_PORTS.stream().map(port -> "127.0.0.1:" + port).toList());
    }

    /** The URL an application uses: the driver tries the hosts in turn and keeps the one that takes writes. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hosts() + "/" + database + "?targetServerType=primary&connectTimeout=5";
    }

    /** A connection to whichever node is primary now. */
    public Connection connectToPrimary(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** The nodes as the monitor sees them, in the order they registered. */
    public List<Node> nodes() throws SQLException {
        List<Node> nodes = new ArrayList<>();
        try (Connection monitor = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + MONITOR_PORT
                + "/pg_auto_failover?connectTimeout=5&socketTimeout=10", USER, "");
             Statement statement = monitor.createStatement();
             ResultSet rows = statement.executeQuery("SELECT nodename, nodeport, reportedstate, goalstate "
                     + "FROM pgautofailover.node ORDER BY nodeid")) {
            while (rows.next()) {
                nodes.add(new Node(rows.getString(1), rows.getInt(2), rows.getString(3), rows.getString(4)));
            }
        }
        return nodes;
    }

    /** The node settled as primary now, if any. */
    public Optional<Node> primary() throws SQLException {
        return nodes().stream().filter(Node::isPrimary).findFirst();
    }

    /** Waits until a node matching {@code wanted} is settled as primary; fails with the nodes' states. */
    public Node awaitPrimary(Predicate<Node> wanted, Duration timeout) throws InterruptedException {
        return awaitNode(node -> node.isPrimary() && wanted.test(node), "a primary", timeout);
    }

    /** Waits until the node called {@code name} has settled in {@code state}. */
    public Node awaitState(String name, String state, Duration timeout) throws InterruptedException {
        return awaitNode(node -> node.name().equals(name) && node.is(state), name + " in state " + state, timeout);
    }

    /** What the primary waits for at commit ('' = it commits alone, asynchronously). */
    public String synchronousStandbyNames() throws SQLException {
        try (Connection connection = connectToPrimary("postgres");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW synchronous_standby_names")) {
            row.next();
            return row.getString(1);
        }
    }

    /**
     * Crashes a node as a machine crash would: SIGKILL, all at once, to its pg_autoctl supervisor and services
     * (so nothing restarts PostgreSQL in place, which a kill of the postmaster alone mostly leads to), its
     * postmaster and every backend. Returns once none of them runs any more, with what {@code clockAtKill}
     * read right before the first SIGKILL (e.g. a load's {@link AsyncLoad#mark}).
     */
    public long crash(Node node, LongSupplier clockAtKill) throws IOException, InterruptedException {
        Path pgdata = pgdata(node.name());
        List<ProcessHandle> processes = new ArrayList<>();
        pidFileFirstLine(keeperPidFile(pgdata)).flatMap(ProcessHandle::of).ifPresent(processes::add);
        pidFileFirstLine(pgdata.resolve("postmaster.pid")).flatMap(ProcessHandle::of).ifPresent(processes::add);
        if (processes.size() != 2) {
            throw new IllegalStateException(node.name() + ": its keeper or postmaster is not running: " + processes);
        }
        List<ProcessHandle> all = new ArrayList<>(processes);
        processes.forEach(process -> process.descendants().forEach(all::add));
        long killedAt = clockAtKill.getAsLong();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }
        Process keeper = keepers.remove(pgdata);
        if (keeper != null) {
            keeper.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS); // reaped, not left as <defunct>
        }
        return killedAt;
    }

    /** Starts a node's keeper again (after a crash): it rejoins by itself, with pg_rewind if it was primary. */
    public void restart(Node node) throws IOException {
        run(pgdata(node.name()), node.name());
    }

    /**
     * Stops every keeper and PostgreSQL of the formation and deletes its directory, keeping the logs of
     * pg_autoctl and PostgreSQL in target/pgaf-logs.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        keepLogs(Path.of("target", "pgaf-logs"));
        tearDown();
        for (Process keeper : keepers.values()) {
            keeper.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        keepers.clear();
    }

    /**
     * Stops whatever formation the directory holds (this run's or one an earlier run left behind), waits until
     * its processes are gone and deletes it. Only PIDs from the directory's own pid files are signalled.
     */
    public static void tearDown() throws IOException, InterruptedException {
        if (!Files.isDirectory(DIR)) {
            return;
        }
        List<Path> pgdatas = pgdatas();
        for (Path pgdata : pgdatas) {
            if (!runningProcesses(List.of(pgdata)).isEmpty()) {
                try {
                    // returns at once: it only signals the supervisor, which then stops PostgreSQL (fast shutdown)
                    command(Duration.ofSeconds(20), "pg_autoctl", "stop", "--pgdata", pgdata.toString());
                } catch (IllegalStateException e) {
                    // a crashed keeper: its postmaster, if any, gets SIGKILL below
                }
            }
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && !runningProcesses(pgdatas).isEmpty()) {
            Thread.sleep(100);
        }
        for (ProcessHandle left : runningProcesses(pgdatas)) {
            left.destroyForcibly(); // did not stop in time: SIGKILL, as a crash would
            left.onExit().orTimeout(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        }
        deleteTree(DIR);
    }

    private static void keepLogs(Path target) throws IOException {
        if (!Files.isDirectory(target.getParent()) || !Files.isDirectory(DIR)) {
            return;
        }
        if (Files.exists(target)) {
            deleteTree(target);
        }
        Files.createDirectories(target);
        try (Stream<Path> logs = Files.walk(DIR)) {
            for (Path log : logs.filter(path -> path.toString().endsWith(".log") && Files.isRegularFile(path)).toList()) {
                Files.copy(log, target.resolve(DIR.relativize(log).toString().replace('/', '_')));
            }
        }
    }

    private void create() throws IOException, InterruptedException {
        layout();
        String monitorUri = "postgres://autoctl_node@127.0.0.1:" + MONITOR_PORT + "/pg_auto_failover?sslmode=disable";

        Path monitor = DIR.resolve("monitor");
        initdb(monitor);
        command(COMMAND_TIMEOUT, "pg_autoctl", "create", "monitor", "--pgdata", monitor.toString(),
                "--pgport", String.valueOf(MONITOR_PORT), "--hostname", "127.0.0.1", "--listen", "127.0.0.1",
                "--auth", "trust", "--no-ssl", "--pgctl", PG_BIN.resolve("pg_ctl").toString());
        run(monitor, "monitor");
        awaitSql(MONITOR_PORT, "pg_auto_failover");
        tuneFailureDetection();

        // only the first node gets our own initdb; the second is a pg_basebackup of it (config included)
        initdb(pgdata("node1"));
        for (int i = 0; i < NODE_PORTS.size(); i++) {
            String name = "node" + (i + 1);
            Path pgdata = pgdata(name);
            command(COMMAND_TIMEOUT, "pg_autoctl", "create", "postgres", "--pgdata", pgdata.toString(),
                    "--pgport", String.valueOf(NODE_PORTS.get(i)), "--hostname", "127.0.0.1", "--listen", "127.0.0.1",
                    "--name", name, "--auth", "trust", "--no-ssl", "--pgctl", PG_BIN.resolve("pg_ctl").toString(),
                    "--monitor", monitorUri);
            // how long a node that lost the monitor and its peer waits before it demotes itself; pairs with
            // primary_demote_timeout on the monitor (the promoted node stays read-only until that one expired)
            command(COMMAND_TIMEOUT, "pg_autoctl", "config", "set", "--pgdata", pgdata.toString(),
                    "timeout.network_partition_timeout", "5");
            run(pgdata, name);
        }
        awaitNode(node -> node.name().equals("node1") && node.is("primary"), "node1 primary", FORMATION_TIMEOUT);
        awaitState("node2", "secondary", FORMATION_TIMEOUT);
    }

    private static void layout() throws IOException, InterruptedException {
        for (String sub : List.of("config", "share", "run", "sock", "log")) {
            Files.createDirectories(DIR.resolve(sub));
        }
        Path wrapper = DIR.resolve("aspg");
        Files.writeString(wrapper, String.join("\n",
                "#!/bin/sh",
                "# runs a command as postgres with a clean environment that keeps every file under " + DIR,
                "exec setpriv --reuid=postgres --regid=postgres --init-groups -- env -i \\",
                "  PATH=" + PG_BIN + ":/usr/bin:/bin LANG=C.UTF-8 HOME=" + DIR + " \\",
                "  XDG_CONFIG_HOME=" + DIR.resolve("config") + " XDG_DATA_HOME=" + DIR.resolve("share")
                        + " XDG_RUNTIME_DIR=" + DIR.resolve("run") + " \\",
                "  PGHOST=" + DIR.resolve("sock") + " \"$@\"", ""));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(DIR.resolve("run"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
        Commands.run(COMMAND_TIMEOUT, List.of("chown", "-R", "postgres:postgres", DIR.toString()));
    }

    /**
     * Our own initdb, so that the Unix sockets go to our directory (pg_autoctl never sets
     * unix_socket_directories); the standby's walreceiver retries every 500 ms instead of 5 s, which is how long
     * the first synchronous commit after a restart would otherwise wait.
     */
    private static void initdb(Path pgdata) throws IOException, InterruptedException {
        command(COMMAND_TIMEOUT, "initdb", "-D", pgdata.toString(), "--auth=trust", "-U", USER, "-E", "UTF8",
                "--locale=C.UTF-8");
        // appended: pg_autoctl's include is on line 1, so these lines win over its settings
        Files.writeString(pgdata.resolve("postgresql.conf"), "unix_socket_directories = '" + DIR.resolve("sock")
                + "'\nwal_retrieve_retry_interval = '500ms'\n", StandardOpenOption.APPEND);
    }

    /** The monitor's failure detection for tests (defaults in ms: 5000/5000/2000/20000/30000). */
    private static void tuneFailureDetection() throws InterruptedException {
        Map<String, Integer> settings = new LinkedHashMap<>();
        settings.put("pgautofailover.health_check_period", 1000);
        settings.put("pgautofailover.health_check_timeout", 1000);
        settings.put("pgautofailover.health_check_retry_delay", 500);
        settings.put("pgautofailover.node_considered_unhealthy_timeout", 5000);
        settings.put("pgautofailover.primary_demote_timeout", 5000);
        try (Connection monitor = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + MONITOR_PORT
                + "/pg_auto_failover", USER, ""); Statement statement = monitor.createStatement()) {
            for (Map.Entry<String, Integer> setting : settings.entrySet()) {
                statement.execute("ALTER SYSTEM SET " + setting.getKey() + " = " + setting.getValue());
            }
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not tune the monitor: " + e.getMessage(), e);
        }
    }

    /** Starts a keeper ("pg_autoctl run") in the background: the supervisor of the node's PostgreSQL. */
    private void run(Path pgdata, String name) throws IOException {
        Process keeper = new ProcessBuilder(DIR.resolve("aspg").toString(), "pg_autoctl", "run",
                "--pgdata", pgdata.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolve("log/" + name + ".log").toFile()))
                .start();
        keepers.put(pgdata, keeper);
    }

    private Node awaitNode(Predicate<Node> wanted, String what, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                List<Node> nodes = nodes();
                Optional<Node> found = nodes.stream().filter(wanted).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                last = nodes.toString();
            } catch (SQLException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + what + " after " + timeout.toSeconds() + " s; last: " + last);
    }

    private static void awaitSql(int port, String database) throws InterruptedException {
        long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                    + database + "?connectTimeout=2", USER, "")) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("nothing answered on port " + port + ": " + last);
    }

    private static void installIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/bin/pg_autoctl")) && Files.exists(EXTENSION)) {
            return;
        }
        List<String> sudo = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo");
        List<String> update = new ArrayList<>(sudo);
        update.addAll(List.of("apt-get", "update", "-qq"));
        Commands.run(INSTALL_TIMEOUT, update);
        List<String> install = new ArrayList<>(sudo);
        install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq"));
        install.addAll(PACKAGES);
        Commands.run(INSTALL_TIMEOUT, install);
    }

    /** Runs a command as postgres (through the wrapper) and fails if it fails. */
    private static String command(Duration timeout, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(DIR.resolve("aspg").toString()));
        line.addAll(List.of(command));
        return Commands.run(timeout, line);
    }

    private static Path pgdata(String name) {
        return DIR.resolve(name);
    }

    private static List<Path> pgdatas() throws IOException {
        try (Stream<Path> entries = Files.list(DIR)) {
            return entries.filter(path -> Files.exists(path.resolve("PG_VERSION"))).sorted().toList();
        }
    }

    /** pg_autoctl's pid file: line 1 is the supervisor, the lines after the fifth its services. */
    private static Path keeperPidFile(Path pgdata) {
        return DIR.resolve("run/pg_autoctl").resolve(pgdata.toString().substring(1)).resolve("pg_autoctl.pid");
    }

    /** The supervisors and postmasters of the directory's pid files that still run. */
    private static List<ProcessHandle> runningProcesses(List<Path> pgdatas) throws IOException {
        List<ProcessHandle> running = new ArrayList<>();
        for (Path pgdata : pgdatas) {
            for (Path pidFile : List.of(keeperPidFile(pgdata), pgdata.resolve("postmaster.pid"))) {
                pidFileFirstLine(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                        .ifPresent(running::add);
            }
        }
        return running;
    }

    private static Optional<Long> pidFileFirstLine(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(lines.get(0).trim()));
    }

    private static List<Integer> allPorts() {
        List<Integer> ports = new ArrayList<>(List.of(MONITOR_PORT));
        ports.addAll(NODE_PORTS);
        return ports;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
