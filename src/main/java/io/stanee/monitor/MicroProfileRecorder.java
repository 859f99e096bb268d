package io.stanee.monitor;

import io.stanee.core.ChannelGauges;
import io.stanee.core.MetricsRecorder;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.ToLongFunction;

/**
 * What the core reports, as MicroProfile metrics: timers, a histogram and counters updated on the worker thread
 * (one writer: no contention; a publish costs one timer update), and per-channel gauges registered as channels
 * appear and removed as they go (on a container thread, in order), read from the core's {@link ChannelGauges} at scrape time.
 */
final class MicroProfileRecorder implements MetricsRecorder {

    static final String CHANNEL_TAG = "channel";

    /** The per-channel gauges: name, description, value. */
    private record ChannelGauge(String name, String description, ToLongFunction<ChannelGauges> value) {
    }

    private static final List<ChannelGauge> CHANNEL_GAUGES = List.of(
            new ChannelGauge("stan.channel.messages", "Messages stored in the channel (channelsz msgs)",
                    ChannelGauges::messages),
            new ChannelGauge("stan.channel.bytes", "Bytes of the messages stored in the channel (channelsz bytes)",
                    ChannelGauges::bytes),
            new ChannelGauge("stan.channel.subscriptions",
                    "Subscriptions of the channel, offline durables and queue members included (subs_count)",
                    ChannelGauges::subscriptions),
            new ChannelGauge("stan.channel.pending.acks",
                    "Messages sent to the channel's subscriptions and not acknowledged yet (sum of pending_count)",
                    ChannelGauges::pendingAcks));

    private final MetricRegistry registry;
    /**
     * Per-channel gauges are registered and removed off the worker thread: Liberty's registry checks a new
     * gauge's tags against every gauge of its name, so registering the gauges of the 1,000th channel costs about
     * a millisecond, and on the worker that stalled publishing whenever channels were being created.
     */
    private final OrderedTasks channelGaugeChanges;
    private final int channelGaugeLimit;
    private final Timer publishLatency;
    private final Histogram batchSize;
    private final Timer commitTime;
    private final Counter redeliveries;
    private final Counter natsReconnects;

    MicroProfileRecorder(MetricRegistry registry, Executor background, int channelGaugeLimit) {
        this.registry = registry;
        this.channelGaugeLimit = channelGaugeLimit;
        this.channelGaugeChanges = new OrderedTasks(background);
        this.publishLatency = registry.timer(Metadata.builder().withName("stan.publish.latency")
                .withDescription("From the receipt of a PubMsg to its positive PubAck handed to NATS, after the "
                        + "commit (measured in the server)").build());
        this.batchSize = registry.histogram(Metadata.builder().withName("stan.batch.size")
                .withDescription("Client requests the resource adapter handed over in one batch (group commit)")
                .withUnit(MetricUnits.NONE).build());
        this.commitTime = registry.timer(Metadata.builder().withName("stan.store.commit.time")
                .withDescription("Time the store took to commit one transaction (a batch's store work)").build());
        this.redeliveries = registry.counter(Metadata.builder().withName("stan.redeliveries")
                .withDescription("Messages sent again, flagged redelivered").build());
        this.natsReconnects = registry.counter(Metadata.builder().withName("stan.nats.reconnects")
                .withDescription("Times the resource adapter's NATS connection was re-established").build());
    }

    @Override
    public void publishAcknowledged(long nanos) {
        publishLatency.update(Duration.ofNanos(nanos));
    }

    @Override
    public void batchHandled(int requests) {
        batchSize.update(requests);
    }

    @Override
    public void committed(long nanos) {
        commitTime.update(Duration.ofNanos(nanos));
    }

    @Override
    public void redelivered(int messages) {
        redeliveries.inc(messages);
    }

    @Override
    public void natsReconnected(long times) {
        natsReconnects.inc(times);
    }

    @Override
    public int channelGaugeLimit() {
        return channelGaugeLimit;
    }

    @Override
    public void channelAdded(ChannelGauges channel) {
        channelGaugeChanges.submit(() -> register(channel));
    }

    @Override
    public void channelRemoved(ChannelGauges channel) {
        channelGaugeChanges.submit(() -> unregister(channel));
    }

    private void register(ChannelGauges channel) {
        Tag tag = new Tag(CHANNEL_TAG, channel.name());
        for (ChannelGauge gauge : CHANNEL_GAUGES) {
            Metadata metadata = Metadata.builder().withName(gauge.name()).withDescription(gauge.description())
                    .build();
            registry.remove(new MetricID(gauge.name(), tag)); // a gauge left by a previous channel of this name
            registry.gauge(metadata, () -> gauge.value().applyAsLong(channel), tag);
        }
    }

    private void unregister(ChannelGauges channel) {
        Tag tag = new Tag(CHANNEL_TAG, channel.name());
        for (ChannelGauge gauge : CHANNEL_GAUGES) {
            registry.remove(new MetricID(gauge.name(), tag));
        }
    }
}
