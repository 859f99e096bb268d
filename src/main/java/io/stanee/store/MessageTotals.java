package io.stanee.store;

/** How many messages a range of a channel holds and their total size in bytes (the size column). */
public record MessageTotals(long count, long bytes) {
}
