package io.stanee.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cluster of routed nats-server processes of the test's own on loopback: client port {@code base + i},
 * route port {@code base + 100 + i}, monitoring port {@code base + 200 + i}. Started with every route up,
 * stopped (SIGKILL) node by node.
 */
public final class NatsCluster implements AutoCloseable {

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(20);

    private final int base;
    private final List<NatsServer> nodes = new ArrayList<>();

    public NatsCluster(int base, int size) {
        this.base = base;
        String routes = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> "nats://127.0.0.1:" + (base + 100 + i)).collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            nodes.add(new NatsServer(base + i, List.of("--cluster_name", "stanee-it",
                    "--cluster", "nats://127.0.0.1:" + (base + 100 + i), "--routes", routes,
                    "-m", String.valueOf(base + 200 + i))));
        }
    }

    /** Starts every node and waits until each has a route to every other one. */
    public NatsCluster start() throws IOException, InterruptedException {
        for (NatsServer node : nodes) {
            node.start();
        }
        long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
        for (int i = 0; i < nodes.size(); i++) {
            while (routes(i) < nodes.size() - 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the NATS cluster did not form: node " + i + " has "
                            + routes(i) + " routes");
                }
                Thread.sleep(100);
            }
        }
        return this;
    }

    /** Every node's URL, comma-separated: what a client or stan-ee is given. */
    public String urls() {
        return nodes.stream().map(NatsServer::url).collect(Collectors.joining(","));
    }

    public NatsServer node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return nodes.size();
    }

    /** The node that holds a client connection of this name (nats-server's /connz), or -1. */
    public int nodeServing(String connectionName) throws IOException, InterruptedException {
        for (int i = 0; i < nodes.size(); i++) {
            String connz = monitor(i, "/connz");
            if (connz != null && connz.contains("\"name\": \"" + connectionName + "\"")) {
                return i;
            }
        }
        return -1;
    }

    private int routes(int node) throws IOException, InterruptedException {
        String routez = monitor(node, "/routez");
        if (routez == null) {
            return 0;
        }
        Matcher count = Pattern.compile("\"num_routes\":\\s*(\\d+)").matcher(routez);
        return count.find() ? Integer.parseInt(count.group(1)) : 0;
    }

    private String monitor(int node, String path) throws InterruptedException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + (base + 200 + node) + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            return null; // a node that is down or not yet listening
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (NatsServer node : nodes) {
            node.kill();
        }
    }
}
