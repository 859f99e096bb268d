package io.stanee.tools;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyRecorderTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] sorted = new long[100];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i + 1;
        }
        assertEquals(1, LatencyRecorder.percentile(sorted, 0));
        assertEquals(1, LatencyRecorder.percentile(sorted, 1));
        assertEquals(7, LatencyRecorder.percentile(sorted, 7)); // 7 / 100.0 * 100 would be 7.000000000000001
        assertEquals(50, LatencyRecorder.percentile(sorted, 50));
        assertEquals(90, LatencyRecorder.percentile(sorted, 90));
        assertEquals(99, LatencyRecorder.percentile(sorted, 99));
        assertEquals(100, LatencyRecorder.percentile(sorted, 99.5));
        assertEquals(100, LatencyRecorder.percentile(sorted, 100));
    }

    @Test
    void nearestRankRoundsTheRankUpToAnObservedValue() {
        long[] sorted = {10, 20, 30, 40};
        assertEquals(20, LatencyRecorder.percentile(sorted, 50)); // rank 2
        assertEquals(30, LatencyRecorder.percentile(sorted, 51)); // rank ceil(2.04) = 3
        assertEquals(40, LatencyRecorder.percentile(sorted, 90)); // rank ceil(3.6) = 4
        assertEquals(10, LatencyRecorder.percentile(new long[] {10}, 50));
        assertEquals(10, LatencyRecorder.percentile(new long[] {10}, 99));
    }

    @Test
    void percentileRejectsNothingAndOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.percentile(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.percentile(new long[] {1}, 101));
        assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.percentile(new long[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.percentile(new long[] {1}, Double.NaN));
    }

    @Test
    void summarizeSortsAndMergesRecordersSkippingUnsetSlots() {
        LatencyRecorder first = new LatencyRecorder(4);
        first.record(0, 400);
        first.record(2, 100);
        first.record(3, -5); // a clock oddity counts as 0
        // slot 1 never acked
        LatencyRecorder second = new LatencyRecorder(3);
        second.record(2, 300);
        second.record(0, 200);

        assertArrayEquals(new long[] {400, 100, 0}, first.recorded());

        LatencyRecorder.Summary summary = LatencyRecorder.summarize(List.of(first, second));
        assertEquals(5, summary.count());
        assertEquals(0, summary.min());
        assertEquals(200, summary.p50()); // {0, 100, 200, 300, 400}: rank ceil(2.5) = 3
        assertEquals(400, summary.p90());
        assertEquals(400, summary.p99());
        assertEquals(400, summary.max());
        assertEquals(200.0, summary.mean(), 1e-9);
    }

    @Test
    void summarizeOfALargeShuffledSeries() {
        int n = 100_000;
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = ((i * 7919L) % n) + 1; // a permutation of 1..n (7919 is prime, coprime to n)
        }
        LatencyRecorder.Summary summary = LatencyRecorder.summarize(latencies);
        assertEquals(n, summary.count());
        assertEquals(1, summary.min());
        assertEquals(50_000, summary.p50());
        assertEquals(90_000, summary.p90());
        assertEquals(99_000, summary.p99());
        assertEquals(100_000, summary.max());
    }

    @Test
    void summarizeOfNothingIsEmpty() {
        assertSame(LatencyRecorder.Summary.EMPTY, LatencyRecorder.summarize(List.of(new LatencyRecorder(3))));
        assertEquals(0, LatencyRecorder.Summary.EMPTY.count());
    }
}
