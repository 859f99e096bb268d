/**
 * The store contract kept in memory, the role of the Go server's {@code stores/memstore.go}: every table of the
 * Go SQL store (ServerInfo, Clients, Channels, Messages, Subscriptions, SubsPending, StoreLock) as a map, with
 * the same keys and the same effect of each {@link io.stanee.store.StoreOp} as {@code io.stanee.store.jpa}, so
 * that {@link io.stanee.store.Store#recover} reads back what the SQL store would. It owns nothing else: no
 * container, no thread, no durability. It is what the core's unit tests run on (a batch is applied all or
 * nothing, duplicate keys fail it as a primary key would), and a store for a server that keeps nothing across
 * a restart.
 */
package io.stanee.store.memory;
