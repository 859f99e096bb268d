package io.stanee.store.jpa;

import com.google.protobuf.Message;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.store.LockAttempt;
import io.stanee.store.MessageTotals;
import io.stanee.store.StoreLockLostException;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreException;
import io.stanee.store.StoreOp;
import io.stanee.store.StoredMessage;
import io.stanee.store.StoredRange;
import jakarta.ejb.EJB;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.naming.InitialContext;
import javax.sql.DataSource;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store service in a real Open Liberty (Arquillian, managed container): the EJB, its JTA transactions and
 * the JPA mapping onto the Go server's tables. One suite, run against each database by a subclass that deploys
 * it with a persistence unit on that database's datasource (see the "arquillian" server's server.xml).
 */
abstract class JpaStoreContract {

    /**
     * A test application whose persistence unit uses the given datasource; it carries the database's create and
     * drop scripts of {@code sql/}.
     */
    static WebArchive deployment(String name, String jndiName, String dialect) throws Exception {
        File protobuf = new File(Message.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String persistence = Files.readString(Path.of("src/main/resources/META-INF/persistence.xml"))
                .replace("<jta-data-source>jdbc/stanee</jta-data-source>",
                        "<jta-data-source>" + jndiName + "</jta-data-source>");
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addPackages(true, "io.stanee.store", "io.stanee.protocol")
                .addAsResource(new StringAsset(persistence), "META-INF/persistence.xml")
                .setWebXML(new StringAsset(webXml(jndiName)))
                .addAsResource(new File("sql/derby.db.sql"), "META-INF/sql/derby.db.sql")
                .addAsResource(new File("sql/" + dialect + ".db.sql"), "META-INF/sql/create.sql")
                .addAsResource(new File("sql/drop_" + dialect + ".db.sql"), "META-INF/sql/drop.sql")
                .addAsLibraries(protobuf)
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** Binds the store's reference to its datasource ("jdbc/stanee") to the given one. */
    private static String webXml(String jndiName) {
        return """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <resource-ref>
                    <res-ref-name>jdbc/stanee</res-ref-name>
                    <res-type>javax.sql.DataSource</res-type>
                    <lookup-name>%s</lookup-name>
                  </resource-ref>
                </web-app>
                """.formatted(jndiName);
    }

    /** Set once per deployment: the schema is made anew from the DBA scripts before its first test. */
    private static boolean schemaCreated;

    @EJB
    Store store;

    DataSource dataSource;

    /** What the database needs before the DBA script can run (nothing, but for PostgreSQL's schema). */
    void prepareDatabase(Statement statement) throws SQLException {
    }

    @BeforeEach
    void emptyStore() throws Exception {
        // the store's own reference, as web.xml bound it: the tests read and write where the store does
        dataSource = InitialContext.doLookup("java:comp/env/jdbc/stanee");
        if (!schemaCreated) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                prepareDatabase(statement);
            }
            runScript("/META-INF/sql/drop.sql", true); // Derby has no IF EXISTS: a missing table fails, as in ij
            runScript("/META-INF/sql/create.sql", false);
            schemaCreated = true;
        }
        SchemaGuard.verify(dataSource);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : SchemaGuard.TABLES.keySet()) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    private void runScript(String resource, boolean carryOnAfterFailure) throws Exception {
        String script;
        try (InputStream in = JpaStoreContract.class.getResourceAsStream(resource)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : SqlScript.statements(script)) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    if (!carryOnAfterFailure) {
                        throw e;
                    }
                }
            }
        }
    }

    private static byte[] msg(String channel, long seq) {
        return MsgProto.newBuilder().setSequence(seq).setSubject(channel)
                .setData(com.google.protobuf.ByteString.copyFromUtf8("payload " + seq))
                .setTimestamp(1_000_000L * seq).build().toByteArray();
    }

    private void apply(StoreOp... ops) {
        StoreBatch batch = new StoreBatch();
        for (StoreOp op : ops) {
            batch.add(op);
        }
        store.apply(batch);
    }

    @Test
    void aBatchOfPublishesIsStoredAndRecovered() throws Exception {
        StoreBatch batch = new StoreBatch();
        batch.add(new StoreOp.InitServer("test-cluster", new byte[]{1, 2, 3}));
        batch.add(new StoreOp.CreateChannel(1, "orders", 1_000_000, 1_024_000_000L, 0));
        long bytes = 0;
        for (long seq = 1; seq <= 1000; seq++) {
            byte[] data = msg("orders", seq);
            bytes += data.length;
            batch.add(new StoreOp.AddMessage(1, seq, 1_000_000L * seq, data));
        }
        store.apply(batch);

        List<StoredMessage> page = store.messages(1, 101, 50);
        assertEquals(50, page.size());
        assertEquals(101, page.get(0).sequence());
        assertArrayEquals(msg("orders", 150), page.get(49).data());

        RecoveredState recovered = store.recover();
        assertArrayEquals(new byte[]{1, 2, 3}, recovered.serverInfo());
        RecoveredState.Channel channel = recovered.channels().get(0);
        assertEquals("orders", channel.name());
        assertEquals(1, channel.first());
        assertEquals(1000, channel.last());
        long rangeBytes = LongStream.rangeClosed(101, 150).map(seq -> msg("orders", seq).length).sum();
        List<MessageTotals> totals = store.messageTotals(List.of(new StoredRange(1, channel.first(), channel.last()),
                new StoredRange(1, 101, 150), new StoredRange(2, 1, 10))).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(new MessageTotals(1000, bytes), new MessageTotals(50, rangeBytes), new MessageTotals(0, 0)),
                totals, "each range counts only its rows, in the order asked");
    }

    @Test
    void aFailingBatchLeavesNothingBehind() {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]), new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 1, msg("orders", 1)));
        StoreBatch failing = new StoreBatch();
        failing.add(new StoreOp.CreateChannel(2, "other", 0, 0, 0));
        failing.add(new StoreOp.AddMessage(2, 1, 1, msg("other", 1)));
        failing.add(new StoreOp.AddMessage(1, 1, 1, msg("orders", 1))); // duplicate key: the batch must fail
        assertThrows(StoreException.class, () -> store.apply(failing));
        assertTrue(store.channelStored(1), "the channel of the committed batch is stored");
        assertFalse(store.channelStored(2), "the channel of the failed batch is not");

        assertTrue(store.messages(2, 1, 10).isEmpty(), "no message of the failed batch");
        assertEquals(1, store.recover().channels().size(), "no channel of the failed batch");
    }

    @Test
    void acknowledgedPendingRowsGoAndTheLastSentIsKept() throws Exception {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.CreateSubscription(1, 7, new byte[]{9}),
                new StoreOp.CreateSubscription(1, 8, new byte[]{9}),
                new StoreOp.AddPending(7, 1, 1), new StoreOp.AddPending(7, 2, 2), new StoreOp.AddPending(7, 3, 3),
                new StoreOp.AddPending(8, 1, 1), new StoreOp.AddPending(8, 2, 3));
        apply(new StoreOp.AckPending(1, 7, 1, false), new StoreOp.AckPending(1, 7, 3, true),
                new StoreOp.AckPending(1, 8, 1, false));

        assertEquals(List.of(2L), longs("SELECT seq FROM SubsPending WHERE subid = 7"));
        assertEquals(List.of(3L), longs("SELECT seq FROM SubsPending WHERE subid = 8"),
                "another subscription's ack of the same sequence takes only its own row");
        assertEquals(List.of(3L), longs("SELECT lastsent FROM Subscriptions WHERE subid = 7"));
    }

    @Test
    void theCachingLayoutReplacesRowsWithOneJsonRowThatRecoveryReads() throws Exception {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.AddMessage(1, 1, 1, msg("orders", 1)),
                new StoreOp.CreateSubscription(1, 3, new byte[0]),
                new StoreOp.AddPending(3, 1, 1));
        apply(new StoreOp.ReplacePending(1, 3, 2, 9, List.of(4L, 7L, 9L)));

        assertEquals(List.of(2L), longs("SELECT " + quotedRow() + " FROM SubsPending WHERE subid = 3"));
        assertEquals(List.of(9L), longs("SELECT lastsent FROM Subscriptions WHERE subid = 3"));
        RecoveredState.Subscription sub = store.recover().channels().get(0).subscriptions().get(0);
        assertEquals(List.of(4L, 7L, 9L), sub.pending());
        assertEquals(9, sub.lastSent());
        assertEquals(2, sub.maxRow());
    }

    @Test
    void theHighestSubscriptionIdSurvivesItsDeletion() throws Exception {
        apply(new StoreOp.InitServer("test-cluster", new byte[0]),
                new StoreOp.CreateChannel(1, "orders", 0, 0, 0),
                new StoreOp.CreateSubscription(1, 4, new byte[0]),
                new StoreOp.CreateSubscription(1, 5, new byte[0]),
                new StoreOp.AddPending(5, 1, 1));
        apply(new StoreOp.DeleteSubscription(1, 4, false), new StoreOp.DeleteSubscription(1, 5, true));

        assertEquals(List.of(5L), longs("SELECT subid FROM Subscriptions"), "only the marker row is left");
        assertTrue(longs("SELECT seq FROM SubsPending").isEmpty());
        assertEquals(5, store.recover().maxSubscriptionId(), "IDs are never reused");
    }

    @Test
    void aDeletedChannelIsMarkedThenPurgedInRoundsOfAThousandRows() throws Exception {
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
        assertEquals(List.of("kept"), marked.channels().stream().map(RecoveredState.Channel::name).toList(),
                "a channel marked deleted is not recovered");
        assertEquals(List.of(2), marked.deletedChannelIds());
        assertEquals(2, marked.maxChannelId(), "its ID is not given again while its row is there");

        int rounds = 0;
        while (!store.purgeDeletedChannel(2)) {
            rounds++;
            assertTrue(rounds < 10, "the purge ends");
        }
        assertEquals(4, rounds, "one round of pending rows, three of 1000 messages at most, then the rest");
        assertEquals(List.of(1L), longs("SELECT id FROM Channels"));
        assertEquals(List.of(1L), longs("SELECT DISTINCT id FROM Messages"));
        assertEquals(List.of(1L), longs("SELECT subid FROM SubsPending"));
        assertEquals(List.of(1L), longs("SELECT subid FROM Subscriptions"));
        assertTrue(store.recover().deletedChannelIds().isEmpty());
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

    private String quotedRow() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return SchemaGuard.Dialect.of(connection.getMetaData().getDatabaseProductName()).quotedRow;
        }
    }

    private List<Long> longs(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            List<Long> values = new java.util.ArrayList<>();
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
            return values;
        }
    }

    @Test
    void theFaultToleranceLockFollowsTheGoStore() throws Exception {
        LockAttempt first = store.acquireLock("server-a", false);
        assertEquals(new LockAttempt(true, "", 0), first, "an empty table: the row is created");
        assertEquals(new LockAttempt(true, "server-a", 1), store.acquireLock("server-a", false), "a refresh");

        LockAttempt refused = store.acquireLock("server-b", false);
        assertEquals(new LockAttempt(false, "server-a", 2), refused, "held by a: b sees its owner and tick");
        assertEquals(List.of(2L), longs("SELECT tick FROM StoreLock"), "a refused attempt changes nothing");

        StoreBatch asA = new StoreBatch();
        asA.add(new StoreOp.InitServer("test-cluster", new byte[0]));
        asA.requireLockOwner("server-a");
        store.apply(asA); // the owner writes

        assertTrue(store.acquireLock("server-b", true).acquired(), "a steal");
        assertEquals(List.of(1L), longs("SELECT tick FROM StoreLock"), "a steal restarts the tick");
        StoreBatch lateA = new StoreBatch();
        lateA.add(new StoreOp.CreateChannel(1, "orders", 0, 0, 0));
        lateA.requireLockOwner("server-a");
        assertThrows(StoreLockLostException.class, () -> store.apply(lateA), "the former owner cannot write");
        assertTrue(store.recover().channels().isEmpty(), "nothing of its batch was written");

        store.releaseLock("server-a");
        assertFalse(store.acquireLock("server-a", false).acquired(), "only the owner releases");
        store.releaseLock("server-b");
        assertTrue(store.acquireLock("server-a", false).acquired(), "a released lock is free at once");
    }
}
