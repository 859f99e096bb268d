package io.stanee.core;

import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.spb.ServerProtocol.SubState;
import io.stanee.ra.InboundMessage;
import io.stanee.store.RecoveredState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.stanee.core.TestServer.ack;
import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.limits;
import static io.stanee.core.TestServer.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code replace_durable}: a client registering its durable again while the first registration is still online
 * gets the Go error by default; with the option, the first registration is closed and the new one resumes it
 * (Go: closeDurableIfDuplicate, then the resumed durable of processSub): same subscription, same last sent,
 * the unacknowledged messages redelivered to the new inbox at once, nothing more to the old inbox.
 */
class ReplaceDurableTest {

    private static TestServer server(boolean replaceDurable) {
        ServerSettings go = TestServer.settings(100, limits(0, 0), false);
        return new TestServer(new ServerSettings(go.clusterId(), go.discoverPrefix(), go.maxChannels(), go.limits(),
                go.perChannel(), go.heartbeatInterval(), go.heartbeatTimeout(), go.heartbeatFailCount(),
                go.noCaching(), go.window(), go.ftGroup(), go.partitioning(), replaceDurable));
    }

    /** A durable that got 1..3 and acknowledged 1: last sent 3, pending 2 and 3. Returns its ack inbox. */
    private static String durableWithTwoPending(TestServer stan) {
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.old", r -> r.setDurableName("dur")));
        TestServer.Out out = stan.send(stan.publish("me", "orders", "a"), stan.publish("me", "orders", "b"),
                stan.publish("me", "orders", "c"));
        assertEquals(List.of(1L, 2L, 3L), out.sequences("_INBOX.old"));
        stan.send(ack(ackInbox, "orders", 1));
        return ackInbox;
    }

    /** The registration again, asking for every message from the first: a new subscription would get 1..3. */
    private static InboundMessage registerAgain() {
        return subscribe("me", "orders", "_INBOX.new", r -> r.setDurableName("dur").setMaxInFlight(10));
    }

    @Test
    void withoutTheOptionTheSecondRegistrationGetsTheGoErrorAndTheFirstKeepsReceiving() {
        TestServer stan = server(false);
        durableWithTwoPending(stan);
        InboundMessage again = registerAgain();
        TestServer.Out refused = stan.send(again);
        assertEquals("stan: duplicate durable registration",
                refused.reply(again, SubscriptionResponse.parser()).getError());
        assertEquals(ProtocolErrors.DUPLICATE_DURABLE, refused.reply(again, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(), refused.sequences("_INBOX.new"));

        TestServer.Out next = stan.send(stan.publish("me", "orders", "d"));
        assertEquals(List.of(4L), next.sequences("_INBOX.old"));
        assertEquals(List.of(), next.sequences("_INBOX.new"));
    }

    @Test
    void withTheOptionTheSecondRegistrationReplacesTheFirstAndKeepsItsPosition() {
        TestServer stan = server(true);
        String oldAckInbox = durableWithTwoPending(stan);
        stan.server.flush();
        long subId = onlySubscription(stan).subId();

        InboundMessage again = registerAgain();
        TestServer.Out replaced = stan.send(again);
        SubscriptionResponse response = replaced.reply(again, SubscriptionResponse.parser());
        assertEquals("", response.getError());
        assertNotEquals(oldAckInbox, response.getAckInbox(), "a new ack inbox, as for any resumed durable");
        List<MsgProto> redelivered = replaced.delivered("_INBOX.new");
        assertEquals(List.of(2L, 3L), redelivered.stream().map(MsgProto::getSequence).toList(),
                "the pending messages, not the acknowledged one, although the request asked for the first");
        assertTrue(redelivered.stream().allMatch(MsgProto::getRedelivered));
        assertEquals(List.of(), replaced.sequences("_INBOX.old"));
        assertEquals(1, stan.server.stats().subscriptions(), "replaced, not added");

        TestServer.Out next = stan.send(stan.publish("me", "orders", "d"));
        assertEquals(List.of(4L), next.sequences("_INBOX.new"), "numbering goes on from the old last sent");
        assertEquals(List.of(), next.sequences("_INBOX.old"), "the old registration receives nothing more");

        stan.server.flush();
        RecoveredState.Subscription stored = onlySubscription(stan);
        assertEquals(subId, stored.subId(), "the same subscription");
        assertEquals(4, stored.lastSent());
        assertEquals(List.of(2L, 3L, 4L), stored.pending());
        SubState state = parse(stored.subState());
        assertEquals("_INBOX.new", state.getInbox());
        assertEquals(response.getAckInbox(), state.getAckInbox());
        assertEquals(10, state.getMaxInFlight(), "the new request's options");
        assertEquals("me", state.getClientID());
    }

    @Test
    void acksToTheOldAckInboxNoLongerCountAfterTheReplacement() {
        TestServer stan = server(true);
        String oldAckInbox = durableWithTwoPending(stan);
        String newAckInbox = stan.subscribed(registerAgain());

        stan.send(ack(oldAckInbox, "orders", 2), ack(newAckInbox, "orders", 3));
        stan.advance(Duration.ofSeconds(31));
        assertEquals(List.of(2L), stan.tick().sequences("_INBOX.new"),
                "2 (acknowledged on the old ack inbox) is redelivered after the ack wait; 3 is not");
    }

    @Test
    void theReplacementAlsoReplacesAgain() {
        TestServer stan = server(true);
        durableWithTwoPending(stan);
        stan.subscribed(registerAgain());
        InboundMessage third = subscribe("me", "orders", "_INBOX.third", r -> r.setDurableName("dur"));
        TestServer.Out out = stan.send(third);
        assertEquals("", out.reply(third, SubscriptionResponse.parser()).getError());
        assertEquals(List.of(2L, 3L), out.sequences("_INBOX.third"));
        TestServer.Out next = stan.send(stan.publish("me", "orders", "d"));
        assertEquals(List.of(4L), next.sequences("_INBOX.third"));
        assertEquals(List.of(), next.sequences("_INBOX.new"));
        assertEquals(List.of(), next.sequences("_INBOX.old"));
    }

    @Test
    void queueDurablesAreNotReplacedTheyJoinTheGroup() {
        // Go applies replace_durable to plain durables only (QGroup == ""): a second member simply joins
        TestServer stan = server(true);
        stan.send(connect("me"));
        stan.subscribed(subscribe("me", "orders", "_INBOX.q1", r -> r.setDurableName("dur").setQGroup("g")));
        stan.subscribed(subscribe("me", "orders", "_INBOX.q2", r -> r.setDurableName("dur").setQGroup("g")));
        assertEquals(2, stan.server.stats().subscriptions());
    }

    private static RecoveredState.Subscription onlySubscription(TestServer stan) {
        List<RecoveredState.Channel> channels = stan.memory.recover().channels();
        assertEquals(1, channels.size());
        assertEquals(1, channels.get(0).subscriptions().size());
        return channels.get(0).subscriptions().get(0);
    }

    private static SubState parse(byte[] state) {
        try {
            return SubState.parseFrom(state);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
