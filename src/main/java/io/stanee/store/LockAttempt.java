package io.stanee.store;

/**
 * What one look at the fault-tolerance lock found (the Go SQL store's {@code acquireDBLock}).
 *
 * @param acquired whether the caller holds the lock now
 * @param ownerId the owner the lock row named before this attempt ("" when free or absent)
 * @param tick the owner's tick before this attempt: an owner that is alive raises it every second
 */
public record LockAttempt(boolean acquired, String ownerId, long tick) {
}
