package io.stanee.store;

/** A channel's stored sequences from {@code first} to {@code last}, as a restart found them. */
public record StoredRange(int channelId, long first, long last) {
}
