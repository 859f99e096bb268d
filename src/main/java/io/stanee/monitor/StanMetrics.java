package io.stanee.monitor;

import io.stanee.config.StanConfig;
import io.stanee.core.ServerRole;
import io.stanee.core.ServerStats;
import io.stanee.core.StanInstance;
import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.util.function.ToLongFunction;

/**
 * Registers the server's metrics: its counters as gauges read from {@link ServerStats} at scrape time (the core
 * counts in its own thread-safe adders, so publishing pays nothing for them), the NATS connection and FT role
 * gauges, and a {@link MicroProfileRecorder} the core's worker reports latencies, batches, redeliveries,
 * reconnects and channels to.
 */
@ApplicationScoped
public class StanMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    StanServerBean server;

    @Inject
    ContainerExecutor background;

    @Inject
    StanConfig config;

    void register(@Observes Startup startup) {
        gauge("stan.messages.in", "Messages published to the server (the Go server's in_msgs)", ServerStats::messagesIn);
        gauge("stan.bytes.in", "Bytes of the publish requests received (in_bytes)", ServerStats::bytesIn);
        gauge("stan.messages.out", "Messages delivered to subscribers (out_msgs)", ServerStats::messagesOut);
        gauge("stan.bytes.out", "Bytes delivered to subscribers (out_bytes)", ServerStats::bytesOut);
        gauge("stan.clients", "Connected clients", ServerStats::clients);
        gauge("stan.subscriptions", "Subscriptions", ServerStats::subscriptions);
        gauge("stan.channels", "Channels", ServerStats::channels);
        gauge("stan.store.commits", "Transactions the store committed (each holds a batch of requests)",
                ServerStats::storeCommits);
        gauge("stan.store.failures", "Batches the store failed to commit", ServerStats::storeFailures);
        StanInstance instance = server.instance();
        registry.gauge(Metadata.builder().withName("stan.nats.connected")
                        .withDescription("1 while the resource adapter's NATS connection is up, else 0").build(),
                () -> instance.natsConnected() ? 1 : 0);
        if (instance.faultTolerant()) {
            Metadata role = Metadata.builder().withName("stan.ft.role")
                    .withDescription("1 for the role this member of the FT group has now, 0 for the others").build();
            for (ServerRole each : ServerRole.values()) {
                registry.gauge(role, () -> instance.role() == each ? 1 : 0, new Tag("role", each.label()));
            }
        }
        instance.useRecorder(new MicroProfileRecorder(registry, background, config.maxChannelGauges()));
    }

    private void gauge(String name, String description, ToLongFunction<ServerStats> value) {
        Metadata metadata = Metadata.builder().withName(name).withDescription(description).build();
        registry.gauge(metadata, () -> value.applyAsLong(server.stats())); // the server of the current activation
    }
}
