package io.stanee.tools;

import io.stanee.tools.BenchReport.Results;
import io.stanee.tools.BenchReport.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchReportTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void sampleRateAndAggregateSpanTheEarliestStartToTheLatestEnd() {
        Sample a = new Sample(1000, 1024, 0, SECOND);
        Sample b = new Sample(3000, 1024, SECOND / 2, 2 * SECOND);
        assertEquals(1000, a.rate(), 1e-9);
        assertEquals(1000 * 1024, a.bytesPerSecond(), 1e-6);
        Sample all = Sample.aggregate(List.of(a, b));
        assertEquals(4000, all.messages());
        assertEquals(0, all.startNanos());
        assertEquals(2 * SECOND, all.endNanos());
        assertEquals(2000, all.rate(), 1e-9);
        assertEquals(0, Sample.aggregate(List.of()).rate());
        // nanoTime may be negative
        Sample negative = Sample.aggregate(List.of(new Sample(1, 1, -5 * SECOND, -4 * SECOND),
                new Sample(1, 1, -3 * SECOND, -2 * SECOND)));
        assertEquals(-5 * SECOND, negative.startNanos());
        assertEquals(-2 * SECOND, negative.endNanos());
    }

    @Test
    void humanBytesUsesBinaryUnitsLikeGo() {
        assertEquals("512.00 B", BenchReport.humanBytes(512));
        assertEquals("1.50 KB", BenchReport.humanBytes(1536));
        assertEquals("2.00 MB", BenchReport.humanBytes(2 * 1024 * 1024));
        assertEquals("12,345 msgs/sec ~ 12.06 MB/sec",
                BenchReport.describe(new Sample(12_345, 1024, 0, SECOND)));
    }

    @Test
    void reportAndResultLine() throws Exception {
        BenchOptions options = BenchOptions.parse("-n", "2000", "-ms", "1024", "-np", "2", "-ns", "1", "-a", "c");
        Results results = new Results(options,
                List.of(new Sample(1000, 1024, 0, SECOND), new Sample(1000, 1024, 0, 2 * SECOND)),
                List.of(new Sample(2000, 1024, 0, 2 * SECOND)),
                new LatencyRecorder.Summary(2000, 100_000, 1_500_000, 2_000_000, 12_345_678, 20_000_000, 2e6),
                0, 0, 0, false, false);
        assertTrue(results.ok());
        String report = BenchReport.report(results);
        assertTrue(report.startsWith("NATS Streaming Pub/Sub stats: 2,000 msgs/sec ~ 1.95 MB/sec\n"), report);
        assertTrue(report.contains(" Pub stats: 1,000 msgs/sec ~ 1000.00 KB/sec\n"), report);
        assertTrue(report.contains("  [1] 1,000 msgs/sec ~ 1000.00 KB/sec (1,000 msgs)\n"), report);
        assertTrue(report.contains("  [2] 500 msgs/sec ~ 500.00 KB/sec (1,000 msgs)\n"), report);
        assertTrue(report.contains("  min 500 | avg 750 | max 1,000 | stddev 250 msgs\n"), report);
        assertTrue(report.contains("p50 1.500 ms | p90 2.000 ms | p99 12.346 ms | max 20.000 ms"), report);
        assertTrue(report.contains(" Sub stats: 1,000 msgs/sec"), report);
        assertEquals("RESULT pub_msgs_per_s=1000 sub_msgs_per_s=1000 p50_ms=1.500 p90_ms=2.000 p99_ms=12.346"
                + " max_ms=20.000 errors=0 unacked=0 sub_missing=0 n=2000 size=1024 np=2 ns=1 async=true status=ok",
                BenchReport.resultLine(results));
    }

    @Test
    void failuresShowInTheReportAndTheStatus() throws Exception {
        BenchOptions options = BenchOptions.parse("-n", "10", "c");
        Results errors = new Results(options, List.of(new Sample(8, 128, 0, SECOND)), List.of(),
                LatencyRecorder.Summary.EMPTY, 2, 0, 0, false, false);
        assertFalse(errors.ok());
        assertTrue(BenchReport.report(errors).contains("Publish errors: 2"));
        assertTrue(BenchReport.report(errors).contains("Pub latency (blocking publish call, 0 acks): none recorded"));
        assertTrue(BenchReport.resultLine(errors).contains(" errors=2 "));
        assertTrue(BenchReport.resultLine(errors).endsWith(" async=false status=failed"));

        Results timeout = new Results(options, List.of(), List.of(), LatencyRecorder.Summary.EMPTY,
                0, 10, 0, true, false);
        assertEquals("timeout", timeout.status());
        assertTrue(BenchReport.report(timeout).contains("Messages not acked: 10"));
        assertTrue(BenchReport.report(timeout).contains("Nothing to report: no message was published or received"));

        Results missing = new Results(options, List.of(), List.of(), LatencyRecorder.Summary.EMPTY,
                0, 0, 3, false, false);
        assertEquals("failed", missing.status());
    }

    @Test
    void sequenceTrackerCountsEachSequenceOnce() {
        Bench.SequenceTracker tracker = new Bench.SequenceTracker();
        assertTrue(tracker.add(5));
        assertTrue(tracker.add(6));
        assertFalse(tracker.add(5));
        assertTrue(tracker.add(3)); // below the first one seen
        assertFalse(tracker.add(3));
        assertTrue(tracker.add(5L + Integer.MAX_VALUE));
        assertFalse(tracker.add(5L + Integer.MAX_VALUE));
    }
}
