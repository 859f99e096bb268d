package io.stanee.tools;

import io.nats.client.Connection;
import io.nats.client.Nats;

import java.io.IOException;

/**
 * A few NATS connections that many streaming clients of the load generator share (java-nats-streaming's
 * {@code Options.natsConn}). 300 clients on 300 connections cost the generator about three times the server's
 * CPU on a 2-core machine (a reader, a writer and a write per ack on each); shared, the acks of many clients
 * leave in one write. The server sees the same clients and subscriptions either way: a streaming client is its
 * client ID and inboxes, not its TCP connection.
 */
final class SharedNatsConnections implements AutoCloseable {

    private final String servers;
    private final Connection[] connections;

    SharedNatsConnections(String servers, int count) {
        this.servers = servers;
        this.connections = new Connection[count];
    }

    /** The connection of client {@code client}, opened on first use. */
    synchronized Connection forClient(int client) throws IOException, InterruptedException {
        int slot = client % connections.length;
        if (connections[slot] == null) {
            connections[slot] = Nats.connect(new io.nats.client.Options.Builder().servers(servers.split(","))
                    .connectionName("scale-shared-" + slot).build());
        }
        return connections[slot];
    }

    @Override
    public synchronized void close() throws InterruptedException {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) {
                connections[i].close();
                connections[i] = null;
            }
        }
    }
}
