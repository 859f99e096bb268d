package io.stanee.core;

import java.util.function.LongSupplier;

/**
 * Whether the adapter's worker thread still comes by: it beats when it enters and when it leaves a call into the
 * instance (a batch, a timer call every 100 ms, the start-up), so a worker blocked inside a call (a database
 * lock, a hung statement) or no longer calling at all (dead) stops beating, and {@link #silentNanos} grows.
 * A recovery is long work, not a stall: while one runs the worker counts as alive. Written by the worker,
 * read by health checks on other threads.
 */
public final class WorkerHeartbeat {

    private final LongSupplier monotonicClock;
    /** System.nanoTime() of the last beat; meaningless before the first. */
    private volatile long lastBeat;
    private volatile boolean started;
    private volatile boolean inCall;
    private volatile boolean recovering;

    public WorkerHeartbeat(LongSupplier monotonicClock) {
        this.monotonicClock = monotonicClock;
    }

    void enter() {
        lastBeat = monotonicClock.getAsLong();
        inCall = true;
        started = true;
    }

    void leave() {
        inCall = false;
        lastBeat = monotonicClock.getAsLong();
    }

    void recovering(boolean now) {
        recovering = now;
        lastBeat = monotonicClock.getAsLong();
    }

    /** Whether the worker has called at all yet (it first connects to NATS). */
    public boolean started() {
        return started;
    }

    /** Whether the worker is inside a call right now (a batch, a timer call, the start-up). */
    public boolean inCall() {
        return inCall;
    }

    public boolean recovering() {
        return recovering;
    }

    /** How long since the worker last beat: 0 before its first call. */
    public long silentNanos() {
        return started ? Math.max(0, monotonicClock.getAsLong() - lastBeat) : 0;
    }

    /** Stuck: silent for longer than {@code thresholdNanos}, and not recovering. */
    public boolean stuck(long thresholdNanos) {
        return !recovering && silentNanos() > thresholdNanos;
    }
}
