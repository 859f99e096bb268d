package io.stanee.store;

/** The messages of a channel stamped at or before a time: how many, the highest sequence, their total size. */
public record MessagesUpTo(long count, long lastSequence, long bytes) {
}
