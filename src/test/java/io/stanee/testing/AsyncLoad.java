package io.stanee.testing;

import io.nats.streaming.StreamingConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A publisher that keeps publishing asynchronously ("prefix-1", "prefix-2", ...) until stopped, as an application
 * under load does, and remembers which messages the server acknowledged. A failed or timed-out publish is not
 * retried: it just is not acknowledged.
 */
public final class AsyncLoad implements AutoCloseable {

    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** When the first message published after {@link #mark} was acknowledged (System.nanoTime), 0 = not yet. */
    private final AtomicLong firstAckAfterMark = new AtomicLong();
    private volatile long mark = Long.MAX_VALUE;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AsyncLoad(StreamingConnection connection, String channel, String prefix) {
        thread = new Thread(() -> {
            for (long i = 1; running.get(); i++) {
                String text = prefix + "-" + i;
                long publishedAt = System.nanoTime();
                try {
                    connection.publish(channel, text.getBytes(StandardCharsets.UTF_8), (guid, error) -> {
                        if (error == null) {
                            acked.add(text);
                            if (publishedAt >= mark) {
                                firstAckAfterMark.compareAndSet(0, System.nanoTime());
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                        answered.incrementAndGet();
                    });
                    published.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the connection is failing over: this message is simply not acknowledged
                    failed.incrementAndGet();
                    sleepQuietly(50);
                }
            }
        }, "load-" + prefix);
        thread.start();
    }

    public int acked() {
        return acked.size();
    }

    /** Publishes that failed: an error answer (e.g. a store error), a timeout, or a publish that threw. */
    public long failed() {
        return failed.get();
    }

    /**
     * Marks this moment (System.nanoTime, returned): from now on the load remembers when the first message
     * published after it is acknowledged, i.e. when the server serves again after a fault made at the mark.
     */
    public long mark() {
        firstAckAfterMark.set(0);
        long now = System.nanoTime();
        mark = now;
        return now;
    }

    /** When (System.nanoTime) the first message published after the {@link #mark} was acknowledged. */
    public OptionalLong firstAckAfterMark() {
        long at = firstAckAfterMark.get();
        return at == 0 ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Waits until at least {@code count} messages are acknowledged; fails after the timeout. */
    public void awaitAcked(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acked.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acked.size() + " of " + count + " messages acknowledged after "
                        + timeout.toSeconds() + " s (" + published.get() + " published)");
            }
            Thread.sleep(20);
        }
    }

    /** Stops publishing and waits (bounded) until every publish got its ack or its error; returns what was acked. */
    public Set<String> stop(Duration drain) throws InterruptedException {
        running.set(false);
        thread.join(drain.toMillis());
        long deadline = System.nanoTime() + drain.toNanos();
        while (answered.get() < published.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return Set.copyOf(acked);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
