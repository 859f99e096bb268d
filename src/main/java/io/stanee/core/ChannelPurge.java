package io.stanee.core;

import io.stanee.store.Store;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;

/**
 * Removes the rows of deleted channels a round at a time, one round per timer tick, so that deleting a channel
 * of a million messages never holds up the requests of the others. A deleted channel is only marked in the
 * store when it goes; its remaining rows are purged here, also after a restart (the Go server, which purges in a
 * goroutine, leaves them behind if it stops meanwhile).
 */
final class ChannelPurge {

    private static final Logger LOG = Logger.getLogger(ChannelPurge.class.getName());

    private final Store store;
    private final Deque<Integer> channelIds = new ArrayDeque<>();

    ChannelPurge(Store store) {
        this.store = store;
    }

    void add(int channelId) {
        channelIds.add(channelId);
    }

    /** Purges one round of the oldest deleted channel; a store failure is retried on the next tick. */
    void purgeOneRound() {
        Integer channelId = channelIds.peek();
        if (channelId == null) {
            return;
        }
        try {
            if (store.purgeDeletedChannel(channelId)) {
                channelIds.poll();
                LOG.fine(() -> "purged the rows of deleted channel " + channelId);
            }
        } catch (RuntimeException e) {
            // a StoreException, or the container's exception when the round's commit itself fails
            LOG.warning(() -> "Unable to completely delete channel " + channelId + " yet: " + e.getMessage()
                    + " (retrying)");
        }
    }
}
