package io.stanee.ra;

import java.io.Serializable;

/**
 * Something the endpoint asks the adapter to do on NATS once its batch is done.
 *
 * @param kind what to do
 * @param subject the subject to publish or send a request to, or to (un)subscribe
 * @param replyTo the reply subject of a publish; for a request, the subject under which the answer is handed
 *                back to the endpoint as an {@link InboundMessage}
 * @param data the payload
 * @param timeoutMillis how long a request waits for its answer
 */
public record OutboundMessage(Kind kind, String subject, String replyTo, byte[] data, long timeoutMillis)
        implements Serializable {

    public enum Kind { PUBLISH, REQUEST, SUBSCRIBE, UNSUBSCRIBE }

    public static OutboundMessage publish(String subject, byte[] data) {
        return new OutboundMessage(Kind.PUBLISH, subject, null, data, 0);
    }

    public static OutboundMessage publish(String subject, String replyTo, byte[] data) {
        return new OutboundMessage(Kind.PUBLISH, subject, replyTo, data, 0);
    }

    /** Sends a request and hands its answer (or null data after the timeout) back under {@code answerSubject}. */
    public static OutboundMessage request(String subject, byte[] data, long timeoutMillis, String answerSubject) {
        return new OutboundMessage(Kind.REQUEST, subject, answerSubject, data, timeoutMillis);
    }

    public static OutboundMessage subscribe(String subject) {
        return new OutboundMessage(Kind.SUBSCRIBE, subject, null, null, 0);
    }

    public static OutboundMessage unsubscribe(String subject) {
        return new OutboundMessage(Kind.UNSUBSCRIBE, subject, null, null, 0);
    }
}
