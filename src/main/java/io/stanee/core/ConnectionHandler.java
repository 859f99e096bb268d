package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ClientIds;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.CloseRequest;
import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.Ping;
import io.stanee.protocol.pb.Protocol.PingResponse;
import io.stanee.protocol.spb.ServerProtocol.ClientInfo;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoreOp;

import java.util.HashMap;
import java.util.Map;

/** Connect (with the duplicate client ID probe), client PINGs and connection close. */
final class ConnectionHandler {

    /** How long the old holder of a client ID has to answer before it is replaced (Go: 500 ms). */
    static final long DUPLICATE_PROBE_MILLIS = 500;
    static final String PROBE_ANSWER_PREFIX = StanServer.INTERNAL_PREFIX + "probe.";

    private final ServerState state;
    private final ClientCloser closer;
    private final Heartbeats heartbeats;
    /** Connect requests waiting for the probe of the client ID's current holder, by client ID. */
    private final Map<String, InboundMessage> probing = new HashMap<>();

    ConnectionHandler(ServerState state, ClientCloser closer, Heartbeats heartbeats) {
        this.state = state;
        this.closer = closer;
        this.heartbeats = heartbeats;
    }

    void connect(InboundMessage message, Batch batch) {
        batch.expectFailureReply(error -> connectError(message, error));
        ConnectRequest request;
        try {
            request = ConnectRequest.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            batch.reply(connectError(message, ProtocolErrors.INVALID_CONNECTION_REQUEST));
            return;
        }
        if (request.getHeartbeatInbox().isEmpty()) {
            batch.reply(connectError(message, ProtocolErrors.INVALID_CONNECTION_REQUEST));
            return;
        }
        if (!ClientIds.isValid(request.getClientID())) {
            batch.reply(connectError(message, ProtocolErrors.INVALID_CLIENT_ID));
            return;
        }
        String tooLong = state.requests.nameTooLong("clientID", request.getClientID());
        if (tooLong == null) {
            tooLong = state.requests.nameTooLong("heartbeat inbox", request.getHeartbeatInbox());
        }
        if (tooLong != null) {
            batch.reply(connectError(message, tooLong));
            return;
        }
        Client holder = state.clients.get(request.getClientID());
        if (holder == null) {
            if (state.requests.tooManyClients(state.clients.size())) {
                batch.reply(connectError(message, ProtocolErrors.TOO_MANY_CLIENTS + " (at most "
                        + state.requests.maxClients() + ")"));
                return;
            }
            register(message, request, batch);
            return;
        }
        if (probing.containsKey(request.getClientID())) {
            batch.reply(connectError(message, ProtocolErrors.CLIENT_ID_ALREADY_REGISTERED));
            return;
        }
        // the ID is taken: it is given to the newcomer only if the current holder does not answer its heartbeat
        probing.put(request.getClientID(), message);
        batch.onRollback(() -> probing.remove(request.getClientID()));
        batch.reply(OutboundMessage.request(holder.info.getHbInbox(), new byte[0], DUPLICATE_PROBE_MILLIS,
                PROBE_ANSWER_PREFIX + request.getClientID()));
    }

    /** The answer (or silence) of a probed client ID holder. */
    void probeAnswered(InboundMessage answer, Batch batch) {
        String clientId = answer.subject().substring(PROBE_ANSWER_PREFIX.length());
        InboundMessage connect = probing.remove(clientId);
        if (connect == null) {
            return;
        }
        batch.onRollback(() -> probing.put(clientId, connect));
        batch.expectFailureReply(error -> connectError(connect, error));
        if (answer.data() != null) {
            batch.reply(connectError(connect, ProtocolErrors.CLIENT_ID_ALREADY_REGISTERED));
            return;
        }
        Client holder = state.clients.get(clientId);
        if (holder != null) {
            closer.close(holder, batch);
        }
        try {
            register(connect, ConnectRequest.parseFrom(connect.data()), batch);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a probed connect request was validated before", e);
        }
    }

    private void register(InboundMessage message, ConnectRequest request, Batch batch) {
        ClientInfo info = ClientInfo.newBuilder()
                .setID(request.getClientID())
                .setHbInbox(request.getHeartbeatInbox())
                .setConnID(request.getConnID())
                .setProtocol(request.getProtocol())
                .setPingInterval(request.getPingInterval())
                .setPingMaxOut(request.getPingMaxOut())
                .build();
        Client client = new Client(info, ++state.clientGenerations, heartbeats.firstHeartbeat());
        state.addClient(client);
        batch.onRollback(() -> state.removeClient(client));
        batch.store(new StoreOp.AddClient(info.getID(), info.getHbInbox(), info.toByteArray()));

        ConnectResponse.Builder response = ConnectResponse.newBuilder()
                .setPubPrefix(state.info.getPublish())
                .setSubRequests(state.info.getSubscribe())
                .setUnsubRequests(state.info.getUnsubscribe())
                .setCloseRequests(state.info.getClose())
                .setSubCloseRequests(state.info.getSubClose())
                .setProtocol(1);
        if (request.getProtocol() >= 1) {
            response.setPingRequests(Subjects.pings(state.info))
                    .setPingInterval(request.getPingInterval())
                    .setPingMaxOut(request.getPingMaxOut());
        }
        replyTo(message, response.build().toByteArray(), batch);
    }

    void ping(InboundMessage message, Batch batch) {
        if (message.data() == null || message.data().length == 0) {
            return; // the Go server stays silent on an empty or undecodable ping
        }
        Ping ping;
        try {
            ping = Ping.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        Client client = state.clientsByConnId.get(ping.getConnID());
        if (client == null) {
            replyTo(message, PingResponse.newBuilder().setError(ProtocolErrors.CLIENT_REPLACED).build()
                    .toByteArray(), batch);
            return;
        }
        heartbeats.recheckSoon(client, batch);
        replyTo(message, new byte[0], batch);
    }

    void close(InboundMessage message, Batch batch) {
        batch.expectFailureReply(error -> closeReply(message, error));
        CloseRequest request;
        try {
            request = CloseRequest.parseFrom(message.data());
        } catch (InvalidProtocolBufferException e) {
            batch.reply(closeReply(message, ProtocolErrors.INVALID_CLOSE_REQUEST));
            return;
        }
        Client client = state.clients.get(request.getClientID());
        if (client == null) {
            batch.reply(closeReply(message, ProtocolErrors.UNKNOWN_CLIENT_ID));
            return;
        }
        closer.close(client, batch);
        replyTo(message, new byte[0], batch);
    }

    private static void replyTo(InboundMessage message, byte[] data, Batch batch) {
        if (message.replyTo() != null) {
            batch.reply(OutboundMessage.publish(message.replyTo(), data));
        }
    }

    private static OutboundMessage connectError(InboundMessage message, String error) {
        return OutboundMessage.publish(message.replyTo(),
                ConnectResponse.newBuilder().setError(error).build().toByteArray());
    }

    private static OutboundMessage closeReply(InboundMessage message, String error) {
        return OutboundMessage.publish(message.replyTo(),
                CloseResponse.newBuilder().setError(error).build().toByteArray());
    }
}
