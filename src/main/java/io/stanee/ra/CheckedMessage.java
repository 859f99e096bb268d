package io.stanee.ra;

import io.nats.client.impl.NatsMessage;

/**
 * A message to publish whose subject and reply subject this adapter checked itself.
 *
 * <p>jnats' {@code publish(subject, replyTo, data)} validates both subjects term by term and character by
 * character on every call: in profiles of the benchmark that was about 7% of the server's CPU. Its
 * {@code publish(Message)} trusts the message instead. What must hold for the NATS protocol line, a
 * non-empty subject without whitespace or control characters, is checked here in one pass; subjects come
 * from NATS itself (reply subjects) or from client requests (delivery inboxes), so the check stays.
 */
final class CheckedMessage extends NatsMessage {

    CheckedMessage(String subject, String replyTo, byte[] data) {
        super(data);
        if (!isPublishable(subject) || (replyTo != null && !isPublishable(replyTo))) {
            throw new IllegalArgumentException("not a subject to publish to: '" + subject + "'"
                    + (replyTo == null ? "" : " (reply to '" + replyTo + "')"));
        }
        this.subject = subject;
        this.replyTo = replyTo;
    }

    static boolean isPublishable(String subject) {
        if (subject == null || subject.isEmpty()) {
            return false;
        }
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
