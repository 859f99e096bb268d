package io.stanee.core;

/**
 * How much of the newest messages the server keeps in memory for live subscribers.
 *
 * @param messagesPerChannel {@code stan.memory_window_msgs}: at most this many messages per channel
 * @param totalBytes {@code stan.memory_window_bytes}: at most this many bytes over all channels together
 */
public record MessageWindowLimits(int messagesPerChannel, long totalBytes) {
}
