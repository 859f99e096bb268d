package io.stanee.core;

import io.stanee.store.RecoveredState;
import io.stanee.store.StoredRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.limits;
import static io.stanee.core.TestServer.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * After a restart the store counts the recovered channels' messages in the background, all of them in one
 * request (one container thread, not one per channel: the threads that also answer /health), and the channel
 * limits apply once the count is in.
 */
class RecoveredCountTest {

    private static final int CHANNELS = 50;

    private final TestServer stan = new TestServer();

    /** Three messages in each of 50 channels, written, then a server with max_msgs 2 started on that store. */
    private StanServer restartWithMaxMsgsTwo(FailingStore store) {
        stan.send(connect("me"));
        for (int c = 0; c < CHANNELS; c++) {
            String channel = "ch" + c;
            stan.send(stan.publish("me", channel, "a"), stan.publish("me", channel, "b"),
                    stan.publish("me", channel, "c"));
        }
        stan.server.flush();
        StanServer restarted = new StanServer(settings(100, limits(2, 0), false), new RequestLimits(), store,
                () -> stan.now);
        restarted.recover();
        restarted.initialize();
        return restarted;
    }

    private List<long[]> storedRanges() {
        return stan.memory.recover().channels().stream()
                .map((RecoveredState.Channel c) -> new long[]{c.first(), c.last()})
                .toList();
    }

    @Test
    void theRecoveredChannelsAreCountedInOneRequestAndTrimmedOnceCounted() {
        FailingStore store = new FailingStore(stan.memory);
        StanServer restarted = restartWithMaxMsgsTwo(store);

        assertEquals(1, store.countRequests().size(), "one request for all recovered channels");
        List<StoredRange> ranges = store.countRequests().get(0);
        assertEquals(CHANNELS, ranges.size());
        assertEquals(new StoredRange(ranges.get(0).channelId(), 1, 3), ranges.get(0));
        assertEquals(3, storedRanges().get(0)[1] - storedRanges().get(0)[0] + 1,
                "nothing is trimmed before the count arrives");

        restarted.tick();
        assertEquals(CHANNELS, storedRanges().size());
        for (long[] range : storedRanges()) {
            assertEquals(2, range[0], "the oldest message went: today's max_msgs is 2");
            assertEquals(3, range[1]);
        }
    }

    @Test
    void aCountThatFailedIsAskedForAgain() {
        FailingStore store = new FailingStore(stan.memory).failCounts("canceling statement due to timeout", 1);
        StanServer restarted = restartWithMaxMsgsTwo(store);

        restarted.tick();
        assertEquals(2, store.countRequests().size(), "the failed request is made again");
        assertEquals(store.countRequests().get(0), store.countRequests().get(1));
        assertEquals(1, storedRanges().get(0)[0], "no limit applied without the count");

        restarted.tick();
        for (long[] range : storedRanges()) {
            assertEquals(2, range[0]);
        }
    }
}
