package io.stanee.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.Ack;
import io.stanee.protocol.pb.Protocol.CloseRequest;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.protocol.pb.Protocol.StartPosition;
import io.stanee.protocol.pb.Protocol.SubscriptionRequest;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.pb.Protocol.UnsubscribeRequest;
import io.stanee.protocol.spb.ServerProtocol.ServerInfo;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.memory.MemoryStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A {@link StanServer} on a {@link MemoryStore} behind a {@link FailingStore}, a clock of the test's own, and
 * the requests a STAN client sends, as the resource adapter hands them over: protobuf bytes on the server's
 * subjects, with the client's reply inboxes. What comes back is read as a client would read it ({@link Out}).
 */
final class TestServer {

    static final String CLUSTER = "test-cluster";
    /** The subjects of a new server, what every client learns from its ConnectResponse. */
    static final ServerInfo SUBJECTS = Subjects.forNewServer(CLUSTER, Subjects.DEFAULT_DISCOVER_PREFIX);
    static final long SECOND = Duration.ofSeconds(1).toNanos();

    final MemoryStore memory = new MemoryStore();
    final FailingStore store = new FailingStore(memory);
    /** The server's nano clock: tests move it, then call {@link #tick}. */
    long now = 1_700_000_000L * SECOND;
    final StanServer server;
    private int guids;

    TestServer() {
        this(settings(100, limits(0, 0), false));
    }

    TestServer(ServerSettings settings) {
        this(settings, new RequestLimits());
    }

    TestServer(ServerSettings settings, RequestLimits requestLimits) {
        server = new StanServer(settings, requestLimits, store, () -> now);
        server.recover();
        server.initialize();
    }

    /** The Go defaults but for what a test sets: max_channels, the global limits, no_caching; a small window. */
    static ServerSettings settings(int maxChannels, ChannelLimits limits, boolean noCaching) {
        return new ServerSettings(CLUSTER, Subjects.DEFAULT_DISCOVER_PREFIX, maxChannels, limits, Map.of(),
                Duration.ofSeconds(30), Duration.ofSeconds(10), 10, noCaching, new MessageWindowLimits(4, 1 << 20), "", false);
    }

    /** max_msgs and max_subs of every channel (0 = unlimited). */
    static ChannelLimits limits(long maxMsgs, long maxSubs) {
        return new ChannelLimits(maxMsgs, 0, 0, maxSubs, 0);
    }

    Out send(InboundMessage... requests) {
        return new Out(server.handle(List.of(requests)));
    }

    Out tick() {
        return new Out(server.tick());
    }

    void advance(Duration duration) {
        now += duration.toNanos();
    }

    // The requests, built as the Java and Go clients build them.

    static InboundMessage connect(String clientId) {
        ConnectRequest request = ConnectRequest.newBuilder()
                .setClientID(clientId)
                .setHeartbeatInbox("_INBOX." + clientId + ".hb")
                .setProtocol(1)
                .setConnID(ByteString.copyFromUtf8("conn-" + clientId))
                .setPingInterval(5)
                .setPingMaxOut(3)
                .build();
        return new InboundMessage(SUBJECTS.getDiscovery(), "_INBOX." + clientId + ".connect", request.toByteArray());
    }

    InboundMessage publish(String clientId, String channel, String data) {
        return publish(clientId, channel, data.getBytes(StandardCharsets.UTF_8));
    }

    InboundMessage publish(String clientId, String channel, byte[] data) {
        String guid = "guid-" + (++guids);
        PubMsg pub = PubMsg.newBuilder()
                .setClientID(clientId)
                .setGuid(guid)
                .setSubject(channel)
                .setData(ByteString.copyFrom(data))
                .build();
        return new InboundMessage(SUBJECTS.getPublish() + "." + channel, "_INBOX." + clientId + ".ack." + guid,
                pub.toByteArray());
    }

    /** A subscription from the first message on, 30 s ack wait, maxInFlight 1024, delivered to {@code inbox}. */
    static SubscriptionRequest.Builder subscription(String clientId, String channel, String inbox) {
        return SubscriptionRequest.newBuilder()
                .setClientID(clientId)
                .setSubject(channel)
                .setInbox(inbox)
                .setMaxInFlight(1024)
                .setAckWaitInSecs(30)
                .setStartPosition(StartPosition.First);
    }

    static InboundMessage subscribe(SubscriptionRequest.Builder request) {
        return new InboundMessage(SUBJECTS.getSubscribe(), request.getInbox() + ".subscribed",
                request.build().toByteArray());
    }

    static InboundMessage subscribe(String clientId, String channel, String inbox,
                                    Consumer<SubscriptionRequest.Builder> options) {
        SubscriptionRequest.Builder request = subscription(clientId, channel, inbox);
        options.accept(request);
        return subscribe(request);
    }

    static InboundMessage ack(String ackInbox, String channel, long sequence) {
        return new InboundMessage(ackInbox, null,
                Ack.newBuilder().setSubject(channel).setSequence(sequence).build().toByteArray());
    }

    static InboundMessage unsubscribe(String clientId, String channel, String ackInbox) {
        UnsubscribeRequest request = UnsubscribeRequest.newBuilder()
                .setClientID(clientId).setSubject(channel).setInbox(ackInbox).build();
        return new InboundMessage(SUBJECTS.getUnsubscribe(), "_INBOX." + clientId + ".unsubscribed",
                request.toByteArray());
    }

    static InboundMessage close(String clientId) {
        return new InboundMessage(SUBJECTS.getClose(), "_INBOX." + clientId + ".closed",
                CloseRequest.newBuilder().setClientID(clientId).build().toByteArray());
    }

    /** Subscribes and returns the ack inbox, failing the test on an error reply. */
    String subscribed(InboundMessage request) {
        SubscriptionResponse response = send(request).reply(request, SubscriptionResponse.parser());
        assertEquals("", response.getError(), "subscription refused");
        assertNotEquals("", response.getAckInbox());
        return response.getAckInbox();
    }

    /** What one call returned: replies to requests, deliveries to inboxes, requests the server sends. */
    record Out(List<OutboundMessage> messages) {

        /** The one reply to the request, decoded; fails if there is none or several. */
        <T> T reply(InboundMessage request, Parser<T> parser) {
            List<OutboundMessage> replies = to(request.replyTo());
            assertEquals(1, replies.size(), "replies to " + request.replyTo() + " in " + this);
            try {
                return parser.parseFrom(replies.get(0).data());
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("undecodable reply to " + request.replyTo(), e);
            }
        }

        List<OutboundMessage> to(String subject) {
            return messages.stream().filter(m -> m.kind() == OutboundMessage.Kind.PUBLISH
                    && subject.equals(m.subject())).toList();
        }

        /** The messages delivered to an inbox, in order. */
        List<MsgProto> delivered(String inbox) {
            return to(inbox).stream().map(m -> {
                try {
                    return MsgProto.parseFrom(m.data());
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("undecodable delivery to " + inbox, e);
                }
            }).toList();
        }

        List<Long> sequences(String inbox) {
            return delivered(inbox).stream().map(MsgProto::getSequence).toList();
        }

        List<String> payloads(String inbox) {
            return delivered(inbox).stream().map(m -> m.getData().toString(StandardCharsets.UTF_8)).toList();
        }

        @Override
        public String toString() {
            return messages.stream().map(m -> m.kind() + " " + m.subject() + " " + Arrays.toString(m.data()))
                    .toList().toString();
        }
    }
}
