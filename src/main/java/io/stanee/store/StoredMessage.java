package io.stanee.store;

/** A row of Messages: the channel's sequence and the serialized MsgProto exactly as delivered to subscribers. */
public record StoredMessage(long sequence, long timestamp, byte[] data) {
}
