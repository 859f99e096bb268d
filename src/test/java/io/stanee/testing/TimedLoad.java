package io.stanee.testing;

import io.nats.streaming.StreamingConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An asynchronous publisher ("prefix-1", "prefix-2", ...) that times every publish from its send to its answer
 * (PubAck or error), so that a test can tell how long a fault kept a publish waiting (the stall) and what each
 * failed one was told. A failed publish is not retried.
 */
public final class TimedLoad implements AutoCloseable {

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> errors = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong thrown = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private final AtomicLong ackedAfterMark = new AtomicLong();
    private volatile long mark = Long.MAX_VALUE;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public TimedLoad(StreamingConnection connection, String channel, String prefix) {
        thread = new Thread(() -> {
            for (long i = 1; running.get(); i++) {
                String text = prefix + "-" + i;
                long sent = System.nanoTime();
                try {
                    connection.publish(channel, text.getBytes(StandardCharsets.UTF_8), (guid, error) -> {
                        long took = System.nanoTime() - sent;
                        longestNanos.accumulateAndGet(took, Math::max);
                        if (error == null) {
                            acked.add(text);
                            if (sent >= mark) {
                                ackedAfterMark.incrementAndGet();
                            }
                        } else {
                            errors.merge(String.valueOf(error.getMessage()), 1L, Long::sum);
                        }
                        answered.incrementAndGet();
                    });
                    published.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    thrown.incrementAndGet();
                    errors.merge("thrown: " + e, 1L, Long::sum);
                    return;
                }
            }
        }, "timed-load-" + prefix);
        thread.start();
    }

    public int acked() {
        return acked.size();
    }

    public long published() {
        return published.get();
    }

    public long answered() {
        return answered.get();
    }

    /** Error answers and publishes that threw, by message. */
    public Map<String, Long> errors() {
        return Map.copyOf(errors);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The longest a publish waited for its answer so far. */
    public Duration longestWait() {
        return Duration.ofNanos(longestNanos.get());
    }

    /** From now on, counts the acknowledged publishes sent after this moment. */
    public void mark() {
        ackedAfterMark.set(0);
        mark = System.nanoTime();
    }

    /** Waits until {@code count} publishes sent after the {@link #mark} are acknowledged; fails after the timeout. */
    public void awaitAckedAfterMark(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ackedAfterMark.get() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + ackedAfterMark.get() + " of " + count + " publishes sent after the "
                        + "mark acknowledged in " + timeout.toSeconds() + " s (" + published.get() + " published, "
                        + answered.get() + " answered, errors " + errors + ")");
            }
            Thread.sleep(20);
        }
    }

    /** Stops publishing and waits (bounded) until every publish got its answer; returns what was acknowledged. */
    public Set<String> stop(Duration drain) throws InterruptedException {
        running.set(false);
        thread.join(drain.toMillis());
        long deadline = System.nanoTime() + drain.toNanos();
        while (answered.get() < published.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Set.copyOf(acked);
    }

    /** A one-line account for the test's report. */
    public String summary() {
        return published.get() + " published, " + acked.size() + " acknowledged, " + errorCount() + " errors "
                + List.copyOf(errors.keySet()) + ", longest wait " + longestWait().toMillis() + " ms";
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
