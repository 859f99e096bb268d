package io.stanee.core;

import com.google.protobuf.ByteString;
import io.stanee.protocol.GoTime;
import io.stanee.protocol.spb.ServerProtocol.CtrlMsg;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.StoreException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Go server's FT timing, step by step on a clock of the test's own: lock takeover, refresh, heartbeats. */
class FaultToleranceTimingTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final LockTable table = new LockTable();
    private final StoreLockKeeper standby = new StoreLockKeeper(table, "standby");

    @Test
    void aFreeLockIsTakenAtOnce() {
        assertEquals(StoreLockKeeper.Takeover.TAKEN, standby.stepTakeover(0));
        assertEquals("standby", table.owner);
    }

    @Test
    void aSilentOwnersLockIsStolenAfterThreeStillChecksOneAndAHalfSecondsApart() {
        table.owner = "dead";
        table.tick = 41;
        long now = 0;
        assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(now));
        for (int check = 1; check <= 2; check++) {
            now += 1500 * SECOND / 1000;
            assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(now - 1), "not due yet");
            assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(now), "check " + check);
        }
        assertEquals("dead", table.owner, "not before the third check");
        now += 1500 * SECOND / 1000;
        assertEquals(StoreLockKeeper.Takeover.TAKEN, standby.stepTakeover(now));
        assertEquals("standby", table.owner);
        assertEquals(1, table.tick, "a steal restarts the tick");
    }

    @Test
    void anOwnerWhoseTickMovesKeepsItsLock() {
        table.owner = "alive";
        assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(0));
        table.tick++; // the owner's refresh
        assertEquals(StoreLockKeeper.Takeover.HELD_ELSEWHERE, standby.stepTakeover(2 * SECOND));
        assertEquals("alive", table.owner);
    }

    @Test
    void theActiveGivesUpAfterThreeFailedRefreshesOrAtOnceWhenAnotherOwnsTheLock() {
        StoreLockKeeper active = new StoreLockKeeper(table, "active");
        assertEquals(StoreLockKeeper.Takeover.TAKEN, active.stepTakeover(0));
        assertNull(active.refreshIfDue(SECOND), "a refresh");
        assertEquals(2, table.tick);
        table.unreachable = true;
        assertNull(active.refreshIfDue(2 * SECOND), "one failure is tolerated");
        assertNull(active.refreshIfDue(3 * SECOND), "two failures are tolerated");
        assertNotNull(active.refreshIfDue(4 * SECOND), "the third is the Go store's lost count");

        StoreLockKeeper other = new StoreLockKeeper(table, "other");
        table.unreachable = false;
        active.release();
        assertEquals(StoreLockKeeper.Takeover.TAKEN, other.stepTakeover(0), "a released lock is free");
        table.owner = "thief";
        assertTrue(other.refreshIfDue(SECOND).contains("thief"), "another owner: lost at once");
    }

    @Test
    void aStoreFailureEndsATakeoverAndTheNextOneStartsAfresh() {
        table.owner = "dead";
        assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(0));
        table.unreachable = true;
        assertThrows(StoreException.class, () -> standby.stepTakeover(2 * SECOND));
        table.unreachable = false;
        assertEquals(StoreLockKeeper.Takeover.IN_PROGRESS, standby.stepTakeover(3 * SECOND), "watching again");
    }

    @Test
    void heartbeatsKeepTheStandbyWaitingAndAnEarlierActiveMakesTheLaterOneStepDown() {
        FtGroupMember member = new FtGroupMember("test-cluster", "g", "me", 0);
        assertEquals("_STAN.ft.test-cluster.g", member.subject());
        assertFalse(member.activeSilent(SECOND), "1 s is within the missed interval");
        assertTrue(member.activeSilent(2 * SECOND), "1.25 s +- 10% without a heartbeat");
        assertNull(member.heard(heartbeat("peer", Instant.EPOCH), 2 * SECOND));
        assertFalse(member.activeSilent(3 * SECOND), "a heartbeat restarts the wait");

        Instant activated = Instant.parse("2026-12-01T10:00:00Z");
        member.activated(activated, 10 * SECOND);
        OutboundMessage sent = member.heartbeatIfDue(10 * SECOND);
        assertNotNull(sent);
        assertNull(member.heartbeatIfDue(10 * SECOND + SECOND / 2), "one a second (+- 10%)");
        assertNotNull(member.heartbeatIfDue(12 * SECOND));
        assertNull(member.heard(sent.data(), 12 * SECOND), "its own heartbeat");
        assertNull(member.heard(heartbeat("later", activated.plusSeconds(5)), 12 * SECOND), "a later active is logged");
        assertEquals("ft: serverID \"earlier\" claims to be active, aborting",
                member.heard(heartbeat("earlier", activated.minusSeconds(5)), 12 * SECOND));
    }

    private static byte[] heartbeat(String serverId, Instant activation) {
        return CtrlMsg.newBuilder().setMsgType(CtrlMsg.Type.FTHeartbeat).setServerID(serverId)
                .setData(ByteString.copyFrom(GoTime.marshal(activation))).build().toByteArray();
    }
}
