package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ChannelLists;
import io.stanee.protocol.spb.ServerProtocol.CtrlMsg;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Go partitions protocol from one server's side: what it owns, how it answers a list, how it decides. */
class PartitionsTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ChannelOwnership ownership = ChannelOwnership.of(settings("orders.>", "audit"));
    private final Partitions partitions = new Partitions("test-cluster", ownership, "me");

    static ServerSettings settings(String... channels) {
        ChannelLimits.Override inherit = new ChannelLimits.Override(null, null, null, null, null);
        Map<String, ChannelLimits.Override> listed = new java.util.HashMap<>();
        for (String channel : channels) {
            listed.put(channel, inherit);
        }
        return new ServerSettings("test-cluster", "_STAN.discover", 0, new ChannelLimits(0, 0, 0, 0, 0), listed,
                Duration.ofSeconds(30), Duration.ofSeconds(10), 10, false, new MessageWindowLimits(16, 1 << 20), "", true);
    }

    @Test
    void ownsItsChannelsWithWildcardsAndSubscribesToThemAlone() {
        assertTrue(ownership.owns("orders.eu"));
        assertTrue(ownership.owns("orders.eu.paris"));
        assertTrue(ownership.owns("audit"));
        assertFalse(ownership.owns("orders"));
        assertFalse(ownership.owns("payments"));
        assertEquals(List.of("_STAN.pub.x.audit", "_STAN.pub.x.orders.>"), ownership.publishSubjects("_STAN.pub.x"));
    }

    @Test
    void answersAnotherServersListWithTheFirstSharedChannelInGoOrder() throws Exception {
        assertEquals("orders.eu", answer("payments", "orders.eu"), "one of theirs that ours cover");
        assertEquals("audit", answer("payments", "*"), "else one of ours that theirs cover");
        assertEquals("", answer("payments", "audit.*", "orders"), "no overlap: an empty answer");
    }

    @Test
    void servesWhenNoAnswerNamesAChannelForASecondAndRefusesWhenOneDoes() {
        OutboundMessage announced = partitions.announce(0);
        assertEquals("_STAN.part.test-cluster", announced.subject());
        String inbox = announced.replyTo();
        assertNull(partitions.verdict(SECOND / 2), "answers may still come");
        partitions.received(new InboundMessage(inbox, null, control("peer", new byte[0])), SECOND / 2);
        assertNull(partitions.verdict(SECOND), "each answer extends the wait");
        assertEquals("", partitions.verdict(2 * SECOND), "unique: serve");

        Partitions other = new Partitions("test-cluster", ownership, "me");
        String otherInbox = other.announce(0).replyTo();
        other.received(new InboundMessage(otherInbox, null, control("peer", "audit".getBytes())), SECOND / 10);
        assertEquals("channel \"audit\" causes conflict with channels on server \"peer\"", other.verdict(SECOND / 5));
    }

    private String answer(String... theirs) throws InvalidProtocolBufferException {
        InboundMessage request = new InboundMessage("_STAN.part.test-cluster", "_INBOX.peer",
                control("peer", ChannelLists.encode(List.of(theirs))));
        List<OutboundMessage> replies = partitions.received(request, 0);
        assertEquals(1, replies.size());
        assertEquals("_INBOX.peer", replies.get(0).subject());
        CtrlMsg reply = CtrlMsg.parseFrom(replies.get(0).data());
        assertEquals("me", reply.getServerID());
        return reply.getData().toStringUtf8();
    }

    private static byte[] control(String serverId, byte[] data) {
        return CtrlMsg.newBuilder().setMsgType(CtrlMsg.Type.Partitioning).setServerID(serverId)
                .setData(com.google.protobuf.ByteString.copyFrom(data)).build().toByteArray();
    }
}
