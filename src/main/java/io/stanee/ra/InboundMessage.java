package io.stanee.ra;

import java.io.Serializable;

/**
 * A message that arrived on one of the endpoint's subjects, or the answer to an
 * {@linkplain OutboundMessage#request outbound request} ({@code data} is null when nobody answered in time).
 */
public record InboundMessage(String subject, String replyTo, byte[] data) implements Serializable {
}
