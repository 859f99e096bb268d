package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.Ping;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.RecoveredState;
import io.stanee.store.StoredMessageLimit;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.stanee.core.TestServer.SUBJECTS;
import static io.stanee.core.TestServer.close;
import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.limits;
import static io.stanee.core.TestServer.settings;
import static io.stanee.core.TestServer.subscribe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stan-ee's limits on single requests: names the schema cannot hold, too many clients, messages the store or a
 * delivery through NATS cannot carry are refused with a clear error before anything is stored; and the answers
 * the adapter sends when the server is too far behind to queue a request.
 */
class RequestLimitsTest {

    private final RequestLimits requestLimits = new RequestLimits();
    private final TestServer stan = new TestServer(settings(0, limits(0, 0), false), requestLimits);

    @Test
    void channelNamesUpToTheSchemasColumnArePublishedLongerOnesRefusedBeforeTheChannelIsMade() {
        stan.send(connect("me"));
        String longest = name(RequestLimits.SCHEMA_NAME_LENGTH);
        InboundMessage fits = stan.publish("me", longest, "fits");
        assertEquals("", stan.send(fits).reply(fits, PubAck.parser()).getError());

        InboundMessage tooLong = stan.publish("me", longest + "x", "too long");
        assertEquals("stan: channel name too long: 1025 characters, at most 1024 allowed",
                stan.send(tooLong).reply(tooLong, PubAck.parser()).getError());
        assertEquals(List.of(longest), stan.memory.recover().channels().stream()
                .map(RecoveredState.Channel::name).toList(), "only the channel that fits was made");
    }

    @Test
    void subscriptionNamesLongerThanTheLimitAreRefused() {
        stan.send(connect("me"));
        String longest = name(1024);
        String tooLong = longest + "x";
        assertEquals("", subscribeError("me", longest, "", "", "_INBOX.a"));
        assertEquals(ProtocolErrors.nameTooLong("channel name", 1025, 1024),
                subscribeError("me", tooLong, "", "", "_INBOX.b"));
        assertEquals("", subscribeError("me", "orders", longest, "", "_INBOX.c"));
        assertEquals(ProtocolErrors.nameTooLong("durable name", 1025, 1024),
                subscribeError("me", "orders", tooLong, "", "_INBOX.d"));
        assertEquals("", subscribeError("me", "orders", "", longest, "_INBOX.e"));
        assertEquals(ProtocolErrors.nameTooLong("queue group name", 1025, 1024),
                subscribeError("me", "orders", "", tooLong, "_INBOX.f"));
        assertEquals(ProtocolErrors.nameTooLong("inbox", 1025, 1024),
                subscribeError("me", "orders", "", "", tooLong));
        assertEquals(2, stan.memory.recover().channels().stream().filter(c -> c.name().equals("orders"))
                .mapToInt(c -> c.subscriptions().size()).sum(),
                "the durable and the group member of 'orders' were stored, none of the refused ones");
    }

    @Test
    void clientIdsLongerThanTheLimitAreRefusedAndNotStored() {
        String longest = name(1024);
        InboundMessage fits = connectWithShortInbox(longest);
        assertEquals("", stan.send(fits).reply(fits, ConnectResponse.parser()).getError());
        InboundMessage tooLong = connectWithShortInbox(longest + "x");
        assertEquals("stan: clientID too long: 1025 characters, at most 1024 allowed",
                stan.send(tooLong).reply(tooLong, ConnectResponse.parser()).getError());
        assertEquals(List.of(longest), stan.memory.recover().clients().stream()
                .map(RecoveredState.Client::clientId).toList());
    }

    @Test
    void aLowerNameLimitIsObeyedAndAnImpossibleOneRefused() {
        TestServer strict = new TestServer(settings(0, limits(0, 0), false), new RequestLimits(8, 0));
        InboundMessage tooLong = connect("123456789");
        assertEquals(ProtocolErrors.nameTooLong("clientID", 9, 8),
                strict.send(tooLong).reply(tooLong, ConnectResponse.parser()).getError());
        IllegalArgumentException beyondSchema = assertThrows(IllegalArgumentException.class,
                () -> new RequestLimits(1025, 0));
        assertTrue(beyondSchema.getMessage().contains("stan.max_name_length"), beyondSchema.getMessage());
    }

    @Test
    void clientsBeyondMaxClientsAreRefusedUntilOneCloses() {
        TestServer limited = new TestServer(settings(0, limits(0, 0), false), new RequestLimits(1024, 2));
        limited.send(connect("one"), connect("two"));
        InboundMessage third = connect("three");
        assertEquals("stan: too many clients (at most 2)",
                limited.send(third).reply(third, ConnectResponse.parser()).getError());
        assertEquals(2, limited.memory.recover().clients().size());

        InboundMessage closed = close("one");
        assertEquals("", limited.send(closed).reply(closed, CloseResponse.parser()).getError());
        InboundMessage again = connect("three");
        assertEquals("", limited.send(again).reply(again, ConnectResponse.parser()).getError());
    }

    /**
     * With the NATS max_payload known, the largest message whose every delivery fits (a redelivery with the
     * largest count included) is stored and delivered, and redelivered within the limit; one byte more is refused
     * and not stored.
     */
    @Test
    void aMessageWhoseDeliveryWouldNotFitMaxPayloadIsRefusedAtPublish() {
        long maxPayload = 2000;
        requestLimits.natsMaxPayload(maxPayload);
        stan.send(connect("me"));
        String inbox = "_INBOX.sub";
        stan.subscribed(subscribe("me", "big", inbox, r -> r.setAckWaitInSecs(1)));
        int largest = largestFitting("big", 1, stan.now, maxPayload);

        InboundMessage fits = stan.publish("me", "big", new byte[largest]);
        TestServer.Out out = stan.send(fits);
        assertEquals("", out.reply(fits, PubAck.parser()).getError());
        List<OutboundMessage> delivered = out.to(inbox);
        assertEquals(1, delivered.size());
        assertTrue(delivered.get(0).data().length <= maxPayload);

        InboundMessage oneMore = stan.publish("me", "big", new byte[largest + 1]);
        String error = stan.send(oneMore).reply(oneMore, PubAck.parser()).getError();
        assertEquals(ProtocolErrors.tooLargeForNats(maxPayload + 1, maxPayload), error);
        assertEquals(1, stan.memory.recover().channels().get(0).last(), "the refused message was not stored");

        stan.advance(Duration.ofSeconds(2));
        List<OutboundMessage> redelivered = stan.tick().to(inbox);
        assertEquals(1, redelivered.size(), "the unacknowledged message is redelivered");
        assertTrue(redelivered.get(0).data().length + 4 <= maxPayload,
                "a redelivery (count 1) fits with room for the largest count's 4 more varint bytes");
    }

    @Test
    void aMessageTheStoresColumnCannotHoldIsRefusedNamingTheColumnAndTheFix() {
        requestLimits.storedMessageLimit(new StoredMessageLimit("Messages.data (BLOB)", 500,
                "ALTER TABLE Messages MODIFY data LONGBLOB"));
        stan.send(connect("me"));
        int fitting = largestStored("blob", 500);
        InboundMessage fits = stan.publish("me", "blob", new byte[fitting]);
        assertEquals("", stan.send(fits).reply(fits, PubAck.parser()).getError());

        InboundMessage tooLarge = stan.publish("me", "blob", new byte[fitting + 1]);
        assertEquals("stan: message too large for the store: 501 bytes, but column Messages.data (BLOB) holds at "
                        + "most 500 bytes; ask the DBA to run: ALTER TABLE Messages MODIFY data LONGBLOB",
                stan.send(tooLarge).reply(tooLarge, PubAck.parser()).getError());
        assertEquals(1, stan.memory.recover().channels().get(0).last());
    }

    @Test
    void overloadAnswersRefuseEachRequestKindAndKeepPingsAlive() throws Exception {
        InboundMessage publish = stan.publish("me", "orders", "x");
        PubAck ack = PubAck.parseFrom(OverloadAnswers.answer(SUBJECTS, publish).data());
        assertTrue(ack.getGuid().startsWith("guid-"), "the publisher can match the answer: " + ack);
        assertEquals(ProtocolErrors.SERVER_OVERLOADED, ack.getError());

        InboundMessage connect = connect("me");
        assertEquals(ProtocolErrors.SERVER_OVERLOADED,
                ConnectResponse.parseFrom(OverloadAnswers.answer(SUBJECTS, connect).data()).getError());
        InboundMessage subscribe = subscribe("me", "orders", "_INBOX.s", r -> { });
        assertEquals(ProtocolErrors.SERVER_OVERLOADED,
                SubscriptionResponse.parseFrom(OverloadAnswers.answer(SUBJECTS, subscribe).data()).getError());

        InboundMessage ping = new InboundMessage(Subjects.pings(SUBJECTS), "_INBOX.ping",
                Ping.newBuilder().setConnID(ByteString.copyFromUtf8("c")).build().toByteArray());
        assertArrayEquals(new byte[0], OverloadAnswers.answer(SUBJECTS, ping).data(), "a ping is answered alive");
        assertNull(OverloadAnswers.answer(SUBJECTS, TestServer.ack(SUBJECTS.getAcksSubs() + ".x", "orders", 1)),
                "an ack has nobody to answer");
    }

    /** A connect request whose heartbeat inbox stays short whatever the client ID. */
    private static InboundMessage connectWithShortInbox(String clientId) {
        return new InboundMessage(SUBJECTS.getDiscovery(), "_INBOX.connect", ConnectRequest.newBuilder()
                .setClientID(clientId).setHeartbeatInbox("_INBOX.hb").setProtocol(1)
                .setConnID(ByteString.copyFromUtf8("conn")).build().toByteArray());
    }

    private String subscribeError(String clientId, String channel, String durable, String group, String inbox) {
        InboundMessage request = subscribe(clientId, channel, inbox,
                r -> r.setDurableName(durable).setQGroup(group));
        return stan.send(request).reply(request, SubscriptionResponse.parser()).getError();
    }

    /** The largest payload whose MsgProto, redelivered with the largest count, fits {@code maxPayload}. */
    private static int largestFitting(String channel, long sequence, long timestamp, long maxPayload) {
        int size = 0;
        while (MsgProto.newBuilder().setSequence(sequence).setSubject(channel).setData(ByteString.copyFrom(
                new byte[size + 1])).setTimestamp(timestamp).setRedelivered(true).setRedeliveryCount(-1).build()
                .getSerializedSize() <= maxPayload) {
            size++;
        }
        return size;
    }

    private int largestStored(String channel, long maxBytes) {
        int size = 0;
        while (MsgProto.newBuilder().setSequence(1).setSubject(channel).setData(ByteString.copyFrom(
                new byte[size + 1])).setTimestamp(stan.now).build().getSerializedSize() <= maxBytes) {
            size++;
        }
        return size;
    }

    private static String name(int length) {
        return "n".repeat(length);
    }
}
