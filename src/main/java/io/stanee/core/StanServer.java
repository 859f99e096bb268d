package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.spb.ServerProtocol.ClientInfo;
import io.stanee.protocol.spb.ServerProtocol.ServerInfo;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.RecoveredState;
import io.stanee.store.Store;
import io.stanee.store.StoreBatch;
import io.stanee.store.StoreConnectionLost;
import io.stanee.store.StoreFailures;
import io.stanee.store.StoreLockLostException;
import io.stanee.store.StoreOp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A STAN server: recovers its state from the store, then turns batches of requests into replies.
 *
 * <p>Each batch is one unit of work: every request is decided in arrival order against the in-memory state,
 * the store work of all of them is applied in one transaction (group commit), and only then are the replies
 * and deliveries released. If the transaction fails, the in-memory changes are undone, and then what happens
 * depends on the failure:
 * <ul>
 *   <li>the connection broke before anything was committed (the first use of a pooled connection after a database
 *       restart): the batch is done again on a fresh connection, at once and then while the database is coming
 *       back, for up to {@link #RECONNECT_WINDOW}; the clients see only latency. When it broke at the commit, the
 *       database is asked whether the commit was made ({@link LostCommit}): if so the batch succeeded, if not it
 *       is done again;</li>
 *   <li>the database is out of reach (connection refused, timeout, commit outcome unknown): the requests that
 *       need the store get {@code stan: store error: ...} at once and those that need none (pings, heartbeat
 *       answers) are answered; until a probe finds the database back ({@link StoreOutage}) every batch is handled
 *       that way without asking the database;</li>
 *   <li>the database refused the batch (a value too long, a duplicate key): the requests are retried one by one,
 *       so one bad request cannot fail the others and each failing one gets its own error.</li>
 * </ul>
 */
public final class StanServer {

    private static final Logger LOG = Logger.getLogger(StanServer.class.getName());

    /** Subjects under this prefix never come from NATS: they carry answers to the server's own requests. */
    static final String INTERNAL_PREFIX = "$stanee.";

    /**
     * How long a batch whose connection broke before its commit is tried again while the database refuses new
     * connections: a fast restart of PostgreSQL takes about a second. Meanwhile the worker waits (the clients see
     * latency, not errors); a database still away after it is treated as out of reach.
     */
    static final Duration RECONNECT_WINDOW = Duration.ofSeconds(3);
    private static final long RECONNECT_PAUSE_MILLIS = 100;

    private final ServerState state;
    private final ConnectionHandler connections;
    private final PublishHandler publishing;
    private final SubscriptionHandler subscriptions;
    private final Delivery delivery;
    private final Heartbeats heartbeats;
    private final LimitsEnforcer limits;
    private final LongSupplier nanoClock;
    /** System.nanoTime() or a test's: for durations (commit time, publish-to-PubAck latency). */
    private final LongSupplier monotonicClock;
    /** Set once from another thread when the metrics are registered. */
    private volatile MetricsRecorder recorder = MetricsRecorder.NONE;
    private final StoreOutage outage;
    private Duration reconnectWindow = RECONNECT_WINDOW;
    /** A new store's record waits for {@link #initialize}. */
    private boolean newStore;
    /** The FT lock every batch requires, or null outside an FT group. */
    private String lockOwner;
    /** {@code state.info} for other threads (overload answers): set once recovered. */
    private volatile ServerInfo servedInfo;

    public StanServer(ServerSettings settings, Store store, LongSupplier nanoClock) {
        this(settings, new RequestLimits(), store, nanoClock, System::nanoTime);
    }

    public StanServer(ServerSettings settings, RequestLimits requestLimits, Store store, LongSupplier nanoClock) {
        this(settings, requestLimits, store, nanoClock, System::nanoTime);
    }

    public StanServer(ServerSettings settings, Store store, LongSupplier nanoClock, LongSupplier monotonicClock) {
        this(settings, new RequestLimits(), store, nanoClock, monotonicClock);
    }

    /**
     * @param nanoClock the wall clock in nanoseconds since the epoch (message timestamps, ack deadlines)
     * @param monotonicClock the clock of {@link io.stanee.ra.InboundMessage#receivedNanos}, for durations
     */
    public StanServer(ServerSettings settings, RequestLimits requestLimits, Store store, LongSupplier nanoClock,
                      LongSupplier monotonicClock) {
        this.nanoClock = nanoClock;
        this.monotonicClock = monotonicClock;
        this.outage = new StoreOutage(store, nanoClock);
        this.state = new ServerState(settings, requestLimits, new GuardedStore(store, outage), new ServerStats());
        this.limits = new LimitsEnforcer(state, nanoClock);
        SubscriptionCloser closer = new SubscriptionCloser(state, nanoClock);
        this.subscriptions = new SubscriptionHandler(state, closer, nanoClock);
        ClientCloser clientCloser = new ClientCloser(state, closer);
        this.heartbeats = new Heartbeats(state, clientCloser, nanoClock);
        this.connections = new ConnectionHandler(state, clientCloser, heartbeats);
        this.publishing = new PublishHandler(state, nanoClock);
        this.delivery = new Delivery(state, subscriptions, nanoClock);
    }

    public ServerStats stats() {
        return state.stats;
    }

    /** Where this server reports latencies, commit times and redeliveries (worker thread). */
    public void useRecorder(MetricsRecorder recorder) {
        this.recorder = recorder;
    }

    /** For the monitoring copy, on the worker thread. */
    ServerState state() {
        return state;
    }

    /**
     * Reads the state from the store, writing nothing: a new store only gets its subjects chosen (what the
     * stand-alone probe needs to know where to ask), {@link #initialize} writes them.
     */
    public void recover() {
        RecoveredState recovered = state.store.recover();
        if (recovered.isNew()) {
            state.info = Subjects.forNewServer(state.settings.clusterId(), state.settings.discoverPrefix());
            newStore = true;
        } else {
            restore(recovered);
        }
        servedInfo = state.info;
        LOG.info(() -> "STAN server for cluster " + state.info.getClusterID() + " recovered: "
                + state.channels.size() + " channels, " + state.clients.size() + " clients");
    }

    /** Writes the server's record to a new store (after {@link #recover}); nothing to do for a recovered one. */
    public void initialize() {
        if (newStore) {
            Batch init = new Batch();
            init.store(new StoreOp.InitServer(state.info.getClusterID(), state.info.toByteArray()));
            commit(init.storeBatch());
            newStore = false;
        }
    }

    /**
     * From now on every batch commits only while this owner holds the fault-tolerance lock (see
     * {@link StoreBatch#requireLockOwner}); set by an FT group's active before it writes anything.
     */
    public void requireLockOwner(String lockOwner) {
        this.lockOwner = lockOwner;
    }

    /** The discovery subject: where clients connect, and where the stand-alone probe asks. */
    public String discoverySubject() {
        return state.info.getDiscovery();
    }

    private void commit(StoreBatch batch) {
        batch.requireLockOwner(lockOwner);
        state.store.apply(batch);
    }

    private void restore(RecoveredState recovered) {
        try {
            state.info = ServerInfo.parseFrom(recovered.serverInfo());
            if (!state.info.getClusterID().equals(state.settings.clusterId())) {
                throw new IncompatibleStoreException(String.format("cluster ID %s does not match recovered value of %s",
                        ServerState.quote(state.settings.clusterId()), ServerState.quote(state.info.getClusterID())));
            }
            for (RecoveredState.Client client : recovered.clients()) {
                ClientInfo info = client.clientInfo() == null || client.clientInfo().length == 0
                        ? ClientInfo.newBuilder().setID(client.clientId()).setHbInbox(client.hbInbox()).build()
                        : ClientInfo.parseFrom(client.clientInfo());
                state.addClient(new Client(info, ++state.clientGenerations, heartbeats.firstHeartbeat()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the stored server or client records cannot be decoded", e);
        }
        state.maxSubscriptionId = recovered.maxSubscriptionId();
        state.maxChannelId = recovered.maxChannelId(); // a channel marked deleted keeps its ID until purged
        recovered.deletedChannelIds().forEach(state.purge::add);
        SubscriptionRecovery subscriptionRecovery = new SubscriptionRecovery(state);
        for (RecoveredState.Channel stored : recovered.channels()) {
            // limits come from the configuration of today, not from the stored row (as in the Go server)
            Channel channel = new Channel(stored.channelId(), stored.name(), state.limits.forChannel(stored.name()),
                    stored.first(), stored.last(), state.windows.open(), nanoClock.getAsLong());
            if (!channel.isEmpty()) {
                limits.countInBackground(channel);
            }
            state.addChannel(channel);
            stored.subscriptions().forEach(sub -> subscriptionRecovery.restore(channel, sub));
        }
        limits.startCounting();
    }

    /** The server's subjects, plus the ack inboxes of recovered subscriptions outside the server's prefix. */
    public List<String> subjects() {
        ServerInfo info = state.info;
        List<String> subjects = new ArrayList<>(List.of(info.getDiscovery(), Subjects.pings(info)));
        subjects.addAll(state.ownership.publishSubjects(info.getPublish()));
        subjects.addAll(List.of(info.getSubscribe(), info.getUnsubscribe(), info.getSubClose(), info.getClose(),
                info.getAcksSubs() + ".>"));
        for (String ackInbox : state.subscriptionsByAckInbox.keySet()) {
            if (!ackInbox.startsWith(info.getAcksSubs() + ".")) {
                subjects.add(ackInbox);
            }
        }
        return subjects;
    }

    public void connectionChanged(boolean connected) {
        state.stats.natsConnected = connected;
    }

    /** The server's subjects, safe to read from any thread (null before the recovery). */
    ServerInfo servedSubjects() {
        return servedInfo;
    }

    /** Handles a batch of requests; the returned messages may be sent: their store work is committed. */
    public List<OutboundMessage> handle(List<InboundMessage> requests) {
        if (outage.poll()) {
            return withoutStore(requests, outage.error());
        }
        return inOneBatch(requests, batch -> requests.forEach(request -> route(request, batch)));
    }

    /** For tests: how long a batch whose connection broke is retried (0: once, at once). */
    void reconnectWindow(Duration window) {
        this.reconnectWindow = window;
    }

    /** Writes the subscription state still held back by the caching mode (called at shutdown). */
    public void flush() {
        Batch batch = new Batch();
        state.pendingWriter.flushAll(nanoClock.getAsLong(), batch);
        if (!batch.storeBatch().isEmpty()) {
            commit(batch.storeBatch());
        }
    }

    /** Acts on time: heartbeats that are due, messages whose ack wait expired. */
    public List<OutboundMessage> tick() {
        outage.poll();
        List<OutboundMessage> out = inOneBatch(List.of(), batch -> {
            heartbeats.sendDue(batch);
            limits.addRecoveredTotals(batch);
            limits.expireByAge(batch);
            limits.deleteInactiveChannels(batch);
            delivery.redeliverExpired(batch);
            state.pendingWriter.flushDue(nanoClock.getAsLong(), batch);
        });
        state.purge.purgeOneRound();
        return out;
    }

    /**
     * Decides the requests (or the timer's work) into one batch, then trims to limits, delivers and commits.
     * Deciding, trimming and delivering may read the store (catch-up pages, sizes of old messages, expiry): a
     * failure anywhere undoes the whole batch, as a failed commit does.
     */
    private List<OutboundMessage> inOneBatch(List<InboundMessage> requests, Consumer<Batch> decide) {
        long reconnectDeadline = 0;
        for (int attempt = 0; ; attempt++) {
            Batch batch = new Batch();
            try {
                decide.accept(batch);
                batch.publishedChannels().forEach(channel -> limits.enforceSize(channel, batch));
                delivery.deliverAll(batch);
                if (!batch.storeBatch().isEmpty()) {
                    long start = monotonicClock.getAsLong();
                    commit(batch.storeBatch());
                    recorder.committed(monotonicClock.getAsLong() - start);
                    state.stats.storeCommits.increment();
                }
                List<OutboundMessage> out = batch.committed();
                batch.report(recorder, monotonicClock.getAsLong()); // the PubAcks are handed to the adapter now
                return out;
            } catch (StoreLockLostException lost) {
                batch.rollback(); // another server owns the store now: no retry, no reply, this one stops
                throw lost;
            } catch (StoreConnectionLost lost) {
                // nothing was committed: undone in memory, the batch is decided and written again from scratch
                batch.rollback();
                if (attempt == 0) {
                    LOG.info(() -> "the database connection broke before the commit, trying the batch again on a "
                            + "fresh connection: " + rootMessage(lost));
                    reconnectDeadline = System.nanoTime() + reconnectWindow.toNanos();
                } else if (System.nanoTime() - reconnectDeadline < 0) {
                    pauseBeforeReconnecting();
                } else {
                    return failed(batch, requests, lost);
                }
            } catch (RuntimeException e) {
                if (!batch.storeBatch().isEmpty()) {
                    Optional<Boolean> committed = LostCommit.committed(state.store, batch.storeBatch(), e,
                            System.nanoTime() + reconnectWindow.toNanos(), StanServer::pauseBeforeReconnecting);
                    if (committed.isPresent() && committed.get()) {
                        LOG.info(() -> "the database connection broke at the commit, which was made: " + rootMessage(e));
                        state.stats.storeCommits.increment();
                        return batch.committed();
                    }
                    if (committed.isPresent() && (attempt == 0 || System.nanoTime() - reconnectDeadline < 0)) {
                        LOG.info(() -> "the database connection broke at the commit, which was not made: trying the "
                                + "batch again: " + rootMessage(e));
                        batch.rollback();
                        if (attempt == 0) {
                            reconnectDeadline = System.nanoTime() + reconnectWindow.toNanos();
                        }
                        continue;
                    }
                }
                return failed(batch, requests, e);
            }
        }
    }

    private static void pauseBeforeReconnecting() {
        try {
            Thread.sleep(RECONNECT_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Handles each request in a batch of its own without the database, which is out of reach: what needs no store
     * work is answered as usual (a ping, a heartbeat answer), what needs the store gets the store error at once.
     */
    private List<OutboundMessage> withoutStore(List<InboundMessage> requests, String error) {
        List<OutboundMessage> out = new ArrayList<>();
        for (InboundMessage request : requests) {
            Batch batch = new Batch();
            try {
                route(request, batch);
                batch.publishedChannels().forEach(channel -> limits.enforceSize(channel, batch));
                delivery.deliverAll(batch);
                if (batch.storeBatch().isEmpty()) {
                    out.addAll(batch.committed());
                    continue;
                }
            } catch (StoreLockLostException lost) {
                batch.rollback();
                throw lost;
            } catch (RuntimeException e) {
                // refused by the guard (or a request that failed on its own): answered with the store error below
            }
            batch.rollback();
            out.addAll(batch.failureReplies("stan: store error: " + error));
        }
        return out;
    }

    /**
     * Undoes the batch in memory and answers its requests. A database out of reach (connection lost, timeout,
     * commit outcome unknown) fails them all at once with the store error; a batch the database refused is
     * retried one by one, so that only the failing requests fail. The store may have committed what failed (a
     * commit that timed out on this side), so the channels the batch published to take their last sequence from
     * the store before their next publish.
     */
    private List<OutboundMessage> failed(Batch batch, List<InboundMessage> requests, RuntimeException e) {
        batch.rollback();
        if (e instanceof StoreOutage.Refused) {
            // not even tried: the database went out of reach while this batch was being decided
            return withoutStore(requests, outage.error());
        }
        batch.publishedChannels().forEach(Channel::markLastUncertain);
        state.stats.storeFailures.increment();
        boolean unavailable = StoreFailures.unavailable(e);
        if (requests.size() > 1 && !unavailable) {
            return oneByOne(requests, e);
        }
        if (requests.isEmpty()) {
            LOG.log(Level.WARNING, "store failure on timer work, retried on the next tick: " + e, e);
            if (unavailable) {
                outage.began(rootMessage(e));
            }
            return List.of();
        }
        if (unavailable) {
            LOG.log(Level.WARNING, "the database is out of reach, " + requests.size() + " requests failed: " + e, e);
            outage.began(rootMessage(e));
            return withoutStore(requests, rootMessage(e));
        }
        LOG.log(Level.WARNING, "store failure on " + requests.get(0).subject() + ": " + e, e);
        return batch.failureReplies("stan: store error: " + rootMessage(e));
    }

    private List<OutboundMessage> oneByOne(List<InboundMessage> requests, RuntimeException cause) {
        LOG.log(Level.WARNING, "a batch of " + requests.size() + " requests failed in the store, "
                + "retrying them one by one: " + cause);
        List<OutboundMessage> out = new ArrayList<>();
        for (InboundMessage request : requests) {
            out.addAll(handle(List.of(request)));
        }
        return out;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private void route(InboundMessage received, Batch batch) {
        batch.nextRequest();
        InboundMessage request = received.data() != null || received.subject().startsWith(INTERNAL_PREFIX)
                ? received
                : new InboundMessage(received.subject(), received.replyTo(), new byte[0], received.receivedNanos());
        String subject = request.subject();
        ServerInfo info = state.info;
        if (subject.startsWith(Heartbeats.ANSWER_PREFIX)) {
            heartbeats.answered(request, batch);
        } else if (subject.startsWith(ConnectionHandler.PROBE_ANSWER_PREFIX)) {
            connections.probeAnswered(request, batch);
        } else if (subject.startsWith(info.getPublish()) && subject.length() > info.getPublish().length()
                && subject.charAt(info.getPublish().length()) == '.') {
            publishing.publish(request, batch);
        } else if (subject.startsWith(info.getAcksSubs() + ".")) {
            subscriptions.ack(request, batch);
        } else if (subject.equals(info.getDiscovery())) {
            connections.connect(request, batch);
        } else if (subject.equals(Subjects.pings(info))) {
            connections.ping(request, batch);
        } else if (subject.equals(info.getSubscribe())) {
            subscriptions.subscribe(request, batch);
        } else if (subject.equals(info.getUnsubscribe())) {
            subscriptions.unsubscribe(request, true, batch);
        } else if (subject.equals(info.getSubClose())) {
            subscriptions.unsubscribe(request, false, batch);
        } else if (subject.equals(info.getClose())) {
            connections.close(request, batch);
        } else if (state.subscriptionsByAckInbox.containsKey(subject)) {
            // an ack inbox another server chose (the Go server's are plain inboxes): a recovered subscription
            // whose client kept it across a restart or an FT takeover
            subscriptions.ack(request, batch);
        } else {
            LOG.fine(() -> "ignored a message on " + subject);
        }
    }
}
