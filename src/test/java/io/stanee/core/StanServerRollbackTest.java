package io.stanee.core;

import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.StartPosition;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.ra.InboundMessage;
import io.stanee.store.RecoveredState;
import io.stanee.store.StoreLockLostException;
import io.stanee.store.StoreOp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.stanee.core.TestServer.ack;
import static io.stanee.core.TestServer.close;
import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.limits;
import static io.stanee.core.TestServer.settings;
import static io.stanee.core.TestServer.subscribe;
import static io.stanee.core.TestServer.unsubscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch whose store work fails leaves nothing behind: the core's channels, sequences, subscriptions, queue
 * groups and clients are as before it, the failed requests get {@code stan: store error: ...} and, sent again,
 * succeed as if the failure had never been (same sequence numbers, same deliveries).
 */
class StanServerRollbackTest {

    private static final String STORE_ERROR = "stan: store error: disk I/O error";

    private final TestServer stan = new TestServer();

    @Test
    void aFailedPublishIsAnsweredWithTheStoreErrorAndLeavesNoSequenceBehind() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> { }));
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage pub = stan.publish("me", "orders", "lost");
        TestServer.Out failed = stan.send(pub);
        assertEquals(STORE_ERROR, failed.reply(pub, PubAck.parser()).getError());
        assertEquals(List.of(), failed.sequences("_INBOX.sub"), "nothing delivered of a failed batch");
        assertEquals(1, stan.server.stats().storeFailures());

        InboundMessage again = stan.publish("me", "orders", "kept");
        TestServer.Out out = stan.send(again);
        assertEquals("", out.reply(again, PubAck.parser()).getError());
        List<MsgProto> delivered = out.delivered("_INBOX.sub");
        assertEquals(List.of(1L), delivered.stream().map(MsgProto::getSequence).toList(), "the same sequence");
        assertFalse(delivered.get(0).getRedelivered());
        stan.send(ack(ackInbox, "orders", 1));
        assertEquals(List.of(1L), stan.memory.messages(1, 1, 10).stream().map(m -> m.sequence()).toList());
    }

    @Test
    void aFailedBatchIsRetriedRequestByRequestSoOnlyTheFailingOneFails() {
        stan.send(connect("me"));
        InboundMessage a = stan.publish("me", "orders", "a");
        InboundMessage b = stan.publish("me", "orders", "b");
        InboundMessage c = stan.publish("me", "orders", "c");
        stan.store.failApplies("disk I/O error", 1, 3); // the batch, then the retry of b
        TestServer.Out out = stan.send(a, b, c);

        assertEquals("", out.reply(a, PubAck.parser()).getError());
        assertEquals(STORE_ERROR, out.reply(b, PubAck.parser()).getError());
        assertEquals("", out.reply(c, PubAck.parser()).getError());
        assertEquals(List.of("a", "c"), stan.memory.messages(1, 1, 10).stream()
                .map(m -> parse(m.data()).getData().toStringUtf8()).toList());
        assertEquals(List.of(1L, 2L), stan.memory.messages(1, 1, 10).stream().map(m -> m.sequence()).toList(),
                "no gap where b failed");
        RecoveredState.Channel stored = stan.memory.recover().channels().get(0);
        assertEquals("orders", stored.name(), "the channel of the failed batch is created by a's retry");
        assertEquals(2, stored.last());
        assertEquals(List.of("a", "c"), stan.send(subscribe("me", "orders", "_INBOX.s", r -> { }))
                .payloads("_INBOX.s"));
    }

    @Test
    void aFailedConnectRegistersNoClient() {
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage request = connect("me");
        assertEquals(STORE_ERROR, stan.send(request).reply(request, ConnectResponse.parser()).getError());
        assertTrue(stan.memory.recover().clients().isEmpty());
        assertEquals(0, stan.server.stats().clients());

        InboundMessage pub = stan.publish("me", "orders", "x");
        assertEquals(ProtocolErrors.INVALID_PUBLISH_REQUEST, stan.send(pub).reply(pub, PubAck.parser()).getError());
        InboundMessage sub = subscribe("me", "orders", "_INBOX.s", r -> { });
        assertEquals(ProtocolErrors.UNKNOWN_CLIENT_ID,
                stan.send(sub).reply(sub, SubscriptionResponse.parser()).getError());

        InboundMessage retry = connect("me");
        assertEquals("", stan.send(retry).reply(retry, ConnectResponse.parser()).getError(),
                "the client ID is free: no probe of a holder that was never registered");
    }

    @Test
    void aFailedSubscribeLeavesNeitherTheSubscriptionNorItsNewChannel() {
        TestServer one = new TestServer(settings(1, limits(0, 1), false));
        one.send(connect("me"));
        one.store.failApplies("disk I/O error", 1);
        InboundMessage sub = subscribe("me", "a", "_INBOX.s", r -> { });
        assertEquals(STORE_ERROR, one.send(sub).reply(sub, SubscriptionResponse.parser()).getError());
        assertTrue(one.memory.recover().channels().isEmpty());

        InboundMessage other = one.publish("me", "b", "x");
        assertEquals("", one.send(other).reply(other, PubAck.parser()).getError(),
                "the failed subscribe's channel does not count against max_channels");
        InboundMessage pubA = one.publish("me", "a", "x");
        assertEquals(ProtocolErrors.TOO_MANY_CHANNELS, one.send(pubA).reply(pubA, PubAck.parser()).getError());
    }

    @Test
    void aFailedSubscribeGetsNoDeliveriesAndTheRetryTakesItsPlace() {
        stan.send(connect("me"));
        stan.send(stan.publish("me", "orders", "m1"));
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage sub = subscribe("me", "orders", "_INBOX.s", r -> r.setDurableName("d"));
        TestServer.Out failed = stan.send(sub);
        assertEquals(STORE_ERROR, failed.reply(sub, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(), failed.sequences("_INBOX.s"));
        assertEquals(List.of(), stan.send(stan.publish("me", "orders", "m2")).sequences("_INBOX.s"),
                "no subscription receives");

        TestServer.Out retried = stan.send(sub);
        assertEquals("", retried.reply(sub, SubscriptionResponse.parser()).getError(),
                "not a duplicate durable: the failed one is gone");
        assertEquals(List.of(1L, 2L), retried.sequences("_INBOX.s"));
        List<RecoveredState.Subscription> stored = stan.memory.recover().channels().get(0).subscriptions();
        assertEquals(List.of(2L), stored.stream().map(RecoveredState.Subscription::subId).toList(),
                "the failed subscription's ID is not given again: a commit that failed here may have stored it");
    }

    @Test
    void aFailedSubscriptionLimitCheckCountsNoFailedSubscription() {
        TestServer limited = new TestServer(settings(100, limits(0, 1), false));
        limited.send(connect("me"));
        limited.store.failApplies("disk I/O error", 1);
        InboundMessage sub = subscribe("me", "orders", "_INBOX.s", r -> { });
        limited.send(sub);
        assertEquals("", limited.send(sub).reply(sub, SubscriptionResponse.parser()).getError(),
                "max_subs 1: the failed subscription does not count");
    }

    @Test
    void aFailedQueueJoinLeavesNoGroupBehind() {
        stan.send(connect("me"));
        stan.send(stan.publish("me", "orders", "m1"), stan.publish("me", "orders", "m2"));
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage join = subscribe("me", "orders", "_INBOX.a",
                r -> r.setQGroup("q").setStartPosition(StartPosition.NewOnly));
        assertEquals(STORE_ERROR, stan.send(join).reply(join, SubscriptionResponse.parser()).getError());

        TestServer.Out out = stan.send(subscribe("me", "orders", "_INBOX.b", r -> r.setQGroup("q")));
        assertEquals(List.of(1L, 2L), out.sequences("_INBOX.b"),
                "a new group takes this member's start position, not that of the failed one's group");
        assertEquals(List.of(3L), stan.send(stan.publish("me", "orders", "m3")).sequences("_INBOX.b"),
                "the failed member receives nothing of the group");
    }

    @Test
    void aFailedQueueJoinOfAnExistingGroupKeepsTheGroupAndItsMembers() {
        stan.send(connect("me"));
        stan.subscribed(subscribe("me", "orders", "_INBOX.a", r -> r.setQGroup("q")));
        stan.store.failApplies("disk I/O error", 1);
        stan.send(subscribe("me", "orders", "_INBOX.b", r -> r.setQGroup("q")));

        TestServer.Out out = stan.send(stan.publish("me", "orders", "1"), stan.publish("me", "orders", "2"));
        assertEquals(List.of(1L, 2L), out.sequences("_INBOX.a"), "the member that stayed gets every message");
        assertEquals(List.of(), out.sequences("_INBOX.b"));
    }

    @Test
    void aFailedAckLeavesTheMessagePendingAndItIsRedelivered() {
        TestServer noCaching = new TestServer(settings(100, limits(0, 0), true)); // an ack writes a row
        noCaching.send(connect("me"));
        String ackInbox = noCaching.subscribed(subscribe("me", "orders", "_INBOX.s",
                r -> r.setMaxInFlight(1).setAckWaitInSecs(5)));
        noCaching.send(noCaching.publish("me", "orders", "a"), noCaching.publish("me", "orders", "b"));
        noCaching.store.failApplies("disk I/O error", 1);
        TestServer.Out failed = noCaching.send(ack(ackInbox, "orders", 1));
        assertTrue(failed.messages().isEmpty(), "an ack has no error reply, and frees no slot: " + failed);

        noCaching.advance(Duration.ofSeconds(5));
        List<MsgProto> redelivered = noCaching.tick().delivered("_INBOX.s");
        assertEquals(List.of(1L), redelivered.stream().map(MsgProto::getSequence).toList());
        assertTrue(redelivered.get(0).getRedelivered());
        assertEquals(List.of(2L), noCaching.send(ack(ackInbox, "orders", 1)).sequences("_INBOX.s"));
    }

    @Test
    void aFailedDeliveryDoesNotFillTheSubscriptionsMaxInFlight() {
        TestServer noCaching = new TestServer(settings(100, limits(0, 0), true)); // a delivery writes a row
        noCaching.send(connect("me"));
        noCaching.subscribed(subscribe("me", "orders", "_INBOX.s", r -> r.setMaxInFlight(1)));
        noCaching.store.failBatches("disk I/O error",
                batch -> batch.ops().stream().anyMatch(op -> op instanceof StoreOp.AddPending));
        InboundMessage pub = noCaching.publish("me", "orders", "a");
        assertEquals(STORE_ERROR, noCaching.send(pub).reply(pub, PubAck.parser()).getError());
        noCaching.store.heal();

        TestServer.Out out = noCaching.send(noCaching.publish("me", "orders", "b"));
        assertEquals(List.of("b"), out.payloads("_INBOX.s"));
        assertEquals(1, out.delivered("_INBOX.s").get(0).getSequence());
    }

    @Test
    void aFailedRedeliveryIsMadeAgainOnTheNextTickWithTheSameCount() {
        stan.send(connect("me")); // caching mode: the tick writes the subscription's state with the redelivery
        stan.subscribed(subscribe("me", "orders", "_INBOX.s", r -> r.setAckWaitInSecs(1)));
        stan.send(stan.publish("me", "orders", "a"));
        stan.advance(Duration.ofSeconds(1));
        stan.store.failApplies("disk I/O error", 1);
        assertTrue(stan.tick().messages().isEmpty(), "the failed tick sends nothing");

        List<MsgProto> redelivered = stan.tick().delivered("_INBOX.s");
        assertEquals(1, redelivered.size());
        assertEquals(1, redelivered.get(0).getRedeliveryCount(), "the failed redelivery is not counted");
    }

    @Test
    void aFailedUnsubscribeKeepsTheSubscription() {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.s", r -> { }));
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage unsub = unsubscribe("me", "orders", ackInbox);
        assertEquals(STORE_ERROR, stan.send(unsub).reply(unsub, SubscriptionResponse.parser()).getError());

        assertEquals(List.of(1L), stan.send(stan.publish("me", "orders", "x")).sequences("_INBOX.s"));
        assertEquals("", stan.send(unsub).reply(unsub, SubscriptionResponse.parser()).getError());
    }

    @Test
    void aFailedCloseKeepsTheClientAndItsSubscriptions() {
        stan.send(connect("me"));
        stan.subscribed(subscribe("me", "orders", "_INBOX.s", r -> r.setQGroup("q")));
        stan.subscribed(subscribe("me", "orders", "_INBOX.d", r -> r.setDurableName("d")));
        stan.store.failApplies("disk I/O error", 1);
        InboundMessage close = close("me");
        assertEquals(STORE_ERROR, stan.send(close).reply(close, CloseResponse.parser()).getError());
        assertEquals(1, stan.server.stats().clients());

        TestServer.Out out = stan.send(stan.publish("me", "orders", "x"));
        assertEquals(List.of(1L), out.sequences("_INBOX.s"), "the queue member is still there");
        assertEquals(List.of(1L), out.sequences("_INBOX.d"), "the durable is still online");
        InboundMessage duplicate = subscribe("me", "orders", "_INBOX.d2", r -> r.setDurableName("d"));
        assertEquals(ProtocolErrors.DUPLICATE_DURABLE,
                stan.send(duplicate).reply(duplicate, SubscriptionResponse.parser()).getError());
        assertEquals("", stan.send(close).reply(close, CloseResponse.parser()).getError());
    }

    @Test
    void aCommitReportedAsFailedButMadeIsKeptAndNumberingContinuesAfterIt() {
        stan.send(connect("me"));
        stan.send(stan.publish("me", "orders", "first"));
        stan.store.failApplies("commit timed out", 1).afterWriting();
        InboundMessage uncertain = stan.publish("me", "orders", "maybe");
        assertEquals("stan: store error: commit timed out",
                stan.send(uncertain).reply(uncertain, PubAck.parser()).getError());
        stan.store.heal();

        InboundMessage next = stan.publish("me", "orders", "next");
        assertEquals("", stan.send(next).reply(next, PubAck.parser()).getError());
        assertEquals(List.of(1L, 2L, 3L), stan.memory.messages(1, 1, 10).stream().map(m -> m.sequence()).toList(),
                "sequence 3, not a second 2");
        assertEquals(List.of("first", "maybe", "next"), stan.send(subscribe("me", "orders", "_INBOX.s", r -> { }))
                .payloads("_INBOX.s"));
    }

    /**
     * The same on a channel the uncertain batch created: its next creation finds the channel stored and takes it
     * back in with its ID and what the batch stored, instead of creating it again (the store would refuse the ID).
     */
    @Test
    void aCommitReportedAsFailedButMadeOfANewChannelLeavesTheChannelUsable() {
        stan.send(connect("me"));
        stan.store.failApplies("commit timed out", 1).afterWriting();
        stan.send(stan.publish("me", "orders", "maybe"));
        stan.store.heal();

        InboundMessage next = stan.publish("me", "orders", "next");
        assertEquals("", stan.send(next).reply(next, PubAck.parser()).getError());
        assertEquals(List.of("maybe", "next"), stan.send(subscribe("me", "orders", "_INBOX.s", r -> { }))
                .payloads("_INBOX.s"));
    }

    /** Likewise a subscription ID of a batch whose commit was made: never given again. */
    @Test
    void aCommitReportedAsFailedButMadeOfASubscriptionLeavesItsIdUsed() {
        stan.send(connect("me"));
        stan.send(stan.publish("me", "orders", "m"));
        stan.store.failApplies("commit timed out", 1).afterWriting();
        stan.send(subscribe("me", "orders", "_INBOX.lost", r -> { }));
        stan.store.heal();

        InboundMessage sub = subscribe("me", "orders", "_INBOX.s", r -> { });
        assertEquals("", stan.send(sub).reply(sub, SubscriptionResponse.parser()).getError());
    }

    @Test
    void aFailedReadWhileCatchingUpFailsTheSubscribeAndTheRetryDeliversEverything() {
        stan.send(connect("me"));
        for (int i = 1; i <= 6; i++) { // beyond the window of 4: the first two are read from the store
            stan.send(stan.publish("me", "orders", "m" + i));
        }
        stan.store.failReads("connection reset", 1);
        InboundMessage sub = subscribe("me", "orders", "_INBOX.s", r -> r.setDurableName("d"));
        TestServer.Out failed = stan.send(sub);
        assertEquals("stan: store error: connection reset",
                failed.reply(sub, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(), failed.sequences("_INBOX.s"));

        TestServer.Out out = stan.send(sub);
        assertEquals("", out.reply(sub, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), out.sequences("_INBOX.s"));
    }

    @Test
    void aLostStoreLockStopsTheBatchWithoutAnyReply() {
        stan.send(connect("me"));
        stan.memory.acquireLock("other", false);
        stan.server.requireLockOwner("me-the-server");
        InboundMessage pub = stan.publish("me", "orders", "x");
        assertThrows(StoreLockLostException.class, () -> stan.send(pub));
        assertTrue(stan.memory.recover().channels().isEmpty(), "nothing written");
    }

    private static MsgProto parse(byte[] data) {
        try {
            return MsgProto.parseFrom(data);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
