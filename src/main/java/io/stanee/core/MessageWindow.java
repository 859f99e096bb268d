package io.stanee.core;

/**
 * The most recent messages of a channel, serialized as stored, so that live subscribers are served from memory
 * and only catch-up reads go to the database. A ring indexed by sequence, grown on demand up to the per-channel
 * count ({@code stan.memory_window_msgs}); the bytes it holds are counted against the budget all channels share
 * ({@link MessageWindows}), which takes the oldest messages of the least recently written channels first.
 *
 * <p>It is a cache: a message missing here is read from the store, so taking one out never changes what a
 * subscriber receives, and nothing in it needs an undo beyond forgetting a rolled-back publish.
 */
final class MessageWindow {

    /** The first ring: most channels of a large server hold a handful of messages, not the full count. */
    private static final int INITIAL_SLOTS = 16;

    private final MessageWindows budget;
    private final int capacity;
    private byte[][] ring;
    private long newest;   // highest sequence held, 0 when empty
    private long oldest;   // lowest sequence held
    private long bytes;    // sum of the lengths held

    MessageWindow(MessageWindows budget, int capacity) {
        this.budget = budget;
        this.capacity = Math.max(1, capacity);
        this.ring = new byte[Math.min(this.capacity, INITIAL_SLOTS)][];
    }

    void add(long sequence, byte[] data) {
        if (newest != 0 && sequence != newest + 1) {
            clear();
        }
        if (newest == 0) {
            oldest = sequence;
        } else if (sequence - oldest + 1 > ring.length) {
            if (ring.length < capacity) {
                grow();
            } else {
                dropOldest();
            }
        }
        ring[slot(sequence)] = data;
        newest = sequence;
        held(data.length);
        budget.added(this);
    }

    /** Forgets the newest message (its publish was rolled back). */
    void removeNewest(long sequence) {
        if (newest != 0 && sequence == newest) {
            released(ring[slot(sequence)].length);
            ring[slot(sequence)] = null;
            newest = sequence - 1;
            if (newest < oldest) {
                clear();
            }
        }
    }

    /** Forgets the messages up to {@code through} (the channel's limits removed them from the store). */
    void dropThrough(long through) {
        while (newest != 0 && oldest <= through) {
            dropOldest();
        }
    }

    /** The message, or null if it is not in the window. */
    byte[] get(long sequence) {
        if (newest == 0 || sequence < oldest || sequence > newest) {
            return null;
        }
        return ring[slot(sequence)];
    }

    /** Gives back everything held (the channel is gone). */
    void release() {
        clear();
        budget.emptied(this);
    }

    boolean isEmpty() {
        return newest == 0;
    }

    long bytes() {
        return bytes;
    }

    /** Takes out the oldest message held: on a full ring, and when the shared budget is exceeded. */
    void dropOldest() {
        if (newest == 0) {
            return;
        }
        int slot = slot(oldest);
        released(ring[slot].length);
        ring[slot] = null;
        if (oldest == newest) {
            clear();
        } else {
            oldest++;
        }
    }

    private void grow() {
        byte[][] larger = new byte[Math.min(capacity, ring.length * 2)][];
        for (long sequence = oldest; sequence <= newest; sequence++) {
            larger[(int) (sequence % larger.length)] = ring[slot(sequence)];
        }
        ring = larger;
    }

    private void clear() {
        if (newest != 0) {
            for (long sequence = oldest; sequence <= newest; sequence++) {
                ring[slot(sequence)] = null;
            }
            released(bytes);
        }
        newest = 0;
        oldest = 0;
    }

    private void held(long size) {
        bytes += size;
        budget.grew(size);
    }

    private void released(long size) {
        bytes -= size;
        budget.shrank(size);
    }

    private int slot(long sequence) {
        return (int) (sequence % ring.length);
    }
}
