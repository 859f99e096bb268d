package io.stanee.tools;

import java.util.List;
import java.util.Locale;

/**
 * The summary {@code bench} prints: Go stan-bench's report (nats.go's bench package: msgs/sec ~ bytes/sec per
 * group, per client when there are several, min/avg/max/stddev) with publish latency lines added, and one
 * {@code RESULT key=value ...} line for scripts. Pure formatting, so it is unit-testable.
 */
final class BenchReport {

    /**
     * {@code messages} of {@code messageSize} bytes moved between two {@link System#nanoTime()} readings.
     * A publisher's sample runs from its first publish to its last ack, a subscriber's from its first
     * message to its last.
     */
    record Sample(long messages, int messageSize, long startNanos, long endNanos) {

        /** At least a nanosecond, so that a single message does not divide by zero. */
        double seconds() {
            return Math.max(1, endNanos - startNanos) / 1e9;
        }

        double rate() {
            return messages == 0 ? 0 : messages / seconds();
        }

        double bytesPerSecond() {
            return rate() * messageSize;
        }

        /** Go's SampleGroup: the messages summed over the span from the earliest start to the latest end. */
        static Sample aggregate(List<Sample> samples) {
            if (samples.isEmpty()) {
                return new Sample(0, 0, 0, 0);
            }
            long messages = 0;
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            for (Sample sample : samples) {
                messages += sample.messages;
                // nanoTime values are compared by difference: they may be negative or wrap
                start = start == Long.MAX_VALUE || sample.startNanos - start < 0 ? sample.startNanos : start;
                end = end == Long.MIN_VALUE || sample.endNanos - end > 0 ? sample.endNanos : end;
            }
            return new Sample(messages, samples.get(0).messageSize, start, end);
        }
    }

    /** What the run produced; the counts are what {@link #status()} and the RESULT line report. */
    record Results(BenchOptions options, List<Sample> pubSamples, List<Sample> subSamples,
                   LatencyRecorder.Summary latency, long publishErrors, long unacked, long subMissing,
                   boolean timedOut, boolean failed) {

        boolean ok() {
            return !failed && !timedOut && publishErrors == 0 && unacked == 0 && subMissing == 0;
        }

        String status() {
            return ok() ? "ok" : timedOut ? "timeout" : "failed";
        }
    }

    private BenchReport() {
    }

    static String report(Results results) {
        StringBuilder text = new StringBuilder();
        List<Sample> pubs = results.pubSamples();
        List<Sample> subs = results.subSamples();
        String indent = "";
        if (!pubs.isEmpty() && !subs.isEmpty()) {
            Sample all = Sample.aggregate(List.of(Sample.aggregate(pubs), Sample.aggregate(subs)));
            text.append("NATS Streaming Pub/Sub stats: ").append(describe(all)).append('\n');
            indent = " ";
        }
        if (!pubs.isEmpty()) {
            group(text, indent, "Pub", pubs);
            LatencyRecorder.Summary latency = results.latency();
            text.append(indent).append("Pub latency (")
                    .append(results.options().async() ? "publish to ack handler" : "blocking publish call")
                    .append(", ").append(comma(latency.count())).append(" acks): ");
            if (latency.count() == 0) {
                text.append("none recorded");
            } else {
                text.append("p50 ").append(millis(latency.p50())).append(" ms | p90 ").append(millis(latency.p90()))
                        .append(" ms | p99 ").append(millis(latency.p99())).append(" ms | max ")
                        .append(millis(latency.max())).append(" ms | mean ")
                        .append(String.format(Locale.ROOT, "%.3f", latency.mean() / 1e6)).append(" ms");
            }
            text.append('\n');
        }
        if (!subs.isEmpty()) {
            group(text, indent, "Sub", subs);
        }
        if (pubs.isEmpty() && subs.isEmpty()) {
            text.append(results.ok() ? "No publisher or subscribers. Nothing to report.\n"
                    : "Nothing to report: no message was published or received (see the errors above).\n");
        }
        if (results.publishErrors() > 0) {
            text.append(indent).append("Publish errors: ").append(comma(results.publishErrors())).append('\n');
        }
        if (results.unacked() > 0) {
            text.append(indent).append("Messages not acked: ").append(comma(results.unacked())).append('\n');
        }
        if (results.subMissing() > 0) {
            text.append(indent).append("Messages not received by subscribers: ").append(comma(results.subMissing()))
                    .append('\n');
        }
        return text.toString();
    }

    private static void group(StringBuilder text, String indent, String name, List<Sample> samples) {
        text.append(indent).append(name).append(" stats: ").append(describe(Sample.aggregate(samples))).append('\n');
        if (samples.size() > 1) {
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                text.append(indent).append(" [").append(i + 1).append("] ").append(describe(sample))
                        .append(" (").append(comma(sample.messages())).append(" msgs)\n");
            }
            text.append(indent).append(' ').append(statistics(samples)).append('\n');
        }
    }

    /** Go's Sample.String(): "12,345 msgs/sec ~ 12.06 MB/sec". */
    static String describe(Sample sample) {
        return comma(Math.round(sample.rate())) + " msgs/sec ~ " + humanBytes(sample.bytesPerSecond()) + "/sec";
    }

    /** Go's SampleGroup.Statistics(): the spread of the clients' rates (population standard deviation). */
    static String statistics(List<Sample> samples) {
        double min = Double.MAX_VALUE;
        double max = 0;
        double sum = 0;
        for (Sample sample : samples) {
            min = Math.min(min, sample.rate());
            max = Math.max(max, sample.rate());
            sum += sample.rate();
        }
        double avg = sum / samples.size();
        double squares = 0;
        for (Sample sample : samples) {
            squares += (sample.rate() - avg) * (sample.rate() - avg);
        }
        double stddev = Math.sqrt(squares / samples.size());
        return "min " + comma(Math.round(min)) + " | avg " + comma(Math.round(avg)) + " | max "
                + comma(Math.round(max)) + " | stddev " + comma(Math.round(stddev)) + " msgs";
    }

    /** Go's bench.HumanBytes with binary units: "512.00 B", "1.50 KB", "12.06 MB". */
    static String humanBytes(double bytes) {
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        if (bytes < 1024) {
            return String.format(Locale.ROOT, "%.2f B", bytes);
        }
        int exp = Math.min(units.length, (int) (Math.log(bytes) / Math.log(1024)));
        return String.format(Locale.ROOT, "%.2f %s", bytes / Math.pow(1024, exp), units[exp - 1]);
    }

    /**
     * The machine-readable line: {@code RESULT key=value ...}, numbers without grouping, rates rounded to whole
     * messages a second, latencies in milliseconds with three decimals (0 when none were recorded).
     */
    static String resultLine(Results results) {
        BenchOptions options = results.options();
        LatencyRecorder.Summary latency = results.latency();
        Sample pub = Sample.aggregate(results.pubSamples());
        Sample sub = Sample.aggregate(results.subSamples());
        return "RESULT"
                + " pub_msgs_per_s=" + Math.round(pub.rate())
                + " sub_msgs_per_s=" + Math.round(sub.rate())
                + " p50_ms=" + millis(latency.p50())
                + " p90_ms=" + millis(latency.p90())
                + " p99_ms=" + millis(latency.p99())
                + " max_ms=" + millis(latency.max())
                + " errors=" + results.publishErrors()
                + " unacked=" + results.unacked()
                + " sub_missing=" + results.subMissing()
                + " n=" + options.messages()
                + " size=" + options.messageSize()
                + " np=" + options.publishers()
                + " ns=" + options.subscribers()
                + " async=" + options.async()
                + " status=" + results.status();
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    static String comma(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
