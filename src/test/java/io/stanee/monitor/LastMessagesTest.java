package io.stanee.monitor;

import io.stanee.core.MonitorSnapshot.ChannelView;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessage;
import io.stanee.store.memory.MemoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What msgsz reads of a channel: its newest stored messages up to the snapshot's last sequence, at most the
 * number asked for and within the byte budget (the newest always), on the memory store (the store contract's
 * other implementation; ConsoleIT reads through the SQL store).
 */
class LastMessagesTest {

    private static final int CHANNEL = 7;
    private final MemoryStore store = new MemoryStore();

    @BeforeEach
    void storeTenMessagesOfGrowingSize() {
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.CreateChannel(CHANNEL, "orders", 0, 0, 0));
        for (long seq = 1; seq <= 10; seq++) {
            batch.add(new StoreOp.AddMessage(CHANNEL, seq, seq, new byte[(int) seq * 100]));
        }
        store.apply(batch);
    }

    private static ChannelView channel(long first, long last) {
        return new ChannelView("orders", last - first + 1, 0, first, last, List.of(), CHANNEL);
    }

    private static List<Long> sequences(List<StoredMessage> messages) {
        return messages.stream().map(StoredMessage::sequence).toList();
    }

    @Test
    void theNewestMessagesOldestFirst() {
        assertEquals(List.of(8L, 9L, 10L), sequences(LastMessages.read(store, channel(1, 10), 3, 1 << 20)));
    }

    @Test
    void noMoreThanTheChannelHas() {
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L, 10L),
                sequences(LastMessages.read(store, channel(4, 10), 50, 1 << 20)));
    }

    @Test
    void nothingStoredAfterTheSnapshot() {
        // the snapshot saw 6 messages; 7 to 10 came later and are not part of this answer
        assertEquals(List.of(5L, 6L), sequences(LastMessages.read(store, channel(1, 6), 2, 1 << 20)));
    }

    @Test
    void theByteBudgetCutsTheOldest() {
        // 1000 + 900 bytes fit in 2000, 800 more would not
        assertEquals(List.of(9L, 10L), sequences(LastMessages.read(store, channel(1, 10), 10, 2000)));
    }

    @Test
    void theNewestComesEvenAboveTheBudget() {
        assertEquals(List.of(10L), sequences(LastMessages.read(store, channel(1, 10), 10, 10)));
    }

    @Test
    void anEmptyChannelHasNone() {
        assertEquals(List.of(), LastMessages.read(store, new ChannelView("empty", 0, 0, 0, 0, List.of(), 99), 10,
                1 << 20));
    }

    @Test
    void lastIsBoundedAndDefaulted() {
        assertEquals(MessagesMonitor.DEFAULT_LAST, MessagesMonitor.last(null));
        assertEquals(MessagesMonitor.DEFAULT_LAST, MessagesMonitor.last("x"));
        assertEquals(MessagesMonitor.DEFAULT_LAST, MessagesMonitor.last("-3"));
        assertEquals(5, MessagesMonitor.last("5"));
        assertEquals(MessagesMonitor.MAX_LAST, MessagesMonitor.last("100000000000000000000"));
    }
}
