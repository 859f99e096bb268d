package io.stanee.tools;

import java.util.Arrays;
import java.util.Collection;

/**
 * Publish-to-ack latencies of one publisher, one slot per message.
 *
 * <p>Percentiles are exact and computed the simple way: every latency is kept in a {@code long[]}, and the
 * arrays are merged and sorted once at the end. HdrHistogram would be the usual tool, but the tools jar can only
 * contain what the build already depends on (the pom is not ours to change), and for a benchmark's message
 * counts (8 bytes a message, 800 KB for 100,000) keeping everything costs little and needs no bucket
 * resolution trade-off. {@link BenchOptions#MAX_MESSAGES} bounds the memory.
 *
 * <p>Slots are written by the client's ack thread (or the publishing thread for synchronous publishes), each
 * slot once, and read only after the publisher's acks were all counted down, which orders the writes before
 * the reads.
 */
final class LatencyRecorder {

    /** A slot that got no latency: the publish failed, was never sent, or its ack was an error. */
    static final long UNSET = -1;

    private final long[] nanos;

    LatencyRecorder(int capacity) {
        nanos = new long[capacity];
        Arrays.fill(nanos, UNSET);
    }

    /** Records message {@code index}'s latency; a negative one (clock oddity) counts as 0. */
    void record(int index, long latencyNanos) {
        nanos[index] = Math.max(0, latencyNanos);
    }

    int capacity() {
        return nanos.length;
    }

    /** The recorded latencies, unsorted. */
    long[] recorded() {
        return Arrays.stream(nanos).filter(n -> n != UNSET).toArray();
    }

    /** Merges the recorders' latencies and summarizes them; {@link Summary#EMPTY} if there are none. */
    static Summary summarize(Collection<LatencyRecorder> recorders) {
        long[] all = recorders.stream().flatMapToLong(r -> Arrays.stream(r.recorded())).toArray();
        return summarize(all);
    }

    /** Summarizes {@code latencies} (sorting the array in place). */
    static Summary summarize(long[] latencies) {
        if (latencies.length == 0) {
            return Summary.EMPTY;
        }
        Arrays.sort(latencies);
        double sum = 0;
        for (long latency : latencies) {
            sum += latency;
        }
        return new Summary(latencies.length, latencies[0],
                percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                latencies[latencies.length - 1], sum / latencies.length);
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the smallest value with at least {@code percent}%
     * of the values at or below it, i.e. the value at rank ceil(percent / 100 * n). So p100 is the maximum, p0
     * the minimum, and it is always one of the observed values (no interpolation).
     */
    static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be within 0..100: " + percent);
        }
        // multiply before dividing: 7 * 100 / 100.0 is exactly 7, whereas 7 / 100.0 * 100 is 7.000000000000001,
        // whose ceiling would be one rank too far; the epsilon does the same for fractional percents like 99.9
        long rank = (long) Math.ceil(percent * sorted.length / 100.0 - 1e-9);
        int index = (int) Math.max(0, Math.min(sorted.length, rank) - 1);
        return sorted[index];
    }

    /** Latencies in nanoseconds; {@code count == 0} means nothing was recorded (then the values are 0). */
    record Summary(int count, long min, long p50, long p90, long p99, long max, double mean) {
        static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, 0);
    }
}
