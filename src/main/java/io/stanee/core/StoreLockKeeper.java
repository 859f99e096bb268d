package io.stanee.core;

import io.stanee.store.LockAttempt;
import io.stanee.store.Store;
import io.stanee.store.StoreException;

import java.time.Duration;
import java.util.logging.Logger;

/**
 * The FT store lock as one server sees it, with the Go SQL store's timing: a standby takes the lock over from an
 * owner whose tick has not moved for {@link #LOST_COUNT} checks {@link #CHECK_INTERVAL} apart; the active raises
 * the tick every {@link #UPDATE_INTERVAL} and gives up after {@link #LOST_COUNT} failed refreshes in a row, or at
 * once when another server holds the lock.
 *
 * <p>Go sleeps between the checks of a takeover inside one call; here each check is one step taken from the timer
 * (every 100 ms), so the worker thread stays free to read the FT heartbeats meanwhile.
 */
final class StoreLockKeeper {

    private static final Logger LOG = Logger.getLogger(StoreLockKeeper.class.getName());

    /** Go: sqlDefaultLockUpdateInterval. */
    static final Duration UPDATE_INTERVAL = Duration.ofSeconds(1);
    /** Go: sqlDefaultLockLostCount. */
    static final int LOST_COUNT = 3;
    /** Go sleeps 1.5 update intervals between two looks at another owner's tick. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(1500);

    enum Takeover { TAKEN, IN_PROGRESS, HELD_ELSEWHERE }

    private final Store store;
    private final String lockId;

    private LockAttempt watched;
    private int unchangedChecks;
    private long nextCheck;

    private long nextRefresh;
    private int failedRefreshes;

    StoreLockKeeper(Store store, String lockId) {
        this.store = store;
        this.lockId = lockId;
    }

    String lockId() {
        return lockId;
    }

    /**
     * One step of taking the lock over (Go's GetExclusiveLock): a free lock is taken at once; a held one is watched
     * and stolen when its tick stood still {@link #LOST_COUNT} times. A store failure ends the takeover.
     */
    Takeover stepTakeover(long now) {
        try {
            if (watched == null) {
                LockAttempt first = store.acquireLock(lockId, false);
                if (first.acquired()) {
                    return taken(now);
                }
                watched = first;
                unchangedChecks = 0;
                nextCheck = now + CHECK_INTERVAL.toNanos();
                return Takeover.IN_PROGRESS;
            }
            if (now - nextCheck < 0) {
                return Takeover.IN_PROGRESS;
            }
            LockAttempt again = store.acquireLock(lockId, false);
            if (again.acquired()) {
                return taken(now);
            }
            if (!again.ownerId().equals(watched.ownerId()) || again.tick() != watched.tick()) {
                watched = null; // the owner is alive
                return Takeover.HELD_ELSEWHERE;
            }
            if (++unchangedChecks < LOST_COUNT) {
                nextCheck = now + CHECK_INTERVAL.toNanos();
                return Takeover.IN_PROGRESS;
            }
            LOG.warning(() -> "ft: the store lock of " + watched.ownerId() + " was not refreshed for "
                    + LOST_COUNT + " checks, taking it over");
            watched = null;
            return store.acquireLock(lockId, true).acquired() ? taken(now) : Takeover.HELD_ELSEWHERE;
        } catch (StoreException e) {
            watched = null;
            throw e;
        }
    }

    private Takeover taken(long now) {
        watched = null;
        failedRefreshes = 0;
        nextRefresh = now + UPDATE_INTERVAL.toNanos();
        return Takeover.TAKEN;
    }

    /**
     * The active's refresh, when due. Returns the reason the lock is lost (another owner took it; or
     * {@link #LOST_COUNT} failed refreshes in a row: the database is out of reach), or null while it holds.
     */
    String refreshIfDue(long now) {
        if (now - nextRefresh < 0) {
            return null;
        }
        nextRefresh = now + UPDATE_INTERVAL.toNanos();
        try {
            LockAttempt refresh = store.acquireLock(lockId, false);
            if (!refresh.acquired()) {
                return "ft: the store lock was taken over by " + refresh.ownerId();
            }
            failedRefreshes = 0;
            return null;
        } catch (StoreException e) {
            failedRefreshes++;
            LOG.severe(() -> "Unable to update store lock (failed=" + failedRefreshes + " err=" + e.getMessage() + ")");
            return failedRefreshes >= LOST_COUNT ? "lost store lock: " + LOST_COUNT + " refreshes failed in a row" : null;
        }
    }

    /** Frees the lock at a clean shutdown, so that a standby need not wait for it to go stale. */
    void release() {
        try {
            store.releaseLock(lockId);
        } catch (StoreException e) {
            LOG.warning(() -> "ft: could not release the store lock, a standby takes it over when it goes stale: "
                    + e.getMessage());
        }
    }
}
