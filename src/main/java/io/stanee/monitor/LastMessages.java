package io.stanee.monitor;

import io.stanee.core.MonitorSnapshot.ChannelView;
import io.stanee.store.MessageSize;
import io.stanee.store.Store;
import io.stanee.store.StoredMessage;

import java.util.List;

/**
 * Reads the newest stored messages of a channel for stan-ee's {@code /streaming/msgsz}: at most {@code last} of
 * them, up to the channel's last sequence in the monitor's snapshot, and no more than {@code byteBudget} stored
 * bytes (the newest message always comes, whatever its size), so that a request for many large messages cannot
 * fill the server's heap. The sizes are read first (a small query), then only the messages that fit.
 */
final class LastMessages {

    private LastMessages() {
    }

    /** In sequence order, oldest first; empty for a channel that stores nothing. */
    static List<StoredMessage> read(Store store, ChannelView channel, int last, long byteBudget) {
        if (last <= 0 || channel.msgs() == 0 || channel.lastSeq() == 0) {
            return List.of();
        }
        long from = Math.max(channel.firstSeq(), channel.lastSeq() - last + 1);
        List<MessageSize> sizes = store.messageSizes(channel.storeId(), from, last);
        long start = -1;
        int count = 0;
        long bytes = 0;
        for (int i = sizes.size() - 1; i >= 0; i--) {
            MessageSize size = sizes.get(i);
            if (size.sequence() > channel.lastSeq()) {
                continue; // stored after the snapshot was taken: the answer shows the snapshot's channel
            }
            bytes += size.bytes();
            if (count > 0 && bytes > byteBudget) {
                break;
            }
            start = size.sequence();
            count++;
        }
        if (count == 0) {
            return List.of(); // expired meanwhile
        }
        return store.messages(channel.storeId(), start, count).stream()
                .filter(message -> message.sequence() <= channel.lastSeq())
                .toList();
    }
}
