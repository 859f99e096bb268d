package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.pb.Protocol.CloseRequest;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;

import java.util.Optional;

/**
 * The Go server's stand-alone check ({@code ensureRunningStandAlone}): before serving, connect to the cluster ID's
 * discovery subject as a client whose ID is the cluster ID. An answer means another server already serves it;
 * this one then closes that probe connection again and refuses to start.
 */
final class StandAloneProbe {

    static final String ANSWER = StanInstance.CONTROL_PREFIX + "standalone";
    static final String CLOSE_ANSWER = StanInstance.CONTROL_PREFIX + "standalone.closed";
    /** The Go server waits this long for another server's answer. */
    static final long TIMEOUT_MILLIS = 250;

    private final String clusterId;

    StandAloneProbe(String clusterId) {
        this.clusterId = clusterId;
    }

    OutboundMessage request(String discoverySubject) {
        byte[] connect = ConnectRequest.newBuilder()
                .setClientID(clusterId)
                .setHeartbeatInbox("_INBOX." + RandomIds.next())
                .build().toByteArray();
        return OutboundMessage.request(discoverySubject, connect, TIMEOUT_MILLIS, ANSWER);
    }

    /**
     * The verdict on the probe's answer: empty when nobody answered in time (this server may serve), else the
     * Go server's reason for refusing, with the close request that ends the probe's connection on the other side.
     */
    Optional<Refusal> answered(InboundMessage answer) {
        if (answer.data() == null) {
            return Optional.empty();
        }
        try {
            ConnectResponse response = ConnectResponse.parseFrom(answer.data());
            byte[] close = CloseRequest.newBuilder().setClientID(clusterId).build().toByteArray();
            return Optional.of(new Refusal(
                    String.format("discovered another streaming server with cluster ID %s", ServerState.quote(clusterId)),
                    response.getCloseRequests().isEmpty() ? null
                            : OutboundMessage.request(response.getCloseRequests(), close, TIMEOUT_MILLIS, CLOSE_ANSWER)));
        } catch (InvalidProtocolBufferException e) {
            return Optional.of(new Refusal("unmarshall error while detecting another server instance: "
                    + e.getMessage(), null));
        }
    }

    /** Why this server must not serve, and what to send on the way out (may be null). */
    record Refusal(String reason, OutboundMessage cleanUp) {
    }
}
