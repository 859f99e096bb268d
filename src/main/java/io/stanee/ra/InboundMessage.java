package io.stanee.ra;

import java.io.Serializable;

/**
 * A message that arrived on one of the endpoint's subjects, or the answer to an
 * {@linkplain OutboundMessage#request outbound request} ({@code data} is null when nobody answered in time).
 *
 * @param receivedNanos {@link System#nanoTime()} when the adapter received it from NATS (the start of the server's
 *                      publish-to-PubAck latency)
 */
public record InboundMessage(String subject, String replyTo, byte[] data, long receivedNanos) implements Serializable {

    /** Received now: the adapter makes it the moment NATS hands the message over. */
    public InboundMessage(String subject, String replyTo, byte[] data) {
        this(subject, replyTo, data, System.nanoTime());
    }
}
