package io.stanee.core;

import io.stanee.protocol.spb.ServerProtocol.SubState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription on a channel: where it stands ({@link #lastSent}), what it has not acknowledged yet
 * ({@link #pending}) and, for durables, whether anybody is attached to it. A plain durable whose client left
 * stays as an offline subscription (empty {@link #clientId}), resumable with the same state; so does the
 * "shadow" that keeps a durable queue group's state when its last member left.
 *
 * <p>It changes its state itself: each change made within a {@link Batch} registers how to take it back, so a
 * batch the store did not commit leaves the subscription as it was. A new subscription (not yet reachable by
 * anyone) and recovery change it without a batch.
 */
final class Subscription {

    final long id;
    final Channel channel;
    /** The plain durable's name; empty for other subscriptions (durable queue members included). */
    final String durableName;
    /** The queue group this is a member of, or null. */
    final QueueGroup group;
    /** A plain durable or a member of a durable queue group. */
    final boolean durable;

    /** Empty while offline (a closed durable) or a shadow. */
    private String clientId;
    /** The owner's client ID as stored for a closed durable (needed to rebuild its key). */
    private String storedClientId;
    private String inbox;
    private String ackInbox;
    private int maxInFlight;
    private int ackWaitSeconds;
    private long lastSent;
    /** Unacknowledged sequences and their ack deadline (nanoseconds; 0 = unknown, after a restart). */
    private final TreeMap<Long, Long> pending = new TreeMap<>();
    /** Redeliveries per sequence of a subscription that is not in a group (a group counts for its members). */
    private final Map<Long, Integer> redeliveries = new HashMap<>();
    /** Earliest deadline in {@link #pending}, or later: a cheap test of whether anything may have expired. */
    private long nextExpiry = Long.MAX_VALUE;
    /** Resumed or recovered with pending messages: only redeliveries until the first redelivery pass. */
    private boolean newOnHold;

    // what the store has of it (see PendingStateWriter)
    /** Next SubsPending row number of this subscription. */
    private long nextRow = 1;
    /** Changes not yet written (caching mode: sends, and acks of written sends, less acks of unwritten sends). */
    private int unwrittenChanges;
    /** When its state was last written (nanoseconds). */
    private long lastStateFlush;
    /** {@link #lastSent} when the state was last written: acks above it cancel sends not written yet. */
    private long lastSentAtFlush;

    Subscription(long id, Channel channel, String durableName, QueueGroup group, boolean durable) {
        this.id = id;
        this.channel = channel;
        this.durableName = durableName;
        this.group = group;
        this.durable = durable;
    }

    // ---- reading -----------------------------------------------------------------------------------------

    String clientId() {
        return clientId;
    }

    String storedClientId() {
        return storedClientId;
    }

    String inbox() {
        return inbox;
    }

    String ackInbox() {
        return ackInbox;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    int ackWaitSeconds() {
        return ackWaitSeconds;
    }

    long lastSent() {
        return lastSent;
    }

    boolean isOnline() {
        return !clientId.isEmpty();
    }

    boolean isStalled() {
        return pending.size() >= maxInFlight;
    }

    long ackWaitNanos() {
        return ackWaitSeconds * 1_000_000_000L;
    }

    int pendingCount() {
        return pending.size();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    boolean isPending(long sequence) {
        return pending.containsKey(sequence);
    }

    /** The ack deadline of a pending sequence (0 = unknown, after a restart), or null if it is not pending. */
    Long deadlineOf(long sequence) {
        return pending.get(sequence);
    }

    /** The pending sequences and their deadlines, as of now (a copy: the caller may change the subscription). */
    List<Map.Entry<Long, Long>> pendingEntries() {
        return new ArrayList<>(pending.entrySet());
    }

    List<Long> pendingSequences() {
        return List.copyOf(pending.keySet());
    }

    /** Whether some pending message may have passed its ack wait by {@code time}. */
    boolean mayHaveExpired(long time) {
        return !pending.isEmpty() && nextExpiry <= time;
    }

    boolean newOnHold() {
        return newOnHold;
    }

    // ---- attaching and detaching -------------------------------------------------------------------------

    /** Attaches the client of a new subscription (nobody reaches it yet: nothing to undo). */
    void attach(String clientId, String inbox, String ackInbox, int maxInFlight, int ackWaitSeconds) {
        this.clientId = clientId;
        this.storedClientId = clientId;
        this.inbox = inbox;
        this.ackInbox = ackInbox;
        this.maxInFlight = maxInFlight;
        this.ackWaitSeconds = ackWaitSeconds;
    }

    /** A new subscription's start position: the sequence before the first one to deliver. */
    void startAfter(long sequence) {
        lastSent = sequence;
    }

    /**
     * An offline durable or a shadow gets a client again: same position and pending messages, which go out again
     * first (flagged redelivered) before anything new.
     */
    void resume(String newClientId, String newInbox, String newAckInbox, int newMaxInFlight, int newAckWait,
                Batch batch) {
        String[] before = {clientId, storedClientId, inbox, ackInbox};
        int beforeMaxInFlight = maxInFlight;
        int beforeAckWait = ackWaitSeconds;
        boolean beforeOnHold = newOnHold;
        long beforeLastSent = lastSent;
        attach(newClientId, newInbox, newAckInbox, newMaxInFlight, newAckWait);
        newOnHold = !pending.isEmpty();
        if (group != null) {
            lastSent = Math.max(lastSent, group.lastSent());
        }
        batch.onRollback(() -> {
            clientId = before[0];
            storedClientId = before[1];
            inbox = before[2];
            ackInbox = before[3];
            maxInFlight = beforeMaxInFlight;
            ackWaitSeconds = beforeAckWait;
            newOnHold = beforeOnHold;
            lastSent = beforeLastSent;
        });
    }

    /** Its client closed it or is gone: a durable keeps everything, stored under its owner's client ID. */
    void detach(Batch batch) {
        String previous = clientId;
        clientId = "";
        batch.onRollback(() -> clientId = previous);
    }

    /** The last member left its durable group: it keeps the group's state, with no owner at all. */
    void becomeShadow(long groupLastSent, Batch batch) {
        String previousClient = clientId;
        String previousStored = storedClientId;
        long previousLastSent = lastSent;
        clientId = "";
        storedClientId = "";
        lastSent = Math.max(lastSent, groupLastSent);
        batch.onRollback(() -> {
            clientId = previousClient;
            storedClientId = previousStored;
            lastSent = previousLastSent;
        });
    }

    /** A remaining member carries its group's position (so that it survives a restart). */
    void carryGroupPosition(long groupLastSent, Batch batch) {
        long previous = lastSent;
        lastSent = groupLastSent;
        batch.onRollback(() -> lastSent = previous);
    }

    // ---- sending and acknowledging -----------------------------------------------------------------------

    /** A first delivery of {@code sequence}: pending until {@code deadline}, and the position moves on. */
    void sent(long sequence, long deadline, Batch batch) {
        long previousLastSent = lastSent;
        long previousExpiry = nextExpiry;
        addPending(sequence, deadline);
        lastSent = Math.max(lastSent, sequence);
        batch.onRollback(() -> {
            pending.remove(sequence);
            lastSent = previousLastSent;
            nextExpiry = previousExpiry;
        });
    }

    /** Takes over a message another member held (redelivery in a group, a leaving member's hand-over). */
    void takeOver(long sequence, long deadline, Batch batch) {
        long previousExpiry = nextExpiry;
        addPending(sequence, deadline);
        batch.onRollback(() -> {
            pending.remove(sequence);
            nextExpiry = previousExpiry;
        });
    }

    /** A pending message gets a new ack deadline (redelivered, or its recovered deadline computed). */
    void newDeadline(long sequence, long deadline, Batch batch) {
        Long previous = pending.put(sequence, deadline);
        batch.onRollback(() -> {
            if (previous != null) {
                pending.put(sequence, previous);
            } else {
                pending.remove(sequence);
            }
        });
    }

    /** After a redelivery pass: the earliest deadline left. */
    void nextExpiry(long earliest, Batch batch) {
        long previous = nextExpiry;
        nextExpiry = earliest;
        batch.onRollback(() -> nextExpiry = previous);
    }

    /** The redelivery pass of a resumed subscription started: new messages may follow the pending ones. */
    void releaseHold(Batch batch) {
        if (newOnHold) {
            newOnHold = false;
            batch.onRollback(() -> newOnHold = true);
        }
    }

    /** One more redelivery of {@code sequence}, counted per group for a member; returns the count. */
    int countRedelivery(long sequence, Batch batch) {
        Map<Long, Integer> counts = redeliveryCounts();
        Integer previous = counts.get(sequence);
        int count = (previous == null ? 0 : previous) + 1;
        counts.put(sequence, count);
        batch.onRollback(() -> {
            if (previous == null) {
                counts.remove(sequence);
            } else {
                counts.put(sequence, previous);
            }
        });
        return count;
    }

    /** Removes an acknowledged sequence (and its redelivery count); false if it was not pending. */
    boolean acknowledge(long sequence, Batch batch) {
        Long deadline = pending.remove(sequence);
        if (deadline == null) {
            return false;
        }
        Map<Long, Integer> counts = redeliveryCounts();
        Integer redelivered = counts.remove(sequence);
        batch.onRollback(() -> {
            pending.put(sequence, deadline);
            if (redelivered != null) {
                counts.put(sequence, redelivered);
            }
        });
        return true;
    }

    private void addPending(long sequence, long deadline) {
        pending.put(sequence, deadline);
        nextExpiry = Math.min(nextExpiry, deadline);
    }

    private Map<Long, Integer> redeliveryCounts() {
        return group != null ? group.redeliveries : redeliveries;
    }

    // ---- what the store has of it ------------------------------------------------------------------------

    /** At recovery: the stored position, the pending sequences (deadlines unknown) and the next row number. */
    void recovered(long storedLastSent, long maxRow, List<Long> storedPending, boolean offline) {
        lastSent = storedLastSent;
        lastSentAtFlush = storedLastSent; // what was pending at the crash is written
        nextRow = maxRow + 1;
        storedPending.forEach(sequence -> addPending(sequence, 0));
        if (offline) {
            clientId = "";
        }
    }

    /** The next SubsPending row number, taken. */
    long takeRow(Batch batch) {
        long row = nextRow++;
        batch.onRollback(() -> nextRow--);
        return row;
    }

    long lastSentAtFlush() {
        return lastSentAtFlush;
    }

    void addUnwritten(int changes, Batch batch) {
        unwrittenChanges += changes;
        batch.onRollback(() -> unwrittenChanges -= changes);
    }

    /** Whether its changed state is due to be written: the delay passed, or it changed a lot. */
    boolean stateWriteDue(long now, long delay, int maxUnwritten) {
        return now - lastStateFlush >= delay || unwrittenChanges >= maxUnwritten;
    }

    /** Its state is written in this batch, as of now: returns the row it is written to. */
    long stateWritten(long now, Batch batch) {
        long row = takeRow(batch);
        int unwritten = unwrittenChanges;
        long lastFlush = lastStateFlush;
        long sentAtFlush = lastSentAtFlush;
        unwrittenChanges = 0;
        lastStateFlush = now;
        lastSentAtFlush = lastSent;
        batch.onRollback(() -> {
            unwrittenChanges = unwritten;
            lastStateFlush = lastFlush;
            lastSentAtFlush = sentAtFlush;
        });
        return row;
    }

    // ---- keys and stored form ----------------------------------------------------------------------------

    /** The key of a plain durable: client ID, channel and durable name joined by '-' (as the Go server). */
    static String durableKey(String clientId, String channel, String durableName) {
        return clientId + "-" + channel + "-" + durableName;
    }

    String durableKey() {
        return durableKey(storedClientId, channel.name, durableName);
    }

    SubState toState(boolean closed) {
        return SubState.newBuilder()
                .setID(id)
                .setClientID(closed ? storedClientId : clientId)
                .setQGroup(group == null ? "" : group.name)
                .setInbox(inbox)
                .setAckInbox(ackInbox)
                .setMaxInFlight(maxInFlight)
                .setAckWaitInSecs(ackWaitSeconds)
                .setDurableName(durableName)
                .setLastSent(lastSent)
                .setIsDurable(durable)
                .setIsClosed(closed)
                .build();
    }
}
