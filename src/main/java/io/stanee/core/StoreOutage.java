package io.stanee.core;

import io.stanee.store.Store;
import io.stanee.store.StoreException;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Whether the database is known to be out of reach, and the probe that finds it back. While it is out, the server
 * answers what needs the store with the store error at once (a hanging database would otherwise hold every batch
 * for its timeout) and goes on answering what needs none, such as pings; once a probe gets an answer, service
 * resumes by itself.
 *
 * <p>The probe runs in the background ({@link Store#reachable}), one at a time: the first at once (a statement that
 * timed out behind a lock leaves the database reachable, and the next batch should try again), then every
 * {@link #PROBE_INTERVAL} after a failed one. Polled by the worker before each batch and on each timer call.
 */
final class StoreOutage {

    private static final Logger LOG = Logger.getLogger(StoreOutage.class.getName());

    /** The longest a database that is back goes unnoticed after a failed probe. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /**
     * How long a batch waits for a probe that has just started: a database that only timed out behind a lock
     * answers it in milliseconds, and the request that comes right after the lock is gone should be served, not
     * refused. A hanging database costs this once per probe, not per batch.
     */
    private static final Duration FRESH_PROBE_WAIT = Duration.ofMillis(200);

    private final Store store;
    private final java.util.function.LongSupplier nanoClock;
    /** The error of the failure that started the outage, null while the database is reachable. */
    private String error;
    private Future<Boolean> probe;
    private long probeStarted;
    private long nextProbe;

    StoreOutage(Store store, java.util.function.LongSupplier nanoClock) {
        this.store = store;
        this.nanoClock = nanoClock;
    }

    boolean down() {
        return error != null;
    }

    /** The store error a request that needs the store gets meanwhile. */
    String error() {
        return error;
    }

    /** The database failed as out of reach: from now on, until a probe succeeds, requests fail fast. */
    void began(String storeError) {
        if (error == null) {
            LOG.warning(() -> "the database is out of reach, requests that need it fail at once until it answers "
                    + "again: " + storeError);
            error = storeError;
            nextProbe = nanoClock.getAsLong();
        }
        poll();
    }

    /** Collects the probe's answer, and starts the next probe when one is due; returns whether still down. */
    boolean poll() {
        if (error == null) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (probe != null && !probe.isDone() && now - probeStarted < FRESH_PROBE_WAIT.toNanos()) {
            awaitAnswer(probe, FRESH_PROBE_WAIT.toNanos() - (now - probeStarted));
        }
        if (probe != null && probe.isDone()) {
            boolean reachable = answer(probe);
            probe = null;
            if (reachable) {
                LOG.info("the database answers again: requests are served");
                error = null;
                return false;
            }
            nextProbe = now + PROBE_INTERVAL.toNanos();
        }
        if (probe == null && now - nextProbe >= 0) {
            try {
                probe = store.reachable();
                probeStarted = now;
            } catch (RuntimeException e) {
                nextProbe = now + PROBE_INTERVAL.toNanos();
            }
        }
        return true;
    }

    /** The refusal of a store call while the database is out. */
    StoreException refusal() {
        return new Refused(error);
    }

    private static void awaitAnswer(Future<Boolean> probe, long nanos) {
        try {
            probe.get(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException | ExecutionException | RuntimeException e) {
            // no answer yet, or a failed probe: read by the caller
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean answer(Future<Boolean> probe) {
        try {
            return Boolean.TRUE.equals(probe.get());
        } catch (ExecutionException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A store call refused without asking the database, which is known to be out of reach. */
    static final class Refused extends StoreException {
        Refused(String error) {
            super(error);
        }
    }
}
