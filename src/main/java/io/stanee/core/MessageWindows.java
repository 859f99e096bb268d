package io.stanee.core;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The windows of recent messages of all channels, and the one byte budget they share
 * ({@code stan.memory_window_bytes}). A count per channel alone bounds nothing on a server with many channels
 * (1,000 channels x 4,096 x 1 KB is 4 GB); the budget keeps the total under a figure the heap is sized for.
 *
 * <p>When a message takes the total over the budget, the oldest messages of the channel written least recently
 * go first: the windows of busy channels, where live subscribers read, are the last to shrink. A message taken
 * out is read from the store when a subscriber needs it.
 */
final class MessageWindows {

    private final int messagesPerChannel;
    private final long budgetBytes;
    private long heldBytes;
    /** Windows holding something, least recently written first (access order: each add moves it to the end). */
    private final LinkedHashMap<MessageWindow, Boolean> byLastWrite = new LinkedHashMap<>(64, 0.75f, true);

    MessageWindows(int messagesPerChannel, long budgetBytes) {
        this.messagesPerChannel = messagesPerChannel;
        this.budgetBytes = budgetBytes;
    }

    /** A new, empty window for a channel. */
    MessageWindow open() {
        return new MessageWindow(this, messagesPerChannel);
    }

    long heldBytes() {
        return heldBytes;
    }

    void grew(long size) {
        heldBytes += size;
    }

    void shrank(long size) {
        heldBytes -= size;
    }

    /** A window took in a message: it becomes the most recently written, and the budget is enforced. */
    void added(MessageWindow window) {
        byLastWrite.put(window, Boolean.TRUE);
        Iterator<MessageWindow> leastRecent = byLastWrite.keySet().iterator();
        while (heldBytes > budgetBytes && leastRecent.hasNext()) {
            MessageWindow victim = leastRecent.next();
            while (heldBytes > budgetBytes && !victim.isEmpty()) {
                victim.dropOldest();
            }
            if (victim.isEmpty()) {
                leastRecent.remove();
            }
        }
    }

    void emptied(MessageWindow window) {
        byLastWrite.remove(window);
    }
}
