package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.Ping;
import io.stanee.protocol.pb.Protocol.PingResponse;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.ra.InboundMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.stanee.core.TestServer.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How the server meets a database that breaks, hangs or goes away (issue 16): a connection that broke before the
 * commit costs the clients nothing; a timeout or a lost database fails the whole batch at once and, until a probe
 * finds the database back, every request that needs the store fails without asking it, while pings are answered.
 */
class StanServerStoreOutageTest {

    private final TestServer stan = new TestServer();

    private static InboundMessage ping(String clientId) {
        Ping ping = Ping.newBuilder().setConnID(ByteString.copyFromUtf8("conn-" + clientId)).build();
        return new InboundMessage(Subjects.pings(TestServer.SUBJECTS), "_INBOX." + clientId + ".ping",
                ping.toByteArray());
    }

    private List<Long> storedSequences() {
        return stan.memory.messages(1, 1, 100).stream().map(m -> m.sequence()).toList();
    }

    @Test
    void aBatchWhoseConnectionBrokeBeforeTheCommitIsWrittenAgainAndEveryPublishIsAcknowledged() {
        stan.send(connect("me"));
        stan.store.asLostConnection().failApplies("FATAL: terminating connection due to administrator command", 1);
        int appliesBefore = stan.store.applies();
        InboundMessage a = stan.publish("me", "orders", "a");
        InboundMessage b = stan.publish("me", "orders", "b");
        TestServer.Out out = stan.send(a, b);

        assertEquals("", out.reply(a, PubAck.parser()).getError());
        assertEquals("", out.reply(b, PubAck.parser()).getError());
        assertEquals(2, stan.store.applies() - appliesBefore, "the failed batch, then the same batch once more");
        assertEquals(List.of(1L, 2L), storedSequences(), "written once, without a gap");
        assertEquals(0, stan.server.stats().storeFailures(), "invisible: not counted as a failure");
    }

    @Test
    void aTimeoutFailsTheWholeBatchAtOnceWhilePingsAreAnswered() {
        stan.send(connect("me"));
        stan.store.asTimeout().failApplies("ERROR: canceling statement due to statement timeout", 1);
        int appliesBefore = stan.store.applies();
        InboundMessage a = stan.publish("me", "orders", "a");
        InboundMessage b = stan.publish("me", "orders", "b");
        InboundMessage c = stan.publish("me", "orders", "c");
        InboundMessage ping = ping("me");
        TestServer.Out out = stan.send(a, ping, b, c);

        for (InboundMessage pub : List.of(a, b, c)) {
            assertEquals("stan: store error: ERROR: canceling statement due to statement timeout",
                    out.reply(pub, PubAck.parser()).getError());
        }
        assertEquals("", out.reply(ping, PingResponse.parser()).getError(), "the ping of the batch is answered");
        assertEquals(1, stan.store.applies() - appliesBefore, "no one-by-one retry, each waiting for the timeout");
        assertEquals(List.of(), storedSequences());
    }

    @Test
    void whileTheDatabaseIsOutRequestsFailWithoutAskingItUntilAProbeFindsItBack() {
        stan.server.reconnectWindow(Duration.ZERO);
        stan.send(connect("me"));
        stan.store.asLostConnection().reachable(false).failBatches("Connection to 127.0.0.1:5440 refused", batch -> true);
        InboundMessage first = stan.publish("me", "orders", "first");
        assertEquals("stan: store error: Connection to 127.0.0.1:5440 refused",
                stan.send(first).reply(first, PubAck.parser()).getError());
        int appliesWhileOut = stan.store.applies();

        InboundMessage second = stan.publish("me", "orders", "second");
        InboundMessage ping = ping("me");
        TestServer.Out out = stan.send(second, ping);
        assertEquals("stan: store error: Connection to 127.0.0.1:5440 refused",
                out.reply(second, PubAck.parser()).getError());
        assertEquals("", out.reply(ping, PingResponse.parser()).getError());
        assertEquals(appliesWhileOut, stan.store.applies(), "failed at once, without asking the database");

        int probes = stan.store.probes();
        stan.tick();
        assertEquals(probes, stan.store.probes(), "no new probe before the interval");
        stan.store.heal();
        stan.store.reachable(true);
        stan.advance(StoreOutage.PROBE_INTERVAL);
        stan.tick(); // starts the probe
        stan.tick(); // collects its answer
        InboundMessage third = stan.publish("me", "orders", "third");
        assertEquals("", stan.send(third).reply(third, PubAck.parser()).getError(), "served again by itself");
        assertEquals(List.of(1L), storedSequences(), "the failed publishes took no sequence");
    }

    @Test
    void aDataErrorIsStillIsolatedRequestByRequest() {
        stan.send(connect("me"));
        stan.store.failApplies("value too long for type character varying(1024)", 1);
        int appliesBefore = stan.store.applies();
        InboundMessage a = stan.publish("me", "orders", "a");
        InboundMessage b = stan.publish("me", "orders", "b");
        TestServer.Out out = stan.send(a, b);
        assertEquals("", out.reply(a, PubAck.parser()).getError());
        assertEquals("", out.reply(b, PubAck.parser()).getError());
        assertEquals(3, stan.store.applies() - appliesBefore, "the batch, then each request alone");
    }

    @Test
    void aCommitWhoseConnectionBrokeButWasMadeIsAcknowledgedWithoutWritingItAgain() {
        stan.send(connect("me"));
        stan.store.asLostConnectionAtCommit().afterWriting()
                .failApplies("FATAL: terminating connection due to administrator command", 1);
        int appliesBefore = stan.store.applies();
        InboundMessage a = stan.publish("me", "orders", "a");
        InboundMessage b = stan.publish("me", "orders", "b");
        TestServer.Out out = stan.send(a, b);

        assertEquals("", out.reply(a, PubAck.parser()).getError());
        assertEquals("", out.reply(b, PubAck.parser()).getError());
        assertEquals(1, stan.store.applies() - appliesBefore, "the database had it: not written again");
        assertEquals(List.of(1L, 2L), storedSequences());
        InboundMessage c = stan.publish("me", "orders", "c");
        assertEquals("", stan.send(c).reply(c, PubAck.parser()).getError());
        assertEquals(List.of(1L, 2L, 3L), storedSequences(), "the next publish follows without a gap");
    }

    @Test
    void aCommitWhoseConnectionBrokeAndWasNotMadeIsWrittenAgain() {
        stan.send(connect("me"));
        stan.store.asLostConnectionAtCommit()
                .failApplies("FATAL: terminating connection due to administrator command", 1);
        int appliesBefore = stan.store.applies();
        InboundMessage a = stan.publish("me", "orders", "a");
        TestServer.Out out = stan.send(a);

        assertEquals("", out.reply(a, PubAck.parser()).getError());
        assertEquals(2, stan.store.applies() - appliesBefore, "not made: written again");
        assertEquals(List.of(1L), storedSequences());
    }

    @Test
    void aCommitThatTimedOutStaysUncertainAndFails() {
        stan.send(connect("me"));
        stan.store.asTimeout().afterWriting().failApplies("Read timed out", 1);
        InboundMessage a = stan.publish("me", "orders", "a");
        assertEquals("stan: store error: Read timed out", stan.send(a).reply(a, PubAck.parser()).getError());
        stan.store.heal();
        stan.tick(); // the probe finds the database back
        InboundMessage b = stan.publish("me", "orders", "b");
        assertEquals("", stan.send(b).reply(b, PubAck.parser()).getError());
        assertEquals(List.of(1L, 2L), storedSequences(), "the uncertain commit was made: the next one follows it");
    }
}
