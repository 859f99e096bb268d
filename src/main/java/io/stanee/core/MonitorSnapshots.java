package io.stanee.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands {@link MonitorSnapshot}s from the core's worker thread to HTTP threads, on demand.
 *
 * <p>A reader asks for a snapshot taken after its request arrived (so a monitor sees what a client just did,
 * as with the Go server, which reads its state under locks) and waits for the worker's next timer call, at most
 * 100 ms later (a batch in progress first ends). The worker copies the state only when someone asked: with
 * nobody watching, monitoring costs the core nothing; several readers waiting at once share one copy. If the
 * worker does not come by in time (a long store call), the reader gets the latest copy, or none before the first.
 */
public final class MonitorSnapshots {

    private static final Logger LOG = Logger.getLogger(MonitorSnapshots.class.getName());

    /** Requests so far; the worker serves all of them up to the number it read before copying. */
    private final AtomicLong requested = new AtomicLong();
    private final Object published = new Object();
    private long served;
    private volatile MonitorSnapshot latest;

    /** For an HTTP thread: a snapshot taken after this call, or the latest one after {@code timeout}, or null. */
    public MonitorSnapshot fresh(Duration timeout) throws InterruptedException {
        long ticket = requested.incrementAndGet();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (published) {
            while (served < ticket) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                published.wait(Math.max(1, left / 1_000_000));
            }
        }
        return latest;
    }

    /** The latest snapshot without waiting (null before the first). */
    public MonitorSnapshot latest() {
        return latest;
    }

    /** For the worker thread: copies the state with {@code copy} if a reader waits for it. */
    void refreshIfWanted(Supplier<MonitorSnapshot> copy) {
        long wanted = requested.get();
        synchronized (published) {
            if (served >= wanted) {
                return;
            }
        }
        MonitorSnapshot snapshot;
        try {
            snapshot = copy.get();
        } catch (RuntimeException e) { // never the worker's problem: the readers time out to the latest copy
            LOG.log(Level.WARNING, "could not copy the state for monitoring: " + e, e);
            return;
        }
        synchronized (published) {
            latest = snapshot;
            served = wanted;
            published.notifyAll();
        }
    }
}
