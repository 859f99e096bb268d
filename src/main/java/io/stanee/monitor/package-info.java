/**
 * What an operator reads: MicroProfile Metrics (messages and bytes in and out, clients, subscriptions, channels,
 * store failures) at {@code /metrics} and MicroProfile Health (NATS connection, datasource) at {@code /health}.
 */
package io.stanee.monitor;
