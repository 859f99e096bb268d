package io.stanee.core;

/**
 * Where the core reports what it measures as it works, for an operator's metrics (the monitor package implements
 * it on MicroProfile Metrics; the core knows nothing of that). Called on the worker thread only; what a batch did
 * (latencies, commit time, redeliveries) is reported after the store committed it, so a rolled-back batch reports
 * nothing. Implementations must be cheap and must not block: {@link #publishAcknowledged} is called once per
 * published message.
 */
public interface MetricsRecorder {

    /** Reports nothing: the core's default until a recorder is installed. */
    MetricsRecorder NONE = new MetricsRecorder() {
    };

    /** A message was stored and its positive PubAck released: {@code nanos} since the adapter received the PubMsg. */
    default void publishAcknowledged(long nanos) {
    }

    /** The adapter handed over a batch of {@code requests} client requests (one unit of work of the core). */
    default void batchHandled(int requests) {
    }

    /** The store committed one transaction (a batch's store work) in {@code nanos}. */
    default void committed(long nanos) {
    }

    /** {@code messages} were sent again, flagged redelivered (ack wait expired, durable resumed, member left). */
    default void redelivered(int messages) {
    }

    /** The resource adapter re-established its NATS connection {@code times} more times. */
    default void natsReconnected(long times) {
    }

    /** How many channels may have gauges at a time (the others are left out until a slot frees). */
    default int channelGaugeLimit() {
        return Integer.MAX_VALUE;
    }

    /** A channel appeared: its gauges are live from now on until {@link #channelRemoved}. */
    default void channelAdded(ChannelGauges channel) {
    }

    /** A channel was deleted (max_inactivity), or the state holding it was replaced (FT takeover, failed recovery). */
    default void channelRemoved(ChannelGauges channel) {
    }
}
