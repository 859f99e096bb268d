package io.stanee.core;

/**
 * The limits of one channel (0 = unlimited): messages, bytes (serialized MsgProto sizes) and age of what it
 * keeps, subscriptions it accepts, and how long it may stay idle before it is deleted.
 */
public record ChannelLimits(long maxMsgs, long maxBytes, long maxAgeNanos, long maxSubscriptions,
                            long maxInactivityNanos) {

    /**
     * Per-channel settings as configured: null = inherit from the closest wider entry (or the global limits);
     * a negative value (what an explicit 0 becomes, as in the Go server's config parser) = unlimited.
     */
    public record Override(Long maxMsgs, Long maxBytes, Long maxAgeNanos, Long maxSubscriptions,
                           Long maxInactivityNanos) {

        ChannelLimits over(ChannelLimits wider) {
            return new ChannelLimits(pick(maxMsgs, wider.maxMsgs), pick(maxBytes, wider.maxBytes),
                    pick(maxAgeNanos, wider.maxAgeNanos), pick(maxSubscriptions, wider.maxSubscriptions),
                    pick(maxInactivityNanos, wider.maxInactivityNanos));
        }

        private static long pick(Long own, long wider) {
            return own == null ? wider : own;
        }
    }

    /** Negative (explicitly unlimited) values become 0, the stored and enforced form of "unlimited". */
    ChannelLimits normalized() {
        return new ChannelLimits(Math.max(0, maxMsgs), Math.max(0, maxBytes), Math.max(0, maxAgeNanos),
                Math.max(0, maxSubscriptions), Math.max(0, maxInactivityNanos));
    }
}
