package io.stanee.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue group of a channel: its members share one position ({@link #lastSent}) and each message goes to one
 * of them. A durable group whose last member left keeps its state in a {@link #shadow} subscription.
 */
final class QueueGroup {

    /** As stored in SubState.qGroup: the group name, or {@code durableName:group} for a durable group. */
    final String name;
    final boolean durable;
    long lastSent;
    final List<Subscription> members = new ArrayList<>();
    final Map<Long, Integer> redeliveries = new HashMap<>();
    Subscription shadow;

    QueueGroup(String name, boolean durable, long lastSent) {
        this.name = name;
        this.durable = durable;
        this.lastSent = lastSent;
    }

    /**
     * The member to send the next message to: the one with the fewest pending among those that are neither
     * stalled nor failing heartbeats, else the first; chosen from the front, then moved to the back, so that
     * members with equal load take turns (the Go server's rule).
     */
    Subscription pickMember(java.util.function.Predicate<Subscription> healthy) {
        Subscription best = null;
        for (Subscription member : members) {
            if (!member.isStalled() && healthy.test(member)
                    && (best == null || member.pending.size() < best.pending.size())) {
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
