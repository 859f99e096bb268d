/**
 * What an operator reads: MicroProfile Metrics (messages and bytes in and out, clients, subscriptions, channels,
 * store failures) at {@code /metrics}, MicroProfile Health (NATS connection, datasource) at {@code /health}, and
 * the Go server's monitoring endpoints at {@code /streaming/...} ({@link io.stanee.monitor.StreamingMonitor}), and
 * stan-ee's own {@code /streaming/msgsz} ({@link io.stanee.monitor.MessagesMonitor}), a channel's newest messages
 * for the web console ({@code src/main/webapp/console}), which reads all of these.
 */
package io.stanee.monitor;
