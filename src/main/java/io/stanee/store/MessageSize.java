package io.stanee.store;

/** A stored message's sequence and size in bytes (the size column: the stored MsgProto's length). */
public record MessageSize(long sequence, long bytes) {
}
