package io.stanee.core;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageWindowsTest {

    private static byte[] message(int size, long sequence) {
        byte[] data = new byte[size];
        data[0] = (byte) sequence;
        return data;
    }

    @Test
    void aChannelKeepsItsNewestMessagesUpToItsCount() {
        MessageWindows windows = new MessageWindows(100, Long.MAX_VALUE);
        MessageWindow window = windows.open();
        for (long sequence = 1; sequence <= 250; sequence++) {
            window.add(sequence, message(10, sequence));
        }
        assertNull(window.get(150), "older than the newest 100");
        for (long sequence = 151; sequence <= 250; sequence++) {
            assertEquals((byte) sequence, window.get(sequence)[0], "sequence " + sequence);
        }
        assertNull(window.get(251));
        assertEquals(100 * 10, windows.heldBytes());
    }

    @Test
    void theBudgetTakesTheOldestMessagesOfTheLeastRecentlyWrittenChannelFirst() {
        MessageWindows windows = new MessageWindows(4096, 10_000);
        MessageWindow quiet = windows.open();
        MessageWindow busy = windows.open();
        for (long sequence = 1; sequence <= 5; sequence++) {
            quiet.add(sequence, message(1000, sequence));
        }
        for (long sequence = 1; sequence <= 4; sequence++) {
            busy.add(sequence, message(1000, sequence));
        }
        assertEquals(9_000, windows.heldBytes());

        busy.add(5, message(1000, 5));
        busy.add(6, message(1000, 6));
        assertEquals(10_000, windows.heldBytes(), "held at the budget");
        assertNull(quiet.get(1), "the quiet channel's oldest went first");
        assertNotNull(quiet.get(2));
        for (long sequence = 1; sequence <= 6; sequence++) {
            assertNotNull(busy.get(sequence), "the busy channel keeps " + sequence);
        }

        for (long sequence = 7; sequence <= 12; sequence++) {
            busy.add(sequence, message(1000, sequence));
        }
        assertTrue(quiet.isEmpty(), "the quiet channel gave everything before the busy one gave anything");
        assertNull(busy.get(2));
        assertNotNull(busy.get(3));
        assertEquals(10_000, windows.heldBytes());
    }

    @Test
    void aChannelWrittenAgainMovesBehindTheOthers() {
        MessageWindows windows = new MessageWindows(4096, 3_000);
        MessageWindow first = windows.open();
        MessageWindow second = windows.open();
        first.add(1, message(1000, 1));
        second.add(1, message(1000, 1));
        first.add(2, message(1000, 2)); // first is now the most recently written, second the least
        assertNotNull(second.get(1), "reading does not count as writing");

        MessageWindow third = windows.open();
        third.add(1, message(1000, 1));
        assertTrue(second.isEmpty(), "the least recently written channel gave its message");
        assertNotNull(first.get(1), "the channel created first but written since kept its oldest");
        assertNotNull(first.get(2));
        assertNotNull(third.get(1));
    }

    @Test
    void aRolledBackPublishAReleasedChannelAndLimitsGiveTheirBytesBack() {
        MessageWindows windows = new MessageWindows(4096, 1_000_000);
        MessageWindow window = windows.open();
        for (long sequence = 1; sequence <= 10; sequence++) {
            window.add(sequence, message(100, sequence));
        }
        window.removeNewest(10);
        assertNull(window.get(10));
        assertEquals(900, windows.heldBytes());

        window.dropThrough(4);
        assertNull(window.get(4));
        assertNotNull(window.get(5));
        assertEquals(500, windows.heldBytes());

        window.release();
        assertNull(window.get(9));
        assertEquals(0, windows.heldBytes());

        window.add(10, message(100, 10));
        assertArrayEquals(message(100, 10), window.get(10), "a released window takes messages again");
    }

    @Test
    void aGapStartsTheWindowAfreshAndAMessageOverTheBudgetIsNotKept() {
        MessageWindows windows = new MessageWindows(4096, 500);
        MessageWindow window = windows.open();
        window.add(1, message(100, 1));
        window.add(2, message(100, 2));
        window.add(7, message(100, 7));
        assertNull(window.get(2), "not contiguous with 7");
        assertEquals(100, windows.heldBytes());

        window.add(8, message(600, 8));
        assertNull(window.get(8));
        assertTrue(window.isEmpty());
        assertEquals(0, windows.heldBytes());
    }

    /** Random publishes, rollbacks, limits and deletions on many channels: never over the budget, never wrong. */
    @Test
    void whatIsHeldIsAlwaysWhatWasWrittenAndTheTotalIsExact() {
        Random random = new Random(18);
        int channels = 20;
        MessageWindows windows = new MessageWindows(64, 50_000);
        MessageWindow[] open = new MessageWindow[channels];
        long[] last = new long[channels];
        for (int i = 0; i < channels; i++) {
            open[i] = windows.open();
        }
        for (int step = 0; step < 100_000; step++) {
            int c = random.nextInt(channels);
            int action = random.nextInt(100);
            if (action < 90) {
                last[c]++;
                open[c].add(last[c], message(1 + random.nextInt(2000), last[c]));
            } else if (action < 95 && last[c] > 0) {
                open[c].removeNewest(last[c]);
                last[c]--;
            } else if (action < 98) {
                open[c].dropThrough(last[c] - random.nextInt(10));
            } else {
                open[c].release();
            }
            long total = 0;
            for (int i = 0; i < channels; i++) {
                total += open[i].bytes();
            }
            assertEquals(total, windows.heldBytes(), "step " + step);
            assertTrue(total <= 50_000, "step " + step + " holds " + total);
            byte[] held = open[c].get(last[c]);
            if (held != null) {
                assertEquals((byte) last[c], held[0], "step " + step);
            }
        }
    }
}
