package io.stanee.store.memory;

import com.google.protobuf.ByteString;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.spb.ServerProtocol.SubState;
import io.stanee.store.LockAttempt;
import io.stanee.store.MessageTotals;
import io.stanee.store.MessagesUpTo;
import io.stanee.store.RecoveredState;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreException;
import io.stanee.store.StoreLockLostException;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory store against what JpaStoreContract asks of the SQL store, read back through the contract. */
class MemoryStoreTest {

    private final MemoryStore store = new MemoryStore();

    private static byte[] msg(String channel, long seq) {
        return MsgProto.newBuilder().setSequence(seq).setSubject(channel)
                .setData(ByteString.copyFromUtf8("payload " + seq)).setTimestamp(1_000_000L * seq).build()
                .toByteArray();
    }

    private void apply(StoreOp... ops) {
        StoreBatch batch = new StoreBatch();
        for (StoreOp op : ops) {
            batch.add(op);
        }
        store.apply(batch);
    }

    @Test
    void aNewStoreRecoversAsNew() {
        assertTrue(store.recover().isNew());
    }

    @Test
    void aBatchOfPublishesIsStoredAndRecovered() throws Exception {
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.InitServer("test-cluster", new byte[]{1, 2, 3}));
        batch.add(new StoreOp.CreateChannel(1, "orders", 1_000_000, 1_024_000_000L, 0));
        long bytes = 0;
        for (long seq = 1; seq <= 1000; seq++) {
            bytes += msg("orders", seq).length;
            batch.add(new StoreOp.AddMessage(1, seq, 1_000_000L * seq, msg("orders", seq)));
        }
        store.apply(batch);

        List<StoredMessage> page = store.messages(1, 101, 50);
        assertEquals(50, page.size());
        assertEquals(101, page.get(0).sequence());
        assertArrayEquals(msg("orders", 150), page.get(49).data());
        assertEquals(msg("orders", 7).length, store.messageSizes(1, 7, 1).get(0).bytes());
        assertEquals(1000, store.lastSequence(1));

        RecoveredState recovered = store.recover();
        assertArrayEquals(new byte[]{1, 2, 3}, recovered.serverInfo());
        RecoveredState.Channel channel = recovered.channels().get(0);
        assertEquals("orders", channel.name());
        assertEquals(1, channel.first());
        assertEquals(1000, channel.last());
        long rangeBytes = LongStream.rangeClosed(101, 150).map(seq -> msg("orders", seq).length).sum();
        assertEquals(List.of(new MessageTotals(1000, bytes), new MessageTotals(50, rangeBytes)),
                store.messageTotals(List.of(new StoredRange(1, 1, 1000), new StoredRange(1, 101, 150))).get());
    }

    @Test
    void aFailingBatchLeavesNothingBehind() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]), new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 1, msg("orders", 1)), new StoreOp.CreateSubscription(1, 1, null),
                new StoreOp.AddPending(1, 1, 1), new StoreOp.AddClient("me", "_INBOX.hb", null));
        RecoveredState before = store.recover();
        StoreBatch failing = new StoreBatch();
        failing.add(new StoreOp.CreateChannel(2, "other", 0, 0, 0));
        failing.add(new StoreOp.AddMessage(2, 1, 1, msg("other", 1)));
        failing.add(new StoreOp.DeleteMessages(1, 1));
        failing.add(new StoreOp.AckPending(1, 1, 1, true));
        failing.add(new StoreOp.DeleteClient("me"));
        failing.add(new StoreOp.DeleteSubscription(1, 1, false));
        failing.add(new StoreOp.CreateChannel(1, "again", 0, 0, 0)); // duplicate key: the batch must fail
        StoreException failure = assertThrows(StoreException.class, () -> store.apply(failing));
        assertEquals("duplicate key 1 in Channels", failure.getMessage());

        assertTrue(store.messages(2, 1, 10).isEmpty(), "no message of the failed batch");
        assertEquals(1, store.messages(1, 1, 10).size(), "no deletion of the failed batch");
        RecoveredState after = store.recover();
        assertEquals(1, after.channels().size(), "no channel of the failed batch");
        assertEquals(List.of(1L), after.channels().get(0).subscriptions().get(0).pending());
        assertEquals(before.clients(), after.clients());
        assertEquals(before.maxChannelId(), after.maxChannelId());
    }

    @Test
    void acknowledgedPendingRowsGoAndTheLastSentIsKept() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.CreateSubscription(1, 7, null),
                new StoreOp.CreateSubscription(1, 8, null),
                new StoreOp.AddPending(7, 1, 1), new StoreOp.AddPending(7, 2, 2), new StoreOp.AddPending(7, 3, 3),
                new StoreOp.AddPending(8, 1, 1), new StoreOp.AddPending(8, 2, 3));
        apply(new StoreOp.AckPending(1, 7, 1, false), new StoreOp.AckPending(1, 7, 3, true),
                new StoreOp.AckPending(1, 8, 1, false));

        List<RecoveredState.Subscription> subs = store.recover().channels().get(0).subscriptions();
        assertEquals(List.of(2L), subs.get(0).pending());
        assertEquals(3, subs.get(0).lastSent(), "the acknowledged highest sequence is kept");
        assertEquals(List.of(3L), subs.get(1).pending(), "another subscription's ack takes only its own row");
        assertEquals(3, store.recover().channels().get(0).last(), "numbering goes on after what was sent");
    }

    @Test
    void theCachingLayoutReplacesRowsWithOneRowThatRecoveryReads() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 1, msg("orders", 1)),
                new StoreOp.CreateSubscription(1, 3, new byte[0]),
                new StoreOp.AddPending(3, 1, 1));
        apply(new StoreOp.ReplacePending(1, 3, 2, 9, List.of(4L, 7L, 9L)));

        RecoveredState.Subscription sub = store.recover().channels().get(0).subscriptions().get(0);
        assertEquals(List.of(4L, 7L, 9L), sub.pending());
        assertEquals(9, sub.lastSent());
        assertEquals(2, sub.maxRow());
    }

    @Test
    void anUpdatedSubscriptionKeepsItsStateAndAMissingOneIsInserted() {
        byte[] closed = SubState.newBuilder().setID(5).setLastSent(12).setIsClosed(true).build().toByteArray();
        apply(new StoreOp.InitServer("test-cluster", new byte[0]), new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.UpdateSubscription(1, 5, closed));
        RecoveredState.Subscription sub = store.recover().channels().get(0).subscriptions().get(0);
        assertArrayEquals(closed, sub.subState());
        assertEquals(12, sub.lastSent(), "the proto's last sent counts");
        assertThrows(StoreException.class, () -> apply(new StoreOp.CreateSubscription(1, 5, null)));
    }

    @Test
    void theHighestSubscriptionIdSurvivesItsDeletion() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.CreateSubscription(1, 4, new byte[0]),
                new StoreOp.CreateSubscription(1, 5, new byte[0]),
                new StoreOp.AddPending(5, 1, 1));
        apply(new StoreOp.DeleteSubscription(1, 4, false), new StoreOp.DeleteSubscription(1, 5, true));

        RecoveredState recovered = store.recover();
        assertTrue(recovered.channels().get(0).subscriptions().isEmpty(), "a marker is not recovered");
        assertEquals(5, recovered.maxSubscriptionId(), "IDs are never reused");
    }

    @Test
    void anExpiredChannelRemembersItsLastSequence() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]), new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 100, msg("orders", 1)), new StoreOp.AddMessage(1, 2, 200, msg("orders", 2)));
        assertEquals(new MessagesUpTo(1, 1, msg("orders", 1).length), store.messagesUpTo(1, 150));
        apply(new StoreOp.DeleteMessages(1, 2), new StoreOp.RememberLastSequence(1, 2));

        RecoveredState.Channel channel = store.recover().channels().get(0);
        assertEquals(3, channel.first());
        assertEquals(2, channel.last());
        assertEquals(0, store.lastSequence(1));
    }

    @Test
    void aDeletedChannelIsMarkedThenPurgedInRoundsOfAThousandRows() {
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.InitServer("test-cluster", new byte[0]));
        batch.add(new StoreOp.CreateChannel(1, "kept", 0, 0, 0));
        batch.add(new StoreOp.CreateChannel(2, "idle", 0, 0, 0));
        batch.add(new StoreOp.AddMessage(1, 1, 1, msg("kept", 1)));
        for (long seq = 1; seq <= 2500; seq++) {
            batch.add(new StoreOp.AddMessage(2, seq, seq, msg("idle", seq)));
        }
        batch.add(new StoreOp.CreateSubscription(1, 1, new byte[0]));
        batch.add(new StoreOp.AddPending(1, 1, 1));
        for (long sub = 2; sub <= 4; sub++) {
            batch.add(new StoreOp.CreateSubscription(2, sub, new byte[0]));
            batch.add(new StoreOp.AddPending(sub, 1, 7));
        }
        store.apply(batch);

        apply(new StoreOp.DeleteChannel(2));
        RecoveredState marked = store.recover();
        assertEquals(List.of("kept"), marked.channels().stream().map(RecoveredState.Channel::name).toList());
        assertEquals(List.of(2), marked.deletedChannelIds());
        assertEquals(2, marked.maxChannelId(), "its ID is not given again while its row is there");

        int rounds = 0;
        while (!store.purgeDeletedChannel(2)) {
            rounds++;
            assertTrue(rounds < 10, "the purge ends");
        }
        assertEquals(4, rounds, "one round of pending rows, three of 1000 messages at most, then the rest");
        RecoveredState purged = store.recover();
        assertTrue(purged.deletedChannelIds().isEmpty());
        assertEquals(1, purged.maxChannelId());
        assertEquals(1, purged.maxSubscriptionId());
        assertEquals(List.of(1L), purged.channels().get(0).subscriptions().get(0).pending());
        assertTrue(store.messages(2, 1, 10).isEmpty());
    }

    @Test
    void clientsAreReplacedAndRecovered() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.AddClient("me", "_INBOX.old", new byte[]{1}));
        apply(new StoreOp.AddClient("me", "_INBOX.new", new byte[]{2}), new StoreOp.AddClient("you", "_INBOX.y", null));
        apply(new StoreOp.DeleteClient("you"));

        List<RecoveredState.Client> clients = store.recover().clients();
        assertEquals(1, clients.size());
        assertEquals("_INBOX.new", clients.get(0).hbInbox());
        assertArrayEquals(new byte[]{2}, clients.get(0).clientInfo());
    }

    @Test
    void timeDeltaStartFindsTheFirstMessageAtOrAfterATimestamp() {
        apply(new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 100, msg("orders", 1)),
                new StoreOp.AddMessage(1, 2, 200, msg("orders", 2)),
                new StoreOp.AddMessage(1, 3, 300, msg("orders", 3)));
        assertEquals(2, store.firstSequenceAtOrAfter(1, 150));
        assertEquals(1, store.firstSequenceAtOrAfter(1, 0));
        assertEquals(0, store.firstSequenceAtOrAfter(1, 301));
    }

    @Test
    void theFaultToleranceLockFollowsTheGoStore() {
        assertEquals(new LockAttempt(true, "", 0), store.acquireLock("server-a", false));
        assertEquals(new LockAttempt(true, "server-a", 1), store.acquireLock("server-a", false), "a refresh");
        assertEquals(new LockAttempt(false, "server-a", 2), store.acquireLock("server-b", false));

        StoreBatch asA = new StoreBatch();
        asA.add(new StoreOp.InitServer("test-cluster", new byte[0]));
        asA.requireLockOwner("server-a");
        store.apply(asA);

        assertTrue(store.acquireLock("server-b", true).acquired(), "a steal");
        StoreBatch lateA = new StoreBatch();
        lateA.add(new StoreOp.CreateChannel(1, "orders", 0, 0, 0));
        lateA.requireLockOwner("server-a");
        assertThrows(StoreLockLostException.class, () -> store.apply(lateA), "the former owner cannot write");
        assertTrue(store.recover().channels().isEmpty(), "nothing of its batch was written");

        store.releaseLock("server-a");
        assertFalse(store.acquireLock("server-a", false).acquired(), "only the owner releases");
        store.releaseLock("server-b");
        assertEquals(new LockAttempt(true, "", 0), store.acquireLock("server-a", false), "released: free at once");
    }
}
