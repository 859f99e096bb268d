/**
 * The STAN semantics, in plain Java: clients, channels and their sequences, subscriptions with start positions,
 * flow control and acks. {@link io.stanee.core.StanServer} takes a batch of requests in arrival order, decides
 * every reply, gathers the store work of the whole batch into one {@link io.stanee.store.StoreBatch} and
 * releases the replies only once the store committed it; if the store fails, the in-memory state is rolled back
 * and, depending on the failure, the batch is redone on a fresh connection, failed at once while the database is
 * out of reach ({@code StoreOutage}), or retried request by request so each gets the error it would get alone. Single-threaded by contract (the resource adapter calls
 * it from one thread), so it holds no locks.
 *
 * <p>Above it, {@link io.stanee.core.StanInstance} decides whether this instance may serve at all, as the Go
 * server does among several: the stand-alone probe ({@code StandAloneProbe}), the fault-tolerant group's
 * heartbeats and store lock ({@code FtGroupMember}, {@code StoreLockKeeper}), the partitions protocol
 * ({@code Partitions}, {@code ChannelOwnership}).
 */
package io.stanee.core;
