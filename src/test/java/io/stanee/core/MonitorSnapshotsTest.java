package io.stanee.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The hand-over of monitoring copies from the worker to HTTP threads. */
class MonitorSnapshotsTest {

    private static MonitorSnapshot snapshot(String serverId) {
        return new MonitorSnapshot(Instant.now(), "c", serverId, "STANDALONE", Instant.now(), List.of(), List.of(),
                0, 0, 0, 0, new MonitorSnapshot.StoreLimitsView(0, null, Map.of()));
    }

    @Test
    void theWorkerCopiesOnlyWhenAsked() {
        MonitorSnapshots snapshots = new MonitorSnapshots();
        AtomicInteger copies = new AtomicInteger();
        snapshots.refreshIfWanted(() -> {
            copies.incrementAndGet();
            return snapshot("x");
        });
        assertEquals(0, copies.get(), "nobody asked: no copy");
        assertNull(snapshots.latest());
    }

    @Test
    void aReaderGetsACopyMadeAfterItAsked() throws Exception {
        MonitorSnapshots snapshots = new MonitorSnapshots();
        CompletableFuture<MonitorSnapshot> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return snapshots.fresh(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        MonitorSnapshot made = snapshot("fresh");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reader.isDone() && System.nanoTime() < deadline) { // the worker's timer calls
            snapshots.refreshIfWanted(() -> made);
            Thread.sleep(10);
        }
        assertSame(made, reader.get(1, TimeUnit.SECONDS));
        AtomicInteger copies = new AtomicInteger();
        snapshots.refreshIfWanted(() -> {
            copies.incrementAndGet();
            return snapshot("again");
        });
        assertEquals(0, copies.get(), "served: no further copy");
    }

    @Test
    void withoutTheWorkerAReaderGetsTheLatestCopyAfterTheWait() throws Exception {
        MonitorSnapshots snapshots = new MonitorSnapshots();
        assertNull(snapshots.fresh(Duration.ofMillis(50)), "nothing copied yet");
        MonitorSnapshot first = snapshot("first");
        snapshots.refreshIfWanted(() -> first);
        long start = System.nanoTime();
        assertSame(first, snapshots.fresh(Duration.ofMillis(200)));
        assertFalse(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(150), "it waited for a newer copy");
    }
}
