package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.spb.ServerProtocol.ClientInfo;

import java.util.LinkedHashSet;
import java.util.Set;

/** A connected client and the subscriptions it opened. */
final class Client {

    final ClientInfo info;
    final Set<Subscription> subscriptions = new LinkedHashSet<>();

    Client(ClientInfo info) {
        this.info = info;
    }

    String id() {
        return info.getID();
    }

    ByteString connId() {
        return info.getConnID();
    }
}
