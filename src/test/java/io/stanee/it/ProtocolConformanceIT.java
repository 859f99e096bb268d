package io.stanee.it;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.streaming.Message;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.pb.Protocol.CloseRequest;
import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectRequest;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.protocol.pb.Protocol.SubscriptionRequest;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.pb.Protocol.UnsubscribeRequest;
import io.stanee.testing.LibertyServer;
import io.stanee.testing.ServerView;
import io.stanee.testing.StanClients;
import io.stanee.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The STAN protocol as clients see it, against a real Liberty + nats-server: each test is one behaviour of the
 * Go nats-streaming-server, driven through the official Java client (or raw NATS where the client would refuse
 * to send what is being tested), asserting data, sequences, flags, timing bounds and error strings.
 * The server runs with short heartbeats (1 s, 2 failures) so that liveness is testable in seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolConformanceIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LibertyServer liberty = new LibertyServer();
    private final ServerView view = new ServerView(liberty);
    private Connection nats;

    @BeforeAll
    void start() throws Exception {
        liberty.stop();
        liberty.deleteDerbyDatabase();
        Map<String, String> variables = new java.util.LinkedHashMap<>(TestDatabase.DERBY.libertyVariables(liberty));
        variables.put("stan.hb_interval", "1s");
        variables.put("stan.hb_timeout", "500ms");
        variables.put("stan.hb_fail_count", "2");
        liberty.configure(variables).start();
        nats = Nats.connect(StanClients.NATS_URL);
    }

    @AfterAll
    void stop() throws Exception {
        nats.close();
        liberty.stop();
    }

    private static String channel(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] payload(int i) {
        return ("m" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static void publish(StreamingConnection connection, String channel, int from, int to) throws Exception {
        for (int i = from; i <= to; i++) {
            connection.publish(channel, payload(i));
        }
    }

    private static List<Long> sequences(BlockingQueue<Message> queue, int count) throws InterruptedException {
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(message != null, "message " + (i + 1) + " of " + count + " (got " + sequences + ")");
            sequences.add(message.getSequence());
        }
        return sequences;
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(i);
        }
        return list;
    }

    private byte[] request(String subject, byte[] data) throws Exception {
        return nats.request(subject, data, WAIT).getData();
    }

    // ---- connect -------------------------------------------------------------------------------------------

    @Test
    void connectRejectsAnInvalidClientId() {
        IOException error = assertThrows(IOException.class, () -> StanClients.connect("not.valid"));
        assertEquals("stan: invalid clientID: only alphanumeric and `-` or `_` characters allowed",
                error.getMessage());
    }

    @Test
    void connectWithoutHeartbeatInboxIsAnInvalidConnectionRequest() throws Exception {
        ConnectResponse response = ConnectResponse.parseFrom(request("_STAN.discover.test-cluster",
                ConnectRequest.newBuilder().setClientID("no-inbox").build().toByteArray()));
        assertEquals("stan: invalid connection request", response.getError());
    }

    @Test
    void connectResponseCarriesTheServersSubjectsAndEchoesThePingSettings() throws Exception {
        ConnectResponse response = ConnectResponse.parseFrom(request("_STAN.discover.test-cluster",
                ConnectRequest.newBuilder().setClientID("raw-connect").setHeartbeatInbox("_INBOX.raw-hb")
                        .setProtocol(1).setConnID(com.google.protobuf.ByteString.copyFromUtf8("conn-1"))
                        .setPingInterval(7).setPingMaxOut(9).build().toByteArray()));
        assertEquals("", response.getError());
        assertEquals("_STAN.pub.test-cluster", response.getPubPrefix());
        assertEquals("_STAN.sub.test-cluster", response.getSubRequests());
        assertEquals("_STAN.unsub.test-cluster", response.getUnsubRequests());
        assertEquals("_STAN.close.test-cluster", response.getCloseRequests());
        assertEquals("_STAN.subclose.test-cluster", response.getSubCloseRequests());
        assertEquals("_STAN.discover.test-cluster.pings", response.getPingRequests());
        assertEquals(7, response.getPingInterval());
        assertEquals(9, response.getPingMaxOut());
        assertEquals(1, response.getProtocol());
        request("_STAN.close.test-cluster", CloseRequest.newBuilder().setClientID("raw-connect").build().toByteArray());
    }

    @Test
    void aClientIdWhoseHolderStoppedAnsweringIsGivenToTheNewcomer() throws Exception {
        StreamingConnection first = StanClients.connect("taken-over");
        first.getNatsConnection().close(); // the old client dies without closing
        // the server probes the old holder's heartbeat inbox: nobody answers, so the ID changes hands
        try (StreamingConnection second = StanClients.connect("taken-over")) {
            second.publish(channel("taken-over"), payload(1));
        }
    }

    @Test
    void aProtocolZeroClientIsServedByClientIdWithoutPings() throws Exception {
        ConnectResponse response = ConnectResponse.parseFrom(request("_STAN.discover.test-cluster",
                ConnectRequest.newBuilder().setClientID("protocol-zero").setHeartbeatInbox("_INBOX.p0-hb")
                        .build().toByteArray()));
        assertEquals("", response.getError());
        assertEquals("", response.getPingRequests(), "no pings for protocol 0");
        assertEquals(0, response.getPingInterval());
        PubAck ack = PubAck.parseFrom(request(response.getPubPrefix() + ".p0", PubMsg.newBuilder()
                .setClientID("protocol-zero").setGuid("p0-1").setSubject("p0-" + UUID.randomUUID())
                .setData(com.google.protobuf.ByteString.copyFromUtf8("old client")).build().toByteArray()));
        assertEquals("p0-1", ack.getGuid());
        assertEquals("", ack.getError());
        request(response.getCloseRequests(), CloseRequest.newBuilder().setClientID("protocol-zero").build()
                .toByteArray());
    }

    // ---- heartbeats and pings ------------------------------------------------------------------------------

    @Test
    void aClientThatStopsAnsweringHeartbeatsIsClosedAndItsDurablesStay() throws Exception {
        String channel = channel("hb");
        StreamingConnection dying = StanClients.connect("hb-dying");
        dying.subscribe(channel, m -> { }, new SubscriptionOptions.Builder().durableName("keep").build());
        dying.getNatsConnection().close();
        assertTrue(view.client("hb-dying").isPresent(), "the silent client is still registered at first");
        // 1 s interval, 0.5 s timeout, closed after more than 2 failures: well within 10 s, and by the
        // heartbeats alone (no reconnect with its ID has happened to probe it)
        ServerView.await("the silent client closed by its failed heartbeats", WAIT,
                () -> view.client("hb-dying").isEmpty());
        try (StreamingConnection publisher = StanClients.connect("hb-publisher")) {
            publish(publisher, channel, 1, 3);
        }
        // the server closed the client, so its durable is offline and resumable, from where it was
        try (StreamingConnection back = StanClients.connect("hb-dying")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            back.subscribe(channel, received::add, new SubscriptionOptions.Builder().durableName("keep").build());
            assertEquals(range(1, 3), sequences(received, 3));
        }
    }

    @Test
    void aPingForAClientTheServerNoLongerKnowsReportsTheConnectionLost() throws Exception {
        CompletableFuture<String> lost = new CompletableFuture<>();
        StreamingConnection connection = StanClients.connect("ping-lost", options -> options
                .pingInterval(Duration.ofSeconds(1)).maxPingsOut(3)
                .connectionLostHandler((conn, error) -> lost.complete(error.getMessage())));
        CloseResponse closed = CloseResponse.parseFrom(request("_STAN.close.test-cluster",
                CloseRequest.newBuilder().setClientID("ping-lost").build().toByteArray()));
        assertEquals("", closed.getError());
        assertTrue(lost.get(10, TimeUnit.SECONDS).contains("client has been replaced or is no longer registered"));
        if (connection.getNatsConnection() != null) {
            connection.getNatsConnection().close();
        }
    }

    // ---- publish -------------------------------------------------------------------------------------------

    @Test
    void publishingToAnInvalidSubjectIsRefused() throws Exception {
        try (StreamingConnection connection = StanClients.connect("bad-subject")) {
            for (String subject : List.of("foo.*", "foo.>")) {
                IOException error = assertThrows(IOException.class, () -> connection.publish(subject, payload(1)),
                        subject);
                assertEquals("stan: invalid publish request", error.getMessage(), subject);
            }
            // the Java client refuses to send names with empty tokens itself: sent raw, as other clients could
            for (String subject : List.of("foo..bar", ".foo", "foo.", "a/b")) {
                PubAck ack = PubAck.parseFrom(request("_STAN.pub.test-cluster.x", PubMsg.newBuilder()
                        .setClientID("bad-subject").setGuid("g-" + subject).setSubject(subject).build().toByteArray()));
                assertEquals("stan: invalid publish request", ack.getError(), subject);
                assertEquals("g-" + subject, ack.getGuid());
            }
        }
    }

    @Test
    void aPublishFromAnUnknownClientIsRefusedWithItsGuid() throws Exception {
        PubAck ack = PubAck.parseFrom(request("_STAN.pub.test-cluster.ghost",
                PubMsg.newBuilder().setClientID("nobody").setGuid("g-1").setSubject("ghost")
                        .setData(com.google.protobuf.ByteString.copyFromUtf8("x")).build().toByteArray()));
        assertEquals("g-1", ack.getGuid());
        assertEquals("stan: invalid publish request", ack.getError());
    }

    @Test
    void sequencesPerChannelHaveNoGapsAndTimestampsDoNotGoBack() throws Exception {
        String a = channel("seq-a");
        String b = channel("seq-b");
        try (StreamingConnection connection = StanClients.connect("sequences")) {
            for (int i = 1; i <= 20; i++) {
                connection.publish(i % 2 == 0 ? a : b, payload(i));
            }
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(a, received::add, new SubscriptionOptions.Builder().deliverAllAvailable().build());
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messages.add(received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, messages.get(i).getSequence());
                if (i > 0) {
                    assertTrue(messages.get(i).getTimestamp() >= messages.get(i - 1).getTimestamp());
                }
            }
        }
    }

    // ---- subscribe: validation and start positions ---------------------------------------------------------

    @Test
    void subscriptionRequestsAreValidatedInTheGoServersOrder() throws Exception {
        SubscriptionRequest valid = SubscriptionRequest.newBuilder().setClientID("validation").setSubject("v")
                .setInbox("_INBOX.v").setMaxInFlight(1).setAckWaitInSecs(30).build();
        try (StreamingConnection ignored = StanClients.connect("validation")) {
            assertEquals("stan: clientID missing", subscribeError(valid.toBuilder().setClientID("").build()));
            assertEquals("stan: invalid ack wait time, should be >= 1s",
                    subscribeError(valid.toBuilder().setAckWaitInSecs(0).build()));
            assertEquals("stan: invalid MaxInflight, should be >= 1",
                    subscribeError(valid.toBuilder().setMaxInFlight(0).build()));
            assertEquals("stan: invalid start position",
                    subscribeError(valid.toBuilder().setStartPositionValue(7).build()));
            assertEquals("stan: invalid subject", subscribeError(valid.toBuilder().setSubject("v.*").build()));
            assertEquals("stan: unknown clientID", subscribeError(valid.toBuilder().setClientID("stranger").build()));
            assertEquals("stan: durable name of a durable queue subscriber can't contain the character ':'",
                    subscribeError(valid.toBuilder().setQGroup("g").setDurableName("a:b").build()));
            assertEquals("stan: invalid subscription request", subscribeError(new byte[]{(byte) 0xff, 1, 2}));
        }
    }

    private String subscribeError(SubscriptionRequest request) throws Exception {
        return subscribeError(request.toByteArray());
    }

    private String subscribeError(byte[] data) throws Exception {
        return SubscriptionResponse.parseFrom(request("_STAN.sub.test-cluster", data)).getError();
    }

    @Test
    void startPositionsPickTheFirstMessage() throws Exception {
        String channel = channel("start");
        try (StreamingConnection connection = StanClients.connect("start-positions")) {
            publish(connection, channel, 1, 10);
            assertEquals(range(4, 10), firstMessages(connection, channel,
                    new SubscriptionOptions.Builder().startAtSequence(4).build(), 7));
            assertEquals(List.of(10L), firstMessages(connection, channel,
                    new SubscriptionOptions.Builder().startWithLastReceived().build(), 1));
            assertEquals(range(1, 10), firstMessages(connection, channel,
                    new SubscriptionOptions.Builder().deliverAllAvailable().build(), 10));
            assertEquals(range(1, 10), firstMessages(connection, channel,
                    new SubscriptionOptions.Builder().startAtTimeDelta(Duration.ofMinutes(5)).build(), 10));
            // a start sequence past the end means new messages only
            BlockingQueue<Message> later = new LinkedBlockingQueue<>();
            Subscription sub = connection.subscribe(channel, later::add,
                    new SubscriptionOptions.Builder().startAtSequence(100).build());
            connection.publish(channel, payload(11));
            assertEquals(List.of(11L), sequences(later, 1));
            sub.unsubscribe();
        }
    }

    private List<Long> firstMessages(StreamingConnection connection, String channel,
                                     SubscriptionOptions options, int count) throws Exception {
        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        Subscription sub = connection.subscribe(channel, received::add, options);
        List<Long> sequences = sequences(received, count);
        // in order up to the channel's last message: nothing more can come (no redelivery before the ack wait)
        assertEquals(view.lastSequence(channel), sequences.get(sequences.size() - 1), "up to the last message");
        assertTrue(received.isEmpty(), "no more than " + count + ": " + received);
        sub.unsubscribe();
        return sequences;
    }

    // ---- acks and redelivery -------------------------------------------------------------------------------

    @Test
    void anUnacknowledgedMessageIsRedeliveredAfterTheAckWaitFlaggedRedelivered() throws Exception {
        String channel = channel("redeliver");
        try (StreamingConnection connection = StanClients.connect("redelivery")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, new SubscriptionOptions.Builder().manualAcks()
                    .ackWait(Duration.ofSeconds(1)).build());
            connection.publish(channel, payload(1));
            Message first = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertFalse(first.isRedelivered());
            long sent = System.nanoTime();
            Message again = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertEquals(1, again.getSequence());
            assertTrue(again.isRedelivered());
            assertArrayEquals(payload(1), again.getData());
            assertTrue(millis >= 800 && millis < 3000, "redelivered after about the ack wait: " + millis + " ms");
            again.ack();
            // the server has the ack: nothing is pending, so nothing will come again
            view.awaitAcknowledged(channel, "redelivery");
            assertTrue(received.isEmpty(), "an acknowledged message is not redelivered: " + received);
        }
    }

    @Test
    void acksForUnknownSequencesAreIgnored() throws Exception {
        String channel = channel("unknown-ack");
        try (StreamingConnection connection = StanClients.connect("unknown-ack")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription sub = connection.subscribe(channel, received::add, new SubscriptionOptions.Builder()
                    .manualAcks().maxInFlight(1).build());
            connection.publish(channel, payload(1));
            Message first = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // acks of sequences never sent, garbage on the ack inbox: nothing happens, nothing is unblocked
            nats.publish(sub.getAckInbox(), io.stanee.protocol.pb.Protocol.Ack.newBuilder().setSubject(channel)
                    .setSequence(99).build().toByteArray());
            nats.publish(sub.getAckInbox(), new byte[]{(byte) 0xff, 0x01});
            connection.publish(channel, payload(2)); // acknowledged: stored, and delivered if it could be
            jakarta.json.JsonObject held = view.subscriptions(channel, "unknown-ack").get(0);
            assertEquals(1, held.getJsonNumber("last_sent").longValue(), "maxInFlight 1 still holds message 2 back");
            assertTrue(held.getBoolean("is_stalled"), "stalled on the unacknowledged message: " + held);
            assertTrue(received.isEmpty(), "nothing but message 1 arrived: " + received);
            first.ack();
            assertEquals(List.of(2L), sequences(received, 1));
        }
    }

    @Test
    void redeliveriesCarryTheirCount() throws Exception {
        String channel = channel("redelivery-count");
        try (StreamingConnection publisher = StanClients.connect("redelivery-count")) {
            // a raw subscriber, to read MsgProto.redeliveryCount, which the Java client does not expose
            io.nats.client.Subscription inbox = nats.subscribe("_INBOX.count-" + channel);
            nats.flush(WAIT);
            SubscriptionResponse response = SubscriptionResponse.parseFrom(request("_STAN.sub.test-cluster",
                    SubscriptionRequest.newBuilder().setClientID("redelivery-count").setSubject(channel)
                            .setInbox("_INBOX.count-" + channel).setMaxInFlight(10).setAckWaitInSecs(1)
                            .build().toByteArray()));
            assertEquals("", response.getError());
            publisher.publish(channel, payload(1));
            for (int expected = 0; expected <= 2; expected++) {
                io.nats.client.Message delivered = inbox.nextMessage(WAIT);
                assertTrue(delivered != null, "delivery " + expected);
                io.stanee.protocol.pb.Protocol.MsgProto message =
                        io.stanee.protocol.pb.Protocol.MsgProto.parseFrom(delivered.getData());
                assertEquals(1, message.getSequence());
                assertEquals(expected > 0, message.getRedelivered());
                assertEquals(expected, message.getRedeliveryCount(), "redelivery count");
            }
            nats.publish(response.getAckInbox(), io.stanee.protocol.pb.Protocol.Ack.newBuilder()
                    .setSubject(channel).setSequence(1).build().toByteArray());
            view.awaitAcknowledged(channel, "redelivery-count"); // nothing pending: nothing more to redeliver
        }
    }

    // ---- durables ------------------------------------------------------------------------------------------

    @Test
    void aDurableResumesAfterTheConnectionClosedFromWhereItAcknowledged() throws Exception {
        String channel = channel("durable");
        SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("dur").deliverAllAvailable()
                .build();
        try (StreamingConnection connection = StanClients.connect("durable-client")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, durable);
            publish(connection, channel, 1, 5);
            assertEquals(range(1, 5), sequences(received, 5));
            view.awaitAcknowledged(channel, "durable-client"); // the auto acks reached the server before the close
        }
        try (StreamingConnection publisher = StanClients.connect("durable-publisher")) {
            publish(publisher, channel, 6, 10);
        }
        try (StreamingConnection connection = StanClients.connect("durable-client")) {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            connection.subscribe(channel, received::add, durable);
            assertEquals(range(6, 10), sequences(received, 5));
            assertEquals(10, view.lastSequence(channel), "the last message came: nothing follows it");
            assertTrue(received.isEmpty(), "no redelivery of 1..5: " + received);
        }
    }

    @Test
    void aSecondRegistrationOfAnOnlineDurableIsRefused() throws Exception {
        String channel = channel("dup-durable");
        try (StreamingConnection connection = StanClients.connect("dup-durable")) {
            SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("once").build();
            connection.subscribe(channel, m -> { }, durable);
            IOException error = assertThrows(IOException.class, () -> connection.subscribe(channel, m -> { }, durable));
            assertEquals("stan: duplicate durable registration", error.getMessage());
        }
    }

    @Test
    void unsubscribeForgetsADurableButSubscriptionCloseKeepsIt() throws Exception {
        String channel = channel("dur-close");
        SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("d").deliverAllAvailable()
                .build();
        try (StreamingConnection connection = StanClients.connect("dur-close")) {
            publish(connection, channel, 1, 3);
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription sub = connection.subscribe(channel, received::add, durable);
            assertEquals(range(1, 3), sequences(received, 3));
            view.awaitAcknowledged(channel, "dur-close");
            sub.close(); // protocol 1 subscription close: the durable stays
            connection.publish(channel, payload(4));
            sub = connection.subscribe(channel, received::add, durable);
            assertEquals(List.of(4L), sequences(received, 1), "resumed after the close");
            view.awaitAcknowledged(channel, "dur-close");
            sub.unsubscribe(); // the durable is gone: the next one starts anew
            sub = connection.subscribe(channel, received::add, durable);
            assertEquals(range(1, 4), sequences(received, 4), "a new durable delivers all again");
            sub.unsubscribe();
        }
    }

    // ---- queue groups --------------------------------------------------------------------------------------

    @Test
    void eachMessageGoesToExactlyOneMemberOfAQueueGroup() throws Exception {
        String channel = channel("queue");
        try (StreamingConnection a = StanClients.connect("queue-a"); StreamingConnection b = StanClients.connect("queue-b")) {
            BlockingQueue<Message> toA = new LinkedBlockingQueue<>();
            BlockingQueue<Message> toB = new LinkedBlockingQueue<>();
            a.subscribe(channel, "workers", toA::add);
            b.subscribe(channel, "workers", toB::add);
            publish(a, channel, 1, 100);
            Set<Long> seen = new HashSet<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (seen.size() < 100 && System.nanoTime() < deadline) {
                Message m = toA.poll(10, TimeUnit.MILLISECONDS);
                if (m == null) {
                    m = toB.poll(10, TimeUnit.MILLISECONDS);
                }
                if (m != null) {
                    assertTrue(seen.add(m.getSequence()), "delivered twice: " + m.getSequence());
                }
            }
            assertEquals(100, seen.size());
            // both members' acks processed: nothing pending, so no message can come a second time
            view.awaitAcknowledged(channel, "queue-a");
            view.awaitAcknowledged(channel, "queue-b");
            assertTrue(toA.isEmpty() && toB.isEmpty(), "nothing delivered twice: " + toA + toB);
        }
    }

    @Test
    void aLeavingMembersUnacknowledgedMessagesGoToTheOthers() throws Exception {
        String channel = channel("queue-leave");
        try (StreamingConnection a = StanClients.connect("leave-a"); StreamingConnection b = StanClients.connect("leave-b")) {
            BlockingQueue<Message> toA = new LinkedBlockingQueue<>();
            BlockingQueue<Message> toB = new LinkedBlockingQueue<>();
            // a holds on to its messages (manual acks, never acked)
            Subscription holder = a.subscribe(channel, "grp", toA::add, new SubscriptionOptions.Builder()
                    .manualAcks().ackWait(Duration.ofSeconds(60)).maxInFlight(5).build());
            publish(a, channel, 1, 5);
            assertEquals(range(1, 5), sequences(toA, 5));
            b.subscribe(channel, "grp", toB::add);
            holder.unsubscribe();
            List<Long> handedOver = sequences(toB, 5);
            assertEquals(range(1, 5), handedOver.stream().sorted().toList());
        }
    }

    @Test
    void aDurableQueueGroupKeepsItsPositionWhenItsLastMemberLeaves() throws Exception {
        String channel = channel("dqueue");
        SubscriptionOptions durable = new SubscriptionOptions.Builder().durableName("dq").deliverAllAvailable()
                .build();
        try (StreamingConnection connection = StanClients.connect("dqueue")) {
            publish(connection, channel, 1, 3);
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            Subscription member = connection.subscribe(channel, "grp", received::add, durable);
            assertEquals(range(1, 3), sequences(received, 3));
            view.awaitAcknowledged(channel, "dqueue");
            member.close();
            publish(connection, channel, 4, 6);
            member = connection.subscribe(channel, "grp", received::add, durable);
            assertEquals(range(4, 6), sequences(received, 3), "the group resumes after its last member left");
            member.unsubscribe();
        }
    }

    // ---- unsubscribe and close errors ----------------------------------------------------------------------

    @Test
    void unsubscribeAndCloseRequestsForUnknownThingsGetTheGoErrors() throws Exception {
        try (StreamingConnection connection = StanClients.connect("unknowns")) {
            String channel = channel("unknowns");
            connection.publish(channel, payload(1));
            assertEquals("stan: unknown channel", unsubscribeError(UnsubscribeRequest.newBuilder()
                    .setClientID("unknowns").setSubject("never-used").setInbox("x").build().toByteArray()));
            assertEquals("stan: invalid subscription", unsubscribeError(UnsubscribeRequest.newBuilder()
                    .setClientID("unknowns").setSubject(channel).setInbox("_INBOX.none").build().toByteArray()));
            assertEquals("stan: invalid unsubscribe request", unsubscribeError(new byte[]{(byte) 0xff, 0x01}));
            Subscription sub = connection.subscribe(channel, m -> { });
            assertEquals("stan: unknown clientID", unsubscribeError(UnsubscribeRequest.newBuilder()
                    .setClientID("someone-else").setSubject(channel).setInbox(sub.getAckInbox()).build().toByteArray()));
            assertEquals("stan: unknown clientID", CloseResponse.parseFrom(request("_STAN.close.test-cluster",
                    CloseRequest.newBuilder().setClientID("nobody-here").build().toByteArray())).getError());
            assertEquals("stan: invalid close request", CloseResponse.parseFrom(request("_STAN.close.test-cluster",
                    new byte[]{(byte) 0xff, 0x01})).getError());
        }
    }

    private String unsubscribeError(byte[] data) throws Exception {
        return SubscriptionResponse.parseFrom(request("_STAN.unsub.test-cluster", data)).getError();
    }

    // ---- hostile input -------------------------------------------------------------------------------------

    @Test
    void garbageOnEverySubjectGetsAnErrorOrNothingAndTheServerKeepsWorking() throws Exception {
        byte[][] garbage = {new byte[0], {(byte) 0xff, (byte) 0xff, (byte) 0xff}, {0x0a, (byte) 0x80},
                "plain text".getBytes(StandardCharsets.UTF_8), new byte[100_000]};
        for (byte[] data : garbage) {
            ConnectResponse connect = ConnectResponse.parseFrom(request("_STAN.discover.test-cluster", data));
            assertEquals("stan: invalid connection request", connect.getError());
            PubAck ack = PubAck.parseFrom(request("_STAN.pub.test-cluster.garbage", data));
            assertTrue(ack.getError().equals("stan: invalid publish request"), ack.getError());
            String sub = SubscriptionResponse.parseFrom(request("_STAN.sub.test-cluster", data)).getError();
            assertTrue(sub.startsWith("stan: "), sub);
            // acks and pings with garbage get no answer at all
            nats.publish("_STAN.ack.test-cluster.garbage", data);
            nats.publish("_STAN.discover.test-cluster.pings", data);
        }
        // still serving, nothing stored for the garbage
        String channel = channel("after-garbage");
        try (StreamingConnection connection = StanClients.connect("after-garbage")) {
            connection.publish(channel, payload(1));
            assertEquals(List.of(1L), firstMessages(connection, channel,
                    new SubscriptionOptions.Builder().deliverAllAvailable().build(), 1));
        }
    }
}
