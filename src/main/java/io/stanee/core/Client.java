package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.spb.ServerProtocol.ClientInfo;

import java.util.LinkedHashSet;
import java.util.Set;

/** A connected client, the subscriptions it has open and the state of the server's heartbeats to it. */
final class Client {

    final ClientInfo info;
    /** Tells apart the heartbeat answers of this registration from those of an earlier one with the same ID. */
    final long generation;
    final Set<Subscription> subscriptions = new LinkedHashSet<>();
    long nextHeartbeat;
    boolean heartbeatOutstanding;
    int failedHeartbeats;

    Client(ClientInfo info, long generation, long nextHeartbeat) {
        this.info = info;
        this.generation = generation;
        this.nextHeartbeat = nextHeartbeat;
    }

    String id() {
        return info.getID();
    }

    ByteString connId() {
        return info.getConnID();
    }

    boolean failingHeartbeats() {
        return failedHeartbeats > 0;
    }
}
