package io.stanee.core;

/**
 * The most recent messages of a channel, serialized as stored, so that live subscribers are served from memory
 * and only catch-up reads go to the database. A ring indexed by sequence: bounded whatever the channel size.
 */
final class MessageWindow {

    private final byte[][] ring;
    private long newest;   // highest sequence held, 0 when empty
    private long oldest;   // lowest sequence held

    MessageWindow(int capacity) {
        this.ring = new byte[Math.max(1, capacity)][];
    }

    void add(long sequence, byte[] data) {
        if (newest != 0 && sequence != newest + 1) {
            clear();
        }
        ring[slot(sequence)] = data;
        if (newest == 0) {
            oldest = sequence;
        }
        newest = sequence;
        if (newest - oldest + 1 > ring.length) {
            oldest = newest - ring.length + 1;
        }
    }

    /** Forgets the newest message (its publish was rolled back). */
    void removeNewest(long sequence) {
        if (sequence == newest) {
            ring[slot(sequence)] = null;
            newest = sequence - 1;
            if (newest < oldest) {
                clear();
            }
        }
    }

    /** The message, or null if it is not in the window. */
    byte[] get(long sequence) {
        if (newest == 0 || sequence < oldest || sequence > newest) {
            return null;
        }
        return ring[slot(sequence)];
    }

    private void clear() {
        newest = 0;
        oldest = 0;
    }

    private int slot(long sequence) {
        return (int) (sequence % ring.length);
    }
}
