package io.stanee.core;

import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.Store;
import io.stanee.store.StoreException;
import io.stanee.store.StoreLockLostException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One stan-ee instance among the servers of its cluster ID: decides whether it may serve and runs its
 * {@link StanServer} while it does. The three ways of the Go server:
 * <ul>
 *   <li>stand-alone (the default): recover, make sure no other server answers on the discovery subject
 *       ({@link StandAloneProbe}), then serve;</li>
 *   <li>fault-tolerant ({@code ft_group}): stand by, listening only to the group's heartbeats, until the active goes
 *       silent and the store lock can be taken ({@link FtGroupMember}, {@link StoreLockKeeper}); then recover and
 *       serve, every batch conditional on the lock; stop serving at once when the lock is lost;</li>
 *   <li>partitioned: serve beside other servers of the cluster ID, each owning its own channels.</li>
 * </ul>
 * Everything NATS-side happens through the messages it returns: the resource adapter subscribes only to what
 * {@link #subjects} returns, and to what {@code SUBSCRIBE} messages add once the instance serves. So a standby
 * holds no protocol subscription at all and cannot answer a client.
 *
 * <p>Called from the adapter's one worker thread; the role is read by health checks from other threads.
 */
public final class StanInstance {

    private static final Logger LOG = Logger.getLogger(StanInstance.class.getName());

    /** Answers to this instance's own requests come back under this prefix. */
    static final String CONTROL_PREFIX = StanServer.INTERNAL_PREFIX + "instance.";
    private static final String SHUT_DOWN = "shut down";

    private final ServerSettings settings;
    private final RequestLimits requestLimits;
    private final Store store;
    private final LongSupplier nanoClock;
    private final LongSupplier monotonicClock;
    /** Replaced by a fresh one when a recovery fails half-way, so that a retry starts from nothing. */
    private volatile StanServer server;
    private final FtGroupMember ftGroup;
    private final StoreLockKeeper lock;
    private final StandAloneProbe probe;
    private final Partitions partitions;

    private volatile boolean natsConnected;
    private volatile ServerRole role = ServerRole.STARTING;
    private volatile String reason = "";
    private boolean probeSent;
    private List<String> servedSubjects = List.of();
    /** The Go server's server_id (a NUID), also this instance's ID in FT heartbeats and partition lists. */
    private final String serverId;
    /** The Go server's start_time: when the instance was made. */
    private final Instant startTime = Instant.now();
    private final MonitorSnapshot.StoreLimitsView storeLimits;
    private final MonitorSnapshots snapshots = new MonitorSnapshots();
    private final WorkerHeartbeat worker;
    private ChannelGaugeSet channelGauges = new ChannelGaugeSet(Integer.MAX_VALUE);
    /** The recorder the channel gauges were announced to: a new recorder hears of every channel again. */
    private MetricsRecorder gaugesAnnouncedTo = MetricsRecorder.NONE;
    private volatile MetricsRecorder recorder = MetricsRecorder.NONE;
    /** Whether the current server's state is recovered: false until then, and again while a new one recovers. */
    private volatile boolean recovered;
    private long reportedReconnects;

    public StanInstance(ServerSettings settings, Store store, LongSupplier nanoClock) {
        this(settings, new RequestLimits(), store, nanoClock, System::nanoTime);
    }

    public StanInstance(ServerSettings settings, RequestLimits requestLimits, Store store, LongSupplier nanoClock) {
        this(settings, requestLimits, store, nanoClock, System::nanoTime);
    }

    public StanInstance(ServerSettings settings, Store store, LongSupplier nanoClock, LongSupplier monotonicClock) {
        this(settings, new RequestLimits(), store, nanoClock, monotonicClock);
    }

    /**
     * @param requestLimits the limits on requests, where the adapter's and the store's findings go
     * @param nanoClock the wall clock in nanoseconds since the epoch
     * @param monotonicClock {@link System#nanoTime()} or a test's: the worker's heartbeat, latencies, commit times
     */
    public StanInstance(ServerSettings settings, RequestLimits requestLimits, Store store, LongSupplier nanoClock,
                        LongSupplier monotonicClock) {
        this.settings = settings;
        this.requestLimits = requestLimits;
        this.store = store;
        this.nanoClock = nanoClock;
        this.monotonicClock = monotonicClock;
        this.worker = new WorkerHeartbeat(monotonicClock);
        this.serverId = RandomIds.next();
        this.storeLimits = MonitorCopy.limits(settings);
        if (settings.faultTolerant()) {
            this.ftGroup = new FtGroupMember(settings.clusterId(), settings.ftGroup(), serverId, nanoClock.getAsLong());
            this.lock = new StoreLockKeeper(store, RandomIds.next());
            this.probe = null;
        } else {
            this.ftGroup = null;
            this.lock = null;
            this.probe = settings.partitioning() ? null : new StandAloneProbe(settings.clusterId());
        }
        this.partitions = settings.partitioning()
                ? new Partitions(settings.clusterId(), ChannelOwnership.of(settings), serverId) : null;
        this.server = freshServer();
    }

    /**
     * An instance that never serves because it could not start (an invalid option: the Go server exits there);
     * its health and monitoring report {@code reason}. It is built on the default settings, and its caller
     * subscribes to nothing for it.
     */
    public static StanInstance refused(ServerSettings defaults, Store store, LongSupplier nanoClock, String reason) {
        StanInstance instance = new StanInstance(defaults, store, nanoClock);
        instance.become(ServerRole.REFUSED, reason);
        return instance;
    }

    public ServerRole role() {
        return role;
    }

    /** Why the instance is not active (refused, stopped, standing by); empty when active. */
    public String reason() {
        return reason;
    }

    public ServerStats stats() {
        return server.stats();
    }

    /** Whether this instance is a member of an FT group ({@code ft_group}). */
    public boolean faultTolerant() {
        return ftGroup != null;
    }

    /** The adapter's worker as seen from here: whether it still comes by (liveness). */
    public WorkerHeartbeat worker() {
        return worker;
    }

    /** Whether the state is recovered from the store (a standby recovers only when it takes over). */
    public boolean recovered() {
        return recovered;
    }

    public boolean natsConnected() {
        return natsConnected;
    }

    /**
     * Where the worker reports latencies, batch sizes, commit times, redeliveries, reconnects and channels from now
     * on (set once, by the metrics at start-up; the channels already known are announced at the next timer call).
     */
    public void useRecorder(MetricsRecorder recorder) {
        this.recorder = recorder;
        server.useRecorder(recorder);
    }

    /**
     * The subjects to listen on at first: only the FT group's heartbeats for a member of a group (it recovers
     * nothing before it holds the lock); none for a stand-alone server, which first recovers, then probes.
     */
    public List<String> subjects() {
        worker.enter();
        try {
            return subjectsToListenOn();
        } finally {
            worker.leave();
        }
    }

    private List<String> subjectsToListenOn() {
        List<String> subjects = new ArrayList<>(partitions == null ? List.of() : partitions.subjects());
        if (ftGroup != null) {
            ftGroup.waitAgain(nanoClock.getAsLong());
            become(ServerRole.STANDBY, "standby in FT group " + ServerState.quote(settings.ftGroup())
                    + ": waiting for the active server to go silent");
            LOG.info("Starting in standby mode (FT group " + settings.ftGroup() + ")");
            subjects.add(ftGroup.subject());
            return subjects;
        }
        recoverOrStartAfresh();
        become(ServerRole.CHECKING, partitions != null
                ? "checking that no other server of cluster ID " + ServerState.quote(settings.clusterId())
                        + " owns one of the channels " + partitions.channels()
                : "checking that no other server serves cluster ID " + ServerState.quote(settings.clusterId()));
        return subjects;
    }

    /** Handles what arrived: the servers' own messages here, client requests by the server while active. */
    public List<OutboundMessage> handle(List<InboundMessage> batch) {
        worker.enter();
        try {
            return handleBatch(batch);
        } finally {
            worker.leave();
        }
    }

    private List<OutboundMessage> handleBatch(List<InboundMessage> batch) {
        List<OutboundMessage> out = new ArrayList<>();
        List<InboundMessage> requests = new ArrayList<>(batch.size());
        long now = nanoClock.getAsLong();
        for (InboundMessage message : batch) {
            if (ftGroup != null && message.subject().equals(ftGroup.subject())) {
                if (role == ServerRole.STOPPED) {
                    continue; // the new active's heartbeats: nothing to claim any more
                }
                String stepDown = ftGroup.heard(message.data(), now);
                if (stepDown != null && role == ServerRole.ACTIVE) {
                    out.addAll(stopServing(stepDown));
                }
            } else if (partitions != null && partitions.isControl(message.subject())) {
                out.addAll(partitions.received(message, now));
            } else if (message.subject().equals(StandAloneProbe.ANSWER)) {
                out.addAll(probeAnswered(message));
            } else if (!message.subject().startsWith(CONTROL_PREFIX)) {
                requests.add(message);
            }
        }
        if (role == ServerRole.ACTIVE && !requests.isEmpty()) {
            recorder.batchHandled(requests.size());
            out.addAll(serving(() -> server.handle(requests)));
        }
        return out;
    }

    /** Acts on time: the probe, the standby's watch over the lock, the active's heartbeats and lock refresh. */
    public List<OutboundMessage> tick() {
        worker.enter();
        try {
            List<OutboundMessage> out = timerWork();
            MetricsRecorder current = recorder;
            if (current != gaugesAnnouncedTo) {
                channelGauges = new ChannelGaugeSet(current.channelGaugeLimit());
                gaugesAnnouncedTo = current;
            }
            channelGauges.refresh(server.state().channels.values(), current);
            return out;
        } finally {
            worker.leave();
        }
    }

    private List<OutboundMessage> timerWork() {
        long now = nanoClock.getAsLong();
        List<OutboundMessage> out = switch (role) {
            case CHECKING -> partitions != null ? checkPartitions(now) : sendProbeOnce();
            case STANDBY -> watchTheLock(now);
            case ACTIVE -> activeTick(now);
            default -> List.of();
        };
        snapshots.refreshIfWanted(() -> MonitorCopy.of(server.state(), serverId, goState(), startTime, storeLimits));
        return out;
    }

    /** Where monitoring threads get copies of the state, made by this instance's worker on its timer calls. */
    public MonitorSnapshots snapshots() {
        return snapshots;
    }

    /**
     * The Go server's state name for the role: a stand-alone (or partitioned) server is {@code STANDALONE} from
     * its start, an FT member {@code FT_STANDBY} until it is {@code FT_ACTIVE}; one that refused to serve, or
     * stopped after losing the FT lock (the Go server exits there), is {@code FAILED}.
     */
    public String goState() {
        return switch (role) {
            case ACTIVE -> ftGroup != null ? "FT_ACTIVE" : "STANDALONE";
            case STANDBY -> "FT_STANDBY";
            case STARTING, CHECKING -> ftGroup != null ? "FT_STANDBY" : "STANDALONE";
            case REFUSED -> "FAILED";
            case STOPPED -> SHUT_DOWN.equals(reason) ? "SHUTDOWN" : "FAILED";
        };
    }

    /** Writes what the caching mode held back and frees the FT lock (the adapter has stopped delivering). */
    public void shutdown() {
        if (role != ServerRole.ACTIVE) {
            return;
        }
        try {
            server.flush();
        } finally {
            if (lock != null) {
                lock.release();
            }
            become(ServerRole.STOPPED, SHUT_DOWN);
        }
    }

    private List<OutboundMessage> sendProbeOnce() {
        if (probeSent) {
            return List.of();
        }
        probeSent = true;
        return List.of(probe.request(server.discoverySubject()));
    }

    /**
     * Partitioned servers share the cluster ID by design (no stand-alone probe): this one announces its channels
     * and serves once no other server has claimed one of them for a second, or refuses as Go does.
     */
    private List<OutboundMessage> checkPartitions(long now) {
        if (!probeSent) {
            probeSent = true;
            return List.of(partitions.announce(now));
        }
        String verdict = partitions.verdict(now);
        if (verdict == null) {
            return List.of();
        }
        if (verdict.isEmpty()) {
            return activate();
        }
        become(ServerRole.REFUSED, verdict);
        LOG.severe("stan-ee does not serve: Partitioning error: " + verdict
                + "; this instance stays down until it is restarted");
        return List.of();
    }

    private List<OutboundMessage> probeAnswered(InboundMessage answer) {
        if (role != ServerRole.CHECKING) {
            return List.of();
        }
        Optional<StandAloneProbe.Refusal> refusal = probe.answered(answer);
        if (refusal.isEmpty()) {
            LOG.fine("Did not detect another server instance");
            return activate();
        }
        become(ServerRole.REFUSED, refusal.get().reason());
        LOG.severe("stan-ee does not serve: " + refusal.get().reason()
                + "; this instance stays down until it is restarted");
        return refusal.get().cleanUp() == null ? List.of() : List.of(refusal.get().cleanUp());
    }

    private List<OutboundMessage> watchTheLock(long now) {
        if (!ftGroup.activeSilent(now)) {
            return List.of();
        }
        StoreLockKeeper.Takeover takeover;
        try {
            takeover = lock.stepTakeover(now);
        } catch (StoreException e) {
            LOG.severe("ft: error attempting to get the store lock: " + e.getMessage());
            ftGroup.waitAgain(now);
            return List.of();
        }
        switch (takeover) {
            case TAKEN -> {
                LOG.info("Server is active (FT group " + settings.ftGroup() + ")");
                ftGroup.activated(Instant.now(), now);
                return activate();
            }
            case HELD_ELSEWHERE -> {
                LOG.fine("ft: unable to get store lock at this time, going back to standby");
                ftGroup.waitAgain(now);
            }
            default -> { }
        }
        return List.of();
    }

    /** Recovers (an FT member only now), writes a new store's record, and subscribes to the protocol subjects. */
    private List<OutboundMessage> activate() {
        try {
            if (ftGroup != null) {
                recoverOrStartAfresh();
            }
            server.initialize();
        } catch (StoreException e) {
            // the FT lock stays this server's: the next attempt takes it back at once and recovers again
            LOG.severe("stan-ee could not recover the state, retrying: " + e.getMessage());
            probeSent = false;
            if (ftGroup != null) {
                become(ServerRole.STANDBY, "recovery failed, retrying: " + e.getMessage());
                ftGroup.waitAgain(nanoClock.getAsLong());
            }
            return List.of();
        }
        servedSubjects = server.subjects();
        become(ServerRole.ACTIVE, "");
        LOG.info(() -> "stan-ee serves cluster ID " + settings.clusterId() + " on " + servedSubjects);
        List<OutboundMessage> out = new ArrayList<>();
        servedSubjects.forEach(subject -> out.add(OutboundMessage.subscribe(subject)));
        return out;
    }

    private List<OutboundMessage> activeTick(long now) {
        List<OutboundMessage> out = new ArrayList<>();
        OutboundMessage heartbeat = ftGroup == null ? null : ftGroup.heartbeatIfDue(now);
        if (heartbeat != null) {
            out.add(heartbeat);
        }
        String lost = lock == null ? null : lock.refreshIfDue(now);
        if (lost != null) {
            out.addAll(stopServing(lost));
            return out;
        }
        out.addAll(serving(server::tick));
        return out;
    }

    /** Recovers into a new server, so that a retry after a failed recovery never adds to a half-built state. */
    private void recoverOrStartAfresh() {
        recovered = false;
        worker.recovering(true);
        try {
            server = freshServer();
            server.recover();
            recovered = true;
        } finally {
            worker.recovering(false);
        }
    }

    private StanServer freshServer() {
        StanServer fresh = new StanServer(settings, requestLimits, store, nanoClock, monotonicClock);
        fresh.connectionChanged(natsConnected);
        fresh.useRecorder(recorder);
        if (lock != null) {
            fresh.requireLockOwner(lock.lockId());
        }
        return fresh;
    }

    /** The limits on requests, where the adapter's and the store's findings (max_payload, column size) go. */
    public RequestLimits requestLimits() {
        return requestLimits;
    }

    /**
     * The answer to a request the adapter could not queue (the server is behind): an error reply built from the
     * request alone, on the adapter's dispatcher thread. Nothing to answer while not serving.
     */
    public OutboundMessage overloadAnswer(InboundMessage refused) {
        StanServer current = server;
        return role == ServerRole.ACTIVE ? OverloadAnswers.answer(current.servedSubjects(), refused) : null;
    }

    /**
     * The adapter's NATS connection: whether it is up, and how many times it was re-established since the adapter
     * connected first (a total, so that no reconnect is lost between two calls).
     */
    public void connectionChanged(boolean connected, long reconnects) {
        worker.enter();
        try {
            natsConnected = connected;
            server.connectionChanged(connected);
            if (reconnects > reportedReconnects) {
                recorder.natsReconnected(reconnects - reportedReconnects);
                reportedReconnects = reconnects;
            }
        } finally {
            worker.leave();
        }
    }

    /** Runs the server's work; a batch refused for want of the lock stops this instance before anything else. */
    private List<OutboundMessage> serving(java.util.function.Supplier<List<OutboundMessage>> work) {
        try {
            return work.get();
        } catch (StoreLockLostException e) {
            return stopServing(e.getMessage());
        }
    }

    /** Stops answering at once: the protocol subscriptions go, and what still arrives is dropped. */
    private List<OutboundMessage> stopServing(String why) {
        boolean wasActive = role == ServerRole.ACTIVE;
        become(ServerRole.STOPPED, why);
        LOG.log(Level.SEVERE, "stan-ee stops serving: " + why + "; restart this instance to rejoin as a standby");
        List<OutboundMessage> out = new ArrayList<>();
        if (wasActive) {
            servedSubjects.forEach(subject -> out.add(OutboundMessage.unsubscribe(subject)));
        }
        return out;
    }

    private void become(ServerRole next, String why) {
        role = next;
        reason = why;
    }
}
