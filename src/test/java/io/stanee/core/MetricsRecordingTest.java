package io.stanee.core;

import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreException;
import io.stanee.store.memory.MemoryStore;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static io.stanee.core.TestServer.ack;
import static io.stanee.core.TestServer.connect;
import static io.stanee.core.TestServer.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the core reports to a {@link MetricsRecorder} (latencies, batch sizes, commit times, redeliveries,
 * reconnects, channels as they come and go), and its {@link WorkerHeartbeat} with a worker blocked in the store.
 */
class MetricsRecordingTest {

    private static final MessageWindows WINDOWS = new MessageWindows(4, 1 << 20);

    private static final long MS = 1_000_000L;

    /** Everything the core reported, as plain lists. */
    static final class Recorded implements MetricsRecorder {
        final List<Long> latencies = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        final List<Long> commits = new ArrayList<>();
        long redelivered;
        long reconnects;
        final Map<String, ChannelGauges> channels = new LinkedHashMap<>();
        final List<String> removed = new ArrayList<>();

        @Override
        public void publishAcknowledged(long nanos) {
            latencies.add(nanos);
        }

        @Override
        public void batchHandled(int requests) {
            batches.add(requests);
        }

        @Override
        public void committed(long nanos) {
            commits.add(nanos);
        }

        @Override
        public void redelivered(int messages) {
            redelivered += messages;
        }

        @Override
        public void natsReconnected(long times) {
            reconnects += times;
        }

        @Override
        public void channelAdded(ChannelGauges channel) {
            channels.put(channel.name(), channel);
        }

        @Override
        public void channelRemoved(ChannelGauges channel) {
            channels.remove(channel.name());
            removed.add(channel.name());
        }
    }

    private final TestServer requests = new TestServer(); // builds requests; its own server is not used
    private final Recorded recorded = new Recorded();
    /** The monotonic clock: advanced by the store while it commits, so that commit times are known. */
    private final AtomicLong monotonic = new AtomicLong(5_000 * MS);

    private static InboundMessage receivedAt(InboundMessage message, long nanos) {
        return new InboundMessage(message.subject(), message.replyTo(), message.data(), nanos);
    }

    /** A store whose apply takes {@code commitNanos} of the test's monotonic clock, and fails when told to. */
    private Store timedStore(Store store, long commitNanos, AtomicBoolean fail) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply")) {
                        monotonic.addAndGet(commitNanos);
                        if (fail.get()) {
                            throw new StoreException("disk I/O error", null);
                        }
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void everyAcknowledgedPublishReportsItsLatencyFromReceiptToTheCommittedBatch() {
        AtomicBoolean fail = new AtomicBoolean();
        long nanoClock = 1_700_000_000L * TestServer.SECOND;
        StanServer server = new StanServer(TestServer.settings(100, TestServer.limits(0, 0), false),
                timedStore(new MemoryStore(), 3 * MS, fail), () -> nanoClock, monotonic::get);
        server.recover();
        server.initialize();
        server.useRecorder(recorded);
        server.handle(List.of(connect("me")));
        recorded.latencies.clear();
        recorded.commits.clear();

        long start = monotonic.get();
        // received 2 ms and 1 ms before the batch; the commit takes 3 ms: latencies 5 ms and 4 ms
        List<OutboundMessage> out = server.handle(List.of(
                receivedAt(requests.publish("me", "orders", "one"), start - 2 * MS),
                receivedAt(requests.publish("me", "orders", "two"), start - MS)));
        assertEquals(2, out.size(), "two PubAcks: " + out);
        assertEquals(List.of(5 * MS, 4 * MS), recorded.latencies);
        assertEquals(List.of(3 * MS), recorded.commits, "one transaction for the batch");

        // a refused publish (unknown client) gets a PubAck with an error: no latency for it
        server.handle(List.of(requests.publish("nobody", "orders", "x")));
        assertEquals(2, recorded.latencies.size(), "an error PubAck is not an acknowledged publish");

        // a batch the store fails reports nothing: its publishers get errors, not acks
        fail.set(true);
        server.handle(List.of(requests.publish("me", "orders", "three")));
        assertEquals(2, recorded.latencies.size(), "no latency for a publish whose commit failed");
        assertEquals(1, recorded.commits.size(), "no commit time for a failed commit");
    }

    @Test
    void redeliveriesAreCountedOnceCommittedAndNotForAFailedBatch() {
        TestServer stan = new TestServer();
        stan.server.useRecorder(recorded);
        stan.send(connect("me"));
        String ackInbox = stan.subscribed(subscribe("me", "orders", "_INBOX.sub", r -> r.setAckWaitInSecs(1)));
        for (int i = 0; i < 3; i++) {
            stan.send(stan.publish("me", "orders", "m" + i));
        }
        stan.send(ack(ackInbox, "orders", 2));
        stan.advance(Duration.ofMillis(1100));

        stan.store.failApplies("disk I/O error", 1);
        stan.tick();
        assertEquals(0, recorded.redelivered, "the failed tick's redeliveries were undone: none counted");

        List<MsgProto> again = stan.tick().delivered("_INBOX.sub");
        assertEquals(List.of(1L, 3L), again.stream().map(MsgProto::getSequence).toList());
        assertTrue(again.stream().allMatch(MsgProto::getRedelivered));
        assertEquals(2, recorded.redelivered, "the two unacknowledged messages, redelivered once each");
    }

    /** A stand-alone instance on the memory store, made active as the adapter would: subjects, probe, no answer. */
    private StanInstance activeInstance(Store store, LongSupplier monotonicClock) {
        StanInstance instance = new StanInstance(TestServer.settings(100, TestServer.limits(0, 0), false), store,
                () -> 1_700_000_000L * TestServer.SECOND, monotonicClock);
        instance.subjects();
        instance.tick(); // sends the stand-alone probe
        instance.handle(List.of(new InboundMessage(StandAloneProbe.ANSWER, null, null)));
        assertEquals(ServerRole.ACTIVE, instance.role());
        return instance;
    }

    @Test
    void channelGaugesFollowTheChannelsAndTheirFiguresAtEachTimerCall() {
        StanInstance instance = activeInstance(new MemoryStore(), monotonic::get);
        instance.useRecorder(recorded);
        instance.handle(List.of(connect("me")));
        List<InboundMessage> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(requests.publish("me", "a", "x"));
        }
        batch.add(requests.publish("me", "b", "y"));
        instance.handle(batch);
        assertEquals(List.of(1, 6), recorded.batches, "the connect, then the six publishes: one batch each");
        assertTrue(recorded.channels.isEmpty(), "channels are announced on the timer call, not before");

        instance.tick();
        assertEquals(List.of("a", "b"), List.copyOf(recorded.channels.keySet()));
        assertEquals(5, recorded.channels.get("a").messages());
        assertEquals(1, recorded.channels.get("b").messages());
        assertTrue(recorded.channels.get("a").bytes() > 5 * "x".length(), "bytes of the stored MsgProtos");

        // a subscription receives all five; two acknowledged: three pending
        InboundMessage sub = subscribe("me", "a", "_INBOX.sub", r -> { });
        List<OutboundMessage> out = instance.handle(List.of(sub));
        String ackInbox = new TestServer.Out(out).reply(sub, SubscriptionResponse.parser()).getAckInbox();
        instance.handle(List.of(ack(ackInbox, "a", 1), ack(ackInbox, "a", 2)));
        instance.tick();
        assertEquals(1, recorded.channels.get("a").subscriptions());
        assertEquals(3, recorded.channels.get("a").pendingAcks());
        assertEquals(0, recorded.channels.get("b").subscriptions());

        // a new recorder hears of every channel again
        Recorded second = new Recorded();
        instance.useRecorder(second);
        instance.tick();
        assertEquals(List.of("a", "b"), List.copyOf(second.channels.keySet()));
    }

    @Test
    void beyondTheLimitAChannelWaitsForTheSlotOfAGoneOne() {
        ChannelGaugeSet set = new ChannelGaugeSet(2);
        Channel a = new Channel(1, "a", TestServer.limits(0, 0), 1, 0, WINDOWS.open(), 0);
        Channel b = new Channel(2, "b", TestServer.limits(0, 0), 1, 0, WINDOWS.open(), 0);
        Channel c = new Channel(3, "c", TestServer.limits(0, 0), 1, 0, WINDOWS.open(), 0);
        set.refresh(List.of(a, b, c), recorded);
        assertEquals(List.of("a", "b"), List.copyOf(recorded.channels.keySet()));
        set.refresh(List.of(a, b, c), recorded);
        assertEquals(List.of("a", "b"), List.copyOf(recorded.channels.keySet()), "still two");
        set.refresh(List.of(b, c), recorded);
        assertEquals(List.of("a"), recorded.removed);
        assertEquals(List.of("b", "c"), List.copyOf(recorded.channels.keySet()), "c takes a's slot");
    }

    @Test
    void aDeletedChannelIsRemoved() {
        ChannelGaugeSet set = new ChannelGaugeSet(Integer.MAX_VALUE);
        Channel a = new Channel(1, "a", TestServer.limits(0, 0), 1, 0, WINDOWS.open(), 0);
        Channel b = new Channel(2, "b", TestServer.limits(0, 0), 1, 0, WINDOWS.open(), 0);
        set.refresh(List.of(a, b), recorded);
        assertEquals(List.of("a", "b"), List.copyOf(recorded.channels.keySet()));
        set.refresh(List.of(b), recorded);
        assertEquals(List.of("a"), recorded.removed);
        assertEquals(List.of("b"), List.copyOf(recorded.channels.keySet()));
        set.refresh(List.of(a, b), recorded);
        assertEquals(List.of("b", "a"), List.copyOf(recorded.channels.keySet()), "created again: announced again");
    }

    @Test
    void reconnectsAreReportedAsTheIncreaseOfTheAdaptersTotal() {
        StanInstance instance = activeInstance(new MemoryStore(), monotonic::get);
        instance.useRecorder(recorded);
        instance.connectionChanged(false, 0);
        instance.connectionChanged(true, 1);
        assertTrue(instance.natsConnected());
        instance.connectionChanged(true, 3); // two more reconnects, seen at once
        instance.connectionChanged(true, 3);
        assertEquals(3, recorded.reconnects);
    }

    @Test
    void aWorkerBlockedInTheStoreIsStuckAfterTheThresholdAndLiveAgainOnceReleased() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean block = new AtomicBoolean();
        MemoryStore memory = new MemoryStore();
        Store store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("apply") && block.get() && args[0] instanceof StoreBatch) {
                        blocked.countDown();
                        assertTrue(release.await(30, TimeUnit.SECONDS), "released by the test");
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        StanInstance instance = activeInstance(store, System::nanoTime);
        WorkerHeartbeat worker = instance.worker();
        long threshold = 300 * MS;
        instance.handle(List.of(connect("me")));
        assertFalse(worker.stuck(threshold));
        assertFalse(worker.inCall());

        block.set(true);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<List<OutboundMessage>> publishing = thread.submit(
                    () -> instance.handle(List.of(requests.publish("me", "orders", "stuck"))));
            assertTrue(blocked.await(10, TimeUnit.SECONDS), "the worker reached the store");
            assertTrue(worker.inCall());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!worker.stuck(threshold) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(worker.stuck(threshold), "stuck after the threshold: silent " + worker.silentNanos());
            assertTrue(worker.silentNanos() > threshold);
            assertFalse(publishing.isDone(), "the worker is still blocked");

            release.countDown();
            List<OutboundMessage> acked = publishing.get(10, TimeUnit.SECONDS);
            assertEquals(1, acked.size(), "the PubAck once the store answered: " + acked);
            assertFalse(worker.inCall());
            assertFalse(worker.stuck(threshold), "live again: silent " + worker.silentNanos());
            assertTrue(worker.silentNanos() < threshold);
        } finally {
            release.countDown();
            thread.shutdownNow();
        }
    }

    @Test
    void aRecoveryIsLongWorkNotAStall() {
        AtomicLong clock = new AtomicLong(0);
        WorkerHeartbeat worker = new WorkerHeartbeat(clock::get);
        assertFalse(worker.stuck(10), "never called: not started, not stuck");
        worker.enter();
        worker.recovering(true);
        clock.addAndGet(100);
        assertTrue(worker.recovering());
        assertFalse(worker.stuck(10), "recovering for 100 ns: alive");
        worker.recovering(false);
        clock.addAndGet(11);
        assertTrue(worker.stuck(10), "silent 11 ns after the recovery, still in the call");
        worker.leave();
        assertFalse(worker.stuck(10));
    }
}
