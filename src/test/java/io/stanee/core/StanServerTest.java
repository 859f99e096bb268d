package io.stanee.core;

import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.protocol.pb.Protocol.StartPosition;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.ra.InboundMessage;
import io.stanee.store.RecoveredState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.stanee.core.TestServer.SUBJECTS;
import static io.stanee.core.TestServer.ack;
import static io.stanee.core.TestServer.close;
import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.limits;
import static io.stanee.core.TestServer.settings;
import static io.stanee.core.TestServer.subscribe;
import static io.stanee.core.TestServer.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The STAN core as a client sees it, without a container: requests in, replies and deliveries out. */
class StanServerTest {

    private final TestServer stan = new TestServer();

    @Test
    void aConnectedClientLearnsTheSubjectsAndIsStored() {
        InboundMessage request = connect("me");
        ConnectResponse response = stan.send(request).reply(request, ConnectResponse.parser());

        assertEquals("", response.getError());
        assertEquals(SUBJECTS.getPublish(), response.getPubPrefix());
        assertEquals(SUBJECTS.getSubscribe(), response.getSubRequests());
        assertEquals(SUBJECTS.getClose(), response.getCloseRequests());
        assertEquals(List.of("me"), stan.memory.recover().clients().stream().map(RecoveredState.Client::clientId)
                .toList());
    }

    @Test
    void anInvalidClientIdIsRefused() {
        InboundMessage request = connect("not valid!");
        assertEquals(ProtocolErrors.INVALID_CLIENT_ID,
                stan.send(request).reply(request, ConnectResponse.parser()).getError());
        assertTrue(stan.memory.recover().clients().isEmpty());
    }

    @Test
    void publishesAreAcknowledgedAfterTheyAreStoredInSequence() throws Exception {
        stan.send(connect("me"));
        InboundMessage first = stan.publish("me", "orders", "one");
        InboundMessage second = stan.publish("me", "orders", "two");
        int commits = stan.store.applies();
        TestServer.Out out = stan.send(first, second);

        PubAck ack = out.reply(first, PubAck.parser());
        assertEquals("", ack.getError());
        assertEquals(guidOf(first), ack.getGuid());
        assertEquals("", out.reply(second, PubAck.parser()).getError());
        assertEquals(commits + 1, stan.store.applies(), "one batch, one commit");
        List<Long> stored = stan.memory.messages(1, 1, 10).stream().map(m -> m.sequence()).toList();
        assertEquals(List.of(1L, 2L), stored);
    }

    @Test
    void aPublishFromAnUnknownClientIsRefused() {
        InboundMessage pub = stan.publish("stranger", "orders", "x");
        assertEquals(ProtocolErrors.INVALID_PUBLISH_REQUEST, stan.send(pub).reply(pub, PubAck.parser()).getError());
        assertTrue(stan.memory.recover().channels().isEmpty(), "no channel was created");
    }

    @Test
    void aSubscriberGetsTheStoredMessagesThenTheNewOnes() {
        stan.send(connect("me"));
        for (int i = 1; i <= 6; i++) { // more than the window of 4: the first ones are read from the store
            stan.send(stan.publish("me", "orders", "m" + i));
        }
        InboundMessage sub = subscribe("me", "orders", "_INBOX.sub", r -> { });
        TestServer.Out out = stan.send(sub);
        assertEquals("", out.reply(sub, SubscriptionResponse.parser()).getError());
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), out.payloads("_INBOX.sub"));
        assertEquals(sub.replyTo(), out.messages().get(0).subject(), "the response precedes the messages");

        TestServer.Out next = stan.send(stan.publish("me", "orders", "m7"));
        List<MsgProto> delivered = next.delivered("_INBOX.sub");
        assertEquals(1, delivered.size());
        assertEquals(7, delivered.get(0).getSequence());
        assertEquals("orders", delivered.get(0).getSubject());
        assertFalse(delivered.get(0).getRedelivered());
    }

    @Test
    void startPositionsPickTheFirstMessage() {
        stan.send(connect("me"));
        for (int i = 1; i <= 5; i++) {
            stan.send(stan.publish("me", "orders", "m" + i));
        }
        assertEquals(List.of(), stan.send(subscribe("me", "orders", "_INBOX.new",
                r -> r.setStartPosition(StartPosition.NewOnly))).sequences("_INBOX.new"));
        assertEquals(List.of(5L), stan.send(subscribe("me", "orders", "_INBOX.last",
                r -> r.setStartPosition(StartPosition.LastReceived))).sequences("_INBOX.last"));
        assertEquals(List.of(3L, 4L, 5L), stan.send(subscribe("me", "orders", "_INBOX.seq",
                r -> r.setStartPosition(StartPosition.SequenceStart).setStartSequence(3))).sequences("_INBOX.seq"));
    }

    @Test
    void anAckFreesASlotForTheNextMessage() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> r.setMaxInFlight(1)));
        assertEquals(List.of(1L), stan.send(stan.publish("me", "orders", "a"), stan.publish("me", "orders", "b"))
                .sequences("_INBOX.sub"));
        assertEquals(List.of(), stan.send(ack(ackInbox, "orders", 7)).sequences("_INBOX.sub"),
                "an ack of a message never sent frees nothing");
        assertEquals(List.of(2L), stan.send(ack(ackInbox, "orders", 1)).sequences("_INBOX.sub"));
    }

    @Test
    void anUnacknowledgedMessageIsRedeliveredOnceItsAckWaitExpires() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> r.setAckWaitInSecs(2)));
        stan.send(stan.publish("me", "orders", "a"), stan.publish("me", "orders", "b"));
        stan.send(ack(ackInbox, "orders", 2));

        stan.advance(Duration.ofMillis(1900));
        assertEquals(List.of(), stan.tick().sequences("_INBOX.sub"), "not before the ack wait");
        stan.advance(Duration.ofMillis(100));
        List<MsgProto> redelivered = stan.tick().delivered("_INBOX.sub");
        assertEquals(1, redelivered.size(), "only the unacknowledged one");
        assertEquals(1, redelivered.get(0).getSequence());
        assertTrue(redelivered.get(0).getRedelivered());
        assertEquals(1, redelivered.get(0).getRedeliveryCount());

        stan.advance(Duration.ofSeconds(2));
        assertEquals(2, stan.tick().delivered("_INBOX.sub").get(0).getRedeliveryCount(), "again, counted");
        stan.send(ack(ackInbox, "orders", 1));
        stan.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), stan.tick().sequences("_INBOX.sub"), "acknowledged: never again");
    }

    @Test
    void aQueueGroupSharesTheMessagesAndAJoiningMemberSharesItsPosition() {
        stan.send(connect("me"));
        stan.send(stan.publish("me", "orders", "before"));
        stan.subscribed(subscribe("me", "orders", "_INBOX.a", r -> r.setQGroup("workers")));
        TestServer.Out second = stan.send(subscribe("me", "orders", "_INBOX.b", r -> r.setQGroup("workers")));
        assertEquals(List.of(), second.sequences("_INBOX.b"), "the group already had message 1");

        List<InboundMessage> pubs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pubs.add(stan.publish("me", "orders", "m" + i));
        }
        TestServer.Out out = stan.send(pubs.toArray(InboundMessage[]::new));
        List<Long> a = out.sequences("_INBOX.a");
        List<Long> b = out.sequences("_INBOX.b");
        assertEquals(2, a.size(), "shared evenly: " + a + " " + b);
        assertEquals(2, b.size(), "shared evenly: " + a + " " + b);
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(null);
        assertEquals(List.of(2L, 3L, 4L, 5L), all, "each message to one member");
    }

    @Test
    void aLeavingQueueMemberHandsItsUnacknowledgedMessagesToTheOthers() {
        stan.send(connect("me"));
        String ackA = stan.subscribed(subscribe("me", "orders", "_INBOX.a", r -> r.setQGroup("q").setMaxInFlight(1)));
        stan.subscribed(subscribe("me", "orders", "_INBOX.b", r -> r.setQGroup("q").setMaxInFlight(1)));
        TestServer.Out out = stan.send(stan.publish("me", "orders", "x"), stan.publish("me", "orders", "y"));
        long heldByA = out.sequences("_INBOX.a").get(0);

        stan.send(unsubscribe("me", "orders", ackA));
        stan.advance(Duration.ofMillis(100));
        List<MsgProto> toB = stan.tick().delivered("_INBOX.b");
        assertEquals(List.of(heldByA), toB.stream().map(MsgProto::getSequence).toList());
        assertTrue(toB.get(0).getRedelivered());
    }

    @Test
    void aChannelKeepsAtMostMaxMsgsTheOldestGoFirst() {
        TestServer limited = new TestServer(settings(100, limits(3, 0), false));
        limited.send(connect("me"));
        for (int i = 1; i <= 5; i++) {
            limited.send(limited.publish("me", "orders", "m" + i));
        }
        assertEquals(List.of(3L, 4L, 5L), limited.send(subscribe("me", "orders", "_INBOX.sub", r -> { }))
                .sequences("_INBOX.sub"));
        RecoveredState.Channel stored = limited.memory.recover().channels().get(0);
        assertEquals(3, stored.first());
        assertEquals(5, stored.last());
    }

    @Test
    void maxChannelsAndMaxSubscriptionsAreEnforced() {
        TestServer limited = new TestServer(settings(1, limits(0, 1), false));
        limited.send(connect("me"));
        InboundMessage first = limited.publish("me", "a", "x");
        InboundMessage second = limited.publish("me", "b", "x");
        TestServer.Out out = limited.send(first, second);
        assertEquals("", out.reply(first, PubAck.parser()).getError());
        assertEquals(ProtocolErrors.TOO_MANY_CHANNELS, out.reply(second, PubAck.parser()).getError());

        limited.subscribed(subscribe("me", "a", "_INBOX.1", r -> { }));
        InboundMessage tooMany = subscribe("me", "a", "_INBOX.2", r -> { });
        assertEquals(ProtocolErrors.TOO_MANY_SUBSCRIPTIONS,
                limited.send(tooMany).reply(tooMany, SubscriptionResponse.parser()).getError());
    }

    @Test
    void anUnsubscribedSubscriptionGetsNothingMore() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> { }));
        InboundMessage unsub = unsubscribe("me", "orders", ackInbox);
        assertEquals("", stan.send(unsub).reply(unsub, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(), stan.send(stan.publish("me", "orders", "x")).sequences("_INBOX.sub"));
        assertTrue(stan.memory.recover().channels().get(0).subscriptions().isEmpty());
    }

    @Test
    void aDurableResumesWhereItStoppedAfterItsClientClosed() {
        stan.send(connect("me"));
        stan.subscribed(subscribe("me", "orders", "_INBOX.d1", r -> r.setDurableName("dur").setMaxInFlight(1)));
        stan.send(stan.publish("me", "orders", "a"), stan.publish("me", "orders", "b"));
        InboundMessage close = close("me");
        assertEquals("", stan.send(close).reply(close, CloseResponse.parser()).getError());
        assertTrue(stan.memory.recover().clients().isEmpty());

        stan.send(connect("me"));
        TestServer.Out resumed = stan.send(subscribe("me", "orders", "_INBOX.d2",
                r -> r.setDurableName("dur").setMaxInFlight(1)));
        List<MsgProto> delivered = resumed.delivered("_INBOX.d2");
        assertEquals(1, delivered.size());
        assertEquals(1, delivered.get(0).getSequence(), "the unacknowledged message first");
        assertTrue(delivered.get(0).getRedelivered());
    }

    @Test
    void aClosedClientCanNoLongerPublish() {
        stan.send(connect("me"));
        stan.send(close("me"));
        InboundMessage pub = stan.publish("me", "orders", "x");
        assertEquals(ProtocolErrors.INVALID_PUBLISH_REQUEST, stan.send(pub).reply(pub, PubAck.parser()).getError());
        InboundMessage again = close("me");
        assertEquals(ProtocolErrors.UNKNOWN_CLIENT_ID,
                stan.send(again).reply(again, CloseResponse.parser()).getError());
    }

    @Test
    void aRestartedServerRecoversClientsChannelsAndSubscriptionsFromTheStore() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> r.setDurableName("d")));
        stan.send(stan.publish("me", "orders", "a"), stan.publish("me", "orders", "b"));
        stan.send(ack(ackInbox, "orders", 1));
        stan.server.flush();

        StanServer restarted = new StanServer(settings(100, limits(0, 0), false), stan.memory, () -> stan.now);
        restarted.recover();
        restarted.initialize();
        TestServer.Out out = new TestServer.Out(restarted.handle(List.of(stan.publish("me", "orders", "c"))));
        assertEquals(List.of(3L), out.sequences("_INBOX.sub"), "numbering goes on, the subscription is online");
        stan.advance(Duration.ofSeconds(31));
        assertEquals(List.of(2L, 3L), new TestServer.Out(restarted.tick()).sequences("_INBOX.sub"),
                "the recovered pending message (and the new one) are redelivered, the acknowledged one is not");
    }

    private static String guidOf(InboundMessage publish) throws Exception {
        return PubMsg.parseFrom(publish.data()).getGuid();
    }
}
