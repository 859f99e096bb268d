package io.stanee.config;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code liberty/aot-cache}, the operator's script that trains the JDK's AOT cache, in a server directory of its
 * own. The suite runs on Java 17, which has no AOT cache, so Liberty's {@code server} command is a stand-in here
 * that records the JVM options it was started with and, on stop, writes the file the JVM would; the JVM's side
 * (the cache written and used, the start it saves) is what {@code .ci/scale-benchmark} measures with
 * {@code AOT_JAVA_HOME}.
 */
class AotCacheScriptTest {

    private static final Path SCRIPT = Path.of("liberty/aot-cache");

    /** Liberty's server command as far as the script uses it: start, status, stop; the training JVM writes its cache at exit. */
    private static final String STAND_IN_SERVER = """
            #!/usr/bin/env bash
            dir=$(cd "$(dirname "$0")/../usr/servers/$2" && pwd)
            case "$1" in
              start)
                cp "$dir/configDropins/overrides/jvm.options" "$dir/started-with.options"
                mkdir -p "$dir/logs" "$dir/../.pid"; touch "$dir/running"
                if [ -n "${STAND_IN_DIES:-}" ]; then
                  # the JVM ends before stan-ee serves (a bad option, say): a PID whose process is gone
                  true & wait $!; echo "$!" > "$dir/../.pid/$2.pid"; : > "$dir/logs/messages.log"
                else
                  echo "$PPID" > "$dir/../.pid/$2.pid"
                  echo "I stan-ee serves cluster ID test-cluster on [_STAN.discover.test-cluster]" > "$dir/logs/messages.log"
                fi ;;
              status) [ -e "$dir/running" ] ;;
              stop)
                output=$(sed -n 's/^-XX:AOTCacheOutput=//p' "$dir/configDropins/overrides/jvm.options")
                [ -z "$output" ] || echo "cache" > "$output"
                rm -f "$dir/running" ;;
            esac
            """;

    @TempDir
    Path wlp;
    private Path server;
    private Path overrides;

    @BeforeEach
    void aServerDirectory() throws IOException {
        server = Files.createDirectories(wlp.resolve("usr/servers/stanee"));
        Files.copy(SCRIPT, server.resolve("aot-cache"));
        overrides = server.resolve("configDropins/overrides/jvm.options");
        Files.createDirectories(overrides.getParent());
        Path bin = Files.createDirectories(wlp.resolve("bin"));
        Files.writeString(bin.resolve("server"), STAND_IN_SERVER);
        assertTrue(bin.resolve("server").toFile().setExecutable(true));
    }

    @Test
    void trainingStartsOnceWithTheOutputOptionThenSetsTheCache() throws Exception {
        Files.writeString(overrides, "-Doperator.own=1\n");
        Result result = aotCache("train", javaHome("25.0.3"));
        assertEquals(0, result.exit(), result.output());

        Path cache = server.resolve("stanee.aot");
        assertEquals(List.of("-Doperator.own=1", "# stan-ee aot-cache (liberty/aot-cache writes the next line)",
                "-XX:AOTCacheOutput=" + cache), Files.readAllLines(server.resolve("started-with.options")));
        assertEquals(List.of("-Doperator.own=1", "# stan-ee aot-cache (liberty/aot-cache writes the next line)",
                "-XX:AOTCache=" + cache), Files.readAllLines(overrides));
        assertTrue(Files.exists(cache));
        assertFalse(Files.exists(server.resolve("running")), "the training server was stopped");
    }

    @Test
    void trainingAgainReplacesTheCacheOptionInsteadOfAddingOne() throws Exception {
        assertEquals(0, aotCache("train", javaHome("25")).exit());
        Result again = aotCache("train", javaHome("25"));
        assertEquals(0, again.exit(), again.output());
        assertEquals(1, Files.readAllLines(overrides).stream().filter(line -> line.startsWith("-XX:AOT")).count());
    }

    @Test
    void offRemovesOnlyItsOwnLinesAndTheCache() throws Exception {
        assertEquals(0, aotCache("train", javaHome("25")).exit());
        Files.writeString(overrides, "-Doperator.before=1\n" + Files.readString(overrides) + "-Doperator.after=1\n");

        Result result = aotCache("off", javaHome("17.0.15"));
        assertEquals(0, result.exit(), result.output());
        assertEquals(List.of("-Doperator.before=1", "-Doperator.after=1"), Files.readAllLines(overrides));
        assertFalse(Files.exists(server.resolve("stanee.aot")));
    }

    @Test
    void offLeavesNoEmptyOptionsFileBehind() throws Exception {
        assertEquals(0, aotCache("train", javaHome("25")).exit());
        assertEquals(0, aotCache("off", javaHome("25")).exit());
        assertFalse(Files.exists(overrides));
    }

    @Test
    void java17IsRefusedBeforeAnythingIsStarted() throws Exception {
        Files.writeString(overrides, "-Doperator.own=1\n");
        Result result = aotCache("train", javaHome("17.0.15"));
        assertEquals(1, result.exit());
        assertTrue(result.output().contains("the AOT cache needs Java 25 or later"), result.output());
        assertFalse(Files.exists(server.resolve("started-with.options")), "no training start on Java 17");
        assertEquals("-Doperator.own=1\n", Files.readString(overrides));
    }

    @Test
    void serverEnvsJavaHomeIsTheOneThatCounts() throws Exception {
        Files.writeString(server.resolve("server.env"), "JAVA_HOME=" + javaHome("25") + "\n");
        Result result = aotCache("train", javaHome("17"));
        assertEquals(0, result.exit(), result.output());
        assertTrue(Files.readString(overrides).contains("-XX:AOTCache="));
    }

    @Test
    void aTrainingStartThatEndsIsSeenAtOnceAndLeavesNoOption() throws Exception {
        Files.writeString(overrides, "-Doperator.own=1\n");
        Result result = aotCache("train", javaHome("25"), Map.of("STAND_IN_DIES", "1"));
        assertEquals(1, result.exit());
        // watched by its PID: not the 10 s ready timeout of these tests
        assertTrue(result.output().contains("the training start ended before stan-ee served"), result.output());
        assertEquals("-Doperator.own=1\n", Files.readString(overrides));
    }

    @Test
    void aRunningServerIsNotTouched() throws Exception {
        Files.createFile(server.resolve("running"));
        Result result = aotCache("train", javaHome("25"));
        assertEquals(1, result.exit());
        assertTrue(result.output().contains("stop the server stanee first"), result.output());
        assertTrue(Files.exists(server.resolve("running")));
        assertFalse(Files.exists(overrides));
    }

    private Path javaHome(String version) throws IOException {
        Path home = Files.createDirectories(wlp.resolve("jdk-" + version));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private record Result(int exit, String output) {
    }

    private Result aotCache(String action, Path javaHome) throws IOException, InterruptedException {
        return aotCache(action, javaHome, Map.of());
    }

    private Result aotCache(String action, Path javaHome, Map<String, String> extra)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", server.resolve("aot-cache").toString(), action)
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", javaHome.toString());
        environment.remove("WLP_OUTPUT_DIR");
        environment.remove("PID_DIR");
        environment.remove("PID_FILE");
        environment.put("AOT_READY_TIMEOUT", "10");
        environment.putAll(extra);
        Path output = wlp.resolve("aot-cache.out");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aot-cache did not finish in 30 s: " + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
