package io.stanee.core;

/**
 * One channel's figures as other threads may read them: the worker copies them from the channel on its timer
 * calls (at most one timer interval old), so a reader never touches the single-threaded core.
 */
public final class ChannelGauges {

    private final String name;
    private volatile long messages;
    private volatile long bytes;
    private volatile long subscriptions;
    private volatile long pendingAcks;

    ChannelGauges(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Messages stored in the channel (channelsz's msgs). */
    public long messages() {
        return messages;
    }

    /** Bytes of the stored messages (channelsz's bytes). */
    public long bytes() {
        return bytes;
    }

    /** Subscriptions of the channel, offline durables and queue members included (channelsz's subs_count). */
    public long subscriptions() {
        return subscriptions;
    }

    /** Messages sent to the channel's subscriptions and not yet acknowledged (the sum of their pending_count). */
    public long pendingAcks() {
        return pendingAcks;
    }

    /** On the worker thread. */
    void copyFrom(Channel channel) {
        long subs = channel.subscriptions().size();
        long pending = 0;
        for (Subscription sub : channel.subscriptions()) {
            pending += sub.pendingCount();
        }
        for (QueueGroup group : channel.groups()) {
            for (Subscription member : group.members()) {
                subs++;
                pending += member.pendingCount();
            }
            if (group.shadow() != null) {
                subs++;
                pending += group.shadow().pendingCount();
            }
        }
        messages = channel.count();
        bytes = channel.bytes();
        subscriptions = subs;
        pendingAcks = pending;
    }

    @Override
    public String toString() {
        return name + ": " + messages + " msgs, " + bytes + " bytes, " + subscriptions + " subs, " + pendingAcks
                + " pending";
    }
}
