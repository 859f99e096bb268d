/**
 * What an operator reads: MicroProfile Metrics at {@code /metrics} (server totals, per-channel gauges, the
 * publish-to-PubAck latency, batch sizes, commit times, redeliveries, the NATS connection, the FT role; the core
 * reports to {@link io.stanee.monitor.MicroProfileRecorder} through its plain-Java
 * {@link io.stanee.core.MetricsRecorder}), MicroProfile Health at {@code /health} (liveness: the worker comes by;
 * readiness: NATS, role, datasource, recovery; startup: recovery finished), and the Go server's monitoring
 * endpoints at {@code /streaming/...} ({@link io.stanee.monitor.StreamingMonitor}), and
 * stan-ee's own {@code /streaming/msgsz} ({@link io.stanee.monitor.MessagesMonitor}), a channel's newest messages
 * for the web console ({@code src/main/webapp/console}), which reads all of these.
 */
package io.stanee.monitor;
