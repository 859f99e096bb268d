package io.stanee.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A queue group of a channel: its members share one position ({@link #lastSent}) and each message goes to one
 * of them. A durable group whose last member left keeps its state in a {@link #shadow} subscription. Changes
 * made within a {@link Batch} register their undo.
 */
final class QueueGroup {

    /** As stored in SubState.qGroup: the group name, or {@code durableName:group} for a durable group. */
    final String name;
    final boolean durable;
    /** Redeliveries per sequence: counted for the group, whichever member a message went to. */
    final Map<Long, Integer> redeliveries = new HashMap<>();
    private long lastSent;
    private final List<Subscription> members = new ArrayList<>();
    private Subscription shadow;

    QueueGroup(String name, boolean durable, long lastSent) {
        this.name = name;
        this.durable = durable;
        this.lastSent = lastSent;
    }

    long lastSent() {
        return lastSent;
    }

    List<Subscription> members() {
        return Collections.unmodifiableList(members);
    }

    int memberCount() {
        return members.size();
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    /** The member through which the group is served (any will do: delivery picks among all). */
    Subscription anyMember() {
        return members.isEmpty() ? null : members.get(0);
    }

    Subscription shadow() {
        return shadow;
    }

    /** The group's position moves on: {@code sequence} was sent to one of its members. */
    void sent(long sequence, Batch batch) {
        long previous = lastSent;
        lastSent = sequence;
        batch.onRollback(() -> lastSent = previous);
    }

    void join(Subscription member, Batch batch) {
        members.add(member);
        batch.onRollback(() -> members.remove(member));
    }

    void leave(Subscription member, Batch batch) {
        int index = members.indexOf(member);
        if (members.remove(member)) {
            batch.onRollback(() -> members.add(index, member));
        }
    }

    /** The last member left a durable group: {@code sub} keeps the group's state until a member returns. */
    void keepIn(Subscription sub, Batch batch) {
        shadow = sub;
        batch.onRollback(() -> shadow = null);
    }

    /** A member returns to a durable group: the shadow that kept its state is taken out and given back. */
    Subscription takeShadow(Batch batch) {
        Subscription taken = shadow;
        shadow = null;
        batch.onRollback(() -> shadow = taken);
        return taken;
    }

    /** At recovery: a stored member (online or not yet attached) or the group's shadow. */
    void restore(Subscription sub, boolean asShadow) {
        lastSent = Math.max(lastSent, sub.lastSent());
        if (asShadow) {
            shadow = sub;
        } else {
            members.add(sub);
        }
    }

    /**
     * The member to send the next message to: the one with the fewest pending among those that are neither
     * stalled nor failing heartbeats, else the first; chosen from the front, then moved to the back, so that
     * members with equal load take turns (the Go server's rule).
     */
    Subscription pickMember(Predicate<Subscription> healthy) {
        Subscription best = null;
        for (Subscription member : members) {
            if (!member.isStalled() && healthy.test(member)
                    && (best == null || member.pendingCount() < best.pendingCount())) {
                best = member;
            }
        }
        if (best == null) {
            best = members.isEmpty() ? null : members.get(0);
        }
        if (best != null && members.size() > 1 && members.get(0) == best) {
            members.remove(0);
            members.add(best);
        }
        return best;
    }

    boolean allStalled() {
        for (Subscription member : members) {
            if (!member.isStalled()) {
                return false;
            }
        }
        return true;
    }
}
