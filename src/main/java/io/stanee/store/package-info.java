/**
 * The store contract of the STAN core: what must be persisted ({@link io.stanee.store.StoreBatch}, applied in
 * one transaction), what is read back ({@link io.stanee.store.RecoveredState}, message pages) and nothing of
 * how; and the fault-tolerance lock of a group of servers sharing the store
 * ({@link io.stanee.store.Store#acquireLock}, batches conditional on its owner). Like the Go server's {@code stores} package: one interface, implementations beside it
 * ({@code io.stanee.store.jpa} on the Go SQL store's tables).
 */
package io.stanee.store;
